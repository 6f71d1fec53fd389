/*
 * kolada_metadata.c: Kolada KPI, area, group and unit pages into dimension
 * rows (see kolada_page.h).
 *
 * Kolada does not say which county a municipality lies in, but the Swedish
 * municipality code does: its first two digits are the county code, and the
 * county's region is "00" followed by them (0180 Stockholm → county 01 →
 * region 0001).  Riket is 0000.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dimensions.h"
#include "kolada_fields.h"
#include "kolada_page.h"
#include "rejects.h"

static int reject_value(transform_context *context, transform_source *source, size_t index,
                        const json_t *value, const char *why, nk_error *err)
{
    char reason[512];
    char *raw = transform_kolada_raw(value);
    int rc;

    snprintf(reason, sizeof reason, "values[%zu]: %s", index, why);
    rc = transform_reject(context->rejects, source, 0, 0, raw, reason, err);
    free(raw);
    return rc;
}

static void written(transform_source *source)
{
    source->counts.rows_read++;
    source->counts.rows_written++;
}

static const char *member_text(const json_t *value, const char *key, char *buffer, size_t size)
{
    return transform_kolada_text(json_object_get(value, key), buffer, size);
}

static int days_in_month(int year, int month)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    return month == 2 && leap ? 29 : days[month - 1];
}

/*
 * "2023-05-14T00:00:00" and "2023-05-14" both give the date; anything else,
 * an impossible date such as 2023-02-30 included, is NULL (PostgreSQL would
 * refuse it at load, failing the whole run for one metadata field).
 */
