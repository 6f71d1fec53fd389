/*
 * job_load.c: checking the "warehouse" and "load" sections of a job file.
 *
 * The connection string may name a host, database and user but never a
 * password: passwords belong in ~/.pgpass or a service file, not in a file
 * that is copied into run directories and version control.
 */
#include <string.h>

#include <libpq-fe.h>

#include "job_check.h"

static int check_conninfo(const nk_job *job, const json_t *warehouse, nk_error *err)
{
    const char *conninfo = json_string_value(json_object_get(warehouse, "conninfo"));
    PQconninfoOption *options;
    char *parse_error = NULL;
    int has_password = 0;

    if (conninfo == NULL)
        return 0;
    options = PQconninfoParse(conninfo, &parse_error);
    if (options == NULL) {
        nk_job_fail(job, err, "warehouse.conninfo", "not a valid connection string: %s",
                    parse_error ? parse_error : "out of memory");
        PQfreemem(parse_error);
        return -1;
    }
    for (PQconninfoOption *o = options; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            has_password = 1;
    PQconninfoFree(options);
    if (has_password)
        return nk_job_fail(job, err, "warehouse.conninfo",
                           "must not contain a password: put it in ~/.pgpass or a service file");
    return 0;
}

int nk_job_check_load(const nk_job *job, nk_error *err)
{
    static const char *const warehouse_keys[] = { "conninfo", "lock", NULL };
    static const char *const lock_choices[] = { "wait", "fail", NULL };
    static const char *const load_keys[] = { NULL };
    const json_t *warehouse = nk_job_section(job, "warehouse");
    const json_t *load = nk_job_section(job, "load");

    if (warehouse) {
        if (nk_check_object(job, warehouse, "warehouse", warehouse_keys, NULL, err) < 0 ||
            nk_check_string(job, warehouse, "warehouse", "conninfo", err) < 0 ||
            nk_check_choice(job, warehouse, "warehouse", "lock", lock_choices, err) < 0 ||
            check_conninfo(job, warehouse, err) < 0)
            return -1;
    }
    if (load && nk_check_object(job, load, "load", load_keys, NULL, err) < 0)
        return -1;
    return 0;
}
