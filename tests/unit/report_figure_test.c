/*
 * report_figure_test.c: unit tests of the report's figures (report/figure.c):
 * the marts' numeric text is grouped and marked for Swedish and English
 * without being rounded, differences carry their sign, and counts of 1-4
 * people are never shown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "report/figure.h"

#define NBSP "\xc2\xa0"
#define MINUS "\xe2\x88\x92"

static void expect(const char *text, report_lang lang, unsigned flags, const char *shown)
{
    char out[NUMBER_MAX];

    report_number(out, sizeof out, text, lang, flags);
    assert_string_equal(out, shown);
}

static void swedish_groups_thousands_and_marks_decimals(void **state)
{
    (void)state;
    expect("194771", REPORT_SV, 0, "194" NBSP "771");
    expect("5817", REPORT_SV, 0, "5" NBSP "817");
    expect("1234567.125", REPORT_SV, 0, "1" NBSP "234" NBSP "567,125");
    expect("10.3", REPORT_SV, 0, "10,3");
    expect("0.9", REPORT_SV, 0, "0,9");
    expect("-49990", REPORT_SV, 0, MINUS "49" NBSP "990");
}

static void english_uses_commas_and_points(void **state)
{
    (void)state;
    expect("194771", REPORT_EN, 0, "194,771");
    expect("-3.8", REPORT_EN, 0, MINUS "3.8");
}

static void a_difference_carries_its_sign_and_zero_none(void **state)
{
    (void)state;
    expect("1.4", REPORT_SV, NUMBER_SIGNED, "+1,4");
    expect("-5.0", REPORT_SV, NUMBER_SIGNED, MINUS "5,0");
    expect("0.0", REPORT_SV, NUMBER_SIGNED, "0,0");
    expect("-0", REPORT_SV, NUMBER_SIGNED, "0");
}

static void small_counts_are_suppressed(void **state)
{
    (void)state;
    char out[NUMBER_MAX];

    assert_int_equal(report_number(out, sizeof out, "3", REPORT_SV, NUMBER_COUNT), 1);
    assert_string_equal(out, "&lt;5");
    assert_int_equal(report_number(out, sizeof out, "1", REPORT_SV, NUMBER_COUNT), 1);
    assert_int_equal(report_number(out, sizeof out, "4.5", REPORT_SV, NUMBER_COUNT), 1);
    expect("5", REPORT_SV, NUMBER_COUNT, "5");
    expect("0", REPORT_SV, NUMBER_COUNT, "0");
    expect("14", REPORT_SV, NUMBER_COUNT, "14");
    /* Not a count: a share of 3 % is shown. */
    expect("3", REPORT_SV, 0, "3");
    assert_true(report_is_count_unit("antal"));
    assert_true(report_is_count_unit("St"));
    assert_false(report_is_count_unit("%"));
    assert_false(report_is_count_unit("kr/inv 80+"));
}

static void other_text_is_copied(void **state)
{
    (void)state;
    expect("NaN", REPORT_SV, 0, "NaN");
    expect("Infinity", REPORT_EN, NUMBER_SIGNED, "Infinity");
}

static void axis_figures_from_doubles(void **state)
{
    (void)state;
    char out[NUMBER_MAX];

    report_number_from(out, sizeof out, 250000, 0, REPORT_SV);
    assert_string_equal(out, "250" NBSP "000");
    report_number_from(out, sizeof out, 2.5, 1, REPORT_SV);
    assert_string_equal(out, "2,5");
    report_number_from(out, sizeof out, -0.0000001, 1, REPORT_SV);
    assert_string_equal(out, "0,0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(swedish_groups_thousands_and_marks_decimals),
        cmocka_unit_test(english_uses_commas_and_points),
        cmocka_unit_test(a_difference_carries_its_sign_and_zero_none),
        cmocka_unit_test(small_counts_are_suppressed),
        cmocka_unit_test(other_text_is_copied),
        cmocka_unit_test(axis_figures_from_doubles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
