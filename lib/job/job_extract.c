/*
 * job_extract.c: checking the "extract" section of a job file: the list of
 * sources, each with a name and a type, and the keys each type accepts.
 *
 * To add a source type, add a row to source_types with its checker; extract
 * then needs a matching reader (extract/source_*.c).
 */
#include <stdio.h>
#include <string.h>

#include "lib/base/interrupt.h"
#include "lib/job/job_check.h"
#include "lib/job/job_keys.h"
#include "lib/kolada/kolada_years.h"

typedef int (*source_checker)(const nk_job *job, const json_t *source, const char *path,
                              nk_error *err);

/*
 * "kolada-files" and "files": local files, globs, folders and zip/tar
 * archives; their keys' types are checked already.
 */
static int check_members(const nk_job *job, const json_t *source, const char *path, nk_error *err)
{
    char member[512];
    const json_t *members = json_object_get(source, "members");

    nk_path_key(member, sizeof member, path, "members");
    if (members && !(json_is_string(members) && json_string_length(members) > 0) &&
        nk_check_string_list(job, source, path, "members", err) < 0) {
        nk_error_clear(err);
        return nk_check_expected(job, members, member,
                                 "a pattern like \"*.csv\" or a list of patterns", err);
    }
    return 0;
}

/*
 * "files": internal exports, which also name the transform mapping that
 * reads them and may say what a delivery covers.
 */
static int check_file_source(const nk_job *job, const json_t *source, const char *path,
                             nk_error *err)
{
    if (nk_check_keys(job, source, path, &nk_keys_kolada_files, err) < 0)
        return -1;
    return check_members(job, source, path, err);
}

static int check_export_source(const nk_job *job, const json_t *source, const char *path,
                               nk_error *err)
{
    if (nk_check_keys(job, source, path, &nk_keys_files, err) < 0 ||
        check_members(job, source, path, err) < 0)
        return -1;
    return nk_job_check_covers(job, source, path, err);
}

/* A list of Kolada ids: letters, digits, '-' and '_' only, since they go into URLs. */
static int check_id_list(const nk_job *job, const json_t *source, const char *path, const char *key,
                         nk_error *err)
{
    char member[512], element[560];
    const json_t *ids = json_object_get(source, key);
    size_t i;
    json_t *id;

    if (nk_check_string_list(job, source, path, key, err) < 0)
        return -1;
    nk_path_key(member, sizeof member, path, key);
    json_array_foreach ((json_t *)ids, i, id) {
        const char *s = json_string_value(id);
        if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
            strlen(s)) {
            nk_path_index(element, sizeof element, member, i);
            return nk_check_expected(job, id, element, "a Kolada id like \"N00945\" or \"0180\"",
                                     err);
        }
    }
    return 0;
}

static int check_years(const nk_job *job, const json_t *source, const char *path, nk_error *err)
{
    char member[512], element[560];
    const json_t *years = json_object_get(source, "years"), *bad = NULL;
    json_t *expanded = json_array();
    int rc = nk_kolada_years(years, 2000, expanded, &bad);

    json_decref(expanded);
    if (rc == 0)
        return 0;
    nk_path_key(member, sizeof member, path, "years");
    if (json_is_object(years) && bad == json_object_get(years, "latest")) {
        nk_path_key(element, sizeof element, member, "latest");
        return nk_check_expected(job, bad, element, "a whole number of years from 1 to 100", err);
    }
    if (json_is_object(years))
        return nk_check_expected(job, years, member, "{\"latest\": N}", err);
    for (size_t i = 0; json_is_array(years) && bad != years && i < json_array_size(years); i++) {
        if (json_array_get(years, i) == bad) {
            nk_path_index(element, sizeof element, member, i);
            return nk_check_expected(job, bad, element, "a year or a range like \"2015..2024\"",
                                     err);
        }
    }
    return nk_check_expected(job, years, member, "a year or a range like \"2015..2024\"", err);
}

static int check_at_least_one(const nk_job *job, const json_t *source, const char *path,
                              const char *const *keys, const char *what, nk_error *err)
{
    for (; *keys; keys++) {
        const json_t *value = json_object_get(source, *keys);
        if (value && !json_is_false(value))
            return 0;
    }
    return nk_job_fail(job, err, path, "expected at least one of %s", what);
}

