/*
 * export_values.c: one value of an internal export resolved into its keys
 * (unit, period, scenario, breakdown), read as a number in its measure's
 * unit and written as a fact with its dimension rows (see
 * export_internal.h).  export.c calls these for each value cell of a wide
 * or long mapping; export_records.c for the totals of a row-level one.
 */
#include "transform/exports/export_internal.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transform/staged/dimensions.h"
#include "transform/cells/ids.h"
#include "transform/cells/names.h"
#include "transform/staged/rejects.h"
#include "transform/staged/tables.h"

int export_reject(export_state *s, long line, long column, const char *raw, const char *reason,
                  nk_error *err)
{
    return transform_reject(s->context->rejects, s->source, line, column, raw, reason, err);
}

int export_blank(const char *text)
{
    return text == NULL || strspn(text, " \t\r\n") == strlen(text);
}

/* ---- resolving a row ---- */

/* ---- one value ---- */

static int value_period(const export_state *s, const row_keys *keys, const transform_column *column,
                        value_keys *v, char reason[TRANSFORM_REASON_MAX])
{
    const char *text = keys->texts[TRANSFORM_ROLE_PERIOD];
    char why[TRANSFORM_PERIOD_REASON_MAX];

    if (column->has_period) {
        v->period = column->period;
        return 0;
    }
    v->column = keys->columns[TRANSFORM_ROLE_PERIOD];
    v->raw = text;
    if (text == NULL) {
        snprintf(reason, TRANSFORM_REASON_MAX, "%s", "no period");
        return -1;
    }
    if (transform_period_parse(text, strlen(text), transform_layout_context_year(&s->mapping),
                               &v->period, why) == 0)
        return 0;
    snprintf(reason, TRANSFORM_REASON_MAX, "%.150s", why);
    return -1;
}

static int value_words(const row_keys *keys, const transform_column *column, value_keys *v,
                       char reason[TRANSFORM_REASON_MAX])
{
    const char *scenario = keys->texts[TRANSFORM_ROLE_SCENARIO];
    const char *gender = keys->texts[TRANSFORM_ROLE_GENDER];

    v->scenario = column->scenario ? column->scenario : "outcome";
    if (column->scenario == NULL && scenario) {
        v->column = keys->columns[TRANSFORM_ROLE_SCENARIO];
        v->raw = scenario;
        if ((v->scenario = transform_scenario_of(scenario, reason)) == NULL)
            return -1;
    }
    v->gender = "T";
    if (gender) {
        v->column = keys->columns[TRANSFORM_ROLE_GENDER];
        v->raw = gender;
        if ((v->gender = transform_gender_of(gender, reason)) == NULL)
            return -1;
    }
    return 0;
}

void export_put_org_unit(export_state *s, const char *id, const char *area, const char *title,
                         const char *parent)
{
    /* Five fields: dim_ou's parent_ou_id and ou_kind are optional columns for load. */
    if (!transform_dimension_has(s->context, "dim_ou", id))
        transform_dimension_put(s->context, "dim_ou", id,
                                (const char *const[]){ id, area, title, parent, "internal" });
}

/*
 * Without an org-unit file: ids from the names, "0580/socialförvaltningen/
 * hemtjänst norr" for administration/service area/unit, each level a unit of
 * its own under the one before.  A row with none of them is about the whole
 * municipality and goes on a unit whose id is the municipality's code.  An
 * id is never cut short (two long names would become one unit): one too
 * long is rejected.
 */
