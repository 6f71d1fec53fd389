/*
 * transform_period_test.c: period texts (transform/cells/period.c), one table row
 * per form seen in municipal exports, and the impossible ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "transform/cells/period.h"

typedef struct period_case {
    const char *text;
    int context_year;
    const char *id; /* NULL: an error is expected */
    const char *granularity;
    int first_month, last_month;
    const char *reason; /* a piece of the reason when an error is expected */
} period_case;

static const period_case cases[] = {
    { "2019", 0, "2019", "year", 1, 12, NULL },
    { " 2019 ", 0, "2019", "year", 1, 12, NULL },
    { "2022-03", 0, "2022-03", "month", 3, 3, NULL },
    { "2022-3", 0, "2022-03", "month", 3, 3, NULL },
    { "202203", 0, "2022-03", "month", 3, 3, NULL },
    { "mars 2022", 0, "2022-03", "month", 3, 3, NULL },
    { "MARS 2022", 0, "2022-03", "month", 3, 3, NULL },
    { "Mar 2022", 0, "2022-03", "month", 3, 3, NULL },
    { "okt. 2022", 0, "2022-10", "month", 10, 10, NULL },
    { "sept 2022", 0, "2022-09", "month", 9, 9, NULL },
    { "September 2022", 0, "2022-09", "month", 9, 9, NULL },
    { "maj", 2021, "2021-05", "month", 5, 5, NULL },
    { "december", 2021, "2021-12", "month", 12, 12, NULL },
    { "jan\xE2\x80\x93okt 2019", 0, "2019-01..2019-10", "range", 1, 10, NULL },
    { "jan-okt 2019", 0, "2019-01..2019-10", "range", 1, 10, NULL },
    { "januari \xE2\x80\x93 oktober 2019", 0, "2019-01..2019-10", "range", 1, 10, NULL },
    { "jan-mar 2021", 0, "2021-Q1", "quarter", 1, 3, NULL },
    { "jul-dec 2021", 0, "2021-H2", "half_year", 7, 12, NULL },
    { "jan-dec 2021", 0, "2021", "year", 1, 12, NULL },
    { "feb-apr", 2020, "2020-02..2020-04", "range", 2, 4, NULL },
    { "Q2 2020", 0, "2020-Q2", "quarter", 4, 6, NULL },
    { "q4 2020", 0, "2020-Q4", "quarter", 10, 12, NULL },
    { "2020-Q2", 0, "2020-Q2", "quarter", 4, 6, NULL },
    { "2020Q3", 0, "2020-Q3", "quarter", 7, 9, NULL },
    { "Q2", 2020, "2020-Q2", "quarter", 4, 6, NULL },
    { "kvartal 1 2023", 0, "2023-Q1", "quarter", 1, 3, NULL },
    { "första halvåret 2021", 0, "2021-H1", "half_year", 1, 6, NULL },
    { "Första halvåret 2021", 0, "2021-H1", "half_year", 1, 6, NULL },
    { "FÖRSTA HALVÅRET 2021", 0, "2021-H1", "half_year", 1, 6, NULL },
    { "andra halvåret", 2021, "2021-H2", "half_year", 7, 12, NULL },
    { "2021-H1", 0, "2021-H1", "half_year", 1, 6, NULL },
    { "H2 2021", 0, "2021-H2", "half_year", 7, 12, NULL },
    { "Vår 2021", 0, "2021-H1", "half_year", 1, 6, NULL },
    { "VÅR 2021", 0, "2021-H1", "half_year", 1, 6, NULL },
    { "Höst 2021", 0, "2021-H2", "half_year", 7, 12, NULL },
    { "hösten", 2022, "2022-H2", "half_year", 7, 12, NULL },
    { "helår 2021", 0, "2021", "year", 1, 12, NULL },
    { "2024", 1999, "2024", "year", 1, 12, NULL },
    /* Impossible and ambiguous ones. */
    { "2022-13", 0, NULL, NULL, 0, 0, "month 13" },
    { "2022-00", 0, NULL, NULL, 0, 0, "month 0" },
    { "202213", 0, NULL, NULL, 0, 0, "month 13" },
    { "Q5 2020", 0, NULL, NULL, 0, 0, "quarter 5" },
    { "Q0 2020", 0, NULL, NULL, 0, 0, "quarter 0" },
    { "2021-H3", 0, NULL, NULL, 0, 0, "half-year 3" },
    { "Q2", 0, NULL, NULL, 0, 0, "no year" },
    { "mars", 0, NULL, NULL, 0, 0, "no year" },
    { "okt-jan 2019", 0, NULL, NULL, 0, 0, "backwards" },
    { "2019-2020", 0, NULL, NULL, 0, 0, "two years" },
    { "1850", 0, NULL, NULL, 0, 0, "1900 to 2199" },
    { "", 0, NULL, NULL, 0, 0, "found nothing" },
    { "2022-", 0, NULL, NULL, 0, 0, "after the year" },
    { "Totalt", 2022, NULL, NULL, 0, 0, "not a period" },
    { "marsipan 2022", 0, NULL, NULL, 0, 0, "not a period" },
    { "2022#03", 0, NULL, NULL, 0, 0, "unexpected '#'" },
    { "12345", 2022, NULL, NULL, 0, 0, "not a period" },
    { "12345", 0, NULL, NULL, 0, 0, "no year" },
};

