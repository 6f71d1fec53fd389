/*
 * dimensions.h: dimension rows, collected while reading and written once.
 *
 * Facts stream straight to their COPY files, but a dimension row (a KPI, an
 * area, a period) may be met in many files.  Dimension rows are kept by key,
 * the last one met winning, and written when every file has been read.
 * Their number is bounded by the metadata (thousands), not by the facts.
 */
#ifndef NYCKEL_DIMENSIONS_H
#define NYCKEL_DIMENSIONS_H

#include "transform/transform.h"

/* Remember a row of table (e.g. "dim_kpi") under key; fields as for tables.h. */
void transform_dimension_put(transform_context *context, const char *table, const char *key,
                             const char *const *fields);

int transform_dimension_has(const transform_context *context, const char *table, const char *key);

/* The row for a calendar year ("2023"), with its first and last day. */
void transform_dimension_put_year(transform_context *context, int year);

/* Write every collected row into the staged tables. */
int transform_dimensions_write(transform_context *context, nk_error *err);

#endif
