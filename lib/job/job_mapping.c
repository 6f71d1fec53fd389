/*
 * job_mapping.c: checking transform.mappings, transform.aliases and
 * transform.municipalities: how internal exports (sources of type "files")
 * are read.  Every key is documented in docs/jobs.md under "transform", and
 * declared, with the type and bounds checked here, in lib/job/job_key_tables.c.
 *
 * Beyond each key's type, a mapping must say where every fact gets its
 * measure, period and area from (a column, a header row or a constant), so
 * that a mapping that could never produce a complete row fails at once.
 */
#include <stdio.h>
#include <string.h>

#include "lib/job/job_check.h"
#include "lib/job/job_keys.h"

static const char *const roles[] = {
    "area",     "administration", "service_area", "unit",  "measure", "period",
    "scenario", "gender",         "breakdown",    "value", NULL
};
static const char *const constant_keys[] = { "area",     "unit",   "measure", "period",
                                             "scenario", "gender", NULL };

static int check_string_map(const nk_job *job, const json_t *object, const char *path,
                            const char *key, const char *const *allowed, nk_error *err)
{
    char member[512], item[600];
    const json_t *map = json_object_get(object, key);
    const char *name;
    json_t *value;

    if (map == NULL)
        return 0;
    nk_path_key(member, sizeof member, path, key);
    if (allowed && nk_check_object(job, map, member, allowed, err) < 0)
        return -1;
    if (!json_is_object(map))
        return nk_check_expected(job, map, member, "an object", err);
    json_object_foreach ((json_t *)map, name, value) {
        nk_path_key(item, sizeof item, member, name);
        if (!json_is_string(value) || json_string_length(value) == 0)
            return nk_check_expected(job, value, item, "a non-empty string", err);
    }
    return 0;
}

/* A string or a non-empty list of strings. */
static int check_patterns(const nk_job *job, const json_t *object, const char *path,
                          const char *key, nk_error *err)
{
    char member[512];
    const json_t *value = json_object_get(object, key);

    if (value == NULL || (json_is_string(value) && json_string_length(value) > 0))
        return 0;
    if (json_is_array(value))
        return nk_check_string_list(job, object, path, key, err);
    nk_path_key(member, sizeof member, path, key);
    return nk_check_expected(job, value, member, "a pattern or a list of patterns", err);
}

static int check_header_roles(const nk_job *job, const json_t *mapping, const char *path,
                              nk_error *err)
{
    static const char *const choices[] = { "period", "scenario", "measure", "ignore", NULL };
    const json_t *list = json_object_get(mapping, "header_roles");
    const json_t *rows = json_object_get(mapping, "header_rows");
    const char *layout = json_string_value(json_object_get(mapping, "layout"));
    size_t expected = rows ? (size_t)json_integer_value(rows) : 1, i;
    char member[512], element[560];
    json_t *role;

    nk_path_key(member, sizeof member, path, "header_roles");
    if (list && layout && strcmp(layout, "rows") == 0)
        return nk_job_fail(job, err, member,
                           "a row-level layout reads its header as measures: "
                           "leave header_roles out");
    if (list == NULL) {
        if (layout && strcmp(layout, "wide") == 0)
            return nk_job_fail(job, err, member, "required key is missing for a wide layout");
        return 0;
    }
    if (!json_is_array(list) || json_array_size(list) != expected)
        return nk_job_fail(job, err, member, "expected a list of %zu role(s), one per header row",
                           expected);
    json_array_foreach ((json_t *)list, i, role) {
        int known = 0;
        for (const char *const *c = choices; *c && json_is_string(role); c++)
            known |= strcmp(*c, json_string_value(role)) == 0;
        nk_path_index(element, sizeof element, member, i);
        if (!known)
            return nk_check_expected(job, role, element,
                                     "one of \"period\", \"scenario\", \"measure\", \"ignore\"",
                                     err);
    }
    return 0;
}

/* Is name one of the mapping's personal_numbers? */
static int declared_personal(const json_t *mapping, const char *name)
{
    size_t i;
    json_t *item;

    json_array_foreach (json_object_get(mapping, "personal_numbers"), i, item)
        if (json_is_string(item) && strcmp(json_string_value(item), name) == 0)
            return 1;
    return 0;
}

