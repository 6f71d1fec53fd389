/*
 * xlsx_sheet.c: the XML of one worksheet into rows (see xlsx_internal.h):
 * cells placed by their reference, shared strings and dates resolved, merged
 * ranges filled, finished rows queued for transform_xlsx_next().
 */
#include "transform/exports/xlsx_internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *out_of_memory(transform_xlsx *x)
{
    xlsx_set_error(x, "out of memory");
    return NULL;
}

/* "AB12" → 27 (0-based column); -1 when not a reference. */
static long column_of(const char *reference)
{
    long column = 0;
    const char *p = reference;

    for (; *p >= 'A' && *p <= 'Z'; p++) {
        column = column * 26 + (*p - 'A' + 1);
        if (column > MAX_COLUMNS)
            return -1;
    }
    return p == reference ? -1 : column - 1;
}

static int put_field(transform_xlsx *x, long column, char *value, int numeric)
{
    while (x->field_count <= (size_t)column) {
        if (nk_grow_pair(&x->fields, sizeof *x->fields, &x->numeric, sizeof *x->numeric,
                         x->field_count + 1, &x->field_capacity, 32) < 0) {
            free(value); /* taken over, as on success */
            return -1;
        }
        x->fields[x->field_count] = NULL;
        x->numeric[x->field_count++] = 0;
    }
    free(x->fields[column]);
    x->fields[column] = value;
    x->numeric[column] = (unsigned char)numeric;
    return 0;
}

void xlsx_sheet_start(void *self, const char *name, const char **attributes)
{
    transform_xlsx *x = self;
    const char *local = xlsx_local_name(name);

    if (strcmp(local, "row") == 0) {
        const char *r = xlsx_attribute(attributes, "r");
        x->row_number = r ? atol(r) : x->row_number + 1;
        x->next_column = 0;
        x->field_count = 0;
    } else if (strcmp(local, "c") == 0) {
        const char *r = xlsx_attribute(attributes, "r"), *t = xlsx_attribute(attributes, "t");
        x->column = r ? column_of(r) : x->next_column;
        if (x->column < 0 || x->column >= MAX_COLUMNS)
            return xlsx_set_error(x, "a cell reference outside the sheet");
        snprintf(x->cell_type, sizeof x->cell_type, "%s", t ? t : "n");
        x->cell_style = xlsx_attribute(attributes, "s") ? atol(xlsx_attribute(attributes, "s")) : 0;
        nk_buffer_reset(&x->cell);
    } else if (strcmp(local, "v") == 0) {
        x->in_value = 1;
    } else if (strcmp(local, "rPh") == 0) {
        x->in_phonetic = 1;
    } else if (strcmp(local, "t") == 0 && !x->in_phonetic) {
        x->in_text = 1;
    }
}

/* The cell's text as the caller sees it: shared strings looked up. */
static char *cell_value(transform_xlsx *x, int *numeric)
{
    char *value = xlsx_text_take(&x->cell), date[TRANSFORM_XLSX_DATE_MAX];
    const char *type = x->cell_type;

    if (value == NULL)
        return out_of_memory(x);
    *numeric = strcmp(type, "n") == 0 && value[0] != '\0';
    if (*numeric && transform_xlsx_styles_is_date(&x->styles, x->cell_style) &&
        transform_xlsx_date_text(&x->styles, value, date) == 0) {
        free(value);
        *numeric = 0;
        value = strdup(date);
        return value ? value : out_of_memory(x);
    }
    if (strcmp(type, "s") == 0) {
        char *end;
        unsigned long index = strtoul(value, &end, 10);
        int exists = *end == '\0' && end != value && index < x->shared_count;
        free(value);
        if (!exists) {
            xlsx_set_error(x, "a cell points to a shared string that does not exist");
            return NULL;
        }
        value = strdup(x->shared[index]);
        return value ? value : out_of_memory(x);
    }
    if (strcmp(type, "b") == 0) {
        int truth = strcmp(value, "1") == 0;
        free(value);
        value = strdup(truth ? "TRUE" : "FALSE");
        return value ? value : out_of_memory(x);
    }
    return value;
}

static void queue_row(transform_xlsx *x)
{
    transform_row *row;

    if (x->queue_head + x->queue_count == x->queue_capacity) {
        if (x->queue_head > 0) {
            memmove(x->queue, x->queue + x->queue_head, x->queue_count * sizeof *x->queue);
            x->queue_head = 0;
        } else if (nk_grow_array(&x->queue, sizeof *x->queue, x->queue_count + 1,
                                 &x->queue_capacity, 64) < 0) {
            return xlsx_set_error(x, "out of memory");
        }
    }
    assert(x->queue_head + x->queue_count < x->queue_capacity);
    row = &x->queue[x->queue_head + x->queue_count++];
    memset(row, 0, sizeof *row);
    row->line = row->last_line = x->row_number;
    row->fields = calloc(x->field_count, sizeof *row->fields);
    row->lengths = calloc(x->field_count, sizeof *row->lengths);
    row->numeric = calloc(x->field_count, 1);
    if (row->fields == NULL || row->lengths == NULL || row->numeric == NULL)
        return xlsx_set_error(x, "out of memory");
    /* counted only now that the arrays are there: free_row frees what count says */
    row->count = x->field_count;
    for (size_t i = 0; i < x->field_count; i++) {
        row->fields[i] = x->fields[i] ? x->fields[i] : strdup("");
        x->fields[i] = NULL;
        if (row->fields[i] == NULL)
            return xlsx_set_error(x, "out of memory");
        row->lengths[i] = strlen(row->fields[i]);
        row->numeric[i] = x->numeric[i];
    }
    x->field_count = 0;
}

/* A cell a merged range covers: the range's value, unless the writer kept one there. */
static int put_merged(void *self, long column, const char *value, int numeric)
{
    transform_xlsx *x = self;
    char *copy;

    if ((size_t)column < x->field_count && x->fields[column] && x->fields[column][0])
        return 0;
    copy = strdup(value);
    return copy ? put_field(x, column, copy, numeric) : -1;
}

void xlsx_sheet_end(void *self, const char *name)
{
    transform_xlsx *x = self;
    const char *local = xlsx_local_name(name);

    if (strcmp(local, "v") == 0) {
        x->in_value = 0;
    } else if (strcmp(local, "rPh") == 0) {
        x->in_phonetic = 0;
    } else if (strcmp(local, "t") == 0) {
        x->in_text = 0;
    } else if (strcmp(local, "c") == 0) {
        int numeric;
        char *value = cell_value(x, &numeric);
        if (value == NULL)
            return;
        if (transform_xlsx_merges_seen(&x->merges, x->row_number, x->column, value, numeric) < 0) {
            free(value);
            return xlsx_set_error(x, "out of memory");
        }
        if (put_field(x, x->column, value, numeric) < 0)
            return xlsx_set_error(x, "out of memory");
        x->next_column = x->column + 1;
    } else if (strcmp(local, "row") == 0) {
        if (transform_xlsx_merges_fill(&x->merges, x->row_number, put_merged, x) < 0)
            return xlsx_set_error(x, "out of memory");
        if (x->field_count > 0)
            queue_row(x);
    }
}
