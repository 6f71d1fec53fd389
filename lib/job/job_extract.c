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
#include "lib/kolada/kolada_years.h"

typedef int (*source_checker)(const nk_job *job, const json_t *source, const char *path,
                              nk_error *err);

/* "kolada-files" and "files": local files, globs, folders and zip/tar archives. */
static int check_file_source(const nk_job *job, const json_t *source, const char *path,
                             nk_error *err)
{
    static const char *const keys[] = { "name",          "type",        "paths",     "members",
                                        "max_member_mb", "max_members", "max_ratio", NULL };
    static const char *const required[] = { "name", "type", "paths", NULL };
    char member[512];
    const json_t *members = json_object_get(source, "members");

    if (nk_check_object(job, source, path, keys, required, err) < 0 ||
        nk_check_string_list(job, source, path, "paths", err) < 0 ||
        nk_check_integer(job, source, path, "max_member_mb", 1, 1 << 20, err) < 0 ||
        nk_check_integer(job, source, path, "max_members", 1, 10000000, err) < 0 ||
        nk_check_integer(job, source, path, "max_ratio", 1, 100000, err) < 0)
        return -1;
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
static int check_export_source(const nk_job *job, const json_t *source, const char *path,
                               nk_error *err)
{
    json_t *without = json_deep_copy(source);
    int rc;

    /* Everything but "mapping" and "covers" is checked as for any file source. */
    json_object_del(without, "mapping");
    json_object_del(without, "covers");
    rc = check_file_source(job, without, path, err);
    json_decref(without);
    if (rc < 0)
        return -1;
    return nk_check_string(job, source, path, "mapping", err) < 0
               ? -1
               : nk_job_check_covers(job, source, path, err);
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

/* A number (whole or not) from min to max, for rates and seconds. */
static int check_number(const nk_job *job, const json_t *source, const char *path, const char *key,
                        double min, double max, nk_error *err)
{
    char member[512], what[128];
    const json_t *value = json_object_get(source, key);

    if (value == NULL || (json_is_number(value) && json_number_value(value) >= min &&
                          json_number_value(value) <= max))
        return 0;
    nk_path_key(member, sizeof member, path, key);
    snprintf(what, sizeof what, "a number from %g to %g", min, max);
    return nk_check_expected(job, value, member, what, err);
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
    static const char *const flags[] = { "all_municipalities", "all_regions", "riket",
                                         "county_regions",     "incremental", NULL };
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
    for (const char *const *flag = flags; *flag; flag++)
        if (nk_check_boolean(job, source, path, *flag, err) < 0)
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

static int check_kolada_http(const nk_job *job, const json_t *source, const char *path,
                             nk_error *err)
{
    char member[512];
    const json_t *base = json_object_get(source, "base_url");
    const char *url = json_string_value(base);

    if (nk_check_integer(job, source, path, "api_version", 2, 3, err) < 0 ||
        nk_check_integer(job, source, path, "concurrency", 1, 64, err) < 0 ||
        nk_check_integer(job, source, path, "timeout_seconds", 1, 86400, err) < 0 ||
        nk_check_integer(job, source, path, "connect_timeout_seconds", 1, 3600, err) < 0 ||
        nk_check_integer(job, source, path, "max_attempts", 1, 100, err) < 0 ||
        nk_check_integer(job, source, path, "max_body_mb", 1, 1 << 20, err) < 0 ||
        nk_check_integer(job, source, path, "url_max_length", 256, 65536, err) < 0 ||
        check_number(job, source, path, "rate_limit", 0, 10000, err) < 0 ||
        check_number(job, source, path, "retry_budget_seconds", 0, 86400, err) < 0 ||
        check_number(job, source, path, "backoff_seconds", 0, 3600, err) < 0 ||
        check_number(job, source, path, "backoff_max_seconds", 0, 86400, err) < 0 ||
        nk_check_string(job, source, path, "ca_bundle", err) < 0 ||
        nk_check_string(job, source, path, "state_dir", err) < 0)
        return -1;
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
    static const char *const keys[] = { "name",
                                        "type",
                                        "api_version",
                                        "base_url",
                                        "kpis",
                                        "kpi_groups",
                                        "operating_areas",
                                        "areas",
                                        "municipality_groups",
                                        "all_municipalities",
                                        "all_regions",
                                        "riket",
                                        "county_regions",
                                        "years",
                                        "ou_data",
                                        "incremental",
                                        "state_dir",
                                        "rate_limit",
                                        "concurrency",
                                        "timeout_seconds",
                                        "connect_timeout_seconds",
                                        "max_attempts",
                                        "retry_budget_seconds",
                                        "backoff_seconds",
                                        "backoff_max_seconds",
                                        "max_body_mb",
                                        "ca_bundle",
                                        "url_max_length",
                                        NULL };
    static const char *const required[] = { "name", "type", "years", NULL };

    if (nk_check_object(job, source, path, keys, required, err) < 0 ||
        check_kolada_selection(job, source, path, err) < 0)
        return -1;
    return check_kolada_http(job, source, path, err);
}

/* The top-level "raw_archive": how extract packs the raw zone at the end of a run. */
static int check_raw_archive(const nk_job *job, nk_error *err)
{
    static const char *const keys[] = { "format", "dir", "keep", "level", NULL };
    static const char *const formats[] = { "tar.zst", "tar.gz", "none", NULL };
    const json_t *archive = json_object_get(job->root, "raw_archive");
    const char *format;

    if (archive == NULL)
        return 0;
    if (nk_check_object(job, archive, "raw_archive", keys, NULL, err) < 0 ||
        nk_check_choice(job, archive, "raw_archive", "format", formats, err) < 0 ||
        nk_check_string(job, archive, "raw_archive", "dir", err) < 0 ||
        nk_check_integer(job, archive, "raw_archive", "keep", 1, 100000, err) < 0)
        return -1;
    format = json_string_value(json_object_get(archive, "format"));
    if (format && strcmp(format, "tar.gz") == 0)
        return nk_check_integer(job, archive, "raw_archive", "level", 1, 9, err);
    /* zstd's negative levels trade size for speed; below -7 the gain is gone. */
    return nk_check_integer(job, archive, "raw_archive", "level", -7, 19, err);
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
