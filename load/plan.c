/*
 * plan.c: reading the transform manifest into a load plan (see load.h).
 *
 * Everything the manifest says is checked here, before load connects to the
 * warehouse, so that a run directory load cannot use fails without touching
 * the database.  Table and column names are matched against tables.c and the
 * plan keeps tables.c's own strings: nothing from the manifest ever reaches
 * SQL text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "load/load.h"

static int in_list(const char *const *list, const char *name, const char **match)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], name) == 0) {
            *match = list[i];
            return 1;
        }
    return 0;
}

static void known_tables(char *out, size_t size)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < load_table_spec_count() && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "",
                                 load_table_spec_at(i)->name);
}

static int is_sha256(const char *s)
{
    return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

static int check_columns(load_staged *staged, const json_t *columns, const char *where,
                         nk_error *err)
{
    const load_table_spec *spec = staged->spec;
    size_t index;
    json_t *column;

    if (!json_is_array(columns) || json_array_size(columns) > LOAD_MAX_COLUMNS)
        return nk_fail(err, NK_EXIT_DATA, "%s.columns: expected an array of column names", where);
    json_array_foreach (columns, index, column) {
        const char *name = json_string_value(column), *match = NULL;
        if (name == NULL ||
            !(in_list(spec->required, name, &match) || in_list(spec->optional, name, &match)))
            return nk_fail(err, NK_EXIT_DATA, "%s.columns[%zu]: table %s has no column \"%s\"",
                           where, index, spec->name, name ? name : "(not a string)");
        for (size_t i = 0; i < staged->column_count; i++)
            if (staged->columns[i] == match)
                return nk_fail(err, NK_EXIT_DATA, "%s.columns[%zu]: column %s listed twice", where,
                               index, name);
        staged->columns[staged->column_count++] = match;
    }
    for (size_t r = 0; spec->required[r]; r++) {
        int found = 0;
        for (size_t i = 0; i < staged->column_count; i++)
            found |= staged->columns[i] == spec->required[r];
        if (!found)
            return nk_fail(err, NK_EXIT_DATA, "%s.columns: table %s needs column %s, not listed",
                           where, spec->name, spec->required[r]);
    }
    return 0;
}

static int check_entry(load_staged *staged, const json_t *entry, const char *transform_dir,
                       const char *where, nk_error *err)
{
    const char *file = json_string_value(json_object_get(entry, "file"));
    const char *sha = json_string_value(json_object_get(entry, "sha256"));
    const json_t *rows = json_object_get(entry, "rows");

    if (file == NULL || *file == '\0' || strchr(file, '/') || strcmp(file, "..") == 0)
        return nk_fail(err, NK_EXIT_DATA, "%s.file: expected a file name in transform/", where);
    if (!json_is_integer(rows) || json_integer_value(rows) < 0)
        return nk_fail(err, NK_EXIT_DATA, "%s.rows: expected a row count", where);
    if (!is_sha256(sha))
        return nk_fail(err, NK_EXIT_DATA, "%s.sha256: expected 64 hex digits", where);
    staged->rows = json_integer_value(rows);
    snprintf(staged->sha256, sizeof staged->sha256, "%s", sha);
    staged->path = nk_path_join(transform_dir, file);
    if (!nk_file_exists(staged->path))
        return nk_fail(err, NK_EXIT_NOINPUT, "%s: file listed in the transform manifest is missing",
                       staged->path);
    return check_columns(staged, json_object_get(entry, "columns"), where, err);
}

static int add_entry(load_plan *plan, const json_t *entry, size_t index, const char *transform_dir,
                     const char *manifest_path, nk_error *err)
{
    const char *name = json_string_value(json_object_get(entry, "table"));
    const load_table_spec *spec = name ? load_table_spec_find(name) : NULL;
    char where[512], known[512];
    load_staged *staged;

    snprintf(where, sizeof where, "%s: tables[%zu]", manifest_path, index);
    if (spec == NULL) {
        known_tables(known, sizeof known);
        return nk_fail(err, NK_EXIT_DATA, "%s.table: unknown table \"%s\" (load knows %s)", where,
                       name ? name : "(not a string)", known);
    }
    if (load_plan_find(plan, name))
        return nk_fail(err, NK_EXIT_DATA, "%s.table: table %s listed twice", where, name);
    staged = &plan->tables[plan->count++];
    staged->spec = spec;
    return check_entry(staged, entry, transform_dir, where, err);
}

/* Dependencies first: the order of tables.c, whatever the manifest's. */
static int spec_rank(const load_table_spec *spec)
{
    for (size_t i = 0; i < load_table_spec_count(); i++)
        if (load_table_spec_at(i) == spec)
            return (int)i;
    return 0;
}

static int compare_staged(const void *a, const void *b)
{
    return spec_rank(((const load_staged *)a)->spec) - spec_rank(((const load_staged *)b)->spec);
}

int load_plan_build(load_plan *plan, const json_t *manifest, const char *transform_dir,
                    const char *manifest_path, nk_error *err)
{
    const json_t *tables = json_object_get(manifest, "tables");
    const char *extract_sha = json_string_value(json_object_get(manifest,
                                                                "extract_manifest_sha256"));
    uint64_t size;
    size_t index;
    json_t *entry;

    memset(plan, 0, sizeof *plan);
    if (!json_is_array(tables))
        return nk_fail(err, NK_EXIT_DATA, "%s: tables: expected an array", manifest_path);
    json_array_foreach (tables, index, entry) {
        if (plan->count == LOAD_MAX_TABLES)
            return nk_fail(err, NK_EXIT_DATA, "%s: tables: more tables than load knows",
                           manifest_path);
        if (add_entry(plan, entry, index, transform_dir, manifest_path, err) < 0)
            return -1;
    }
    nk_sort_items(plan->tables, plan->count, sizeof plan->tables[0], compare_staged);
    snprintf(plan->extract_manifest_sha256, sizeof plan->extract_manifest_sha256, "%s",
             extract_sha ? extract_sha : "");
    plan->manifest_path = strdup(manifest_path);
    return nk_sha256_file(manifest_path, plan->manifest_sha256, &size, err);
}

void load_plan_free(load_plan *plan)
{
    for (size_t i = 0; i < plan->count; i++)
        free(plan->tables[i].path);
    free(plan->manifest_path);
    memset(plan, 0, sizeof *plan);
}

const load_staged *load_plan_find(const load_plan *plan, const char *table)
{
    for (size_t i = 0; i < plan->count; i++)
        if (strcmp(plan->tables[i].spec->name, table) == 0)
            return &plan->tables[i];
    return NULL;
}
