/*
 * export_layout.h: what each column of an export holds, worked out from its
 * header rows and the mapping.
 *
 * A column is a role column (named in the mapping's "columns"), a value
 * column (long layout: columns.value; wide layout: every other column whose
 * header rows read as the mapping's header_roles say, e.g. "2023" above
 * "Prognos"), a declared personal-number column, or dropped.  In a two-row
 * header a blank upper cell repeats the one on its left (Excel's merged
 * cells), so "2023" above "Budget" and "Prognos" gives both columns 2023.
 * A column's name is its header cells joined by a space.
 */
#ifndef NYCKEL_EXPORT_LAYOUT_H
#define NYCKEL_EXPORT_LAYOUT_H

#include "transform/exports/export_mapping.h"
#include "transform/cells/period.h"

#define TRANSFORM_COLUMN_DROPPED (-1)
#define TRANSFORM_COLUMN_PERSONAL (-2)

typedef struct transform_column {
    char *name;
    int role; /* a transform_role, or one of the two above */
    int fill_down;
    int amount;          /* a value column the mapping declares amounts (amount_columns) */
    transform_unit unit; /* the unit the header names */
    /* Wide value columns: what the header rows say. */
    int has_period;
    transform_period period;
    const char *scenario; /* "outcome", "budget", "forecast" or NULL */
    char *measure;        /* the measure's text, or NULL */
    char why_dropped[TRANSFORM_REASON_MAX];
} transform_column;

typedef struct transform_layout {
    transform_column *columns;
    size_t count;
    long role_column[TRANSFORM_ROLE_COUNT]; /* column index, or -1 */
    size_t value_count;
    long near_column; /* a named column missing: the 1-based column it may be misspelt as, or 0 */
} transform_layout;

/*
 * cells[r][c] is header row r's cell c (counts[r] cells), for the mapping's
 * header_rows rows.  Returns 0, or -1 with reason (a named column missing
 * or named twice, a header naming two units).
 */
int transform_layout_build(const transform_mapping *mapping, char **const *cells,
                           const size_t *counts, transform_layout *layout,
                           char reason[TRANSFORM_REASON_MAX]);

void transform_layout_free(transform_layout *layout);

/* The year a period without one belongs to: the mapping's year, or its constant period's. */
int transform_layout_context_year(const transform_mapping *mapping);

#endif
