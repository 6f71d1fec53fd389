/*
 * kolada_page_test.c: unit tests of transform's Kolada page reader: v3 and
 * v2 shapes, NULL values, deletions, county regions, and the rejects for
 * values that cannot be used.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "transform/staged/dimensions.h"
#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "transform/kolada/kolada_page.h"
#include "transform/staged/rejects.h"
#include "transform/staged/tables.h"
#include "tests/unit/temp_dir.h"

typedef struct fixture {
    char dir[64];
    transform_context context;
    transform_source source;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    nk_error err = { 0 };

    assert_int_equal(temp_dir_make(f->dir, sizeof f->dir, "kolada-test"), 0);
    char *rejects = nk_path_join(f->dir, "rejects.jsonl");
    f->context.rejects = transform_rejects_open(rejects, &err);
    free(rejects);
    f->context.tables = transform_tables_open(f->dir);
    f->context.dimensions = json_object();
    f->context.unknown_keys = json_object();
    f->source.uri = "file:///test/page.json";
    f->source.source_ref = 7;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    if (f->context.tables)
        transform_tables_abandon(f->context.tables);
    if (f->context.rejects) {
        nk_error err = { 0 };
        transform_rejects_close(f->context.rejects, &err);
    }
    json_decref(f->context.dimensions);
    json_decref(f->context.unknown_keys);
    assert_int_equal(temp_dir_remove(f->dir), 0);
    free(f);
    return 0;
}

/* Read a page from text, as transform does: kind first, then metadata or values. */
static int read_page(fixture *f, const char *text, const char *endpoint, nk_error *err)
{
    char *path = nk_path_join(f->dir, "page.json");
    FILE *file = fopen(path, "w");
    transform_kolada_kind kind;
    int rc = -1;

    fputs(text, file);
    fclose(file);
    f->source.path = path;
    int sniffed = transform_kolada_sniff(path, endpoint, &kind, err);
    if (sniffed == 0 && transform_kolada_is_metadata(kind)) {
        json_t *page = transform_kolada_parse(path, err);
        rc = page ? transform_kolada_read_metadata(&f->context, &f->source, page, kind, err) : -1;
        json_decref(page);
    } else if (sniffed == 0) {
        rc = kind == KOLADA_EMPTY
                 ? 0
                 : transform_kolada_read_values(&f->context, &f->source, kind, err);
    }
    free(path);
    return rc;
}

/* Close everything and return the contents of one output file (malloc'd). */
static char *finish_and_read(fixture *f, const char *file_name)
{
    nk_error err = { 0 };
    char *path = nk_path_join(f->dir, file_name);
    char *text = calloc(1, 65536);

    if (f->context.tables) {
        assert_int_equal(transform_dimensions_write(&f->context, &err), 0);
        json_decref(transform_tables_close(f->context.tables, &err));
        f->context.tables = NULL;
        transform_rejects_close(f->context.rejects, &err);
        f->context.rejects = NULL;
    }
    FILE *file = fopen(path, "r");
    if (file) {
        size_t n = fread(text, 1, 65535, file);
        text[n] = '\0';
        fclose(file);
    }
    free(path);
    return text;
}

static const char areas_page[] =
    "{\"count\": 4, \"values\": ["
    "{\"id\": \"0580\", \"title\": \"Linköping\", \"type\": \"K\"},"
    "{\"id\": \"0005\", \"title\": \"Region Östergötland\", \"type\": \"L\"},"
    "{\"id\": \"0000\", \"title\": \"Riket\", \"type\": \"L\"},"
    "{\"id\": \"1814\", \"title\": \"Lekeberg\", \"type\": \"K\"}]}";

static const char kpi_page[] =
    "{\"count\": 1, \"values\": [{\"id\": \"N15428\", \"title\": \"Andel\\tmed tab\", "
    "\"description\": null, \"operating_area\": \"Äldreomsorg\", \"is_divided_by_gender\": 1, "
    "\"municipality_type\": \"K\", \"has_ou_data\": false, \"publication_date\": \"2024-03-01\"}]}";

static void load_metadata(fixture *f)
{
    nk_error err = { 0 };

    assert_int_equal(read_page(f, areas_page, NULL, &err), 0);
    assert_int_equal(read_page(f, kpi_page, "kpi", &err), 0);
}

