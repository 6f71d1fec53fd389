/*
 * load_benchmark_test.c: unit tests of the benchmark nyckel-load computes
 * itself (load/marts/benchmark.c) instead of PostgreSQL's rank() window and
 * avg().  What is stored must stay what the SQL of
 * schemas/007_benchmark_narrow.sql gave (group means to rounding): ties
 * share a rank and the next skips, NULL values keep an unranked row, NaN
 * ranks after every number, Riket's, the region's and the previous year's
 * value come from the same KPI, period and gender, and group means take
 * any member and period and ignore NULLs.  The COPY lines are compared
 * whole, sorted, since their order is not part of what the marts promise.
 *
 * Every test sees the same dimensions: Riket 0000, the regions 0001 and
 * 0003, the municipalities 0114, 0115, 0117, 0180 (in 0001), 0380 (in
 * 0003) and 0188 (in none), the years 2019 and 2020, the groups G1
 * (0114, 0115, 0180 and the region 0001) and G2 (0114), and the directions
 * N00002 lower is better, N00003 NULL, N00001 none at all.
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

/* One of the two COPY streams, kept in memory to be read back. */
typedef struct sink {
    FILE *stream;
    char *text;
    size_t size;
} sink;

typedef struct fixture {
    sink values, means;
    benchmark *bench;
    nk_error err;
} fixture;

static void add_area(fixture *f, const char *area_id, const char *area_type,
                     const char *county_region_id)
{
    assert_int_equal(benchmark_add_area(f->bench, area_id, area_type, county_region_id, &f->err),
                     0);
}

static void add_member(fixture *f, const char *group_id, const char *member_id)
{
    assert_int_equal(benchmark_add_member(f->bench, group_id, member_id, &f->err), 0);
}

static int set_up(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    if (f == NULL)
        return -1;
    *state = f;
    f->values.stream = open_memstream(&f->values.text, &f->values.size);
    f->means.stream = open_memstream(&f->means.text, &f->means.size);
    if (f->values.stream == NULL || f->means.stream == NULL)
        return -1;
    f->bench = benchmark_new(f->values.stream, f->means.stream);
    if (f->bench == NULL)
        return -1;
    add_area(f, "0000", "country", NULL);
    add_area(f, "0001", "region", NULL);
    add_area(f, "0003", "region", NULL);
    add_area(f, "0114", "municipality", "0001");
    add_area(f, "0115", "municipality", "0001");
    add_area(f, "0117", "municipality", "0001");
    add_area(f, "0180", "municipality", "0001");
    add_area(f, "0380", "municipality", "0003");
    add_area(f, "0188", "municipality", NULL);
    add_area(f, "G1", "group", NULL);
    add_area(f, "G2", "group", NULL);
    assert_int_equal(benchmark_add_year(f->bench, "2019", "2019", &f->err), 0);
    assert_int_equal(benchmark_add_year(f->bench, "2020", "2020", &f->err), 0);
    assert_int_equal(benchmark_add_direction(f->bench, "N00002", "f", &f->err), 0);
    assert_int_equal(benchmark_add_direction(f->bench, "N00003", NULL, &f->err), 0);
    add_member(f, "G1", "0114");
    add_member(f, "G1", "0115");
    add_member(f, "G1", "0180");
    add_member(f, "G1", "0001");
    add_member(f, "G2", "0114");
    return 0;
}

