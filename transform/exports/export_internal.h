/*
 * export_internal.h: what the three files reading one internal export share.
 * export.c reads the header, guards against personal identity numbers,
 * passes over the rows and writes a wide or long mapping's value cells as
 * facts; export_values.c resolves a value's unit, period, scenario and
 * breakdown, reads it as a number and writes the fact; a row-level mapping
 * ("layout": "rows") hands the row to export_records.c, which adds it up
 * and writes the totals through export_values.c.  Calls go export.c ->
 * export_records.c -> export_values.c, never back.
 */
#ifndef NYCKEL_EXPORT_INTERNAL_H
#define NYCKEL_EXPORT_INTERNAL_H

#include <jansson.h>

#include "transform/exports/export_layout.h"
#include "transform/exports/export_reader.h"
#include "transform/cells/ids.h"
#include "transform/exports/record_totals.h"
#include "transform/transform.h"

typedef struct export_records export_records;

typedef struct export_state {
    transform_context *context;
    transform_source *source;
    transform_mapping mapping;
    transform_layout layout;
    transform_export_reader reader;
    char **previous; /* fill-down: the last non-blank cell of each column */
    const char **cells;
    long header_line;
    char guard[TRANSFORM_REASON_MAX]; /* why the whole file is rejected, or "" */
    json_t *measure_units; /* measure without a unit of its own → the first unit its values had */
    json_t *written;       /* "measure ou period scenario breakdown" → the line that gave it */
    char *breakdown_kind;  /* the breakdown column's header as a key, or NULL */
    export_records *records; /* a row-level mapping's totals, or NULL */
} export_state;

/* The row's key parts that do not depend on the value column. */
typedef struct row_keys {
    const char *texts[TRANSFORM_ROLE_COUNT]; /* cell or constant for each role, or NULL */
    long columns[TRANSFORM_ROLE_COUNT];      /* 1-based column it came from, 0 for a constant */
    char area[5];
} row_keys;

/* One value's keys, as far as they are known. */
typedef struct value_keys {
    transform_period period;
    const char *scenario;
    const char *gender;
    transform_measure measure;
    char unit_id[TRANSFORM_INTERNAL_ID_MAX + 1];
    char breakdown_id[TRANSFORM_INTERNAL_ID_MAX + 1];
    long column; /* where a failure came from (1-based, 0 = constant) */
    const char *raw;
} value_keys;

/* ---- export_values.c ---- */

/* A rejected row of the file, counted in its source (rejects.h). */
int export_reject(export_state *s, long line, long column, const char *raw, const char *reason,
                  nk_error *err);

/* Nothing but spaces, or no cell at all. */
int export_blank(const char *text);

/* One unit as a dim_org_unit row (its area and parent may be NULL). */
void export_put_org_unit(export_state *s, const char *id, const char *area, const char *title,
                         const char *parent);

/* The period, scenario, gender, unit and breakdown of a row; -1 with reason and v->column. */
int export_row_keys(export_state *s, const row_keys *keys, const transform_column *column,
                    value_keys *v, char reason[TRANSFORM_REASON_MAX]);

/* What fact_internal_value cannot hold (a range of months, one gender), as a reason; or NULL. */
const char *export_unsupported(const value_keys *v);

/* The cell of column c as a number in v's measure's unit; *is_null for a missing value. */
int export_value_number(const export_state *s, const transform_row *row, size_t c,
                        const value_keys *v, double *value, int *is_null, char unit_name[32],
                        char reason[TRANSFORM_REASON_MAX]);

/* Remember the period in dim_period. */
void export_put_period(transform_context *context, const transform_period *period);

/* One row of the staged fact_internal_value, and its measure in dim_measure. */
int export_put_fact(export_state *s, const value_keys *v, const double *value, int is_small_count,
                    const char *unit_name, nk_error *err);

/* ---- export_records.c ---- */

/* Ready the totals of a row-level mapping, once the header is read; -1 with reason. */
int export_records_start(export_state *s, char reason[TRANSFORM_REASON_MAX]);

/* Add one row's record to the totals, or reject it whole. */
int export_records_add(export_state *s, const transform_row *row, const row_keys *keys,
                       nk_error *err);

/* Write the totals as facts. */
int export_records_finish(export_state *s, nk_error *err);

void export_records_free(export_records *records);

#endif
