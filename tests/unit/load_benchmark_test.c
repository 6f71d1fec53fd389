/*
 * load_benchmark_test.c: unit tests of the benchmark slices nyckel-load
 * computes itself (load/benchmark.c).  A slice (KPI, year, gender) holds
 * its municipal values in the order mart.benchmark ranks them by
 * (schemas/016): where higher is better the values, where lower their
 * negations, ascending, so that a rank is 1 + the number above; NULL values
 * count as rows but are not ranked, NaN is ranked (after every number) but
 * left out of the array; Riket, regions, groups and months are no part of
 * any slice.  The COPY lines are compared whole, sorted, since their order
 * is not part of what the marts promise.  The ranks themselves are
 * PostgreSQL's: load_benchmark_partial.test.sh holds them against rank().
 *
 * Every test sees the same dimensions: Riket 0000, the regions 0001 and
 * 0003, the municipalities 0114, 0115, 0117, 0180, 0380 and 0188, the group
 * G1, the years 2019 and 2020, and the directions N00002 lower is better,
 * N00003 NULL, N00001 none at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load/marts/benchmark.h"
#include "lib/base/exit_codes.h"

#define COUNT(array) (sizeof(array) / sizeof *(array))

/* The COPY stream, kept in memory to be read back. */
typedef struct sink {
    FILE *stream;
    char *text;
    size_t size;
} sink;

typedef struct fixture {
    sink slices;
    benchmark *bench;
    nk_error err;
} fixture;

static void add_area(fixture *f, const char *area_id, const char *area_type)
{
    assert_int_equal(benchmark_add_area(f->bench, area_id, area_type, &f->err), 0);
}

static int set_up(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    if (f == NULL)
        return -1;
    *state = f;
    f->slices.stream = open_memstream(&f->slices.text, &f->slices.size);
    if (f->slices.stream == NULL)
        return -1;
    f->bench = benchmark_new(f->slices.stream);
    if (f->bench == NULL)
        return -1;
    add_area(f, "0000", "country");
    add_area(f, "0001", "region");
    add_area(f, "0003", "region");
    add_area(f, "0114", "municipality");
    add_area(f, "0115", "municipality");
    add_area(f, "0117", "municipality");
    add_area(f, "0180", "municipality");
    add_area(f, "0380", "municipality");
    add_area(f, "0188", "municipality");
    add_area(f, "G1", "group");
    assert_int_equal(benchmark_add_year(f->bench, "2019", "2019", &f->err), 0);
    assert_int_equal(benchmark_add_year(f->bench, "2020", "2020", &f->err), 0);
    assert_int_equal(benchmark_add_direction(f->bench, "N00002", "f", &f->err), 0);
    assert_int_equal(benchmark_add_direction(f->bench, "N00003", NULL, &f->err), 0);
    return 0;
}

static int tear_down(void **state)
{
    fixture *f = *state;

    benchmark_free(f->bench);
    if (f->slices.stream)
        fclose(f->slices.stream);
    free(f->slices.text);
    free(f);
    return 0;
}

static void add(fixture *f, const char *kpi_id, const char *area_id, const char *period_id,
                const char *gender, const char *value)
{
    assert_int_equal(benchmark_add_value(f->bench, kpi_id, area_id, period_id, gender, value,
                                         &f->err),
                     0);
}

static void finish(fixture *f)
{
    benchmark_finish(f->bench);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The newline-ended lines of text in byte order, joined again. */
static char *sorted_lines(const char *text, size_t length)
{
    char *copy = malloc(length + 1), *out = malloc(length + 1);
    char **lines = malloc((length + 1) * sizeof *lines);
    size_t count = 0, used = 0;

    assert_true(copy && out && lines);
    assert_true(length == 0 || text[length - 1] == '\n');
    memcpy(copy, text, length);
    copy[length] = '\0';
    for (char *line = copy, *end; (end = strchr(line, '\n')) != NULL; line = end + 1) {
        *end = '\0';
        lines[count++] = line;
    }
    qsort(lines, count, sizeof *lines, by_text);
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(lines[i]);
        memcpy(out + used, lines[i], n);
        out[used + n] = '\n';
        used += n + 1;
    }
    out[used] = '\0';
    free(lines);
    free(copy);
    return out;
}

