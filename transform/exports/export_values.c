/*
 * export_values.c: one row of an internal export resolved into keys (unit,
 * area, period, scenario, breakdown, measure) and its value cells written as
 * facts (see export_internal.h).  export.c reads the file and calls these for
 * each row; export_records.c uses them to key and write its totals.
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

static void role_text(const export_state *s, row_keys *keys, transform_role role)
{
    long at = s->layout.role_column[role];

    keys->texts[role] = s->mapping.constants[role];
    keys->columns[role] = 0;
    if (at >= 0 && !export_blank(s->cells[at])) {
        keys->texts[role] = s->cells[at];
        keys->columns[role] = at + 1;
    }
}

static int row_area(const export_state *s, row_keys *keys, char reason[TRANSFORM_REASON_MAX])
{
    char why[TRANSFORM_AREA_REASON_MAX];

    if (keys->texts[TRANSFORM_ROLE_AREA] == NULL) {
        snprintf(reason, TRANSFORM_REASON_MAX, "%s", "no municipality");
        return -1;
    }
    if (transform_area_resolve(s->mapping.areas, keys->texts[TRANSFORM_ROLE_AREA], keys->area,
                               why) == 1)
        return 0;
    snprintf(reason, TRANSFORM_REASON_MAX, "%.159s", why);
    return -1;
}

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

static int value_measure(const export_state *s, const row_keys *keys,
                         const transform_column *column, value_keys *v,
                         char reason[TRANSFORM_REASON_MAX])
{
    const char *measure = column->measure ? column->measure : keys->texts[TRANSFORM_ROLE_MEASURE];

    v->column = column->measure ? 0 : keys->columns[TRANSFORM_ROLE_MEASURE];
    v->raw = measure;
    if (measure == NULL) {
        snprintf(reason, TRANSFORM_REASON_MAX, "%s", "no measure");
        return -1;
    }
    return transform_measure_of(&s->mapping, measure, &v->measure, reason);
}

static void put_org_unit(export_state *s, const char *id, const char *area, const char *title,
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
        put_org_unit(s, v->unit_id, keys->area, text, parent[0] ? parent : NULL);
        snprintf(parent, sizeof parent, "%s", v->unit_id);
    }
    if (parent[0] == '\0')
        put_org_unit(s, v->unit_id, keys->area, keys->texts[TRANSFORM_ROLE_AREA], NULL);
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

/*
 * A measure the mapping gives no unit takes the unit of its first value
 * with one, and later values are converted into it (1,5 mnkr after 700 tkr
 * is 1 500 tkr), so one measure never mixes units.
 */
static void settle_measure_unit(export_state *s, value_keys *v)
{
    const char *seen;

    if (v->measure.unit_name[0])
        return;
    seen = json_string_value(json_object_get(s->measure_units, v->measure.id));
    if (seen) {
        snprintf(v->measure.unit_name, sizeof v->measure.unit_name, "%s", seen);
        if (transform_unit_parse(seen, &v->measure.unit) < 0)
            memset(&v->measure.unit, 0, sizeof v->measure.unit);
    }
}

static void remember_measure_unit(export_state *s, const value_keys *v, const char *unit_name)
{
    if (!v->measure.unit_name[0] && unit_name[0])
        json_object_set_new(s->measure_units, v->measure.id, json_string(unit_name));
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

static int write_fact(export_state *s, const value_keys *v, double value, int is_null,
                      const char *unit_name, nk_error *err)
{
    if (export_put_fact(s, v, is_null ? NULL : &value, 0, unit_name, err) < 0)
        return -1;
    s->source->counts.rows_read++;
    s->source->counts.rows_written++;
    return 0;
}

/*
 * Two cells of one file for the same measure, unit, period and scenario
 * (two old units merged into one, a unit listed twice): which one is right
 * cannot be told, so the first stays and the later one is rejected.
 */
static int already_written(export_state *s, const value_keys *v, long line,
                           char reason[TRANSFORM_REASON_MAX])
{
    char key[3 * (TRANSFORM_INTERNAL_ID_MAX + 1) + 64];
    const json_t *first;

    snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s\x1f%s", v->measure.id, v->unit_id, v->period.id,
             v->scenario, v->breakdown_id);
    first = json_object_get(s->written, key);
    if (first == NULL) {
        json_object_set_new(s->written, key, json_integer(line));
        return 0;
    }
    snprintf(reason, TRANSFORM_REASON_MAX,
             "line %" JSON_INTEGER_FORMAT " already gave %.30s for unit %.30s, %s, %.8s%s%.20s",
             json_integer_value(first), v->measure.id, v->unit_id, v->period.id, v->scenario,
             strcmp(v->breakdown_id, "all") ? ", " : "",
             strcmp(v->breakdown_id, "all") ? v->breakdown_id : "");
    return 1;
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

int export_read_value(export_state *s, const transform_row *row, const row_keys *keys, size_t c,
                      nk_error *err)
{
    const transform_column *column = &s->layout.columns[c];
    char reason[TRANSFORM_REASON_MAX], unit_name[32] = "";
    const char *why;
    value_keys v;
    double value = 0;
    int is_null = 0;

    /* A blank cell is no value at all; "-", ".." and "x" are a value that is missing. */
    if (export_blank(s->cells[c]))
        return 0;
    memset(&v, 0, sizeof v);
    if (export_row_keys(s, keys, column, &v, reason) < 0 ||
        value_measure(s, keys, column, &v, reason) < 0)
        return export_reject(s, row->line, v.column, v.raw, reason, err);
    if ((why = export_unsupported(&v)) != NULL)
        return export_reject(s, row->line, (long)c + 1, NULL, why, err);
    if (already_written(s, &v, row->line, reason))
        return export_reject(s, row->line, (long)c + 1, s->cells[c], reason, err);
    settle_measure_unit(s, &v);
    if (export_value_number(s, row, c, &v, &value, &is_null, unit_name, reason) < 0)
        return export_reject(s, row->line, (long)c + 1, s->cells[c], reason, err);
    remember_measure_unit(s, &v, unit_name);
    return write_fact(s, &v, value, is_null, unit_name, err);
}

void export_put_org_file(export_state *s)
{
    const char *area = s->mapping.constants[TRANSFORM_ROLE_AREA];
    char code[5] = "", why[TRANSFORM_AREA_REASON_MAX];

    if (area && transform_area_resolve(s->mapping.areas, area, code, why) != 1)
        code[0] = '\0';
    for (size_t i = 0; s->mapping.has_org && i < s->mapping.org.count; i++) {
        const transform_org_unit *u = &s->mapping.org.units[i];
        put_org_unit(s, u->unit_id, code[0] ? code : NULL, u->title, u->parent_id);
    }
}

int export_row_resolve(export_state *s, row_keys *keys, char reason[TRANSFORM_REASON_MAX])
{
    memset(keys, 0, sizeof *keys);
    for (int role = 0; role < TRANSFORM_ROLE_COUNT; role++)
        role_text(s, keys, (transform_role)role);
    return row_area(s, keys, reason);
}
