/*
 * load_value_buckets_test.c: a first load's values set aside by KPI
 * (load/value_buckets.c) give the benchmark what the warehouse's values in
 * key order give it.  Enough values for several files, KPIs interleaved as
 * Kolada's pages interleave them, NULL values and escaped ids among them;
 * the benchmark's slices are compared sorted, since the order of KPIs is
 * not part of what the marts promise.
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
#include "load/load.h"

#define KPIS 67
#define AREAS 150
#define YEARS 25
#define VALUES (KPIS * AREAS * YEARS)

/* What one benchmark wrote, in memory. */
typedef struct output {
    FILE *slices;
    char *text;
    size_t size;
} output;

static benchmark *new_benchmark(output *out)
{
    nk_error err;
    benchmark *bench;

    memset(out, 0, sizeof *out);
    out->slices = open_memstream(&out->text, &out->size);
    bench = benchmark_new(out->slices);
    assert_non_null(bench);
    for (int a = 0; a < AREAS; a++) {
        char area[16];
        snprintf(area, sizeof area, "%04d", a);
        assert_int_equal(benchmark_add_area(bench, area, a == 0 ? "country" : "municipality", &err),
                         0);
    }
    for (int y = 0; y < YEARS; y++) {
        char year[8];
        snprintf(year, sizeof year, "%d", 2000 + y);
        assert_int_equal(benchmark_add_year(bench, year, year, &err), 0);
    }
    return bench;
}

static void value_of(int n, char kpi[16], char area[16], char year[8], char value[32])
{
    int k = n % KPIS, a = n / KPIS % AREAS, y = n / KPIS / AREAS;

    snprintf(kpi, 16, k == 5 ? "N\\\\%02d" : "N%05d", k);
    snprintf(area, 16, "%04d", a);
    snprintf(year, 8, "%d", 2000 + y);
    if (n % 13 == 0)
        snprintf(value, 32, "\\N");
    else
        snprintf(value, 32, "%d.%d", (n * 7919) % 1000, n % 10);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted lines of text, joined again. */
static char *sorted(char *text)
{
    size_t count = 0, used = 0, size = strlen(text);
    char **lines = malloc((size / 2 + 1) * sizeof *lines), *joined = malloc(size + 1);

    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        lines[count++] = line;
    qsort(lines, count, sizeof *lines, compare_strings);
    for (size_t i = 0; i < count; i++)
        used += (size_t)sprintf(joined + used, "%s\n", lines[i]);
    joined[used] = '\0';
    free(lines);
    return joined;
}

static void finish(benchmark *bench, output *out)
{
    benchmark_finish(bench);
    benchmark_free(bench);
    fclose(out->slices);
}

/* The values as the warehouse gives them: in key order, each KPI together. */
static void feed_in_key_order(benchmark *bench)
{
    char **rows = malloc(VALUES * sizeof *rows);
    nk_error err;

    for (int n = 0; n < VALUES; n++) {
        char kpi[16], area[16], year[8], value[32];
        value_of(n, kpi, area, year, value);
        rows[n] = malloc(96);
        snprintf(rows[n], 96, "%s\t%s\t%s\tT\t%s", kpi, area, year, value);
    }
    qsort(rows, VALUES, sizeof *rows, compare_strings);
    for (int n = 0; n < VALUES; n++) {
        char *f[5], *p = rows[n];
        for (int i = 0; i < 5; i++) {
            f[i] = p;
            p += strcspn(p, "\t");
            if (*p)
                *p++ = '\0';
        }
        assert_int_equal(benchmark_add_value(bench, f[0], f[1], f[2], f[3],
                                             strcmp(f[4], "\\N") ? f[4] : NULL, &err),
                         0);
        free(rows[n]);
    }
    free(rows);
}

static int count_kpi(void *context, const char *kpi_id, nk_error *err)
{
    (void)kpi_id, (void)err;
    ++*(int *)context;
    return 0;
}

static void test_set_aside_values_give_the_same_benchmark(void **state)
{
    output direct, replayed;
    benchmark *bench = new_benchmark(&direct);
    load_value_buckets *buckets;
    atomic_int stop;
    nk_error err;
    int kpis = 0;

    (void)state;
    feed_in_key_order(bench);
    finish(bench, &direct);

    buckets = load_value_buckets_new(VALUES, &err);
    assert_non_null(buckets);
    /* In the order of pages: KPI fastest, so each KPI's values are spread thin. */
    for (int n = 0; n < VALUES; n++) {
        char kpi[16], area[16], year[8], value[32];
        value_of(n, kpi, area, year, value);
        const char *fields[] = { kpi, area, year, "T", value };
        size_t lengths[] = { strlen(kpi), strlen(area), strlen(year), 1, strlen(value) };
        assert_int_equal(load_value_buckets_add(buckets, fields, lengths, &err), 0);
    }
    atomic_init(&stop, 0);
    bench = new_benchmark(&replayed);
    if (load_value_buckets_replay(buckets, bench, count_kpi, &kpis, &stop, &err) < 0)
        fail_msg("replay: %s", err.message);
    assert_int_equal(kpis, KPIS);
    finish(bench, &replayed);

    char *want = sorted(direct.text), *got = sorted(replayed.text);
    assert_true(strlen(want) > 1000);
    assert_string_equal(got, want);
    free(want), free(got);
    free(replayed.text);

    /* Stopped from another thread: the replay ends with an error. */
    atomic_store(&stop, 1);
    bench = new_benchmark(&replayed);
    assert_int_equal(load_value_buckets_replay(buckets, bench, count_kpi, &kpis, &stop, &err), -1);
    assert_int_equal(err.exit_code, NK_EXIT_INTERRUPTED);
    finish(bench, &replayed);
    free(direct.text), free(replayed.text);
    load_value_buckets_free(buckets);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_aside_values_give_the_same_benchmark),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