static void areas_get_county_and_region(void **state)
{
    fixture *f = *state;

    load_metadata(f);
    char *areas = finish_and_read(f, "dim_area.copy");
    assert_string_equal(areas, "0580\tLinköping\tmunicipality\tK\t05\t0005\n"
                               "0005\tRegion Östergötland\tregion\tL\t05\t\\N\n"
                               "0000\tRiket\tcountry\tL\t\\N\t\\N\n"
                               "1814\tLekeberg\tmunicipality\tK\t18\t0018\n");
    char *kpis = finish_and_read(f, "dim_kpi.copy");
    /* The page lacks auspice(s) and perspective: load is told to keep what it has. */
    assert_string_equal(kpis,
                        "N15428\tAndel\\tmed tab\t\\N\tÄldreomsorg\tt\tK\tf\t2024-03-01\t\\N\t\\N"
                        "\t{auspices,perspective}\n");
    free(areas);
    free(kpis);
}

static void v3_values_keep_null_count_and_status(void **state)
{
    fixture *f = *state;
    nk_error err = { 0 };

    load_metadata(f);
    assert_int_equal(
        read_page(f,
                  "{\"count\": 1, \"values\": [{\"kpi\": \"N15428\", \"municipality\": "
                  "\"0580\", \"period\": 2023, \"values\": ["
                  "{\"gender\": \"T\", \"count\": 1, \"status\": \"\", \"value\": 74.1},"
                  "{\"gender\": \"K\", \"count\": 1, \"status\": \"B\", \"value\": null},"
                  "{\"gender\": \"M\", \"count\": 12, \"status\": null, \"value\": 3}]}]}",
                  NULL, &err),
        0);
    assert_int_equal(f->source.counts.rows_read, 4 + 1 + 3);
    char *facts = finish_and_read(f, "fact_kpi_value.copy");
    assert_string_equal(facts, "N15428\t0580\t2023\tT\t74.1\t1\t\\N\t7\n"
                               "N15428\t0580\t2023\tK\t\\N\t1\tB\t7\n"
                               "N15428\t0580\t2023\tM\t3\t12\t\\N\t7\n");
    char *periods = finish_and_read(f, "dim_period.copy");
    assert_string_equal(periods, "2023\tyear\t2023\t2023-01-01\t2023-12-31\n");
    free(facts);
    free(periods);
}

static void v2_string_periods_and_deletions(void **state)
{
    fixture *f = *state;
    nk_error err = { 0 };

    load_metadata(f);
    assert_int_equal(
        read_page(f,
                  "{\"count\": 1, \"next_page\": null, \"values\": [{\"kpi\": \"N15428\", "
                  "\"municipality\": \"1814\", \"period\": \"2019\", \"values\": ["
                  "{\"gender\": \"T\", \"count\": 1, \"status\": \"\", \"value\": 5.5, "
                  "\"is_deleted\": false},"
                  "{\"gender\": \"K\", \"count\": 1, \"status\": \"\", \"value\": 6, "
                  "\"is_deleted\": true}]}]}",
                  NULL, &err),
        0);
    char *facts = finish_and_read(f, "fact_kpi_value.copy");
    char *deleted = finish_and_read(f, "fact_kpi_value_deleted.copy");
    assert_string_equal(facts, "N15428\t1814\t2019\tT\t5.5\t1\t\\N\t7\n");
    assert_string_equal(deleted, "N15428\t1814\t2019\tK\t7\n");
    free(facts);
    free(deleted);
}