/* The stream holds exactly these lines, and the benchmark counted them. */
static void assert_lines(sink *s, const char *const expected[], size_t count, long long rows)
{
    size_t length = 0;
    char *joined, *want, *got;

    for (size_t i = 0; i < count; i++)
        length += strlen(expected[i]) + 1;
    joined = malloc(length + 1);
    assert_non_null(joined);
    joined[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        strcat(joined, expected[i]);
        strcat(joined, "\n");
    }
    assert_int_equal(fflush(s->stream), 0);
    got = sorted_lines(s->text, s->size);
    want = sorted_lines(joined, length);
    assert_string_equal(got, want);
    assert_int_equal(rows, (long long)count);
    free(got);
    free(want);
    free(joined);
}

static void assert_slices(fixture *f, const char *const expected[], size_t count)
{
    assert_lines(&f->slices, expected, count, benchmark_slice_rows(f->bench));
}

/*
 * The K value and the 2019 value are slices of their own; "1e1" equals
 * "10" as a number and keeps its text; the NULL is a row, not ranked.
 */
static void each_year_and_gender_is_a_slice_in_ranking_order(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00001\t2020\tT\tt\t5\t4\t{5,1e1,10,12}",
        "N00001\t2020\tK\tt\t1\t1\t{3}",
        "N00001\t2019\tT\tt\t1\t1\t{3}",
    };

    add(f, "N00001", "0180", "2020", "T", NULL);
    add(f, "N00001", "0117", "2020", "T", "5");
    add(f, "N00001", "0114", "2020", "T", "10");
    add(f, "N00001", "0380", "2020", "T", "12");
    add(f, "N00001", "0115", "2020", "T", "1e1");
    add(f, "N00001", "0114", "2020", "K", "3");
    add(f, "N00001", "0117", "2019", "T", "3");
    finish(f);
    assert_slices(f, expected, COUNT(expected));
}

/* Negated ("-2" by its sign): the smallest value then has the most above it and ranks first. */
static void lower_is_better_stores_the_values_negated(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00002\t2020\tT\tf\t4\t4\t{-3,-1,-1,2}",
    };

    add(f, "N00002", "0114", "2020", "T", "3");
    add(f, "N00002", "0115", "2020", "T", "1");
    add(f, "N00002", "0117", "2020", "T", "-2");
    add(f, "N00002", "0180", "2020", "T", "1");
    finish(f);
    assert_slices(f, expected, COUNT(expected));
}

/* kpi_setting may hold the KPI with higher_is_better NULL: higher still wins. */
static void a_null_direction_counts_higher_as_better(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00003\t2020\tT\tt\t2\t2\t{1,3}",
    };

    add(f, "N00003", "0115", "2020", "T", "1");
    add(f, "N00003", "0114", "2020", "T", "3");
    finish(f);
    assert_slices(f, expected, COUNT(expected));
}

/*
 * PostgreSQL orders float8 NaN above every number, infinities included:
 * a NaN value is ranked (ranked_count counts it) after every number, which
 * mart.benchmark gives it from the array's length, so the array leaves it
 * out.  Infinities are negated by name.
 */
static void nan_is_ranked_but_left_out_of_the_array(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00001\t2020\tT\tt\t5\t5\t{-Infinity,-1,Infinity}",
        "N00002\t2020\tT\tf\t5\t5\t{-Infinity,1,Infinity}",
    };
    static const char *const kpis[] = { "N00001", "N00002" };

    for (size_t k = 0; k < COUNT(kpis); k++) {
        add(f, kpis[k], "0114", "2020", "T", "NaN");
        add(f, kpis[k], "0115", "2020", "T", "Infinity");
        add(f, kpis[k], "0117", "2020", "T", "-1");
        add(f, kpis[k], "0180", "2020", "T", "NaN");
        add(f, kpis[k], "0380", "2020", "T", "-Infinity");
    }
    finish(f);
    assert_slices(f, expected, COUNT(expected));
}

/*
 * Equal values rank by area, whatever their spelling, and -0 equals 0 as
 * in PostgreSQL's float8: best first by area, so the ascending array ends
 * with the first area's.
 */