/* aggregate and column: how a row-level mapping makes a measure from its records. */
static int check_aggregate(const nk_job *job, const json_t *mapping, const json_t *measure,
                           const char *path, nk_error *err)
{
    const char *layout = json_string_value(json_object_get(mapping, "layout"));
    const char *aggregate = json_string_value(json_object_get(measure, "aggregate"));
    const char *column = json_string_value(json_object_get(measure, "column"));
    int people = aggregate && strcmp(aggregate, "count_people") == 0;

    if (aggregate && strcmp(aggregate, "sum") != 0 && !(layout && strcmp(layout, "rows") == 0))
        return nk_job_fail(job, err, path, "aggregate \"%s\" needs \"layout\": \"rows\"",
                           aggregate);
    if (people && (column == NULL || !declared_personal(mapping, column)))
        return nk_job_fail(job, err, path,
                           "count_people needs \"column\": one of the "
                           "mapping's personal_numbers");
    if (!people && column)
        return nk_job_fail(job, err, path, "\"column\" is only for count_people");
    return 0;
}

static int check_measures(const nk_job *job, const json_t *mapping, const char *path, nk_error *err)
{
    const json_t *measures = json_object_get(mapping, "measures");
    char member[512], item[600];
    const char *id;
    json_t *measure;

    if (measures == NULL)
        return 0;
    nk_path_key(member, sizeof member, path, "measures");
    if (!json_is_object(measures) || json_object_size(measures) == 0)
        return nk_check_expected(job, measures, member, "an object of measures", err);
    json_object_foreach ((json_t *)measures, id, measure) {
        nk_path_key(item, sizeof item, member, id);
        if (nk_check_keys(job, measure, item, &nk_keys_measure, err) < 0 ||
            check_aggregate(job, mapping, measure, item, err) < 0)
            return -1;
    }
    return 0;
}

static int check_constants(const nk_job *job, const json_t *mapping, const char *path,
                           nk_error *err)
{
    static const char *const scenarios[] = { "outcome", "budget", "forecast", NULL };
    static const char *const genders[] = { "T", "K", "M", NULL };
    const json_t *constants = json_object_get(mapping, "constants");
    char member[512];

    if (check_string_map(job, mapping, path, "constants", constant_keys, err) < 0)
        return -1;
    nk_path_key(member, sizeof member, path, "constants");
    if (constants && (nk_check_choice(job, constants, member, "scenario", scenarios, err) < 0 ||
                      nk_check_choice(job, constants, member, "gender", genders, err) < 0))
        return -1;
    return 0;
}

/* Is role given by a column, a constant or (wide) a header row? */
static int role_given(const json_t *mapping, const char *role)
{
    const json_t *header_roles = json_object_get(mapping, "header_roles");
    size_t i;
    json_t *item;

    if (json_object_get(json_object_get(mapping, "columns"), role) ||
        json_object_get(json_object_get(mapping, "constants"), role))
        return 1;
    json_array_foreach ((json_t *)header_roles, i, item)
        if (json_is_string(item) && strcmp(json_string_value(item), role) == 0)
            return 1;
    return 0;
}

static int check_complete(const nk_job *job, const json_t *mapping, const char *path, nk_error *err)
{
    static const char *const needed[] = { "measure", "period", "area", NULL };
    const char *layout = json_string_value(json_object_get(mapping, "layout"));
    int rows = layout && strcmp(layout, "rows") == 0;
    int wide = rows || (layout && strcmp(layout, "wide") == 0);

    if (rows && !json_object_get(mapping, "measures"))
        return nk_job_fail(job, err, path, "a row-level layout needs \"measures\"");
    if (!rows &&
        (json_object_get(mapping, "totals") || json_object_get(mapping, "small_counts_below")))
        return nk_job_fail(job, err, path,
                           "totals and small_counts_below need \"layout\": \"rows\"");
    for (const char *const *role = needed; *role; role++)
        if (!role_given(mapping, *role) && !(rows && strcmp(*role, "measure") == 0))
            return nk_job_fail(job, err, path,
                               "nothing gives the %s: expected columns.%s, constants.%s%s", *role,
                               *role, *role, strcmp(*role, "area") ? " or a header role" : "");
    if (!wide && !json_object_get(json_object_get(mapping, "columns"), "value"))
        return nk_job_fail(job, err, path, "a long layout needs columns.value");
    if (wide && json_object_get(json_object_get(mapping, "columns"), "value"))
        return nk_job_fail(
            job, err, path,
            "a wide layout takes its values from the header roles, not columns.value");
    return 0;
}

