/*
 * benchmark.h: the benchmark of each KPI, computed from its values.
 *
 * For every municipality, year and gender: its rank among all
 * municipalities with a value (ties share a rank, the KPI's direction says
 * whether higher or lower is better), how many were ranked, and the values
 * of Riket, its county region and its own previous year beside it.  For
 * every group (a Kolada municipality group or one from the job): the mean
 * of its members' values per period and gender.  These are the rows of
 * mart.benchmark_value and mart.benchmark_group_mean.
 *
 * All of it needs every municipality at once, none of it crosses KPIs: the
 * values arrive ordered by KPI and each KPI is finished, written out and
 * forgotten before the next, so memory follows the largest KPI, not the
 * warehouse.  Ids and values are kept as the COPY text the server sent
 * (escaped, "\N" given as NULL) and written back the same way, so nothing
 * is re-encoded on the way through.  No database here: marts.c streams the
 * facts in and the rows out.
 */
#ifndef NYCKEL_LOAD_BENCHMARK_H
#define NYCKEL_LOAD_BENCHMARK_H

#include <stdio.h>

#include "lib/base/error.h"

typedef struct benchmark benchmark;

/* The two row streams go to values and means as COPY text. */
benchmark *benchmark_new(FILE *values, FILE *means);
void benchmark_free(benchmark *bench);

/*
 * The dimensions, all before the first value.  area_type "municipality"
 * is ranked; county_region_id may be NULL.  Only periods of the granularity
 * "year" are benchmarked; a KPI without a direction counts higher as better.
 */
int benchmark_add_area(benchmark *bench, const char *area_id, const char *area_type,
                       const char *county_region_id, nk_error *err);
int benchmark_add_year(benchmark *bench, const char *period_id, const char *year, nk_error *err);
int benchmark_add_direction(benchmark *bench, const char *kpi_id, const char *higher_is_better,
                            nk_error *err);
int benchmark_add_member(benchmark *bench, const char *group_id, const char *member_id,
                         nk_error *err);

/*
 * One value (NULL when Kolada has none), in KPI order: a new kpi_id
 * finishes the previous KPI.  benchmark_finish finishes the last one.  A
 * KPI's rows are written in the order its values came.
 */
int benchmark_add_value(benchmark *bench, const char *kpi_id, const char *area_id,
                        const char *period_id, const char *gender, const char *value,
                        nk_error *err);
int benchmark_finish(benchmark *bench, nk_error *err);

/* Rows written so far to each stream. */
long long benchmark_value_rows(const benchmark *bench);
long long benchmark_mean_rows(const benchmark *bench);

#endif
