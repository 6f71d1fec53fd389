/*
 * job_guard.c: personal identity numbers in the job file's transform and
 * load sections (see job_guard.h).
 */
#include "transform/job_guard.h"

#include "lib/job/job_check.h"
#include "transform/cells/pnr.h"

static const char why[] = "holds a personal identity number: no text in a job may";

static int guard(const nk_job *job, const json_t *value, const char *path, nk_error *err)
{
    char member[512];
    const char *key;
    json_t *child;
    size_t index;

    if (json_is_string(value) && transform_pnr_holds(json_string_value(value)))
        return nk_job_fail(job, err, path, "%s", why);
    json_object_foreach ((json_t *)value, key, child) {
        /* The key itself may be the number (an alias): the path then stops above it. */
        if (transform_pnr_holds(key))
            return nk_job_fail(job, err, path, "a key %s", why);
        nk_path_key(member, sizeof member, path, key);
        if (guard(job, child, member, err) < 0)
            return -1;
    }
    json_array_foreach (value, index, child) {
        nk_path_index(member, sizeof member, path, index);
        if (guard(job, child, member, err) < 0)
            return -1;
    }
    return 0;
}

int transform_job_guard(const nk_job *job, nk_error *err)
{
    static const char *const sections[] = { "transform", "load", NULL };

    for (const char *const *section = sections; *section; section++)
        if (guard(job, nk_job_section(job, *section), *section, err) < 0)
            return -1;
    return 0;
}
