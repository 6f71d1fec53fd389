/*
 * xlsx_merges.h: merged cells of a sheet.
 *
 * A spreadsheet writer keeps only the top-left cell of a merged range
 * (`2023` merged over Budget, Prognos, Utfall); the others are absent from
 * the sheet's XML, or empty, and the range is listed in <mergeCells>
 * after the rows.  A person sees the value over the whole range, so the
 * reader gives it to every cell of the range, in header and data rows
 * alike; without it two thirds of such a header would name no period.
 */
#ifndef NYCKEL_XLSX_MERGES_H
#define NYCKEL_XLSX_MERGES_H

#include <stddef.h>

typedef struct transform_xlsx_merge {
    long first_row, first_column, last_row, last_column; /* rows 1-based, columns 0-based */
    char *value;                                         /* the top-left cell's, once read */
    int numeric;
} transform_xlsx_merge;

typedef struct transform_xlsx_merges {
    transform_xlsx_merge *ranges;
    size_t count, capacity;
} transform_xlsx_merges;

/* "B1:D1"; 0, -1 when ref is no range of cells or one over 1024 columns wide, -2 out of memory. */
int transform_xlsx_merges_add(transform_xlsx_merges *merges, const char *ref);

/* A cell was read: keep its value when it is the top-left of a range; -1 when out of memory. */
int transform_xlsx_merges_seen(transform_xlsx_merges *merges, long row, long column,
                               const char *value, int numeric);

/* Call put for every cell of row that a range covers, other than its top-left. */
typedef int (*transform_xlsx_merge_put)(void *data, long column, const char *value, int numeric);
int transform_xlsx_merges_fill(const transform_xlsx_merges *merges, long row,
                               transform_xlsx_merge_put put, void *data);

void transform_xlsx_merges_free(transform_xlsx_merges *merges);

#endif