static int check_kolada_selection(const nk_job *job, const json_t *source, const char *path,
                                  nk_error *err)
{
    static const char *const kpi_keys[] = { "kpis", "kpi_groups", "operating_areas", NULL };
    static const char *const area_keys[] = {
        "areas", "municipality_groups", "all_municipalities", "all_regions", "riket", NULL
    };
    char member[512];
    const json_t *ou = json_object_get(source, "ou_data");

    for (const char *const *key = kpi_keys; *key; key++)
        if ((strcmp(*key, "operating_areas") == 0
                 ? nk_check_string_list(job, source, path, *key, err)
                 : check_id_list(job, source, path, *key, err)) < 0)
            return -1;
    if (check_id_list(job, source, path, "areas", err) < 0 ||
        check_id_list(job, source, path, "municipality_groups", err) < 0)
        return -1;
    nk_path_key(member, sizeof member, path, "ou_data");
    if (ou && !json_is_boolean(ou) && check_id_list(job, source, path, "ou_data", err) < 0) {
        nk_error_clear(err);
        return nk_check_expected(job, ou, member, "true, false or a list of municipality ids", err);
    }
    if (check_at_least_one(job, source, path, kpi_keys,
                           "\"kpis\", \"kpi_groups\", \"operating_areas\"", err) < 0 ||
        check_at_least_one(job, source, path, area_keys,
                           "\"areas\", \"municipality_groups\", \"all_municipalities\", "
                           "\"all_regions\", \"riket\"",
                           err) < 0)
        return -1;
    return check_years(job, source, path, err);
}

/* The keys' types are checked; base_url must also be a URL that paths can follow. */
static int check_base_url(const nk_job *job, const json_t *source, const char *path, nk_error *err)
{
    char member[512];
    const json_t *base = json_object_get(source, "base_url");
    const char *url = json_string_value(base);

    nk_path_key(member, sizeof member, path, "base_url");
    if (base &&
        (url == NULL || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
         url[strlen(url) - 1] == '/'))
        return nk_check_expected(job, base, member,
                                 "an http:// or https:// URL without a trailing '/', like "
                                 "\"https://api.kolada.se/v3\"",
                                 err);
    return 0;
}

static int check_kolada_api(const nk_job *job, const json_t *source, const char *path,
                            nk_error *err)
{
    if (nk_check_keys(job, source, path, &nk_keys_kolada_api, err) < 0 ||
        check_kolada_selection(job, source, path, err) < 0)
        return -1;
    return check_base_url(job, source, path, err);
}

/* The top-level "raw_archive": how extract packs the raw zone at the end of a run. */
static int check_raw_archive(const nk_job *job, nk_error *err)
{
    const json_t *archive = json_object_get(job->root, "raw_archive");
    const char *format;

    if (archive == NULL)
        return 0;
    /* gzip's levels are fewer than zstd's, which the table's bounds allow. */
    format = json_string_value(json_object_get(archive, "format"));
    if (nk_check_keys_known(job, archive, "raw_archive", &nk_keys_raw_archive, err) < 0 ||
        (format && strcmp(format, "tar.gz") == 0 &&
         nk_check_integer(job, archive, "raw_archive", "level", 1, 9, err) < 0))
        return -1;
    return nk_check_keys_values(job, archive, "raw_archive", &nk_keys_raw_archive, err);
}

static const struct {
    const char *type;
    source_checker check;
} source_types[] = {
    { "kolada-files", check_file_source },
    { "files", check_export_source },
    { "kolada-api", check_kolada_api },
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

/* seen: the names of the sources before this one (a set, so that the check stays linear). */
static int check_source_name(const nk_job *job, const json_t *source, json_t *seen,
                             const char *path, nk_error *err)
{
    char member[512];
    const json_t *name = json_object_get(source, "name");
    const char *s = json_string_value(name);

    nk_path_key(member, sizeof member, path, "name");
    if (s == NULL || *s == '\0' || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(s))
        return nk_check_expected(job, name, member,
                                 "a source name of lower-case letters, digits, '-' and '_'", err);
    if (json_object_get(seen, s))
        return nk_job_fail(job, err, member, "source name \"%s\" is used twice", s);
    json_object_set_new(seen, s, json_true());
    return 0;
}

int nk_job_check_extract(const nk_job *job, nk_error *err)
{
    const json_t *sources = nk_job_section(job, "extract");
    char path[64];
    size_t i;
    json_t *source, *seen;
    int rc = 0;

    if (!json_is_array(sources) || json_array_size(sources) == 0)
        return nk_check_expected(job, sources, "extract", "a non-empty list of sources", err);
    seen = json_object();
    json_array_foreach ((json_t *)sources, i, source) {
        nk_path_index(path, sizeof path, "extract", i);
        if (!json_is_object(source))
            rc = nk_check_expected(job, source, path, "a source object", err);
        else if (json_object_get(source, "type") == NULL)
            rc = nk_job_fail(job, err, path, "required key \"type\" is missing");
        else if (check_source_type(job, source, path, err) < 0 ||
                 check_source_name(job, source, seen, path, err) < 0)
            rc = -1;
        /* Sources are many (thousands): a signal need not wait for all of them. */
        if (rc < 0 || (rc = nk_interrupt_check(NK_JOB_CHECK, err)) < 0)
            break;
    }
    json_decref(seen);
    return rc < 0 ? -1 : check_raw_archive(job, err);
}
