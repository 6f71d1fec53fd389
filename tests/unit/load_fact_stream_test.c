/*
 * load_fact_stream_test.c: the Kolada values as nyckel-load reads them on
 * their way to the server: rows found whatever pieces the file arrives in,
 * the distinct ids noted, and a bad row named by its line, the same in
 * every piece size.  (Rewriting rows for a first load needs a server; the
 * load_first integration test covers it.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/base/exit_codes.h"
#include "load/marts/id_index.h"
#include "load/load.h"

/* The file's columns in an order of its own: the stream finds them by name. */
static load_staged staged_values(void)
{
    load_staged staged;
    const char *order[] = { "source_ref", "kpi_id", "area_id",     "period_id",
                            "gender",     "value",  "value_count", "status" };
    const load_table_spec *spec = load_table_spec_find("fact_kpi_value");

    memset(&staged, 0, sizeof staged);
    staged.spec = spec;
    staged.path = "run/transform/fact_kpi_value.copy";
    for (size_t i = 0; i < 8; i++)
        for (size_t r = 0; spec->required[r]; r++)
            if (strcmp(spec->required[r], order[i]) == 0)
                staged.columns[staged.column_count++] = spec->required[r];
    return staged;
}

static const char good_rows[] =
    "s1\tN00001\t0180\t2022\tT\t1.5\t1\t\\N\n"
    "s1\tN00001\t0180\t2022\tK\t\\N\t\\N\t\\N\n"
    "s2\tN00001\t0182\t2023\tT\t2\t1\tpreliminary\n"
    "s2\tN00002\t0180\t2022\tT\t3\t1\t\\N\n"
    "s2\tN00002\t018000\t2022\tT\t3\t1\t\\N\n" /* longer than the id before it */
    "s1\tN00002\tG1\\tX\t2022\tT\t4\t1\t\\N";  /* an escaped tab in the id; no newline at the end */

/* Feed text in pieces of size piece (0: whole) and end; the result of the first failure. */
static int feed(load_fact_stream *stream, const char *text, size_t piece, nk_error *err)
{
    size_t size = strlen(text), done = 0;

    nk_error_clear(err);
    if (piece == 0)
        piece = size;
    while (done < size) {
        size_t n = size - done < piece ? size - done : piece;
        if (load_fact_stream_feed(stream, NULL, text + done, n, err) < 0)
            return -1;
        done += n;
    }
    return load_fact_stream_end(stream, NULL, err);
}

static void assert_noted(const load_fact_stream *stream, const char *column,
                         const char *const *expected, size_t count)
{
    const id_index *ids = load_fact_stream_noted(stream, column);

    assert_non_null(ids);
    assert_int_equal(ids->count, count);
    for (size_t i = 0; i < count; i++)
        assert_string_equal(ids->text[i], expected[i]);
}

static void test_ids_noted_in_any_pieces(void **state)
{
    load_staged staged = staged_values();
    nk_error err;

    (void)state;
    for (size_t piece = 0; piece <= 9; piece++) {
        load_fact_stream *stream = load_fact_stream_new(&staged, &err);
        assert_non_null(stream);
        if (feed(stream, good_rows, piece, &err) < 0)
            fail_msg("pieces of %zu: %s", piece, err.message);
        assert_noted(stream, "kpi_id", (const char *const[]){ "N00001", "N00002" }, 2);
        assert_noted(stream, "area_id", (const char *const[]){ "0180", "0182", "018000", "G1\\tX" },
                     4);
        assert_noted(stream, "period_id", (const char *const[]){ "2022", "2023" }, 2);
        assert_noted(stream, "source_ref", (const char *const[]){ "s1", "s2" }, 2);
        assert_null(load_fact_stream_noted(stream, "gender"));
        load_fact_stream_free(stream);
    }
}

static void expect_bad(const char *rows, const char *message)
{
    load_staged staged = staged_values();
    nk_error err;

    for (size_t piece = 0; piece <= 9; piece++) {
        load_fact_stream *stream = load_fact_stream_new(&staged, &err);
        assert_non_null(stream);
        assert_int_equal(feed(stream, rows, piece, &err), -1);
        assert_int_equal(err.exit_code, NK_EXIT_DATA);
        if (strstr(err.message, message) == NULL)
            fail_msg("pieces of %zu: expected \"%s\" in \"%s\"", piece, message, err.message);
        load_fact_stream_free(stream);
    }
}

static void test_bad_rows_named_by_line(void **state)
{
    (void)state;
    expect_bad("s1\tN1\t0180\t2022\tT\t1\t1\t\\N\ns1\tN1\t\\N\t2022\tT\t1\t1\t\\N\n",
               "run/transform/fact_kpi_value.copy line 2: area_id is empty (\\N)");
    expect_bad("s1\tN1\t0180\t2022\tT\t1\t1\t\\N\ns1\tN1\t0180\t2022\t\\N\t1\t1\t\\N",
               "line 2: gender is empty");
    expect_bad("s1\tN1\t0180\t2022\tT\t1\t1\n", "line 1: expected 8 tab-separated fields, found 7");
    expect_bad("s1\tN1\t0180\t2022\tT\t1\t1\t\\N\n\n",
               "line 2: expected 8 tab-separated fields, found 1");
    expect_bad("s1\tN1\t0180\t2022\tT\t1\t1\t\\N\t\t\t\t\t\t\t\t\t\t\n",
               "line 1: expected 8 tab-separated fields, found more than 16");
    expect_bad("\\N\tN1\t0180\t2022\tT\t1\t1\t\\N\n", "line 1: source_ref is empty");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_noted_in_any_pieces),
        cmocka_unit_test(test_bad_rows_named_by_line),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
