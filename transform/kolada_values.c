/*
 * kolada_values.c: Kolada data pages into fact rows (see kolada_page.h).
 *
 * One row of a page holds a KPI, an area (or unit) and a period, and a list
 * of values, one per gender.  Each of those values is a row read, written or
 * rejected.  A null value stays NULL, never zero; Kolada's count (for groups:
 * how many members reported) and status marker are kept.  A value marked
 * deleted (isdeleted, or v2's is_deleted) becomes a deletion row for load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dimensions.h"
#include "kolada_fields.h"
#include "kolada_page.h"
#include "rejects.h"
#include "tables.h"

typedef struct value_row {
    const char *kpi;
    const char *place; /* area or unit id */
    char period[12];
    size_t index;
} value_row;

static int reject_item(transform_context *context, transform_source *source,
                       const json_t *item, const char *reason, nk_error *err)
{
    char *raw = transform_kolada_raw(item);
    int rc = transform_reject(context->rejects, source, 0, 0, raw, reason, err);

    free(raw);
    return rc;
}

/* Every gender value of a row whose KPI, area or period is unusable is rejected. */
static int reject_row(transform_context *context, transform_source *source, const json_t *row,
                      size_t index, const char *why, nk_error *err)
{
    const json_t *values = json_object_get(row, "values");
    char reason[512];
    size_t count = json_is_array(values) && json_array_size(values) ? json_array_size(values) : 1;

    snprintf(reason, sizeof reason, "values[%zu]: %s", index, why);
    for (size_t i = 0; i < count; i++) {
        const json_t *item = json_is_array(values) && json_array_size(values) ? json_array_get(values, i) : row;
        if (reject_item(context, source, item, reason, err) < 0)
            return -1;
    }
    return 0;
}

static int is_deleted(const json_t *value)
{
    return json_is_true(json_object_get(value, "isdeleted")) ||
           json_is_true(json_object_get(value, "is_deleted"));
}

/* A deletion marker that is neither true nor false cannot say whether to delete. */
static int marker_is_clear(const json_t *value, const char *key)
{
    const json_t *marker = json_object_get(value, key);

    return marker == NULL || json_is_null(marker) || json_is_boolean(marker);
}

static const char *check_value(const json_t *value, const char **gender)
{
    const json_t *number = json_object_get(value, "value");
    const json_t *count = json_object_get(value, "count");
    const json_t *status = json_object_get(value, "status");

    *gender = json_string_value(json_object_get(value, "gender"));
    if (!json_is_object(value))
        return "expected a value object";
    if (*gender == NULL || strlen(*gender) != 1 || strchr("TKM", **gender) == NULL)
        return "expected a \"gender\" of \"T\", \"K\" or \"M\"";
    if (number && !json_is_null(number) && !json_is_number(number))
        return "expected a number or null as \"value\"";
    if (count && !json_is_null(count) && !(json_is_integer(count) && json_integer_value(count) >= 0))
        return "expected a whole number of 0 or more, or null, as \"count\"";
    if (status && !json_is_null(status) && !json_is_string(status))
        return "expected a string or null as \"status\"";
    if (!marker_is_clear(value, "isdeleted"))
        return "expected true or false as \"isdeleted\"";
    if (!marker_is_clear(value, "is_deleted"))
        return "expected true or false as \"is_deleted\"";
    return NULL;
}

static int write_value(transform_context *context, transform_source *source,
                       const value_row *row, const json_t *value, int unit_level, nk_error *err)
{
    char number[32], count[32], reason[512], ref[24];
    const char *gender;
    const char *problem = check_value(value, &gender);

    if (problem) {
        snprintf(reason, sizeof reason, "values[%zu]: %s", row->index, problem);
        return reject_item(context, source, value, reason, err);
    }
    snprintf(ref, sizeof ref, "%ld", source->source_ref);
    if (is_deleted(value)) {
        const char *fields[] = { row->kpi, row->place, row->period, gender, ref };
        if (transform_table_row(context->tables,
                                unit_level ? "fact_ou_value_deleted" : "fact_kpi_value_deleted",
                                fields, err) < 0)
            return -1;
    } else {
        const char *status = json_string_value(json_object_get(value, "status"));
        const char *fields[] = {
            row->kpi, row->place, row->period, gender,
            transform_kolada_text(json_object_get(value, "value"), number, sizeof number),
            transform_kolada_text(json_object_get(value, "count"), count, sizeof count),
            (status && *status) ? status : NULL, ref,
        };
        if (transform_table_row(context->tables, unit_level ? "fact_ou_value" : "fact_kpi_value",
                                fields, err) < 0)
            return -1;
    }
    source->counts.rows_read++;
    source->counts.rows_written++;
    return 0;
}

/* Why the row's KPI, place or period cannot be used, or NULL. */
static const char *check_row(const transform_context *context, const json_t *item,
                             value_row *row, int unit_level, char *why, size_t size)
{
    const char *place_key = unit_level ? "ou" : "municipality";
    const char *place_table = unit_level ? "dim_ou" : "dim_area";
    int year = transform_kolada_year(json_object_get(item, "period"));

    row->kpi = json_string_value(json_object_get(item, "kpi"));
    row->place = json_string_value(json_object_get(item, place_key));
    if (row->kpi == NULL || row->place == NULL)
        snprintf(why, size, "expected \"kpi\" and \"%s\" strings", place_key);
    else if (!transform_dimension_has(context, "dim_kpi", row->kpi))
        snprintf(why, size, "unknown KPI \"%s\": no metadata for it in this run", row->kpi);
    else if (!transform_dimension_has(context, place_table, row->place))
        snprintf(why, size, "unknown %s \"%s\": no metadata for it in this run",
                 unit_level ? "unit" : "area", row->place);
    else if (year < 0)
        snprintf(why, size, "expected a \"period\" year from 1900 to 2100");
    else if (!json_is_array(json_object_get(item, "values")))
        snprintf(why, size, "expected a \"values\" list");
    else {
        snprintf(row->period, sizeof row->period, "%04d", year);
        return NULL;
    }
    return why;
}

int transform_kolada_read_values(transform_context *context, transform_source *source,
                                 const json_t *page, transform_kolada_kind kind, nk_error *err)
{
    int unit_level = kind == KOLADA_OUDATA;
    char why[256];
    size_t i, j;
    json_t *item, *value;

    json_array_foreach(json_object_get(page, "values"), i, item) {
        value_row row = { .index = i };
        if (check_row(context, item, &row, unit_level, why, sizeof why)) {
            if (reject_row(context, source, item, i, why, err) < 0)
                return -1;
            continue;
        }
        transform_dimension_put_year(context, atoi(row.period));
        json_array_foreach(json_object_get(item, "values"), j, value) {
            if (write_value(context, source, &row, value, unit_level, err) < 0)
                return -1;
        }
    }
    return 0;
}