static int tear_down(void **state)
{
    fixture *f = *state;

    benchmark_free(f->bench);
    if (f->values.stream)
        fclose(f->values.stream);
    if (f->means.stream)
        fclose(f->means.stream);
    free(f->values.text);
    free(f->means.text);
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
    assert_int_equal(benchmark_finish(f->bench, &f->err), 0);
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

static void assert_values(fixture *f, const char *const expected[], size_t count)
{
    assert_lines(&f->values, expected, count, benchmark_value_rows(f->bench));
}

static void assert_means(fixture *f, const char *const expected[], size_t count)
{
    assert_lines(&f->means, expected, count, benchmark_mean_rows(f->bench));
}

/*
 * The K row and the 2019 row would rank below every T value of 2020 if the
 * partition were the KPI alone; "1e1" equals "10" as a number, not as text.
 */
static void equal_values_share_a_rank_and_the_next_skips(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00001\t0380\t2020\t2020\tT\t12\t\\N\t0003\t\\N\tt\t1\t4\t\\N",
        "N00001\t0114\t2020\t2020\tT\t10\t\\N\t0001\t\\N\tt\t2\t4\t\\N",
        "N00001\t0115\t2020\t2020\tT\t1e1\t\\N\t0001\t\\N\tt\t2\t4\t\\N",
        "N00001\t0117\t2020\t2020\tT\t5\t\\N\t0001\t\\N\tt\t4\t4\t3",
        "N00001\t0180\t2020\t2020\tT\t\\N\t\\N\t0001\t\\N\tt\t\\N\t4\t\\N",
        "N00001\t0114\t2020\t2020\tK\t3\t\\N\t0001\t\\N\tt\t1\t1\t\\N",
        "N00001\t0117\t2019\t2019\tT\t3\t\\N\t0001\t\\N\tt\t1\t1\t\\N",
    };

    add(f, "N00001", "0180", "2020", "T", NULL);
    add(f, "N00001", "0117", "2020", "T", "5");
    add(f, "N00001", "0114", "2020", "T", "10");
    add(f, "N00001", "0380", "2020", "T", "12");
    add(f, "N00001", "0115", "2020", "T", "1e1");
    add(f, "N00001", "0114", "2020", "K", "3");
    add(f, "N00001", "0117", "2019", "T", "3");
    finish(f);
    assert_values(f, expected, COUNT(expected));
}

static void lower_is_better_ranks_the_smallest_first(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00002\t0115\t2020\t2020\tT\t1\t\\N\t0001\t\\N\tf\t1\t4\t\\N",
        "N00002\t0180\t2020\t2020\tT\t1\t\\N\t0001\t\\N\tf\t1\t4\t\\N",
        "N00002\t0117\t2020\t2020\tT\t2\t\\N\t0001\t\\N\tf\t3\t4\t\\N",
        "N00002\t0114\t2020\t2020\tT\t3\t\\N\t0001\t\\N\tf\t4\t4\t\\N",
    };

    add(f, "N00002", "0114", "2020", "T", "3");
    add(f, "N00002", "0115", "2020", "T", "1");
    add(f, "N00002", "0117", "2020", "T", "2");
    add(f, "N00002", "0180", "2020", "T", "1");
    finish(f);
    assert_values(f, expected, COUNT(expected));
}

/* kpi_setting may hold the KPI with higher_is_better NULL: higher still wins. */
static void a_null_direction_counts_higher_as_better(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00003\t0114\t2020\t2020\tT\t3\t\\N\t0001\t\\N\tt\t1\t2\t\\N",
        "N00003\t0115\t2020\t2020\tT\t1\t\\N\t0001\t\\N\tt\t2\t2\t\\N",
    };

    add(f, "N00003", "0115", "2020", "T", "1");
    add(f, "N00003", "0114", "2020", "T", "3");
    finish(f);
    assert_values(f, expected, COUNT(expected));
}

/*
 * PostgreSQL orders float8 NaN above every number, infinities included,
 * and equal to another NaN; negating for higher-is-better leaves it last.
 */
static void nan_ranks_after_every_number(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00001\t0115\t2020\t2020\tT\tInfinity\t\\N\t0001\t\\N\tt\t1\t5\t\\N",
        "N00001\t0117\t2020\t2020\tT\t-1\t\\N\t0001\t\\N\tt\t2\t5\t\\N",
        "N00001\t0380\t2020\t2020\tT\t-Infinity\t\\N\t0003\t\\N\tt\t3\t5\t\\N",
        "N00001\t0114\t2020\t2020\tT\tNaN\t\\N\t0001\t\\N\tt\t4\t5\t\\N",
        "N00001\t0180\t2020\t2020\tT\tNaN\t\\N\t0001\t\\N\tt\t4\t5\t\\N",
        "N00002\t0380\t2020\t2020\tT\t-Infinity\t\\N\t0003\t\\N\tf\t1\t5\t\\N",
        "N00002\t0117\t2020\t2020\tT\t-1\t\\N\t0001\t\\N\tf\t2\t5\t\\N",
        "N00002\t0115\t2020\t2020\tT\tInfinity\t\\N\t0001\t\\N\tf\t3\t5\t\\N",
        "N00002\t0114\t2020\t2020\tT\tNaN\t\\N\t0001\t\\N\tf\t4\t5\t\\N",
        "N00002\t0180\t2020\t2020\tT\tNaN\t\\N\t0001\t\\N\tf\t4\t5\t\\N",
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
    assert_values(f, expected, COUNT(expected));
}

