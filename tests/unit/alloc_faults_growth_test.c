/*
 * alloc_faults_growth_test.c: the arrays that grow through lib/base/buffer.h
 * (nk_grow_array, nk_grow_pair), each pushed through several doublings
 * while the n-th allocation fails, by tests/unit/alloc_drive.h.  The growth
 * must fail cleanly at every step: an "out of memory" error, nothing
 * leaked, and no array left longer than the count that reads it.  The
 * Kolada URLs, built in nk_buffers, are driven here too.  Growth
 * that needs PostgreSQL, a job's run directory or the archive thread (the
 * report's series, fact_stream's source keys, the manifest pass's files,
 * the raw archive's pruning) is outside a unit test's reach.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "extract/kolada_api/kolada_query.h"
#include "load/marts/id_index.h"
#include "report/report_options.h"
#include "tests/unit/alloc_drive.h"
#include "tests/unit/temp_dir.h"
#include "transform/exports/csv.h"
#include "transform/exports/org_units.h"
#include "transform/exports/record_totals.h"
#include "transform/staged/table_definitions.h"
#include "transform/staged/tables.h"

/* ---- CSV: rows ever wider, so that the row's fields and lengths grow as a pair ---- */

static char *csv_text;

static int run_csv_rows(void)
{
    char reason[TRANSFORM_ROW_REASON_MAX] = "";
    transform_csv *csv = transform_csv_open_memory(csv_text, strlen(csv_text), ';', 0);
    const transform_row *row;
    int rc;

    if (csv == NULL)
        return fail_with("out of memory opening the reader");
    while ((rc = transform_csv_next(csv, &row, reason)) == 1)
        print("%ld: %zu fields, the last %s (%zu)\n", row->line, row->count,
              row->fields[row->count - 1], row->lengths[row->count - 1]);
    transform_csv_close(csv);
    return rc < 0 ? fail_with(reason) : 0;
}

static void csv_rows_widen(void **state)
{
    static const int widths[] = { 1, 3, 33, 70, 140, 2, 300 };
    size_t size = 1 << 14, used = 0;

    (void)state;
    csv_text = malloc(size);
    assert_non_null(csv_text);
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        for (int i = 0; i < widths[w]; i++)
            used += (size_t)snprintf(csv_text + used, size - used, "%s%d", i ? ";" : "", i * 7);
        used += (size_t)snprintf(csv_text + used, size - used, "\n");
    }
    drive("csv rows", run_csv_rows);
    free(csv_text);
}

/* ---- id_index: ids and their lengths, a pair, past 64, 128 and 256, and the slots ---- */

static int run_id_index(void)
{
    id_index index = { 0 };
    char id[16];
    int rc = 0;

    for (int i = 0; i < 300 && rc == 0; i++) {
        int n = snprintf(id, sizeof id, "N%05d", i * 13);
        int at = id_index_intern(&index, id, (size_t)n);
        if (at < 0)
            rc = fail_with("out of memory interning an id");
        else if (at != i)
            rc = fail_with("an id interned out of turn");
    }
    if (rc == 0) {
        int again = id_index_intern(&index, "N00013", 6);
        print("%zu ids; N00013 at %d, %s at 299\n", index.count, again, index.text[299]);
    }
    id_index_free(&index);
    return rc;
}

static void id_index_grows(void **state)
{
    (void)state;
    drive("id_index", run_id_index);
}

/* ---- record totals: keys and their figures, a pair, past 64 and 128 groups ---- */

