/*
 * benchmark.h: the benchmark slices of each KPI, computed from its values.
 *
 * A slice is a KPI's municipal values of one year and gender: the values a
 * rank is computed among.  For each, mart.benchmark_slice keeps how many
 * municipalities have a value row, how many of them have a value (are
 * ranked), and the values in ranking order, so that mart.benchmark finds a
 * value's rank in it at read time (ties share a rank, the KPI's direction
 * says whether higher or lower is better).
 *
 * None of it crosses KPIs: the values arrive ordered by KPI and each KPI is
 * finished, written out and forgotten before the next, so memory follows
 * the largest KPI, not the warehouse.  Values are kept as the COPY text the
 * server or the transform wrote, and written back the same way where the
 * direction leaves their sign, so that what is stored is exactly the fact
 * table's value.  No database here: marts.c streams the facts in and the
 * slices out.
 */
#ifndef NYCKEL_LOAD_BENCHMARK_H
#define NYCKEL_LOAD_BENCHMARK_H

#include <stdio.h>

#include "lib/base/error.h"

typedef struct benchmark benchmark;

/* The slices go to slices as COPY text for mart.benchmark_slice. */
benchmark *benchmark_new(FILE *slices);
void benchmark_free(benchmark *bench);

/*
 * The dimensions, all before the first value.  area_type "municipality"
 * is ranked.  Only periods of the granularity "year" are benchmarked; a
 * KPI without a direction counts higher as better.
 */
int benchmark_add_area(benchmark *bench, const char *area_id, const char *area_type, nk_error *err);
int benchmark_add_year(benchmark *bench, const char *period_id, const char *year, nk_error *err);
int benchmark_add_direction(benchmark *bench, const char *kpi_id, const char *higher_is_better,
                            nk_error *err);

/*
 * One value (NULL when Kolada has none), in KPI order: a new kpi_id
 * finishes the previous KPI.  benchmark_finish finishes the last one.
 * Each (KPI, area, period, gender) at most once: the fact table's key.
 */
int benchmark_add_value(benchmark *bench, const char *kpi_id, const char *area_id,
                        const char *period_id, const char *gender, const char *value,
                        nk_error *err);
void benchmark_finish(benchmark *bench);

/* Slices written so far. */
long long benchmark_slice_rows(const benchmark *bench);

#endif