/* fill_down and amount_columns: true (every such column) or a list of column names. */
static int check_columns_or_all(const nk_job *job, const json_t *mapping, const char *path,
                                const char *key, nk_error *err)
{
    const json_t *value = json_object_get(mapping, key);
    char member[512];

    if (value == NULL || json_is_true(value))
        return 0;
    if (json_is_array(value))
        return nk_check_string_list(job, mapping, path, key, err);
    nk_path_key(member, sizeof member, path, key);
    return nk_check_expected(job, value, member, "true or a list of column names", err);
}

/* totals: the longer periods a row-level mapping also adds its records up to. */
static int check_totals(const nk_job *job, const json_t *mapping, const char *path, nk_error *err)
{
    static const char *const periods[] = { "year", "half_year", "quarter", NULL };
    const json_t *totals = json_object_get(mapping, "totals");
    char member[512], element[560];
    size_t i;
    json_t *item;

    if (nk_check_string_list(job, mapping, path, "totals", err) < 0)
        return -1;
    nk_path_key(member, sizeof member, path, "totals");
    json_array_foreach ((json_t *)totals, i, item) {
        int known = 0;
        for (const char *const *p = periods; *p; p++)
            known |= strcmp(*p, json_string_value(item)) == 0;
        nk_path_index(element, sizeof element, member, i);
        if (!known)
            return nk_check_expected(job, item, element,
                                     "one of \"year\", \"half_year\", \"quarter\"", err);
    }
    return 0;
}

static int check_mapping(const nk_job *job, const json_t *mapping, const char *path, nk_error *err)
{
    if (nk_check_keys(job, mapping, path, &nk_keys_mapping, err) < 0 ||
        check_patterns(job, mapping, path, "files", err) < 0 ||
        check_header_roles(job, mapping, path, err) < 0 ||
        check_string_map(job, mapping, path, "columns", roles, err) < 0 ||
        check_columns_or_all(job, mapping, path, "fill_down", err) < 0 ||
        check_columns_or_all(job, mapping, path, "amount_columns", err) < 0 ||
        check_constants(job, mapping, path, err) < 0 ||
        check_measures(job, mapping, path, err) < 0 || check_totals(job, mapping, path, err) < 0)
        return -1;
    return check_complete(job, mapping, path, err);
}

static int check_aliases(const nk_job *job, const json_t *section, nk_error *err)
{
    const json_t *aliases = json_object_get(section, "aliases");
    char item[600];
    const char *name;
    json_t *code;

    if (check_string_map(job, section, "transform", "aliases", NULL, err) < 0)
        return -1;
    json_object_foreach ((json_t *)aliases, name, code) {
        const char *s = json_string_value(code);
        if (strlen(s) != 4 || strspn(s, "0123456789") != 4) {
            nk_path_key(item, sizeof item, "transform.aliases", name);
            return nk_check_expected(job, code, item,
                                     "a four-digit municipality code like \"0580\"", err);
        }
    }
    return 0;
}

/* Every "files" source names a mapping that exists. */
static int check_source_mappings(const nk_job *job, const json_t *mappings, nk_error *err)
{
    char path[64], member[128];
    size_t i;
    json_t *source;

    json_array_foreach (nk_job_section(job, "extract"), i, source) {
        const char *name = json_string_value(json_object_get(source, "mapping"));
        if (name == NULL || json_object_get(mappings, name))
            continue;
        nk_path_index(path, sizeof path, "extract", i);
        nk_path_key(member, sizeof member, path, "mapping");
        return nk_job_fail(job, err, member, "no mapping \"%s\" in transform.mappings", name);
    }
    return 0;
}

int nk_job_check_mappings(const nk_job *job, const json_t *section, nk_error *err)
{
    const json_t *mappings = json_object_get(section, "mappings");
    char path[600];
    const char *name;
    json_t *mapping;

    if (check_aliases(job, section, err) < 0)
        return -1;
    if (mappings && !json_is_object(mappings))
        return nk_check_expected(job, mappings, "transform.mappings", "an object of mappings", err);
    json_object_foreach ((json_t *)mappings, name, mapping) {
        nk_path_key(path, sizeof path, "transform.mappings", name);
        if (check_mapping(job, mapping, path, err) < 0)
            return -1;
    }
    return check_source_mappings(job, mappings, err);
}
