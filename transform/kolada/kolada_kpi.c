/*
 * kolada_kpi.c: a Kolada KPI (/kpi) into a dim_kpi row (see kolada_page.h).
 *
 * The API has renamed fields between versions (v2's "auspices" is v3's
 * "auspice"), so each attribute is read under every name it has had.  An
 * attribute the delivery lacks under all of them is named in the row's
 * missing_fields, and load keeps what the warehouse already has: a rename
 * must never turn a known value into NULL.  An attribute sent as null is
 * Kolada saying it has none, and is NULL.
 */
#include <stdio.h>
#include <string.h>

#include "transform/staged/dimensions.h"
#include "transform/kolada/kolada_fields.h"
#include "transform/kolada/kolada_page.h"
#include "lib/base/log.h"

typedef enum attribute_type { TEXT, FLAG, DATE } attribute_type;

/* The attributes after id and title, in dim_kpi's column order, with every name Kolada used. */
static const struct {
    const char *column;
    const char *names[3];
    attribute_type type;
} attributes[] = {
    { "description", { "description" }, TEXT },
    { "operating_area", { "operating_area" }, TEXT },
    { "is_divided_by_gender", { "is_divided_by_gender" }, FLAG },
    { "municipality_type", { "municipality_type" }, TEXT },
    { "has_ou_data", { "has_ou_data" }, FLAG },
    { "publication_date", { "publication_date" }, DATE },
    { "auspices", { "auspice", "auspices" }, TEXT },
    { "perspective", { "perspective" }, TEXT },
};

#define ATTRIBUTES (sizeof attributes / sizeof attributes[0])
_Static_assert(ATTRIBUTES == TRANSFORM_KOLADA_KPI_ATTRIBUTES, "kolada_page.h counts them");

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

/* A flag as true or false: v3 sends booleans, v2 0/1; anything else is unknown (NULL). */
static const char *flag_of(const json_t *value)
{
    if (json_is_boolean(value))
        return json_is_true(value) ? "t" : "f";
    if (json_is_integer(value) &&
        (json_integer_value(value) == 0 || json_integer_value(value) == 1))
        return json_integer_value(value) ? "t" : "f";
    return NULL;
}

/* The member under the first of the attribute's names the KPI has, or NULL when it has none. */
static const json_t *member_of(const json_t *kpi, size_t a)
{
    for (size_t n = 0; n < 3 && attributes[a].names[n]; n++) {
        const json_t *member = json_object_get(kpi, attributes[a].names[n]);
        if (member)
            return member;
    }
    return NULL;
}

static const char *field_of(const json_t *member, attribute_type type, char *date)
{
    switch (type) {
    case FLAG:
        return flag_of(member);
    case DATE:
        return date_of(member, date);
    default:
        return json_string_value(member);
    }
}

/* Add column to the array literal in missing ("{a,b}"); column names need no quoting. */
static void note_missing(char *missing, size_t size, const char *column)
{
    size_t length = strlen(missing);

    if (length == 0)
        snprintf(missing, size, "{%s}", column);
    else
        snprintf(missing + length - 1, size - length + 1, ",%s}", column);
}

void transform_kolada_read_kpi(transform_context *context, const char *id, const char *title,
                               const json_t *kpi, unsigned *lacking)
{
    char dates[ATTRIBUTES][16], missing[256] = "";
    const char *fields[2 + ATTRIBUTES + 1] = { id, title };

    for (size_t a = 0; a < ATTRIBUTES; a++) {
        const json_t *member = member_of(kpi, a);
        if (member == NULL) {
            note_missing(missing, sizeof missing, attributes[a].column);
            lacking[a]++;
        }
        fields[2 + a] = member ? field_of(member, attributes[a].type, dates[a]) : NULL;
    }
    fields[2 + ATTRIBUTES] = *missing ? missing : NULL;
    transform_dimension_put(context, "dim_kpi", id, fields);
}

void transform_kolada_report_lacking(const transform_source *source, const unsigned *lacking)
{
    for (size_t a = 0; a < ATTRIBUTES; a++) {
        const char *const *names = attributes[a].names;
        if (lacking[a] == 0)
            continue;
        nk_warn("%s: %u KPI(s) without \"%s\"%s%s%s: the warehouse keeps the %s it has for them",
                source->path, lacking[a], names[0], names[1] ? " or \"" : "",
                names[1] ? names[1] : "", names[1] ? "\"" : "", attributes[a].column);
    }
}
