/*
 * job_check.c: the checks shared by every section of a job file (see
 * job_check.h).
 */
#include "lib/job/job_check.h"

#include <stdio.h>
#include <string.h>

void nk_path_key(char *out, size_t size, const char *parent, const char *key)
{
    snprintf(out, size, "%s%s%s", parent, *parent ? "." : "", key);
}

void nk_path_index(char *out, size_t size, const char *parent, size_t index)
{
    snprintf(out, size, "%s[%zu]", parent, index);
}

int nk_check_expected(const nk_job *job, const json_t *value, const char *path, const char *what,
                      nk_error *err)
{
    char found[128];

    nk_json_describe(value, found, sizeof found);
    return nk_job_fail(job, err, path, "expected %s, found %s", what, found);
}

static int listed(const char *const *list, const char *key)
{
    for (; list && *list; list++)
        if (strcmp(*list, key) == 0)
            return 1;
    return 0;
}

static int in_list(const void *list, const char *key)
{
    return listed(list, key);
}

int nk_check_known_keys(const nk_job *job, const json_t *value, const char *path,
                        int (*known)(const void *set, const char *key), const void *set,
                        nk_error *err)
{
    char member[512];
    const char *key;
    json_t *child;

    if (!json_is_object(value))
        return nk_check_expected(job, value, path, "an object", err);
    json_object_foreach ((json_t *)value, key, child) {
        if (!known(set, key)) {
            nk_path_key(member, sizeof member, path, key);
            return nk_job_fail(job, err, member, "unknown key");
        }
    }
    return 0;
}

int nk_check_object(const nk_job *job, const json_t *value, const char *path,
                    const char *const *allowed, nk_error *err)
{
    return nk_check_known_keys(job, value, path, in_list, allowed, err);
}

/* The member, with its path written to member_path; NULL when absent. */
static const json_t *member_of(const json_t *object, const char *path, const char *key,
                               char *member_path, size_t size)
{
    nk_path_key(member_path, size, path, key);
    return json_object_get(object, key);
}

int nk_check_string(const nk_job *job, const json_t *object, const char *path, const char *key,
                    nk_error *err)
{
    char member[512];
    const json_t *value = member_of(object, path, key, member, sizeof member);

    if (value && (!json_is_string(value) || json_string_length(value) == 0))
        return nk_check_expected(job, value, member, "a non-empty string", err);
    return 0;
}

int nk_check_integer(const nk_job *job, const json_t *object, const char *path, const char *key,
                     long long min, long long max, nk_error *err)
{
    char member[512], what[128];
    const json_t *value = member_of(object, path, key, member, sizeof member);

    if (value == NULL)
        return 0;
    if (!json_is_integer(value) || json_integer_value(value) < min ||
        json_integer_value(value) > max) {
        snprintf(what, sizeof what, "a whole number from %lld to %lld", min, max);
        return nk_check_expected(job, value, member, what, err);
    }
    return 0;
}

int nk_check_boolean(const nk_job *job, const json_t *object, const char *path, const char *key,
                     nk_error *err)
{
    char member[512];
    const json_t *value = member_of(object, path, key, member, sizeof member);

    if (value && !json_is_boolean(value))
        return nk_check_expected(job, value, member, "true or false", err);
    return 0;
}

int nk_check_choice(const nk_job *job, const json_t *object, const char *path, const char *key,
                    const char *const *choices, nk_error *err)
{
    char member[512], what[256] = "one of";
    const json_t *value = member_of(object, path, key, member, sizeof member);

    if (value == NULL || (json_is_string(value) && listed(choices, json_string_value(value))))
        return 0;
    for (const char *const *c = choices; *c; c++) {
        size_t used = strlen(what);
        snprintf(what + used, sizeof what - used, "%s \"%s\"", c == choices ? "" : ",", *c);
    }
    return nk_check_expected(job, value, member, what, err);
}

int nk_check_string_list(const nk_job *job, const json_t *object, const char *path, const char *key,
                         nk_error *err)
{
    char member[512], element[560];
    const json_t *value = member_of(object, path, key, member, sizeof member);
    size_t i;
    json_t *item;

    if (value == NULL)
        return 0;
    if (!json_is_array(value) || json_array_size(value) == 0)
        return nk_check_expected(job, value, member, "a non-empty list of strings", err);
    json_array_foreach ((json_t *)value, i, item) {
        if (!json_is_string(item) || json_string_length(item) == 0) {
            nk_path_index(element, sizeof element, member, i);
            return nk_check_expected(job, item, element, "a non-empty string", err);
        }
    }
    return 0;
}
