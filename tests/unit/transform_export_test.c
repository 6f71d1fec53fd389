/*
 * transform_export_test.c: internal exports end to end through
 * transform_export_read (transform/export.c) on the samples in
 * tests/data/exports/ (made by scripts/gen-export-samples.py): a
 * Windows-1252 finance export with a two-row header and total rows, its
 * UTF-8 successor, a case-system export in a zip with a personnummer column
 * to drop, the same export with a personnummer in a mapped column, and a
 * survey with municipality names spelled many ways, also as a workbook.
 *
 * Run from the repository root (as make does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "transform/staged/dimensions.h"
#include "transform/exports/export.h"
#include "transform/staged/rejects.h"
#include "transform/staged/tables.h"
#include "lib/base/files.h"
#include "lib/job/job.h"
#include "tests/unit/temp_dir.h"

#define DATA "tests/data/exports"

static const char job_template[] =
    "{\"name\": \"exports-test\",\n"
    " \"extract\": [\n"
    "  {\"name\": \"finance\", \"type\": \"files\", \"paths\": [\"%1$s/finance-*.csv\"],"
    "   \"mapping\": \"finance\"},\n"
    "  {\"name\": \"case\", \"type\": \"files\", \"paths\": [\"%1$s/case-monthly.zip\"],"
    "   \"members\": \"*.csv\", \"mapping\": \"case\"},\n"
    "  {\"name\": \"survey\", \"type\": \"files\", \"paths\": [\"%1$s/municipalities.csv\"],"
    "   \"mapping\": \"survey\"}\n"
    " ],\n"
    " \"transform\": {\n"
    "  \"municipalities\": \"%2$s/jobs/reference/municipalities.csv\",\n"
    "  \"mappings\": {\n"
    "   \"finance\": {\"files\": \"finance-*.csv\", \"encoding\": \"auto\", \"separator\": \";\","
    "    \"skip_lines\": 1, \"header_rows\": 2, \"layout\": \"wide\","
    "    \"header_roles\": [\"period\", \"scenario\"],"
    "    \"columns\": {\"administration\": \"Förvaltning\", \"service_area\": \"Verksamhet\","
    "                \"unit\": \"Enhet\"},"
    "    \"fill_down\": [\"Förvaltning\", \"Verksamhet\"],"
    "    \"constants\": {\"area\": \"Linköping\", \"measure\": \"nettokostnad\"},"
    "    \"measures\": {\"nettokostnad\": {\"title\": \"Nettokostnad\", \"unit\": \"tkr\"}}},\n"
    "   \"case\": {\"encoding\": \"utf-8\", \"layout\": \"wide\", \"header_roles\": [\"measure\"],"
    "    \"columns\": {\"unit\": \"Enhet\", \"period\": \"Period\"},"
    "    \"personal_numbers\": [\"Personnummer\"], \"constants\": {\"area\": \"0580\"},"
    "    \"org_units\": \"%1$s/org-units.csv\","
    "    \"measures\": {"
    "     \"placeringar\": {\"title\": \"Antal placeringar\", \"unit\": \"st\"},"
    "     \"varddygn\": {\"title\": \"Vårddygn\", \"unit\": \"dygn\"},"
    "     \"kostnad_per_dygn\": {\"title\": \"Kostnad per dygn\", \"unit\": \"kr/dygn\"},"
    "     \"beviljade_timmar\": {\"title\": \"Beviljade timmar\", \"unit\": \"timmar\"},"
    "     \"utforda_timmar\": {\"title\": \"Utförda timmar\", \"unit\": \"timmar\"}}},\n"
    "   \"survey\": {\"sheet\": \"Enkät\", \"columns\": {\"area\": \"Kommun\", \"period\": \"År\","
    "    \"value\": \"Andel nöjda %%\"}, \"constants\": {\"measure\": \"nojdhet\"},"
    "    \"measures\": {\"nojdhet\": {\"title\": \"Andel nöjda\", \"unit\": \"%%\"}}}\n"
    "  }\n"
    " }\n"
    "}\n";

typedef struct fixture {
    char dir[64];
    char root[4096];
    nk_job job;
    transform_context context;
    char *facts, *rejects, *ou, *measures, *periods;
} fixture;

static char *slurp(const char *path)
{
    FILE *file = fopen(path, "rb");
    char *text = calloc(1, 1 << 20);
    if (file) {
        size_t n = fread(text, 1, (1 << 20) - 1, file);
        text[n] = '\0';
        fclose(file);
    }
    return text;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char path[4200], data[4200];
    nk_error err = { 0 };
    FILE *job;

    assert_non_null(getcwd(f->root, sizeof f->root));
    assert_int_equal(temp_dir_make(f->dir, sizeof f->dir, "export"), 0);
    snprintf(data, sizeof data, "%s/%s", f->root, DATA);
    snprintf(path, sizeof path, "%s/job.json", f->dir);
    job = fopen(path, "w");
    fprintf(job, job_template, data, f->root);
    fclose(job);
    if (nk_job_load(&f->job, path, &err) < 0)
        fail_msg("%s", err.message);
    f->context.job = &f->job;
    f->context.tables = transform_tables_open(f->dir);
    snprintf(path, sizeof path, "%s/rejects.jsonl", f->dir);
    f->context.rejects = transform_rejects_open(path, &err);
    f->context.dimensions = json_object();
    f->context.unknown_keys = json_object();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    free(f->facts);
    free(f->rejects);
    free(f->ou);
    free(f->measures);
    free(f->periods);
    json_decref(f->context.dimensions);
    json_decref(f->context.unknown_keys);
    free(f->context.first_refusal);
    nk_job_free(&f->job);
    assert_int_equal(temp_dir_remove(f->dir), 0);
    free(f);
    return 0;
}

static const json_t *source_settings(const fixture *f, const char *name)
{
    size_t i;
    json_t *source;

    json_array_foreach (nk_job_section(&f->job, "extract"), i, source)
        if (strcmp(json_string_value(json_object_get(source, "name")), name) == 0)
            return source;
    return NULL;
}

/* The zip's one member, unpacked as extract would have stored it. */
static void unpack(const char *zip, const char *to)
{
    struct archive *a = archive_read_new();
    struct archive_entry *entry;
    char piece[4096];
    la_ssize_t n;
    FILE *out = fopen(to, "wb");

    archive_read_support_format_zip(a);
    assert_int_equal(archive_read_open_filename(a, zip, 4096), ARCHIVE_OK);
    assert_int_equal(archive_read_next_header(a, &entry), ARCHIVE_OK);
    while ((n = archive_read_data(a, piece, sizeof piece)) > 0)
        fwrite(piece, 1, (size_t)n, out);
    fclose(out);
    archive_read_free(a);
}

