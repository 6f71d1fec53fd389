/*
 * job_load.c: checking the "warehouse" and "load" sections of a job file.
 *
 * The connection string may name a host, database and user but never a
 * password: passwords belong in ~/.pgpass or a service file, not in a file
 * that is copied into run directories and version control.
 */
#include <string.h>

#include <libpq-fe.h>

#include "lib/job/job_check.h"
#include "lib/job/job_keys.h"

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

/* load.kpi_direction: {"N00945": "higher", "U21468": "lower"} */
static int check_kpi_direction(const nk_job *job, const json_t *load, nk_error *err)
{
    static const char *const directions[] = { "higher", "lower", NULL };
    const json_t *map = json_object_get(load, "kpi_direction");
    const char *kpi;
    json_t *direction;

    if (map == NULL)
        return 0;
    if (!json_is_object(map))
        return nk_check_expected(job, map, "load.kpi_direction",
                                 "an object of KPI id to \"higher\" or \"lower\"", err);
    json_object_foreach ((json_t *)map, kpi, direction) {
        (void)direction;
        if (nk_check_choice(job, map, "load.kpi_direction", kpi, directions, err) < 0)
            return -1;
    }
    return 0;
}

static int is_group_id(const char *s)
{
    return s && *s && strlen(s) <= 64 &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") ==
               strlen(s);
}

/*
 * A municipality's code: four digits, the first two its county, never 00
 * (0000 is Riket, 00NN a region).  Anything else would become an inferred
 * junk area of the warehouse.
 */
static int is_municipality_id(const char *s)
{
    return s && strlen(s) == 4 && strspn(s, "0123456789") == 4 && strncmp(s, "00", 2) != 0;
}

static int check_members(const nk_job *job, const json_t *group, const char *path, nk_error *err)
{
    const json_t *members = json_object_get(group, "members");
    char list_path[200], member_path[220], what[160];
    size_t index;
    json_t *member;

    json_array_foreach (members, index, member) {
        if (is_municipality_id(json_string_value(member)))
            continue;
        nk_path_key(list_path, sizeof list_path, path, "members");
        nk_path_index(member_path, sizeof member_path, list_path, index);
        snprintf(what, sizeof what, "a municipality id like \"0180\" as member of group \"%.64s\"",
                 json_string_value(json_object_get(group, "id")));
        return nk_check_expected(job, member, member_path, what, err);
    }
    return 0;
}

/* load.peer_groups: [{"id": "r9", "title": "R9", "members": ["0180", ...]}] */
static int check_peer_groups(const nk_job *job, const json_t *load, nk_error *err)
{
    const json_t *groups = json_object_get(load, "peer_groups");
    char path[128];
    size_t index;
    json_t *group;

    if (groups == NULL)
        return 0;
    if (!json_is_array(groups))
        return nk_check_expected(job, groups, "load.peer_groups", "an array of groups", err);
    json_array_foreach (groups, index, group) {
        nk_path_index(path, sizeof path, "load.peer_groups", index);
        if (nk_check_keys(job, group, path, &nk_keys_peer_group, err) < 0)
            return -1;
        if (!is_group_id(json_string_value(json_object_get(group, "id")))) {
            char id_path[160];
            nk_path_key(id_path, sizeof id_path, path, "id");
            return nk_check_expected(job, json_object_get(group, "id"), id_path,
                                     "a group id of letters, digits, '-' and '_'", err);
        }
        if (check_members(job, group, path, err) < 0)
            return -1;
    }
    return 0;
}

/* load.pairings: [{"measure": "hemtjanst_timmar", "kpi": "N21030", "rollup": "sum"}] */
static int check_pairings(const nk_job *job, const json_t *load, nk_error *err)
{
    const json_t *pairings = json_object_get(load, "pairings");
    char path[128];
    size_t index;
    json_t *pairing;

    if (pairings == NULL)
        return 0;
    if (!json_is_array(pairings))
        return nk_check_expected(job, pairings, "load.pairings", "an array of pairings", err);
    json_array_foreach (pairings, index, pairing) {
        nk_path_index(path, sizeof path, "load.pairings", index);
        if (nk_check_keys(job, pairing, path, &nk_keys_pairing, err) < 0)
            return -1;
    }
    return 0;
}

int nk_job_check_load(const nk_job *job, nk_error *err)
{
    const json_t *warehouse = nk_job_section(job, "warehouse");
    const json_t *load = nk_job_section(job, "load");

    if (warehouse) {
        if (nk_check_keys(job, warehouse, "warehouse", &nk_keys_warehouse, err) < 0 ||
            check_conninfo(job, warehouse, err) < 0)
            return -1;
    }
    if (load && (nk_check_keys(job, load, "load", &nk_keys_load, err) < 0 ||
                 check_kpi_direction(job, load, err) < 0 || check_peer_groups(job, load, err) < 0 ||
                 check_pairings(job, load, err) < 0))
        return -1;
    return 0;
}