static void unusable_values_are_rejected_with_reasons(void **state)
{
    fixture *f = *state;
    nk_error err = { 0 };

    load_metadata(f);
    assert_int_equal(
        read_page(
            f,
            "{\"values\": ["
            "{\"kpi\": \"N99999\", \"municipality\": \"0580\", \"period\": 2023, "
            "\"values\": [{\"gender\": \"T\", \"value\": 1}, {\"gender\": \"K\", \"value\": 2}]},"
            "{\"kpi\": \"N15428\", \"municipality\": \"0580\", \"period\": 1850, "
            "\"values\": [{\"gender\": \"T\", \"value\": 1}]},"
            "{\"kpi\": \"N15428\", \"municipality\": \"0580\", \"period\": 2022, "
            "\"values\": [{\"gender\": \"X\", \"value\": 1}, {\"gender\": \"T\", \"value\": "
            "\"ett\"},"
            "{\"gender\": \"T\", \"value\": 9}]}]}",
            "data", &err),
        0);
    assert_int_equal(f->source.counts.rows_rejected, 5);
    assert_int_equal(f->source.counts.rows_written, 5 + 1);
    char *rejects = finish_and_read(f, "rejects.jsonl");
    assert_non_null(strstr(
        rejects,
        "\"reason\":\"values[0]: unknown KPI \\\"N99999\\\": no metadata for it in this run\""));
    assert_non_null(strstr(
        rejects, "\"reason\":\"values[1]: expected a \\\"period\\\" year from 1900 to 2100\""));
    assert_non_null(strstr(rejects, "\"reason\":\"values[2]: expected a \\\"gender\\\" of "
                                    "\\\"T\\\", \\\"K\\\" or \\\"M\\\"\""));
    assert_non_null(strstr(rejects,
                           "\"reason\":\"values[2]: expected a number or null as \\\"value\\\"\""));
    assert_non_null(strstr(rejects, "\"source\":\"file:///test/page.json\""));
    free(rejects);
}

static void shapes_are_recognised_without_an_endpoint(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        transform_kolada_kind kind;
    } cases[] = {
        { "{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": 2020, \"values\": []}",
          KOLADA_DATA },
        { "{\"kpi\": \"U1\", \"ou\": \"V15E1\", \"period\": 2020, \"values\": []}", KOLADA_OUDATA },
        { "{\"id\": \"N1\", \"title\": \"t\", \"operating_area\": \"a\"}", KOLADA_KPI },
        { "{\"id\": \"G1\", \"title\": \"t\", \"members\": [{\"member_id\": \"0580\", "
          "\"member_title\": \"Linköping\"}]}",
          KOLADA_MUNICIPALITY_GROUPS },
        { "{\"id\": \"V15E1\", \"municipality\": \"0580\", \"title\": \"Skola\"}", KOLADA_OU },
        { "{\"id\": \"0580\", \"title\": \"Linköping\", \"type\": \"K\"}", KOLADA_MUNICIPALITY },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        nk_error err = { 0 };
        transform_kolada_kind kind;
        snprintf(text, sizeof text, "{\"values\": [%s]}", cases[i].value);
        json_t *page = json_loads(text, 0, NULL);
        assert_int_equal(transform_kolada_kind_of(page, NULL, "p", &kind, &err), 0);
        assert_int_equal(kind, cases[i].kind);
        json_decref(page);
    }
}

static void a_file_that_is_not_a_page_fails(void **state)
{
    fixture *f = *state;
    nk_error err = { 0 };

    assert_int_equal(read_page(f, "{\"values\": [1, 2", NULL, &err), -1);
    assert_int_equal(err.exit_code, NK_EXIT_DATA);
    assert_non_null(strstr(err.message, "page.json:1:16: not a Kolada response: invalid JSON"));
    assert_int_equal(read_page(f, "[1, 2]", NULL, &err), -1);
    assert_non_null(strstr(err.message, "expected an object with a \"values\" list"));
    /* A data page named by the manifest is read as a stream: the same failures, by byte. */
    nk_error_clear(&err);
    assert_int_equal(read_page(f, "{\"values\": [1, 2", "data", &err), -1);
    assert_int_equal(err.exit_code, NK_EXIT_DATA);
    assert_non_null(strstr(err.message, "page.json:1:17: not a Kolada response: invalid JSON at "
                                        "byte 16: expected ',' or ']', found end of input"));
    nk_error_clear(&err);
    assert_int_equal(read_page(f, "[1, 2]", "data", &err), -1);
    assert_non_null(strstr(err.message, "expected an object with a \"values\" list"));
}

