/*
 * job_covers.c: checking extract[].covers, what one delivery of a "files"
 * source covers: the periods, units, measures and scenarios whose earlier
 * figures it replaces (docs/jobs.md).  nyckel-load reads the same key.
 */
#include <string.h>

#include "lib/job/job_check.h"
#include "lib/job/job_keys.h"

/* "file", "all", or a non-empty list of ids. */
static int check_dimension(const nk_job *job, const json_t *covers, const char *path,
                           const char *key, nk_error *err)
{
    const json_t *value = json_object_get(covers, key);
    const char *word = json_string_value(value);
    char member[512];

    if (value == NULL || (word && (strcmp(word, "file") == 0 || strcmp(word, "all") == 0)))
        return 0;
    if (json_is_array(value))
        return nk_check_string_list(job, covers, path, key, err);
    nk_path_key(member, sizeof member, path, key);
    return nk_check_expected(job, value, member,
                             "\"file\" (what the delivery holds), \"all\" or a list of ids", err);
}

int nk_job_check_covers(const nk_job *job, const json_t *source, const char *path, nk_error *err)
{
    const json_t *covers = json_object_get(source, "covers");
    char member[512];

    if (covers == NULL)
        return 0;
    nk_path_key(member, sizeof member, path, "covers");
    if (json_is_string(covers) && strcmp(json_string_value(covers), "nothing") == 0)
        return 0;
    if (!json_is_object(covers))
        return nk_check_expected(job, covers, member,
                                 "\"nothing\" or an object like {\"periods\": \"file\"}", err);
    if (nk_check_keys_known(job, covers, member, &nk_keys_covers, err) < 0)
        return -1;
    for (size_t i = 0; i < nk_keys_covers.count; i++)
        if (check_dimension(job, covers, member, nk_keys_covers.keys[i].name, err) < 0)
            return -1;
    return 0;
}
