/*
 * load_plan_test.c: the transform manifest as nyckel-load checks it before
 * touching the warehouse: known tables and columns only, required columns
 * present, files present, checksums well formed, and the plan in dependency
 * order whatever order the manifest lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"
#include "tests/unit/temp_dir.h"

static char dir[64];
static char manifest_path[128];
static const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void touch(const char *name)
{
    char path[256];
    FILE *file;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    file = fopen(path, "w");
    assert_non_null(file);
    fputs("x\n", file);
    fclose(file);
}

static int setup(void **state)
{
    (void)state;
    if (temp_dir_make(dir, sizeof dir, "load-plan") < 0)
        return -1;
    touch("source.copy");
    touch("fact_kpi_value.copy");
    touch("dim_ou.copy");
    snprintf(manifest_path, sizeof manifest_path, "%s/manifest.json", dir);
    touch("manifest.json");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return temp_dir_remove(dir);
}

static json_t *entry(const char *table, const char *file, json_t *columns)
{
    return json_pack("{s:s, s:s, s:o, s:i, s:s}", "table", table, "file", file, "columns", columns,
                     "rows", 1, "sha256", sha);
}

static json_t *fact_columns(void)
{
    return json_pack("[s, s, s, s, s, s, s, s]", "kpi_id", "area_id", "period_id", "gender",
                     "value", "value_count", "status", "source_ref");
}

static json_t *source_columns(void)
{
    return json_pack("[s, s, s, s, s]", "source_ref", "uri", "sha256", "size", "fetched_at");
}

/* Build a plan from a manifest of the given entries (references stolen). */
static int build(json_t *tables, load_plan *plan, nk_error *err)
{
    json_t *manifest = json_pack("{s:o, s:s}", "tables", tables, "extract_manifest_sha256", sha);
    int rc;

    nk_error_clear(err);
    rc = load_plan_build(plan, manifest, dir, manifest_path, err);
    json_decref(manifest);
    return rc;
}

static void test_dependency_order(void **state)
{
    load_plan plan;
    nk_error err;

    (void)state;
    assert_int_equal(build(json_pack("[o, o]",
                                     entry("fact_kpi_value", "fact_kpi_value.copy", fact_columns()),
                                     entry("source", "source.copy", source_columns())),
                           &plan, &err),
                     0);
    assert_int_equal(plan.count, 2);
    assert_string_equal(plan.tables[0].spec->name, "source");
    assert_string_equal(plan.tables[1].spec->name, "fact_kpi_value");
    assert_int_equal(plan.tables[1].column_count, 8);
    assert_ptr_equal(plan.tables[1].columns[0], plan.tables[1].spec->required[0]);
    assert_string_equal(plan.extract_manifest_sha256, sha);
    assert_int_equal(strlen(plan.manifest_sha256), 64);
    load_plan_free(&plan);
}

static void expect_failure(json_t *tables, int code, const char *text)
{
    load_plan plan;
    nk_error err;

    assert_int_equal(build(tables, &plan, &err), -1);
    assert_int_equal(err.exit_code, code);
    if (strstr(err.message, text) == NULL)
        fail_msg("expected \"%s\" in \"%s\"", text, err.message);
    load_plan_free(&plan);
}

static void test_unknown_table(void **state)
{
    (void)state;
    expect_failure(json_pack("[o]", entry("fact_mystery", "source.copy", source_columns())),
                   NK_EXIT_DATA, "unknown table \"fact_mystery\"");
}

static void test_unknown_column(void **state)
{
    json_t *columns = source_columns();

    (void)state;
    json_array_append_new(columns, json_string("colour"));
    expect_failure(json_pack("[o]", entry("source", "source.copy", columns)), NK_EXIT_DATA,
                   "has no column \"colour\"");
}

static void test_missing_required_column(void **state)
{
    json_t *columns = fact_columns();

    (void)state;
    json_array_remove(columns, 3);
    expect_failure(json_pack("[o]", entry("fact_kpi_value", "fact_kpi_value.copy", columns)),
                   NK_EXIT_DATA, "needs column gender");
}

static void test_column_twice(void **state)
{
    json_t *columns = source_columns();

    (void)state;
    json_array_append_new(columns, json_string("uri"));
    expect_failure(json_pack("[o]", entry("source", "source.copy", columns)), NK_EXIT_DATA,
                   "column uri listed twice");
}

static void test_optional_columns_may_be_left_out(void **state)
{
    load_plan plan;
    nk_error err;

    (void)state;
    assert_int_equal(build(json_pack("[o]", entry("dim_ou", "dim_ou.copy",
                                                  json_pack("[s, s, s]", "ou_id", "municipality_id",
                                                            "title"))),
                           &plan, &err),
                     0);
    assert_int_equal(plan.tables[0].column_count, 3);
    load_plan_free(&plan);
}

static void test_table_twice(void **state)
{
    (void)state;
    expect_failure(json_pack("[o, o]", entry("source", "source.copy", source_columns()),
                             entry("source", "source.copy", source_columns())),
                   NK_EXIT_DATA, "table source listed twice");
}

static void test_missing_file(void **state)
{
    (void)state;
    expect_failure(json_pack("[o]", entry("source", "gone.copy", source_columns())),
                   NK_EXIT_NOINPUT, "gone.copy: file listed in the transform manifest is missing");
}

static void test_file_outside_transform(void **state)
{
    (void)state;
    expect_failure(json_pack("[o]", entry("source", "../source.copy", source_columns())),
                   NK_EXIT_DATA, "expected a file name in transform/");
}

static void test_bad_checksum(void **state)
{
    json_t *bad = entry("source", "source.copy", source_columns());

    (void)state;
    json_object_set_new(bad, "sha256", json_string("abc"));
    expect_failure(json_pack("[o]", bad), NK_EXIT_DATA, "sha256: expected 64 hex digits");
}

static void test_sqlstate_exit_codes(void **state)
{
    (void)state;
    assert_int_equal(load_exit_for_sqlstate("23503"), NK_EXIT_DATA);
    assert_int_equal(load_exit_for_sqlstate("22P02"), NK_EXIT_DATA);
    assert_int_equal(load_exit_for_sqlstate("08006"), NK_EXIT_UNAVAILABLE);
    assert_int_equal(load_exit_for_sqlstate("57P01"), NK_EXIT_UNAVAILABLE);
    assert_int_equal(load_exit_for_sqlstate("40P01"), NK_EXIT_TEMPFAIL);
    assert_int_equal(load_exit_for_sqlstate("55P03"), NK_EXIT_TEMPFAIL);
    assert_int_equal(load_exit_for_sqlstate("42501"), NK_EXIT_CONFIG);
    assert_int_equal(load_exit_for_sqlstate("25006"), NK_EXIT_CONFIG);
    assert_int_equal(load_exit_for_sqlstate("54000"), NK_EXIT_DATA);
    assert_int_equal(load_exit_for_sqlstate("42P01"), NK_EXIT_SOFTWARE);
    assert_int_equal(load_exit_for_sqlstate(NULL), NK_EXIT_UNAVAILABLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dependency_order),
        cmocka_unit_test(test_unknown_table),
        cmocka_unit_test(test_unknown_column),
        cmocka_unit_test(test_missing_required_column),
        cmocka_unit_test(test_column_twice),
        cmocka_unit_test(test_optional_columns_may_be_left_out),
        cmocka_unit_test(test_table_twice),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_file_outside_transform),
        cmocka_unit_test(test_bad_checksum),
        cmocka_unit_test(test_sqlstate_exit_codes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