static int unit_from_names(export_state *s, const row_keys *keys, value_keys *v,
                           char reason[TRANSFORM_REASON_MAX])
{
    static const transform_role levels[] = { TRANSFORM_ROLE_ADMINISTRATION,
                                             TRANSFORM_ROLE_SERVICE_AREA, TRANSFORM_ROLE_UNIT };
    char parent[sizeof v->unit_id] = "", why[TRANSFORM_ID_REASON_MAX];

    snprintf(v->unit_id, sizeof v->unit_id, "%s", keys->area);
    for (int i = 0; i < 3; i++) {
        const char *text = keys->texts[levels[i]];
        char *key, *id = NULL;
        if (text == NULL)
            continue;
        key = transform_name_key(text, strlen(text));
        if (asprintf(&id, "%s/%s", parent[0] ? parent : keys->area, key ? key : "") < 0)
            id = NULL;
        free(key);
        if (id == NULL || transform_id_check(TRANSFORM_ID_INTERNAL, "unit", id, why) < 0) {
            snprintf(reason, TRANSFORM_REASON_MAX, "%.150s", id ? why : "out of memory");
            v->column = keys->columns[levels[i]];
            v->raw = text;
            free(id);
            return -1;
        }
        snprintf(v->unit_id, sizeof v->unit_id, "%s", id);
        free(id);
        export_put_org_unit(s, v->unit_id, keys->area, text, parent[0] ? parent : NULL);
        snprintf(parent, sizeof parent, "%s", v->unit_id);
    }
    if (parent[0] == '\0')
        export_put_org_unit(s, v->unit_id, keys->area, keys->texts[TRANSFORM_ROLE_AREA], NULL);
    return 0;
}

static int value_unit(export_state *s, const row_keys *keys, value_keys *v,
                      char reason[TRANSFORM_REASON_MAX])
{
    const char *text = keys->texts[TRANSFORM_ROLE_UNIT];
    const transform_org_unit *unit;
    char first[11], last[11], why[TRANSFORM_ORG_REASON_MAX];

    if (!s->mapping.has_org || text == NULL)
        return unit_from_names(s, keys, v, reason);
    transform_period_dates(&v->period, first, last);
    unit = transform_org_unit_resolve(&s->mapping.org, text, first, last, why);
    if (unit == NULL) {
        v->column = keys->columns[TRANSFORM_ROLE_UNIT];
        v->raw = text;
        snprintf(reason, TRANSFORM_REASON_MAX, "%.150s", why);
        return -1;
    }
    snprintf(v->unit_id, sizeof v->unit_id, "%s", unit->unit_id);
    return 0;
}

/*
 * The breakdown: "all" without a breakdown cell, else the column's header
 * and the cell as keys, "placeringsform/hvb", remembered in dim_breakdown.
 */
static int value_breakdown(export_state *s, const row_keys *keys, value_keys *v,
                           char reason[TRANSFORM_REASON_MAX])
{
    const char *text = keys->texts[TRANSFORM_ROLE_BREAKDOWN];
    char *key, *id = NULL, why[TRANSFORM_ID_REASON_MAX];

    if (text == NULL || s->breakdown_kind == NULL) {
        snprintf(v->breakdown_id, sizeof v->breakdown_id, "%s", "all");
        return 0;
    }
    key = transform_name_key(text, strlen(text));
    if (asprintf(&id, "%s/%s", s->breakdown_kind, key ? key : "") < 0)
        id = NULL;
    free(key);
    /* Never cut short: two long kinds of placement would become one. */
    if (id == NULL || transform_id_check(TRANSFORM_ID_INTERNAL, "breakdown", id, why) < 0) {
        snprintf(reason, TRANSFORM_REASON_MAX, "%.150s", id ? why : "out of memory");
        v->column = keys->columns[TRANSFORM_ROLE_BREAKDOWN];
        v->raw = text;
        free(id);
        return -1;
    }
    snprintf(v->breakdown_id, sizeof v->breakdown_id, "%s", id);
    free(id);
    if (!transform_dimension_has(s->context, "dim_breakdown", v->breakdown_id))
        transform_dimension_put(
            s->context, "dim_breakdown", v->breakdown_id,
            (const char *const[]){
                v->breakdown_id,
                s->layout.columns[s->layout.role_column[TRANSFORM_ROLE_BREAKDOWN]].name, text });
    return 0;
}

int export_row_keys(export_state *s, const row_keys *keys, const transform_column *column,
                    value_keys *v, char reason[TRANSFORM_REASON_MAX])
{
    if (value_period(s, keys, column, v, reason) < 0 || value_words(keys, column, v, reason) < 0 ||
        value_unit(s, keys, v, reason) < 0)
        return -1;
    return value_breakdown(s, keys, v, reason);
}

