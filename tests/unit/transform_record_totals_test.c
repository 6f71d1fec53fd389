/*
 * transform_record_totals_test.c: what a row-level export is added up with
 * (transform/exports/record_totals.c, transform/cells/person_hash.c): one person in every
 * form of their number is one hash and counted once per figure, a year's
 * distinct people are not its months' sum, sums and missing values, groups
 * found again by key across growth; and measures found by a header that
 * carries a unit (transform/exports/export_mapping.c).  Numbers are the Tax
 * Agency's test numbers and numbers built with a correct check digit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "transform/exports/export_mapping.h"
#include "transform/cells/person_hash.h"
#include "transform/exports/record_totals.h"

static transform_person person(const char *number)
{
    transform_person p;

    assert_int_equal(transform_person_of(number, strlen(number), &p), 0);
    return p;
}

static void test_one_person_in_every_form(void **state)
{
    transform_person a = person("121212-1212"), b = person("191212121212");
    transform_person c = person("19121212-1212"), d = person("811218-9876");
    transform_person none;

    (void)state;
    assert_memory_equal(&a, &b, sizeof a);
    assert_memory_equal(&a, &c, sizeof a);
    assert_memory_not_equal(&a, &d, sizeof a);
    assert_int_equal(transform_person_of("121212-1213", 11, &none), -1);
    assert_int_equal(transform_person_of("", 0, &none), -1);
    assert_int_equal(transform_person_of("Ring 121212-1212", 16, &none), -1);
}

/* Two months of one person and one of another: 2 in the year, not 1 + 2. */
static void test_distinct_people_per_figure(void **state)
{
    transform_totals *t = transform_totals_new(2);
    transform_person a = person("121212-1212"), b = person("811218-9876");
    int is_new;
    double value;

    (void)state;
    long january = transform_totals_group(t,
                                          "u\x1f"
                                          "2022-01",
                                          &is_new);
    assert_true(is_new);
    long february = transform_totals_group(t,
                                           "u\x1f"
                                           "2022-02",
                                           &is_new);
    long year = transform_totals_group(t,
                                       "u\x1f"
                                       "2022",
                                       &is_new);
    assert_int_equal(transform_totals_group(t,
                                            "u\x1f"
                                            "2022-01",
                                            &is_new),
                     january);
    assert_false(is_new);
    assert_int_equal(transform_totals_person(t, january, 0, &a), 0);
    assert_int_equal(transform_totals_person(t, january, 0, &a), 0);
    assert_int_equal(transform_totals_person(t, year, 0, &a), 0);
    assert_int_equal(transform_totals_person(t, february, 0, &a), 0);
    assert_int_equal(transform_totals_person(t, february, 0, &b), 0);
    assert_int_equal(transform_totals_person(t, year, 0, &b), 0);
    assert_int_equal(transform_totals_figure(t, january, 0, &value), TRANSFORM_FIGURE_VALUE);
    assert_true(value == 1);
    assert_int_equal(transform_totals_figure(t, february, 0, &value), TRANSFORM_FIGURE_VALUE);
    assert_true(value == 2);
    assert_int_equal(transform_totals_figure(t, year, 0, &value), TRANSFORM_FIGURE_VALUE);
    assert_true(value == 2);
    assert_int_equal(transform_totals_figure(t, year, 1, &value), TRANSFORM_FIGURE_NONE);
    transform_totals_free(t);
}

static void test_sums_and_missing_values(void **state)
{
    transform_totals *t = transform_totals_new(1);
    int is_new;
    double value;

    (void)state;
    long g = transform_totals_group(t, "a", &is_new);
    transform_totals_add(t, g, 0, 0, 1);
    assert_int_equal(transform_totals_figure(t, g, 0, &value), TRANSFORM_FIGURE_MISSING);
    transform_totals_add(t, g, 0, 8, 0);
    transform_totals_add(t, g, 0, 0, 1);
    transform_totals_add(t, g, 0, 9.5, 0);
    assert_int_equal(transform_totals_figure(t, g, 0, &value), TRANSFORM_FIGURE_VALUE);
    assert_true(value == 17.5);
    transform_totals_free(t);
}

/* Thousands of groups and people: every group found again after the tables grew. */
static void test_many_groups_and_people(void **state)
{
    transform_totals *t = transform_totals_new(1);
    char key[32], number[16];
    int is_new;
    double value;

    (void)state;
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "g%d", i % 1000);
        long g = transform_totals_group(t, key, &is_new);
        assert_int_equal(is_new, i < 1000);
        /* Born 1 January, serial i: YYMMDD NNN and its check digit by brute force. */
        for (int check = 0; check < 10; check++) {
            snprintf(number, sizeof number, "800101%03d%d", i % 1000, check);
            transform_person p;
            if (transform_person_of(number, 10, &p) == 0) {
                assert_int_equal(transform_totals_person(t, g, 0, &p), 0);
                break;
            }
        }
    }
    assert_int_equal(transform_totals_groups(t), 1000);
    for (long g = 0; g < 1000; g++) {
        assert_int_equal(transform_totals_figure(t, g, 0, &value), TRANSFORM_FIGURE_VALUE);
        assert_true(value == 1);
    }
    transform_totals_free(t);
}

static void test_measures_by_header_with_unit(void **state)
{
    json_t *measures = json_pack("{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}}", "kostnad", "title",
                                 "Kostnad", "unit", "kr", "varddygn", "title", "Vårddygn", "unit",
                                 "dygn", "belopp", "title", "Belopp", "unit", "tkr");
    transform_mapping m = { .measures = measures };
    transform_measure found;
    char reason[TRANSFORM_REASON_MAX];

    (void)state;
    assert_int_equal(transform_measure_of(&m, "Kostnad (kr)", &found, reason), 0);
    assert_string_equal(found.id, "kostnad");
    assert_int_equal(transform_measure_of(&m, "Kostnad (tkr)", &found, reason), 0);
    assert_int_equal(transform_measure_of(&m, "Belopp tkr", &found, reason), 0);
    assert_string_equal(found.id, "belopp");
    assert_int_equal(transform_measure_of(&m, "Vårddygn (antal)", &found, reason), 0);
    assert_string_equal(found.id, "varddygn");
    assert_int_equal(transform_measure_of(&m, "Vårddygn (dygn)", &found, reason), 0);
    assert_int_equal(transform_measure_of(&m, "Kostnad (%)", &found, reason), -2);
    assert_string_equal(reason, "header \"Kostnad (%)\" is in % but measure kostnad is in kr");
    assert_int_equal(transform_measure_of(&m, "Vårddygn (timmar)", &found, reason), -2);
    assert_int_equal(transform_measure_of(&m, "Kostnad per dygn", &found, reason), -1);
    assert_int_equal(transform_measure_of(&m, "Handläggare", &found, reason), -1);
    json_decref(measures);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_person_in_every_form),
        cmocka_unit_test(test_distinct_people_per_figure),
        cmocka_unit_test(test_sums_and_missing_values),
        cmocka_unit_test(test_many_groups_and_people),
        cmocka_unit_test(test_measures_by_header_with_unit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
