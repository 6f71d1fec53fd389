/*
 * json_locate_test.c: unit tests of lib/job/json_locate.c on text nobody has
 * parsed: transform sniffs the first value of raw pages with nk_json_span
 * before jansson sees them, so a page cut anywhere, even inside a string
 * right after a backslash, must be answered from within its bytes.  The
 * text is copied into a buffer of exactly its length, so that a read past
 * the end fails under `make check-sanitize` (found by tests/fuzz/fuzz_job).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/job/json_locate.h"

static const char page[] =
    "{\"count\": 1, \"values\": [{\"k\\\"pi\": 0, \"kpi\": \"N00945\", \"municipality\": \"0580\","
    " \"period\": 2023, \"values\": [{\"gender\": \"T\", \"value\": 74.1}]}]}";

/* A heap copy of the first length bytes, with nothing after them. */
static char *exact_copy(const char *text, size_t length)
{
    char *copy = malloc(length ? length : 1);

    assert_non_null(copy);
    memcpy(copy, text, length);
    return copy;
}

static void every_cut_of_a_page_stays_inside_it(void **state)
{
    (void)state;
    for (size_t length = 0; length <= strlen(page); length++) {
        char *text = exact_copy(page, length);
        size_t start = 0, end = 0;
        int line, column;

        if (nk_json_span(text, length, "values[0]", &start, &end) == 0)
            assert_true(start < end && end <= length);
        if (nk_json_locate(text, length, "values[0].kpi", &line, &column) == 0)
            assert_true(line == 1 && column >= 1 && (size_t)column <= length + 1);
        free(text);
    }
}

static void the_whole_page_is_found(void **state)
{
    size_t start, end;
    int line, column;

    (void)state;
    assert_int_equal(nk_json_span(page, strlen(page), "values[0]", &start, &end), 0);
    assert_int_equal(page[start], '{');
    assert_int_equal(page[end - 1], '}');
    assert_int_equal(nk_json_locate(page, strlen(page), "values[0].kpi", &line, &column), 0);
    assert_int_equal(column, (int)(strstr(page, "\"N00945\"") - page) + 1);
}

static void a_key_cut_after_a_backslash_is_not_there(void **state)
{
    /* {"k\ : the key's escape runs into the end of the text. */
    size_t length = strlen("{\"values\": [{\"k\\");
    char *text = exact_copy("{\"values\": [{\"k\\\"pi\": 1}]}", length);
    size_t start, end;

    (void)state;
    assert_int_equal(nk_json_span(text, length, "values[0].kpi", &start, &end), -1);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_cut_of_a_page_stays_inside_it),
        cmocka_unit_test(the_whole_page_is_found),
        cmocka_unit_test(a_key_cut_after_a_backslash_is_not_there),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