static void test_period_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const period_case *c = &cases[i];
        transform_period period;
        char reason[TRANSFORM_PERIOD_REASON_MAX] = "";
        int rc;

        print_message("case %zu: \"%s\"\n", i, c->text);
        rc = transform_period_parse(c->text, strlen(c->text), c->context_year, &period, reason);
        if (c->id == NULL) {
            assert_int_equal(rc, -1);
            assert_non_null(strstr(reason, c->reason));
            continue;
        }
        assert_int_equal(rc, 0);
        assert_string_equal(period.id, c->id);
        assert_string_equal(transform_granularity_name(period.granularity), c->granularity);
        assert_int_equal(period.first_month, c->first_month);
        assert_int_equal(period.last_month, c->last_month);
    }
}

typedef struct dates_case {
    const char *text;
    const char *start, *end;
} dates_case;

static const dates_case dates[] = {
    { "2023", "2023-01-01", "2023-12-31" },    { "2023-Q2", "2023-04-01", "2023-06-30" },
    { "2024-02", "2024-02-01", "2024-02-29" }, { "2023-02", "2023-02-01", "2023-02-28" },
    { "1900-02", "1900-02-01", "1900-02-28" }, { "2000-02", "2000-02-01", "2000-02-29" },
    { "2021-H2", "2021-07-01", "2021-12-31" }, { "jan-okt 2019", "2019-01-01", "2019-10-31" },
};

static void test_period_dates(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        transform_period period;
        char reason[TRANSFORM_PERIOD_REASON_MAX], start[11], end[11];
        assert_int_equal(transform_period_parse(dates[i].text, strlen(dates[i].text), 0, &period,
                                                reason),
                         0);
        transform_period_dates(&period, start, end);
        assert_string_equal(start, dates[i].start);
        assert_string_equal(end, dates[i].end);
    }
}

static void test_period_make(void **state)
{
    transform_period period;
    char reason[TRANSFORM_PERIOD_REASON_MAX];
    (void)state;
    assert_int_equal(transform_period_make(TRANSFORM_PERIOD_MONTH, 2023, 11, &period, reason), 0);
    assert_string_equal(period.id, "2023-11");
    assert_int_equal(transform_period_make(TRANSFORM_PERIOD_HALF, 2023, 3, &period, reason), -1);
    assert_int_equal(transform_period_make(TRANSFORM_PERIOD_YEAR, 2300, 0, &period, reason), -1);
    assert_non_null(strstr(reason, "year 2300"));
}

/* Only the given bytes are read. */
static void test_period_reads_only_length(void **state)
{
    transform_period period;
    char reason[TRANSFORM_PERIOD_REASON_MAX];
    (void)state;
    assert_int_equal(transform_period_parse("2022-03;junk", 7, 0, &period, reason), 0);
    assert_string_equal(period.id, "2022-03");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_cases),
        cmocka_unit_test(test_period_dates),
        cmocka_unit_test(test_period_make),
        cmocka_unit_test(test_period_reads_only_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
