/*
 * job_extract.c: checking the "extract" section of a job file: the list of
 * sources, each with a name and a type, and the keys each type accepts.
 *
 * To add a source type, add a row to source_types with its checker; extract
 * then needs a matching reader (extract/source_*.c).
 */
#include <string.h>

#include "job_check.h"

typedef int (*source_checker)(const nk_job *job, const json_t *source, const char *path,
                              nk_error *err);

static int check_kolada_files(const nk_job *job, const json_t *source, const char *path,
                              nk_error *err)
{
    static const char *const keys[] = { "name", "type", "paths", NULL };
    static const char *const required[] = { "name", "type", "paths", NULL };

    if (nk_check_object(job, source, path, keys, required, err) < 0)
        return -1;
    return nk_check_string_list(job, source, path, "paths", err);
}

static const struct {
    const char *type;
    source_checker check;
} source_types[] = {
    { "kolada-files", check_kolada_files },
};

#define SOURCE_TYPE_COUNT (sizeof source_types / sizeof source_types[0])

static int check_source_type(const nk_job *job, const json_t *source, const char *path,
                             nk_error *err)
{
    char member[512], what[512] = "a source type: one of";
    const json_t *type = json_object_get(source, "type");

    for (size_t i = 0; i < SOURCE_TYPE_COUNT; i++)
        if (json_is_string(type) && strcmp(json_string_value(type), source_types[i].type) == 0)
            return source_types[i].check(job, source, path, err);
    for (size_t i = 0; i < SOURCE_TYPE_COUNT; i++) {
        size_t used = strlen(what);
        snprintf(what + used, sizeof what - used, "%s \"%s\"", i ? "," : "", source_types[i].type);
    }
    nk_path_key(member, sizeof member, path, "type");
    return nk_check_expected(job, type, member, what, err);
}

static int check_source_name(const nk_job *job, const json_t *sources, size_t index,
                             const char *path, nk_error *err)
{
    char member[512];
    const json_t *name = json_object_get(json_array_get(sources, index), "name");
    const char *s = json_string_value(name);

    nk_path_key(member, sizeof member, path, "name");
    if (s == NULL || *s == '\0' ||
        strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(s))
        return nk_check_expected(job, name, member,
                                 "a source name of lower-case letters, digits, '-' and '_'", err);
    for (size_t i = 0; i < index; i++) {
        const char *earlier = json_string_value(json_object_get(json_array_get(sources, i), "name"));
        if (earlier && strcmp(earlier, s) == 0)
            return nk_job_fail(job, err, member, "source name \"%s\" is used twice", s);
    }
    return 0;
}

int nk_job_check_extract(const nk_job *job, nk_error *err)
{
    const json_t *sources = nk_job_section(job, "extract");
    char path[64];
    size_t i;
    json_t *source;

    if (!json_is_array(sources) || json_array_size(sources) == 0)
        return nk_check_expected(job, sources, "extract", "a non-empty list of sources", err);
    json_array_foreach((json_t *)sources, i, source) {
        nk_path_index(path, sizeof path, "extract", i);
        if (!json_is_object(source))
            return nk_check_expected(job, source, path, "a source object", err);
        if (json_object_get(source, "type") == NULL)
            return nk_job_fail(job, err, path, "required key \"type\" is missing");
        if (check_source_type(job, source, path, err) < 0 ||
            check_source_name(job, sources, i, path, err) < 0)
            return -1;
    }
    return 0;
}