/* v3 says "auspice", v2 "auspices"; an attribute sent as null is NULL, not kept. */
static void renamed_kpi_fields_are_read_under_both_names(void **state)
{
    fixture *f = *state;
    nk_error err = { 0 };

    assert_int_equal(
        read_page(f,
                  "{\"values\": [{\"id\": \"N1\", \"title\": \"v3\", \"description\": \"d\","
                  " \"operating_area\": \"a\", \"is_divided_by_gender\": true,"
                  " \"municipality_type\": \"A\", \"has_ou_data\": false,"
                  " \"publication_date\": \"2027-01-16\", \"auspice\": \"X\","
                  " \"perspective\": null},"
                  " {\"id\": \"N2\", \"title\": \"v2\", \"description\": \"d\","
                  " \"operating_area\": \"a\", \"is_divided_by_gender\": 0,"
                  " \"municipality_type\": \"K\", \"has_ou_data\": null,"
                  " \"publication_date\": \"2025-02-22\", \"auspices\": \"E\","
                  " \"perspective\": \"Resurser\", \"ou_publication_date\": null}]}",
                  NULL, &err),
        0);
    char *kpis = finish_and_read(f, "dim_kpi.copy");
    assert_string_equal(kpis, "N1\tv3\td\ta\tt\tA\tf\t2027-01-16\tX\t\\N\t\\N\n"
                              "N2\tv2\td\ta\tf\tK\t\\N\t2025-02-22\tE\tResurser\t\\N\n");
    free(kpis);
}

/* Real groups list {"member_id", "member_title"}; a member's reject says what is wrong with it. */
static void group_members_are_read_by_member_id(void **state)
{
    fixture *f = *state;
    nk_error err = { 0 };

    load_metadata(f);
    f->source.counts = (transform_counts){ 0 };
    assert_int_equal(
        read_page(f,
                  "{\"values\": [{\"id\": \"G114418\", \"title\": \"Grupp (ovägt medel)\","
                  " \"members\": [{\"member_id\": \"0580\", \"member_title\": \"Linköping\"},"
                  " {\"member_id\": \"1814\", \"member_title\": \"Lekeberg\"},"
                  " {\"id\": \"0005\"}, {\"member_id\": 5}, {\"member_id\": \"682\"},"
                  " {\"member_id\": \"2084\"}]}]}",
                  NULL, &err),
        0);
    /* 2084 is no area of this run: load infers it, as it does for any id it meets first. */
    assert_int_equal(f->source.counts.rows_written, 4);
    assert_int_equal(f->source.counts.rows_rejected, 3);
    char *members = finish_and_read(f, "area_group_member.copy");
    assert_string_equal(members, "G114418\t0580\nG114418\t1814\nG114418\t2084\n");
    char *rejects = finish_and_read(f, "rejects.jsonl");
    assert_non_null(strstr(rejects, "values[0]: group G114418, members[2]: a member without "
                                    "\\\"member_id\\\""));
    assert_non_null(strstr(rejects, "values[0]: group G114418, members[3]: expected "
                                    "\\\"member_id\\\" to be a string"));
    assert_non_null(strstr(rejects, "values[0]: group G114418, members[4]: \\\"member_id\\\" "
                                    "\\\"682\\\" is not an area code"));
    free(members);
    free(rejects);
}

/*
 * A KPI group's members are KPIs, kept with their own titles whether or not
 * the run has their metadata; a bad member is rejected on its own, and a
 * group whose text holds a personal number is not kept at all.
 */