static int run_totals(void)
{
    transform_totals *t = transform_totals_new(3);
    char key[32];
    int is_new, rc = 0;

    if (t == NULL)
        return fail_with("out of memory: no totals");
    for (int i = 0; i < 400 && rc == 0; i++) {
        snprintf(key, sizeof key, "0580|%d", i % 200);
        long group = transform_totals_group(t, key, &is_new);
        if (group < 0)
            rc = fail_with("out of memory adding a group");
        else
            transform_totals_add(t, group, (size_t)i % 3, i * 0.5, i % 7 == 0);
    }
    for (size_t g = 0; rc == 0 && g < transform_totals_groups(t); g += 37) {
        double value = 0;
        transform_figure_state state = transform_totals_figure(t, (long)g, g % 3, &value);
        print("%s: %d %g\n", transform_totals_key(t, (long)g), (int)state, value);
    }
    transform_totals_free(t);
    return rc;
}

static void record_totals_grow(void **state)
{
    (void)state;
    drive("record totals", run_totals);
}

/* ---- org units: past 16 units, each with past 4 names ---- */

static char *org_text;

static int run_org(void)
{
    char reason[TRANSFORM_ORG_REASON_MAX] = "";
    transform_org_units org = { 0 };

    if (transform_org_units_parse(&org, org_text, strlen(org_text), reason) < 0) {
        transform_org_units_free(&org);
        return fail_with(reason);
    }
    for (size_t i = 0; i < org.count; i += 9)
        print("%s %zu names, the last %s\n", org.units[i].unit_id, org.units[i].name_count,
              org.units[i].names[org.units[i].name_count - 1]);
    transform_org_units_free(&org);
    return 0;
}

static void org_units_grow(void **state)
{
    size_t size = 1 << 14, used;

    (void)state;
    org_text = malloc(size);
    assert_non_null(org_text);
    used = (size_t)snprintf(org_text, size,
                            "unit_id;title;parent_id;level;valid_from;valid_to;"
                            "successor_id;names\n");
    for (int u = 0; u < 40; u++) {
        used += (size_t)snprintf(org_text + used, size - used, "V15E0580001%02d;Enhet %d;;1;;;;", u,
                                 u);
        for (int n = 0; n < 9; n++)
            used += (size_t)snprintf(org_text + used, size - used, "%senhet %d namn %d",
                                     n ? "|" : "", u, n);
        used += (size_t)snprintf(org_text + used, size - used, "\n");
    }
    drive("org units", run_org);
    free(org_text);
}

/* ---- report options: NULL-terminated lists past their first 8 entries ---- */

static const char *const items[] = { "N00945", "N00946", "N31807", "N15033", "N15034",
                                     "N15419", "N15420", "N15421", "N15422", "N15423",
                                     "N17473", "N17474", "N17475", "N17476", "N17477",
                                     "N20891", "N20892", "N20893", "N20894", "N20895" };

static int run_report_options(void)
{
    report_options options = { 0 };
    const size_t count = sizeof items / sizeof items[0];
    nk_error err = { 0 };
    int rc = 0;

    /* each item twice over: 14 for each list, which grows from 8 to 16 entries */
    for (size_t i = 0; i < 2 * count && rc == 0; i++)
        rc = report_options_add(&options, (report_item)(i % 3), items[i % count], &err);
    if (rc == 0)
        print("%zu kpis, %zu areas, %zu groups; last %s %s %s\n", options.kpi_count,
              options.area_count, options.group_count, options.kpis[options.kpi_count - 1],
              options.operating_areas[options.area_count - 1],
              options.kpi_groups[options.group_count - 1]);
    report_options_free(&options);
    return rc < 0 ? fail_with(err.message) : 0;
}

static void report_lists_grow(void **state)
{
    (void)state;
    drive("report options", run_report_options);
}

/* ---- Kolada URLs: chunks joined and URLs built in buffers, for paths and parameters ---- */

static json_t *kpi_ids, *area_ids, *year_ids;

static json_t *id_list(const char *prefix, int count)
{
    json_t *list = json_array();
    char id[16];

    for (int i = 1; i <= count; i++) {
        snprintf(id, sizeof id, "%s%04d", prefix, i);
        json_array_append_new(list, json_string(id));
    }
    return list;
}