/*
 * Each lookup must match the gender and period exactly: Riket has a
 * different K value, 0001 none for K, 0003 one for 2019 only, 0115's 2019
 * value is NULL and 0188 has no region at all.
 */
static void riket_region_and_previous_year_are_looked_up(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00001\t0114\t2019\t2019\tT\t8\t\\N\t0001\t\\N\tt\t1\t1\t\\N",
        "N00001\t0115\t2019\t2019\tT\t\\N\t\\N\t0001\t\\N\tt\t\\N\t1\t\\N",
        "N00001\t0114\t2020\t2020\tT\t9\t50\t0001\t20\tt\t1\t4\t8",
        "N00001\t0115\t2020\t2020\tT\t6\t50\t0001\t20\tt\t2\t4\t\\N",
        "N00001\t0188\t2020\t2020\tT\t5\t50\t\\N\t\\N\tt\t3\t4\t\\N",
        "N00001\t0380\t2020\t2020\tT\t4\t50\t0003\t\\N\tt\t4\t4\t\\N",
        "N00001\t0114\t2020\t2020\tK\t7\t40\t0001\t\\N\tt\t1\t1\t\\N",
    };

    add(f, "N00001", "0000", "2020", "K", "40");
    add(f, "N00001", "0000", "2020", "T", "50");
    add(f, "N00001", "0001", "2020", "T", "20");
    add(f, "N00001", "0003", "2019", "T", "30");
    add(f, "N00001", "0114", "2019", "T", "8");
    add(f, "N00001", "0114", "2020", "K", "7");
    add(f, "N00001", "0114", "2020", "T", "9");
    add(f, "N00001", "0115", "2019", "T", NULL);
    add(f, "N00001", "0115", "2020", "T", "6");
    add(f, "N00001", "0188", "2020", "T", "5");
    add(f, "N00001", "0380", "2020", "T", "4");
    finish(f);
    assert_values(f, expected, COUNT(expected));
}

/*
 * Riket, a region, a group and a month are no competitors: were any of
 * their larger values ranked, 0114 would not be first of one.
 */
static void only_municipal_values_of_years_are_ranked(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "N00001\t0114\t2020\t2020\tT\t1\t9\t0001\t9\tt\t1\t1\t\\N",
    };

    add(f, "N00001", "0000", "2020", "T", "9");
    add(f, "N00001", "0001", "2020", "T", "9");
    add(f, "N00001", "G1", "2020", "T", "9");
    add(f, "N00001", "0114", "2020M01", "T", "9");
    add(f, "N00001", "0114", "2020", "T", "1");
    finish(f);
    assert_values(f, expected, COUNT(expected));
}

/*
 * The first KPI is written as soon as the second starts, and the second's
 * ranks and lookups see none of the first's values: mixed, 0114 would get
 * Riket's 50 and the previous year's 8, and ranked_count would be 4.
 */
static void each_kpi_is_finished_before_the_next(void **state)
{
    fixture *f = *state;
    static const char *const first[] = {
        "N00001\t0114\t2019\t2019\tT\t8\t\\N\t0001\t\\N\tt\t1\t1\t\\N",
        "N00001\t0114\t2020\t2020\tT\t9\t50\t0001\t\\N\tt\t1\t2\t8",
        "N00001\t0115\t2020\t2020\tT\t6\t50\t0001\t\\N\tt\t2\t2\t\\N",
    };
    static const char *const first_means[] = {
        "G1\tN00001\t2019\tT\t8\t1",
        "G1\tN00001\t2020\tT\t7.5\t2",
        "G2\tN00001\t2019\tT\t8\t1",
        "G2\tN00001\t2020\tT\t9\t1",
    };
    static const char *const both[] = {
        "N00001\t0114\t2019\t2019\tT\t8\t\\N\t0001\t\\N\tt\t1\t1\t\\N",
        "N00001\t0114\t2020\t2020\tT\t9\t50\t0001\t\\N\tt\t1\t2\t8",
        "N00001\t0115\t2020\t2020\tT\t6\t50\t0001\t\\N\tt\t2\t2\t\\N",
        "N00002\t0114\t2020\t2020\tT\t9\t\\N\t0001\t\\N\tf\t2\t2\t\\N",
        "N00002\t0115\t2020\t2020\tT\t1\t\\N\t0001\t\\N\tf\t1\t2\t\\N",
    };
    static const char *const both_means[] = {
        "G1\tN00001\t2019\tT\t8\t1", "G1\tN00001\t2020\tT\t7.5\t2", "G2\tN00001\t2019\tT\t8\t1",
        "G2\tN00001\t2020\tT\t9\t1", "G1\tN00002\t2020\tT\t5\t2",   "G2\tN00002\t2020\tT\t9\t1",
    };

    add(f, "N00001", "0000", "2020", "T", "50");
    add(f, "N00001", "0114", "2019", "T", "8");
    add(f, "N00001", "0114", "2020", "T", "9");
    add(f, "N00001", "0115", "2020", "T", "6");
    add(f, "N00002", "0115", "2020", "T", "1");
    assert_values(f, first, COUNT(first));
    assert_means(f, first_means, COUNT(first_means));
    add(f, "N00002", "0114", "2020", "T", "9");
    finish(f);
    assert_values(f, both, COUNT(both));
    assert_means(f, both_means, COUNT(both_means));
}

