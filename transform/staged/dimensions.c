/*
 * dimensions.c: collecting dimension rows by key (see dimensions.h).
 *
 * Rows are kept as jansson objects (key → array of fields), which gives a
 * hash table and ordered output without a data structure of our own.
 */
#include "transform/staged/dimensions.h"

#include <stdio.h>
#include <stdlib.h>

#include "transform/staged/table_definitions.h"
#include "transform/staged/tables.h"

void transform_dimension_put(transform_context *context, const char *table, const char *key,
                             const char *const *fields)
{
    json_t *rows = json_object_get(context->dimensions, table);
    json_t *row = json_array();
    size_t width = transform_table_width(table);

    if (rows == NULL) {
        rows = json_object();
        json_object_set_new(context->dimensions, table, rows);
    }
    for (size_t i = 0; i < width; i++)
        json_array_append_new(row, fields[i] ? json_string(fields[i]) : json_null());
    json_object_set_new(rows, key, row);
}

int transform_dimension_has(const transform_context *context, const char *table, const char *key)
{
    return json_object_get(json_object_get(context->dimensions, table), key) != NULL;
}

void transform_dimension_put_year(transform_context *context, int year)
{
    char id[16], first[16], last[16];

    snprintf(id, sizeof id, "%04d", year);
    if (transform_dimension_has(context, "dim_period", id))
        return;
    snprintf(first, sizeof first, "%04d-01-01", year);
    snprintf(last, sizeof last, "%04d-12-31", year);
    transform_dimension_put(context, "dim_period", id,
                            (const char *const[]){ id, "year", id, first, last });
}

static int write_rows(transform_context *context, const char *table, json_t *rows, nk_error *err)
{
    const char *fields[32];
    const char *key;
    json_t *row;

    json_object_foreach (rows, key, row) {
        size_t width = json_array_size(row);
        for (size_t i = 0; i < width && i < 32; i++)
            fields[i] = json_string_value(json_array_get(row, i));
        if (transform_table_row(context->tables, table, fields, err) < 0)
            return -1;
    }
    return 0;
}

int transform_dimensions_write(transform_context *context, nk_error *err)
{
    /* In table_definitions.c order, so that the files come out the same way each run. */
    for (size_t i = 0; i < transform_table_count(); i++) {
        const char *table = transform_table_at(i)->name;
        json_t *rows = json_object_get(context->dimensions, table);
        if (rows && write_rows(context, table, rows, err) < 0)
            return -1;
    }
    return 0;
}
