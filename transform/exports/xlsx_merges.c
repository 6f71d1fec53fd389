/*
 * xlsx_merges.c: merged ranges of a sheet (see xlsx_merges.h).  Sheets
 * have few merged ranges (headers, a label over a block), so a list
 * walked once a row is enough.
 */
#include "transform/exports/xlsx_merges.h"

#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"

#define MAX_COLUMNS 16384 /* Excel's own limit, XFD */
/* Wider ranges are refused: one range over every column would make each row 16384 cells. */
#define MAX_WIDTH 1024

/* "AB12" → column 27, row 12; NULL when not a cell reference, else the text after it. */
static const char *cell_ref(const char *p, long *row, long *column)
{
    const char *start = p;
    long c = 0;

    for (; *p >= 'A' && *p <= 'Z'; p++)
        if ((c = c * 26 + (*p - 'A' + 1)) > MAX_COLUMNS)
            return NULL;
    if (p == start || *p < '1' || *p > '9')
        return NULL;
    *column = c - 1;
    *row = strtol(p, (char **)&p, 10);
    return p;
}

int transform_xlsx_merges_add(transform_xlsx_merges *m, const char *ref)
{
    transform_xlsx_merge range = { 0 };
    const char *p = cell_ref(ref, &range.first_row, &range.first_column);

    if (p == NULL || *p != ':' ||
        (p = cell_ref(p + 1, &range.last_row, &range.last_column)) == NULL || *p != '\0' ||
        range.last_row < range.first_row || range.last_column < range.first_column ||
        range.last_column - range.first_column >= MAX_WIDTH)
        return -1;
    if (nk_grow_array(&m->ranges, sizeof *m->ranges, m->count + 1, &m->capacity, 16) < 0)
        return -2;
    m->ranges[m->count++] = range;
    return 0;
}

int transform_xlsx_merges_seen(transform_xlsx_merges *m, long row, long column, const char *value,
                               int numeric)
{
    for (size_t i = 0; i < m->count; i++) {
        transform_xlsx_merge *r = &m->ranges[i];
        if (r->first_row == row && r->first_column == column && r->value == NULL) {
            if ((r->value = strdup(value)) == NULL)
                return -1;
            r->numeric = numeric;
        }
    }
    return 0;
}

int transform_xlsx_merges_fill(const transform_xlsx_merges *m, long row,
                               transform_xlsx_merge_put put, void *data)
{
    for (size_t i = 0; i < m->count; i++) {
        const transform_xlsx_merge *r = &m->ranges[i];
        if (r->value == NULL || row < r->first_row || row > r->last_row)
            continue;
        for (long c = r->first_column; c <= r->last_column; c++)
            if ((row != r->first_row || c != r->first_column) &&
                put(data, c, r->value, r->numeric) < 0)
                return -1;
    }
    return 0;
}

void transform_xlsx_merges_free(transform_xlsx_merges *m)
{
    for (size_t i = 0; i < m->count; i++)
        free(m->ranges[i].value);
    free(m->ranges);
    memset(m, 0, sizeof *m);
}