static int run_kolada_urls(void)
{
    extract_kolada_segment segments[] = { { "kpi", kpi_ids },
                                          { "municipality", area_ids },
                                          { "year", year_ids } };
    json_t *urls = json_array(), *url;
    nk_error err = { 0 };
    size_t i;

    if (extract_kolada_path_urls("http://h/v3", "data", segments, 3, 300, urls, &err) < 0 ||
        extract_kolada_param_urls("http://h/v3", "ou", "municipality", area_ids, 120, urls, &err) <
            0) {
        json_decref(urls);
        return fail_with(err.message);
    }
    char *list = extract_kolada_list_url("http://h/v3", "kpi_groups");
    char *dated = extract_kolada_with_from_date(json_string_value(json_array_get(urls, 0)),
                                                "2024-01-31");
    if (list && dated) {
        json_array_foreach (urls, i, url)
            print("%s\n", json_string_value(url));
        print("%s\n%s\n", list, dated);
    }
    free(list);
    free(dated);
    json_decref(urls);
    return list && dated ? 0 : fail_with("out of memory building a URL");
}

static void kolada_urls(void **state)
{
    (void)state;
    kpi_ids = id_list("N", 60);
    area_ids = id_list("", 30);
    year_ids = id_list("Y", 3);
    drive("kolada urls", run_kolada_urls);
    json_decref(kpi_ids);
    json_decref(area_ids);
    json_decref(year_ids);
}

/* ---- staged tables: opening two, and a field too large for the first block ---- */

static char tables_dir[64];
static char *huge_field;

/* A row for the i-th staged table: the huge field first, "x" in the rest. */
static int write_row(transform_tables *tables, size_t i, const char *first, nk_error *err)
{
    const char *fields[64];
    const transform_table_definition *table = transform_table_at(i);
    size_t width = transform_table_width(table->name);

    assert_true(width <= 64);
    for (size_t k = 0; k < width; k++)
        fields[k] = k == 0 ? first : "x";
    return transform_table_row(tables, table->name, fields, err);
}

static int run_tables(void)
{
    transform_tables *tables = transform_tables_open(tables_dir);
    nk_error err = { 0 };
    size_t i;
    json_t *entry;

    if (tables == NULL)
        return fail_with("out of memory opening the tables");
    if (write_row(tables, 0, "kort", &err) < 0 || write_row(tables, 1, huge_field, &err) < 0 ||
        write_row(tables, 0, huge_field, &err) < 0) {
        transform_tables_abandon(tables);
        return fail_with(err.message);
    }
    json_t *list = transform_tables_close(tables, &err);
    if (list == NULL)
        return fail_with(err.message);
    json_array_foreach (list, i, entry)
        print("%s %lld %s\n", json_string_value(json_object_get(entry, "table")),
              (long long)json_integer_value(json_object_get(entry, "rows")),
              json_string_value(json_object_get(entry, "sha256")));
    json_decref(list);
    return 0;
}

static void staged_tables_grow(void **state)
{
    const size_t length = (3 << 20) / 2;

    (void)state;
    assert_true(transform_table_count() >= 2);
    huge_field = malloc(length + 1);
    assert_non_null(huge_field);
    for (size_t k = 0; k < length; k++)
        huge_field[k] = k % 1000 == 999 ? '\t' : (char)('a' + k % 26);
    huge_field[length] = '\0';
    assert_int_equal(temp_dir_make(tables_dir, sizeof tables_dir, "alloc-growth"), 0);
    drive("staged tables", run_tables);
    assert_int_equal(temp_dir_remove(tables_dir), 0);
    free(huge_field);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_rows_widen),     cmocka_unit_test(id_index_grows),
        cmocka_unit_test(record_totals_grow), cmocka_unit_test(org_units_grow),
        cmocka_unit_test(report_lists_grow),  cmocka_unit_test(kolada_urls),
        cmocka_unit_test(staged_tables_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