static void equal_values_go_by_area(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00001\t2020\tT\tt\t5\t5\t{-0.5,0,-0,10,1e1}",
    };

    add(f, "N00001", "0114", "2020", "T", "1e1");
    add(f, "N00001", "0180", "2020", "T", "0");
    add(f, "N00001", "0115", "2020", "T", "10");
    add(f, "N00001", "0117", "2020", "T", "-0");
    add(f, "N00001", "0380", "2020", "T", "-0.5");
    finish(f);
    assert_slices(f, expected, COUNT(expected));
}

/* A slice of NULLs only still has its rows (mart.benchmark gives them ranked_count 0). */
static void null_values_are_rows_but_not_ranked(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00001\t2019\tT\tt\t2\t1\t{8}",
        "N00001\t2020\tK\tt\t1\t0\t{}",
    };

    add(f, "N00001", "0114", "2019", "T", "8");
    add(f, "N00001", "0114", "2020", "K", NULL);
    add(f, "N00001", "0115", "2019", "T", NULL);
    finish(f);
    assert_slices(f, expected, COUNT(expected));
}

/* Riket, a region, a group and a month are no competitors. */
static void only_municipal_values_of_years_are_ranked(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00001\t2020\tT\tt\t1\t1\t{1}",
    };

    add(f, "N00001", "0000", "2020", "T", "9");
    add(f, "N00001", "0001", "2020", "T", "9");
    add(f, "N00001", "G1", "2020", "T", "9");
    add(f, "N00001", "0114", "2020M01", "T", "9");
    add(f, "N00001", "0114", "2020", "T", "1");
    finish(f);
    assert_slices(f, expected, COUNT(expected));
}

/*
 * The first KPI is written as soon as the second starts, and the second's
 * slice holds none of the first's values.
 */
static void each_kpi_is_finished_before_the_next(void **state)
{
    fixture *f = *state;
    static const char *const first[] = {
        "N00001\t2019\tT\tt\t1\t1\t{8}",
        "N00001\t2020\tT\tt\t2\t2\t{6,9}",
    };
    static const char *const both[] = {
        "N00001\t2019\tT\tt\t1\t1\t{8}",
        "N00001\t2020\tT\tt\t2\t2\t{6,9}",
        "N00002\t2020\tT\tf\t2\t2\t{-9,-1}",
    };

    add(f, "N00001", "0000", "2020", "T", "50");
    add(f, "N00001", "0114", "2019", "T", "8");
    add(f, "N00001", "0114", "2020", "T", "9");
    add(f, "N00001", "0115", "2020", "T", "6");
    add(f, "N00002", "0115", "2020", "T", "1");
    assert_slices(f, first, COUNT(first));
    add(f, "N00002", "0114", "2020", "T", "9");
    finish(f);
    assert_slices(f, both, COUNT(both));
}

/* A Swedish decimal comma is what a hand-made fact would most likely hold. */
static void a_value_that_is_no_number_is_an_error(void **state)
{
    fixture *f = *state;

    add(f, "N00003", "0114", "2020", "T", "1");
    assert_int_equal(benchmark_add_value(f->bench, "N00003", "0115", "2020", "T", "12,5", &f->err),
                     -1);
    assert_int_equal(f->err.exit_code, NK_EXIT_DATA);
    assert_non_null(strstr(f->err.message, "KPI N00003"));
    assert_non_null(strstr(f->err.message, "\"12,5\""));
}

static void a_year_that_is_no_number_is_an_error(void **state)
{
    fixture *f = *state;

    assert_int_equal(benchmark_add_year(f->bench, "2021", "tjugo", &f->err), -1);
    assert_int_equal(f->err.exit_code, NK_EXIT_DATA);
    assert_non_null(strstr(f->err.message, "period 2021 has year \"tjugo\""));
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, set_up, tear_down)
    const struct CMUnitTest tests[] = {
        TEST(each_year_and_gender_is_a_slice_in_ranking_order),
        TEST(lower_is_better_stores_the_values_negated),
        TEST(a_null_direction_counts_higher_as_better),
        TEST(nan_is_ranked_but_left_out_of_the_array),
        TEST(equal_values_go_by_area),
        TEST(null_values_are_rows_but_not_ranked),
        TEST(only_municipal_values_of_years_are_ranked),
        TEST(each_kpi_is_finished_before_the_next),
        TEST(a_value_that_is_no_number_is_an_error),
        TEST(a_year_that_is_no_number_is_an_error),
    };
#undef TEST

    return cmocka_run_group_tests(tests, NULL, NULL);
}