static const char *date_of(const json_t *value, char *buffer)
{
    const char *text = json_string_value(value);
    int y, m, d;

    if (text == NULL || sscanf(text, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1 || y > 9999 ||
        m < 1 || m > 12 || d < 1 || d > 31 || d > days_in_month(y, m))
        return NULL;
    snprintf(buffer, 11, "%04d-%02d-%02d", y, m, d);
    return buffer;
}

/* A flag as true or false: Kolada sends booleans or 0/1; anything else is unknown (NULL). */
static const char *flag_of(const json_t *value)
{
    if (json_is_boolean(value))
        return json_is_true(value) ? "t" : "f";
    if (json_is_integer(value) && (json_integer_value(value) == 0 || json_integer_value(value) == 1))
        return json_integer_value(value) ? "t" : "f";
    return NULL;
}

static int read_kpi(transform_context *context, transform_source *source, size_t index,
                    const json_t *value, nk_error *err)
{
    char b1[32], b2[32], date[16];
    const char *id = json_string_value(json_object_get(value, "id"));

    if (id == NULL || *id == '\0')
        return reject_value(context, source, index, value, "a KPI without a string \"id\"", err);
    const char *fields[] = {
        id,
        member_text(value, "title", b1, sizeof b1),
        member_text(value, "description", b2, sizeof b2),
        json_string_value(json_object_get(value, "operating_area")),
        flag_of(json_object_get(value, "is_divided_by_gender")),
        json_string_value(json_object_get(value, "municipality_type")),
        flag_of(json_object_get(value, "has_ou_data")),
        date_of(json_object_get(value, "publication_date"), date),
        json_string_value(json_object_get(value, "auspices")),
        json_string_value(json_object_get(value, "perspective")),
    };
    if (fields[1] == NULL)
        return reject_value(context, source, index, value, "a KPI without a \"title\"", err);
    transform_dimension_put(context, "dim_kpi", id, fields);
    written(source);
    return 0;
}

static int read_area(transform_context *context, transform_source *source, size_t index,
                     const json_t *value, nk_error *err)
{
    const char *id = json_string_value(json_object_get(value, "id"));
    const char *title = json_string_value(json_object_get(value, "title"));
    const char *type = json_string_value(json_object_get(value, "type"));
    char county[3], region[5];

    if (id == NULL || strlen(id) != 4 || strspn(id, "0123456789") != 4)
        return reject_value(context, source, index, value,
                            "expected a four-digit area \"id\" like \"0180\"", err);
    if (title == NULL || type == NULL || (strcmp(type, "K") != 0 && strcmp(type, "L") != 0))
        return reject_value(context, source, index, value,
                            "expected a \"title\" and a \"type\" of \"K\" or \"L\"", err);
    if (strcmp(id, "0000") == 0) {
        transform_dimension_put(context, "dim_area", id,
                                (const char *const[]){ id, title, "country", type, NULL, NULL });
    } else if (strcmp(type, "L") == 0) {
        snprintf(county, sizeof county, "%s", id + 2);
        transform_dimension_put(context, "dim_area", id,
                                (const char *const[]){ id, title, "region", type, county, NULL });
    } else {
        snprintf(county, sizeof county, "%.2s", id);
        snprintf(region, sizeof region, "00%s", county);
        transform_dimension_put(context, "dim_area", id,
                                (const char *const[]){ id, title, "municipality", type, county, region });
    }
    written(source);
    return 0;
}

static int read_group_members(transform_context *context, transform_source *source,
                              const char *group, const json_t *members, nk_error *err)
{
    char key[128];
    size_t i;
    json_t *member;

    json_array_foreach(members, i, member) {
        const char *id = json_string_value(json_object_get(member, "id"));
        if (id == NULL || !transform_dimension_has(context, "dim_area", id)) {
            char why[160];
            snprintf(why, sizeof why, "member of group %s is not a known area", group);
            if (reject_value(context, source, i, member, why, err) < 0)
                return -1;
            continue;
        }
        snprintf(key, sizeof key, "%s\t%s", group, id);
        transform_dimension_put(context, "area_group_member", key, (const char *const[]){ group, id });
        written(source);
    }
    return 0;
}

static int read_municipality_group(transform_context *context, transform_source *source,
                                   size_t index, const json_t *value, nk_error *err)
{
    const char *id = json_string_value(json_object_get(value, "id"));
    const char *title = json_string_value(json_object_get(value, "title"));
    const json_t *members = json_object_get(value, "members");

    if (id == NULL || title == NULL || !json_is_array(members))
        return reject_value(context, source, index, value,
                            "expected a group with \"id\", \"title\" and a \"members\" list", err);
    transform_dimension_put(context, "dim_area", id,
                            (const char *const[]){ id, title, "group", NULL, NULL, NULL });
    written(source);
    return read_group_members(context, source, id, members, err);
}

static int read_ou(transform_context *context, transform_source *source, size_t index,
                   const json_t *value, nk_error *err)
{
    const char *id = json_string_value(json_object_get(value, "id"));
    const char *municipality = json_string_value(json_object_get(value, "municipality"));
    const char *title = json_string_value(json_object_get(value, "title"));

    if (id == NULL || title == NULL || municipality == NULL)
        return reject_value(context, source, index, value,
                            "expected a unit with \"id\", \"municipality\" and \"title\"", err);
    if (!transform_dimension_has(context, "dim_area", municipality))
        return reject_value(context, source, index, value,
                            "the unit's municipality is not a known area", err);
    transform_dimension_put(context, "dim_ou", id,
                            (const char *const[]){ id, municipality, title, NULL, "kolada" });
    written(source);
    return 0;
}

int transform_kolada_read_metadata(transform_context *context, transform_source *source,
                                   const json_t *page, transform_kolada_kind kind,
                                   nk_error *err)
{
    const json_t *values = json_object_get(page, "values");
    size_t i;
    json_t *value;
    int rc = 0;

    json_array_foreach(values, i, value) {
        switch (kind) {
        case KOLADA_KPI:
            rc = read_kpi(context, source, i, value, err);
            break;
        case KOLADA_MUNICIPALITY:
            rc = read_area(context, source, i, value, err);
            break;
        case KOLADA_MUNICIPALITY_GROUPS:
            rc = read_municipality_group(context, source, i, value, err);
            break;
        case KOLADA_OU:
            rc = read_ou(context, source, i, value, err);
            break;
        default:
            /* KPI groups only steer what extract selects; the warehouse does not keep them. */
            return 0;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}