static transform_counts read_file(fixture *f, const char *source_name, const char *file,
                                  const char *member, long ref)
{
    char path[4300], uri[4400], raw[4300];
    transform_source source = { 0 };
    nk_error err = { 0 };

    snprintf(path, sizeof path, "%s/%s/%s", f->root, DATA, file);
    snprintf(uri, sizeof uri, "file://%s%s%s", path, member ? "#" : "", member ? member : "");
    snprintf(raw, sizeof raw, "%s", path);
    if (member) {
        snprintf(raw, sizeof raw, "%s/%ld.csv", f->dir, ref);
        unpack(path, raw);
    }
    source.path = raw;
    source.uri = uri;
    source.source = source_name;
    source.settings = source_settings(f, source_name);
    source.source_ref = ref;
    if (transform_export_read(&f->context, &source, &err) < 0)
        fail_msg("%s", err.message);
    json_decref(source.warnings); /* columns mapped to nothing: case_rows.test.sh checks them */
    return source.counts;
}

static void finish(fixture *f)
{
    char path[128];
    nk_error err = { 0 };
    json_t *tables;

    if (transform_dimensions_write(&f->context, &err) < 0)
        fail_msg("%s", err.message);
    tables = transform_tables_close(f->context.tables, &err);
    assert_non_null(tables);
    json_decref(tables);
    assert_int_equal(transform_rejects_close(f->context.rejects, &err), 0);
    snprintf(path, sizeof path, "%s/fact_internal_value.copy", f->dir);
    f->facts = slurp(path);
    snprintf(path, sizeof path, "%s/rejects.jsonl", f->dir);
    f->rejects = slurp(path);
    snprintf(path, sizeof path, "%s/dim_ou.copy", f->dir);
    f->ou = slurp(path);
    snprintf(path, sizeof path, "%s/dim_measure.copy", f->dir);
    f->measures = slurp(path);
    snprintf(path, sizeof path, "%s/dim_period.copy", f->dir);
    f->periods = slurp(path);
}