static void kpi_groups_are_kept_with_their_members(void **state)
{
    fixture *f = *state;
    nk_error err = { 0 };

    load_metadata(f);
    f->source.counts = (transform_counts){ 0 };
    assert_int_equal(
        read_page(f,
                  "{\"values\": [{\"id\": \"G2KPI110013\", \"title\": \"Äldreomsorg\","
                  " \"members\": [{\"member_id\": \"N00945\", \"member_title\": \"Kostnad\"},"
                  " {\"member_id\": \"N99999\", \"member_title\": \"Okänd\"},"
                  " {\"member_id\": \"N 1\"}, {\"member_title\": \"utan id\"},"
                  " {\"member_id\": \"U00200\"}]},"
                  " {\"id\": \"G2KPI2\", \"title\": \"Tom\", \"members\": []},"
                  " {\"id\": \"G2KPI3\", \"title\": \"Fall 19121212-1212\","
                  " \"members\": [{\"member_id\": \"N00945\"}]}]}",
                  NULL, &err),
        0);
    /* Two groups and three members written; two members and the third group rejected. */
    assert_int_equal(f->source.counts.rows_written, 5);
    assert_int_equal(f->source.counts.rows_rejected, 3);
    char *groups = finish_and_read(f, "dim_kpi_group.copy");
    assert_string_equal(groups, "G2KPI110013\tÄldreomsorg\nG2KPI2\tTom\n");
    char *members = finish_and_read(f, "kpi_group_member.copy");
    assert_string_equal(members, "G2KPI110013\tN00945\tKostnad\nG2KPI110013\tN99999\tOkänd\n"
                                 "G2KPI110013\tU00200\t\\N\n");
    char *rejects = finish_and_read(f, "rejects.jsonl");
    assert_non_null(strstr(rejects, "values[0]: group G2KPI110013, members[2]: KPI id "
                                    "\\\"N 1\\\": expected only letters, digits"));
    assert_non_null(strstr(rejects, "values[0]: group G2KPI110013, members[3]: a member "
                                    "without \\\"member_id\\\""));
    assert_non_null(strstr(rejects, "values[2]: \\\"title\\\" holds a personal identity number"));
    assert_null(strstr(rejects, "19121212"));
    free(groups);
    free(members);
    free(rejects);
}

/* A value of another kind than its page's is rejected as what it is, not read as one. */
static void strangers_in_a_page_are_rejected(void **state)
{
    fixture *f = *state;
    nk_error err = { 0 };

    assert_int_equal(
        read_page(f,
                  "{\"values\": [{\"id\": \"N1\", \"title\": \"t\", \"operating_area\": \"a\"},"
                  " {\"id\": \"0580\", \"title\": \"Linköping\", \"type\": \"K\"},"
                  " {\"id\": \"N2\", \"title\": \"t\"}]}",
                  NULL, &err),
        0);
    assert_int_equal(f->source.counts.rows_written, 1);
    char *rejects = finish_and_read(f, "rejects.jsonl");
    assert_non_null(strstr(rejects, "values[1]: expected a KPI (what this page holds), "
                                    "found an area"));
    assert_non_null(strstr(rejects, "values[2]: expected a KPI (what this page holds), "
                                    "found a value whose keys match no Kolada shape"));
    free(rejects);
}

/* A group without member ids, or a page whose values give no row, is an error. */
static void pages_that_would_load_nothing_fail(void **state)
{
    fixture *f = *state;
    nk_error err = { 0 };

    load_metadata(f);
    assert_int_equal(
        read_page(f, "{\"values\": [{\"id\": \"G1\", \"members\": [{\"id\": \"0580\"}]}]}", NULL,
                  &err),
        -1);
    assert_non_null(strstr(err.message, "values[0]: a group whose first member has no "
                                        "\"member_id\""));
    nk_error_clear(&err);
    f->source.counts = (transform_counts){ 0 };
    assert_int_equal(read_page(f,
                               "{\"values\": [{\"kpi\": \"N15428\", \"municipality\": \"0580\","
                               " \"period\": 2023, \"values\": []}]}",
                               "data", &err),
                     -1);
    assert_non_null(strstr(err.message, "1 value(s) in the page but not one row read"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(areas_get_county_and_region, setup, teardown),
        cmocka_unit_test_setup_teardown(v3_values_keep_null_count_and_status, setup, teardown),
        cmocka_unit_test_setup_teardown(v2_string_periods_and_deletions, setup, teardown),
        cmocka_unit_test_setup_teardown(unusable_values_are_rejected_with_reasons, setup, teardown),
        cmocka_unit_test(shapes_are_recognised_without_an_endpoint),
        cmocka_unit_test_setup_teardown(renamed_kpi_fields_are_read_under_both_names, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(group_members_are_read_by_member_id, setup, teardown),
        cmocka_unit_test_setup_teardown(kpi_groups_are_kept_with_their_members, setup, teardown),
        cmocka_unit_test_setup_teardown(strangers_in_a_page_are_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(pages_that_would_load_nothing_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(a_file_that_is_not_a_page_fails, setup, teardown),
    };
    return cmocka_run_group_tests_name("Kolada page reader", tests, NULL, NULL);
}