/*
 * G1 counts its region 0001 and its month like any member and period; a
 * K cell where every member is NULL still has its row; 4/3 shows the mean
 * printed to full precision.  0117 and Riket belong to no group.
 */
static void group_means_take_every_member_and_ignore_nulls(void **state)
{
    fixture *f = *state;
    static const char *const expected[] = {
        "G1\tN00001\t2020\tT\t3\t3",    "G2\tN00001\t2020\tT\t1\t1",
        "G1\tN00001\t2020\tK\t\\N\t0",  "G2\tN00001\t2020\tK\t\\N\t0",
        "G1\tN00001\t2020M01\tT\t4\t1", "G1\tN00001\t2019\tT\t1.3333333333333333\t3",
        "G2\tN00001\t2019\tT\t1\t1",
    };

    add(f, "N00001", "0000", "2020", "T", "7");
    add(f, "N00001", "0001", "2020", "T", "6");
    add(f, "N00001", "0114", "2019", "T", "1");
    add(f, "N00001", "0114", "2020", "K", NULL);
    add(f, "N00001", "0114", "2020", "T", "1");
    add(f, "N00001", "0115", "2019", "T", "1");
    add(f, "N00001", "0115", "2020", "T", "2");
    add(f, "N00001", "0115", "2020M01", "T", "4");
    add(f, "N00001", "0117", "2020", "T", "100");
    add(f, "N00001", "0180", "2019", "T", "2");
    add(f, "N00001", "0180", "2020", "T", NULL);
    finish(f);
    assert_means(f, expected, COUNT(expected));
}

static void two_values_in_one_cell_are_an_error(void **state)
{
    fixture *f = *state;

    add(f, "N00001", "0114", "2020", "T", "1");
    add(f, "N00001", "0115", "2020", "T", "2");
    add(f, "N00001", "0114", "2020", "T", "3");
    assert_int_equal(benchmark_finish(f->bench, &f->err), -1);
    assert_int_equal(f->err.exit_code, NK_EXIT_DATA);
    assert_non_null(strstr(f->err.message, "KPI N00001"));
    assert_non_null(strstr(f->err.message, "area 0114, period 2020, gender T"));
}

/* In a load the duplicate is found by the next KPI's first value, not by finish. */
static void two_values_are_found_when_the_next_kpi_starts(void **state)
{
    fixture *f = *state;

    add(f, "N00001", "0114", "2020M01", "K", NULL);
    add(f, "N00001", "0114", "2020M01", "K", "3");
    assert_int_equal(benchmark_add_value(f->bench, "N00002", "0114", "2020", "T", "1", &f->err),
                     -1);
    assert_int_equal(f->err.exit_code, NK_EXIT_DATA);
    assert_non_null(strstr(f->err.message, "KPI N00001"));
    assert_non_null(strstr(f->err.message, "area 0114, period 2020M01, gender K"));
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
        TEST(equal_values_share_a_rank_and_the_next_skips),
        TEST(lower_is_better_ranks_the_smallest_first),
        TEST(a_null_direction_counts_higher_as_better),
        TEST(nan_ranks_after_every_number),
        TEST(riket_region_and_previous_year_are_looked_up),
        TEST(only_municipal_values_of_years_are_ranked),
        TEST(each_kpi_is_finished_before_the_next),
        TEST(group_means_take_every_member_and_ignore_nulls),
        TEST(two_values_in_one_cell_are_an_error),
        TEST(two_values_are_found_when_the_next_kpi_starts),
        TEST(a_value_that_is_no_number_is_an_error),
        TEST(a_year_that_is_no_number_is_an_error),
    };
#undef TEST

    return cmocka_run_group_tests(tests, NULL, NULL);
}
