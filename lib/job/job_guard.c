/*
 * job_guard.c: personal identity numbers in a job file's own texts.
 *
 * The job's description and its transform and load sections (aliases,
 * measure titles and names, constants, unit names, peer-group titles) reach
 * the warehouse or a log.  A job holding a number in any of them is refused
 * when it is loaded, so every stage that reads it (extract, transform,
 * load, nyckel-run and its --check) refuses it alike, before any work, with
 * an error naming the file and key but never the number.
 */
#include "lib/job/job_check.h"
#include "lib/base/pnr.h"

static const char why[] = "holds a personal identity number: no text in a job may";

static int guard(const nk_job *job, const json_t *value, const char *path, nk_error *err)
{
    char member[512];
    const char *key;
    json_t *child;
    size_t index;

    if (json_is_string(value) && nk_pnr_holds(json_string_value(value)))
        return nk_job_fail(job, err, path, "%s", why);
    json_object_foreach ((json_t *)value, key, child) {
        /* The key itself may be the number (an alias): the path then stops above it. */
        if (nk_pnr_holds(key))
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

int nk_job_check_personal_numbers(const nk_job *job, nk_error *err)
{
    static const char *const members[] = { "description", "transform", "load", NULL };

    for (const char *const *member = members; *member; member++)
        if (guard(job, nk_job_section(job, *member), *member, err) < 0)
            return -1;
    return 0;
}