int export_value_number(const export_state *s, const transform_row *row, size_t c,
                        const value_keys *v, double *value, int *is_null, char unit_name[32],
                        char reason[TRANSFORM_REASON_MAX])
{
    const transform_column *column = &s->layout.columns[c];
    const char *cell = s->cells[c];
    transform_number n;

    *is_null = 0;
    if (row->numeric && c < row->count && row->numeric[c]) {
        static locale_t c_locale;
        if (c_locale == (locale_t)0)
            c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
        char *end;
        memset(&n, 0, sizeof n);
        n.status = TRANSFORM_NUMBER_OK;
        n.value = strtod_l(cell, &end, c_locale);
        n.unit = column->unit;
        /* An empty <v/> is a missing value, not zero; junk or an overflow is no number. */
        if (*cell == '\0') {
            n.status = TRANSFORM_NUMBER_MISSING;
        } else if (*end != '\0' || !isfinite(n.value)) {
            snprintf(reason, TRANSFORM_REASON_MAX, "expected a number in the cell, found \"%.40s\"",
                     cell);
            return -1;
        }
    } else if (transform_number_parse(cell, strlen(cell), s->mapping.decimal_mark, &column->unit,
                                      &n) == TRANSFORM_NUMBER_ERROR) {
        snprintf(reason, TRANSFORM_REASON_MAX, "%s", n.reason);
        return -1;
    }
    if (n.status == TRANSFORM_NUMBER_MISSING) {
        *is_null = 1;
        snprintf(unit_name, 32, "%s", v->measure.unit_name);
        return 0;
    }
    if (v->measure.unit_name[0] && v->measure.unit.kind == TRANSFORM_UNIT_NONE &&
        n.unit.kind != TRANSFORM_UNIT_NONE) {
        char name[32];
        transform_unit_name(&n.unit, name, sizeof name);
        snprintf(reason, TRANSFORM_REASON_MAX, "the cell is in %s but measure %.40s is in %.20s",
                 name, v->measure.id, v->measure.unit_name);
        return -1;
    }
    if (transform_unit_convert(n.value, &n.unit, &v->measure.unit, value, reason) < 0)
        return -1;
    if (v->measure.unit_name[0])
        snprintf(unit_name, 32, "%s", v->measure.unit_name);
    else
        transform_unit_name(&n.unit, unit_name, 32);
    return 0;
}

void export_put_period(transform_context *context, const transform_period *period)
{
    char year[8], start[11], end[11];

    if (period->granularity == TRANSFORM_PERIOD_YEAR) {
        transform_dimension_put_year(context, period->year);
        return;
    }
    if (transform_dimension_has(context, "dim_period", period->id))
        return;
    snprintf(year, sizeof year, "%d", period->year);
    transform_period_dates(period, start, end);
    transform_dimension_put(context, "dim_period", period->id,
                            (const char *const[]){ period->id,
                                                   transform_granularity_name(period->granularity),
                                                   year, start, end });
}

int export_put_fact(export_state *s, const value_keys *v, const double *value, int is_small_count,
                    const char *unit_name, nk_error *err)
{
    char number[40], ref[24];

    if (value)
        snprintf(number, sizeof number, "%.15g", *value);
    snprintf(ref, sizeof ref, "%ld", s->source->source_ref);
    const char *fields[] = { v->measure.id,         v->unit_id,
                             v->period.id,          v->scenario,
                             value ? number : NULL, ref,
                             v->breakdown_id,       is_small_count ? "t" : "f" };
    if (transform_table_row(s->context->tables, "fact_internal_value", fields, err) < 0)
        return -1;
    export_put_period(s->context, &v->period);
    if (!transform_dimension_has(s->context, "dim_measure", v->measure.id))
        transform_dimension_put(s->context, "dim_measure", v->measure.id,
                                (const char *const[]){ v->measure.id, v->measure.title,
                                                       unit_name[0] ? unit_name : NULL });
    return 0;
}

const char *export_unsupported(const value_keys *v)
{
    if (v->period.granularity == TRANSFORM_PERIOD_RANGE)
        return "a range of months is no warehouse period: expected a year, half-year, quarter "
               "or month";
    if (strcmp(v->gender, "T") != 0)
        return "internal figures are kept for both genders together (T) only";
    return NULL;
}