/* How often needle occurs in text (each reject line holds a reason once). */
static int count_lines(const char *text, const char *needle)
{
    int n = 0;

    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void assert_counts(transform_counts c, uint64_t read, uint64_t written, uint64_t rejected)
{
    assert_int_equal(c.rows_read, read);
    assert_int_equal(c.rows_written, written);
    assert_int_equal(c.rows_rejected, rejected);
}

#define HTN "0580/socialförvaltningen/äldreomsorg/hemtjänst norr"

static void test_finance_exports(void **state)
{
    fixture *f = *state;

    /* 5 units x budget, forecast, outcome; the total rows are not data. */
    assert_counts(read_file(f, "finance", "finance-2023.csv", NULL, 1), 15, 15, 0);
    /* 10 cells: one in mnkr, one missing (".."), one broken ("-28,4,5"). */
    assert_counts(read_file(f, "finance", "finance-2024.csv", NULL, 2), 10, 9, 1);
    finish(f);

    assert_non_null(strstr(f->facts, "nettokostnad\t" HTN "\t2023\tbudget\t-41250\t1\tall\tf\n"));
    assert_non_null(strstr(f->facts,
                           "nettokostnad\t" HTN "\t2023\tforecast\t-42528.8\t1\tall\tf\n"));
    assert_non_null(strstr(f->facts,
                           "nettokostnad\t" HTN "\t2023\toutcome\t-42363.8\t1\tall\tf\n"));
    /* "Barn och unga" has blank Förvaltning and Verksamhet cells: filled from above. */
    assert_non_null(strstr(f->facts,
                           "nettokostnad\t0580/socialförvaltningen/individ- och "
                           "familjeomsorg/barn och unga\t2023\tbudget\t-28400\t1\tall\tf\n"));
    /* U+2212 and U+202F in UTF-8, and mnkr converted into the measure's tkr. */
    assert_non_null(strstr(f->facts, "nettokostnad\t" HTN "\t2024\tbudget\t-42900\t2\tall\tf\n"));
    assert_non_null(strstr(f->facts, "nettokostnad\t" HTN "\t2024\tforecast\t-44200\t2\tall\tf\n"));
    assert_non_null(strstr(f->facts, "\t2024\tforecast\t\\N\t2\tall\tf\n"));
    assert_int_equal(count_lines(f->facts, "totalt"), 0);
    assert_int_equal(count_lines(f->rejects, "occurs twice"), 1);
    assert_non_null(strstr(f->rejects, "\"line\":8,\"column\":5,"));
    assert_non_null(strstr(f->rejects, "\"raw\":\"-28,4,5\""));
    /* The hierarchy: administration, service area, unit. */
    assert_non_null(strstr(f->ou, HTN "\t0580\tHemtjänst Norr"));
    assert_non_null(strstr(f->ou, "0580/socialförvaltningen\t0580\tSocialförvaltningen"));
    assert_non_null(strstr(f->measures, "nettokostnad\tNettokostnad\ttkr\n"));
    assert_non_null(strstr(f->periods, "2024\tyear\t2024\t2024-01-01\t2024-12-31\n"));
}

static void test_case_export(void **state)
{
    fixture *f = *state;

    /* 19 values written; "2019-13", an unknown unit and a unit given twice rejected, 3 each. */
    assert_counts(read_file(f, "case", "case-monthly.zip", "export/placeringar-2019-01.csv", 3), 28,
                  19, 9);
    finish(f);

    assert_non_null(strstr(f->facts,
                           "beviljade_timmar\tSOC-HTN\t2018-12\toutcome\t4210\t3\tall\tf\n"));
    assert_non_null(strstr(f->facts,
                           "utforda_timmar\tSOC-HTN\t2018-12\toutcome\t3980.5\t3\tall\tf\n"));
    assert_non_null(strstr(f->facts,
                           "kostnad_per_dygn\tSOC-BIS\t2018-12\toutcome\t3500\t3\tall\tf\n"));
    /* Bistånd and HSL (Hälsa och sjukvård) merged in 2019: later rows land on the new unit. */
    assert_non_null(strstr(f->facts, "placeringar\tSOC-BHS\t2019-01\toutcome\t15\t3\tall\tf\n"));
    assert_non_null(strstr(f->facts,
                           "kostnad_per_dygn\tSOC-BHS\t2019-02\toutcome\t4180\t3\tall\tf\n"));
    /* "Biståndsenheten" is Bistånd again, for the same month: the later rows are rejected. */
    assert_int_equal(count_lines(f->rejects, "\"line\":8,"), 3);
    assert_int_equal(count_lines(f->rejects, "line 5 already gave"), 3);
    assert_non_null(strstr(f->facts, "placeringar\tSOC-HS\t2018-12\toutcome\t3\t3\tall\tf\n"));
    assert_int_equal(count_lines(f->rejects, "month 13"), 3);
    assert_int_equal(count_lines(f->rejects, "unit \\\"Ok\\u00E4nd enhet\\\" is not in the "
                                             "org-unit file"),
                     3);
    assert_non_null(strstr(f->periods, "2019-01\tmonth\t2019\t2019-01-01\t2019-01-31\n"));
    assert_non_null(strstr(f->ou, "SOC-BHS\t0580\tBistånd och hälsa"));
    /* The personnummer column and the free-text column are nowhere. */
    assert_null(strstr(f->facts, "121212"));
    assert_null(strstr(f->facts, "811218"));
    assert_null(strstr(f->rejects, "121212"));
    assert_null(strstr(f->ou, "121212"));
    assert_null(strstr(f->rejects, "Ny rutin"));
    assert_null(strstr(f->facts, "Ny rutin"));
}

static void test_case_export_leak(void **state)
{
    fixture *f = *state;

    /* Ten data rows, all rejected; nothing of the file is written. */
    assert_counts(read_file(f, "case", "case-monthly-leak.zip", "export/placeringar-2019-01.csv",
                            4),
                  10, 0, 10);
    finish(f);
    assert_string_equal(f->facts, "");
    assert_int_equal(count_lines(f->rejects, "file rejected whole: column 1 \\\"Enhet\\\" "
                                             "(mapped as unit) holds a personal identity number "
                                             "on line 6"),
                     10);
    assert_int_equal(count_lines(f->rejects, "\"raw\":null"), 10);
    assert_null(strstr(f->rejects, "1212"));
}

static void test_municipality_names(void **state)
{
    fixture *f = *state;

    assert_counts(read_file(f, "survey", "municipalities.csv", NULL, 5), 7, 6, 1);
    finish(f);
    assert_non_null(strstr(f->facts, "nojdhet\t0580\t2023\toutcome\t84.1\t5\tall\tf\n"));
    assert_non_null(strstr(f->facts, "nojdhet\t0580\t2022\toutcome\t83\t5\tall\tf\n"));
    assert_non_null(strstr(f->facts, "nojdhet\t0580\t2021\toutcome\t82.4\t5\tall\tf\n"));
    assert_non_null(strstr(f->facts, "nojdhet\t0581\t2023\toutcome\t79.9\t5\tall\tf\n"));
    assert_non_null(strstr(f->facts, "nojdhet\t0180\t2023\toutcome\t77.5\t5\tall\tf\n"));
    assert_non_null(strstr(f->facts, "nojdhet\t0583\t2023\toutcome\t\\N\t5\tall\tf\n"));
    assert_non_null(strstr(f->rejects, "unknown municipality \\\"Ankeborg\\\""));
    assert_non_null(strstr(f->measures, "nojdhet\tAndel nöjda\t%\n"));
}

/* The same survey as a workbook: numbers as Excel stores them, whatever the decimal mark. */
static void test_survey_workbook(void **state)
{
    fixture *f = *state;

    assert_counts(read_file(f, "survey", "survey.xlsx", NULL, 6), 3, 3, 0);
    finish(f);
    assert_non_null(strstr(f->facts, "nojdhet\t0580\t2023\toutcome\t84.1\t6\tall\tf\n"));
    assert_non_null(strstr(f->facts, "nojdhet\t0581\t2023\toutcome\t77.125\t6\tall\tf\n"));
    assert_non_null(strstr(f->facts, "nojdhet\t0580\t2020\toutcome\t\\N\t6\tall\tf\n"));
}

/*
 * A file read with the wrong mapping (a misspelt header, a file the mapping
 * does not want) loses every row, and every row counts as a reject: one
 * reject for the whole file would let a large loss pass as a small one.
 */
static void test_whole_file_counts(void **state)
{
    fixture *f = *state;
    json_t *reasons;

    assert_counts(read_file(f, "survey", "finance-2023.csv", NULL, 8), 10, 0, 10);
    assert_counts(read_file(f, "finance", "municipalities.csv", NULL, 9), 5, 0, 5);
    reasons = transform_rejects_reasons(f->context.rejects, 5);
    assert_int_equal(json_array_size(reasons), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(reasons, 0), "rows")), 10);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(reasons, 0), "line")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(reasons, 1), "rows")), 5);
    json_decref(reasons);
    finish(f);
    assert_int_equal(count_lines(f->rejects, "header: no column named \\\"Kommun\\\""), 10);
    assert_int_equal(count_lines(f->rejects, "matches none of mapping"), 5);
    assert_int_equal(count_lines(f->rejects, "\"raw\":null"), 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_finance_exports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_export_leak, setup, teardown),
        cmocka_unit_test_setup_teardown(test_municipality_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_survey_workbook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_whole_file_counts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
