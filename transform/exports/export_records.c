/*
 * export_records.c: a row-level export ("layout": "rows"), where each row
 * is one record (a placement, a decision, a person), added up into figures
 * per unit, period, scenario and breakdown (see export_internal.h).
 *
 * Each measure is the sum of its column, the number of records, or the
 * number of distinct people in a declared personal-number column.  A
 * record counts in its own period, in each longer period the mapping's
 * "totals" name (the year by default), and, when the export has a
 * breakdown column, under its kind and under all kinds together: every
 * figure is made from the records themselves, so a year's count of people
 * is not the sum of its months'.  A record that cannot be used in full is
 * rejected whole, so no figure holds part of a record.  The personal
 * numbers are hashed as they are read (person_hash.h) and reach no file,
 * reject or log line: a bad one is rejected by its column, never its text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "transform/exports/export_internal.h"
#include "transform/cells/names.h"

#define MAX_GROUPS 8 /* its own period and three longer ones, each by kind and for all kinds */

typedef struct record_measure {
    transform_measure measure;
    long column; /* value column (sum) or personal-number column (people); -1 for rows */
} record_measure;

/* One record's part of one measure, worked out before any of it is added. */
typedef struct record_part {
    double value;
    int is_missing, is_none;
    transform_person person;
} record_part;

struct export_records {
    record_measure *measures;
    record_part *parts; /* the row being read, one per measure */
    size_t count;
    transform_totals *totals;
};

static long column_named(const export_state *s, const char *name, int role)
{
    for (size_t c = 0; c < s->layout.count; c++)
        if (s->layout.columns[c].role == role &&
            transform_name_equal(s->layout.columns[c].name, name))
            return (long)c;
    return -1;
}

/* The value column whose header names the measure, or -1. */
static long sum_column(const export_state *s, const char *id)
{
    transform_measure found;
    char reason[TRANSFORM_REASON_MAX];

    for (size_t c = 0; c < s->layout.count; c++) {
        const transform_column *column = &s->layout.columns[c];
        if (column->role == TRANSFORM_ROLE_VALUE && column->measure &&
            transform_measure_of(&s->mapping, column->measure, &found, reason) == 0 &&
            strcmp(found.id, id) == 0)
            return (long)c;
    }
    return -1;
}

static int place_measure(const export_state *s, record_measure *m,
                         char reason[TRANSFORM_REASON_MAX])
{
    m->column = -1;
    if (m->measure.aggregate == TRANSFORM_AGGREGATE_SUM)
        m->column = sum_column(s, m->measure.id);
    if (m->measure.aggregate != TRANSFORM_AGGREGATE_COUNT_PEOPLE)
        return 0;
    m->column = column_named(s, m->measure.person_column, TRANSFORM_COLUMN_PERSONAL);
    if (m->column >= 0)
        return 0;
    snprintf(reason, TRANSFORM_REASON_MAX,
             "no personal-number column named \"%.60s\" "
             "(measures.%.40s.column)",
             m->measure.person_column, m->measure.id);
    return -1;
}

int export_records_start(export_state *s, char reason[TRANSFORM_REASON_MAX])
{
    export_records *r = calloc(1, sizeof *r);
    const char *id;
    json_t *def;

    s->records = r;
    if (r == NULL ||
        (r->measures = calloc(json_object_size(s->mapping.measures) + 1, sizeof *r->measures)) ==
            NULL ||
        (r->parts = calloc(json_object_size(s->mapping.measures) + 1, sizeof *r->parts)) == NULL ||
        (r->totals = transform_totals_new(json_object_size(s->mapping.measures))) == NULL) {
        snprintf(reason, TRANSFORM_REASON_MAX, "%s", "out of memory");
        return -1;
    }
    json_object_foreach ((json_t *)s->mapping.measures, id, def) {
        record_measure *m = &r->measures[r->count++];
        if (transform_measure_of(&s->mapping, id, &m->measure, reason) < 0 ||
            place_measure(s, m, reason) < 0)
            return -1;
    }
    return 0;
}

void export_records_free(export_records *r)
{
    if (r == NULL)
        return;
    free(r->measures);
    free(r->parts);
    transform_totals_free(r->totals);
    free(r);
}

/* The record's part of measure m; -1 with reason and the column to blame. */
static int read_part(export_state *s, const transform_row *row, const record_measure *m,
                     value_keys *v, record_part *part, char reason[TRANSFORM_REASON_MAX])
{
    const char *cell = m->column >= 0 ? s->cells[m->column] : "";
    char unit_name[32];
    int is_null = 0;

    memset(part, 0, sizeof *part);
    part->value = 1;
    if (m->measure.aggregate == TRANSFORM_AGGREGATE_COUNT_ROWS)
        return 0;
    part->is_none = m->column < 0 || cell[strspn(cell, " \t\r\n")] == '\0';
    if (m->measure.aggregate == TRANSFORM_AGGREGATE_COUNT_PEOPLE) {
        if (!part->is_none && transform_person_of(cell, strlen(cell), &part->person) == 0)
            return 0;
        snprintf(reason, TRANSFORM_REASON_MAX,
                 "column %ld \"%.40s\": expected a personal "
                 "identity number (measure %.30s)",
                 m->column + 1, s->layout.columns[m->column].name, m->measure.id);
        return -1;
    }
    if (part->is_none)
        return 0;
    v->measure = m->measure;
    if (export_value_number(s, row, (size_t)m->column, v, &part->value, &is_null, unit_name,
                            reason) < 0)
        return -1;
    part->is_missing = is_null;
    return 0;
}

/* The periods a record counts in: its own, then each longer one "totals" names. */
static size_t record_periods(const export_state *s, const transform_period *own,
                             transform_period periods[4])
{
    static const int months[] = { 12, 6, 3 };
    char reason[TRANSFORM_PERIOD_REASON_MAX];
    size_t n = 0;

    periods[n++] = *own;
    for (int g = TRANSFORM_PERIOD_QUARTER; g >= TRANSFORM_PERIOD_YEAR; g--)
        if ((s->mapping.totals & (1u << g)) && (int)own->granularity > g &&
            transform_period_make((transform_granularity)g, own->year,
                                  g == TRANSFORM_PERIOD_YEAR
                                      ? 0
                                      : (own->first_month - 1) / months[g] + 1,
                                  &periods[n], reason) == 0)
            n++;
    return n;
}

/* The groups the record counts in, made (with their period rows) when new. */
static int record_groups(export_state *s, const value_keys *v, long groups[MAX_GROUPS],
                         size_t *count)
{
    transform_period periods[4];
    size_t n = record_periods(s, &v->period, periods);
    const char *breakdowns[] = { v->breakdown_id, "all" };
    size_t kinds = strcmp(v->breakdown_id, "all") == 0 ? 1 : 2;
    /* Room for the whole of every id (ids.h): a key cut short would join two groups. */
    char key[2 * (TRANSFORM_INTERNAL_ID_MAX + 1) + 64];
    int is_new;

    *count = 0;
    for (size_t p = 0; p < n; p++)
        for (size_t b = 0; b < kinds; b++) {
            snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s", v->unit_id, periods[p].id,
                     v->scenario, breakdowns[b]);
            long group = transform_totals_group(s->records->totals, key, &is_new);
            if (group < 0)
                return -1;
            if (is_new)
                export_put_period(s->context, &periods[p]);
            groups[(*count)++] = group;
        }
    return 0;
}

static int add_parts(export_state *s, const value_keys *v, const record_part *parts)
{
    export_records *r = s->records;
    long groups[MAX_GROUPS];
    size_t count;

    if (record_groups(s, v, groups, &count) < 0)
        return -1;
    for (size_t g = 0; g < count; g++)
        for (size_t i = 0; i < r->count; i++) {
            if (parts[i].is_none)
                continue;
            if (r->measures[i].measure.aggregate != TRANSFORM_AGGREGATE_COUNT_PEOPLE)
                transform_totals_add(r->totals, groups[g], i, parts[i].value, parts[i].is_missing);
            else if (transform_totals_person(r->totals, groups[g], i, &parts[i].person) < 0)
                return -1;
        }
    return 0;
}

int export_records_add(export_state *s, const transform_row *row, const row_keys *keys,
                       nk_error *err)
{
    export_records *r = s->records;
    const transform_column own_period = { .has_period = 0 };
    char reason[TRANSFORM_REASON_MAX];
    record_part *parts = r->parts;
    const char *why;
    value_keys v;
    int rc = 0;

    memset(&v, 0, sizeof v);
    if (export_row_keys(s, keys, &own_period, &v, reason) < 0)
        rc = export_reject(s, row->line, v.column, v.raw, reason, err);
    else if ((why = export_unsupported(&v)) != NULL)
        rc = export_reject(s, row->line, 0, NULL, why, err);
    else {
        size_t i = 0;
        while (i < r->count && read_part(s, row, &r->measures[i], &v, &parts[i], reason) == 0)
            i++;
        /* A sum's cell is named; a personal number never is. */
        if (i < r->count)
            rc = export_reject(s, row->line, r->measures[i].column + 1,
                               r->measures[i].measure.aggregate == TRANSFORM_AGGREGATE_SUM
                                   ? s->cells[r->measures[i].column]
                                   : NULL,
                               reason, err);
        else if (add_parts(s, &v, parts) < 0)
            rc = nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory adding up records",
                         s->source->uri);
        else {
            s->source->counts.rows_read++;
            s->source->counts.rows_written++;
        }
    }
    /* The hashes of this record's people go with it. */
    memset(parts, 0, (r->count + 1) * sizeof *parts);
    return rc;
}

/* A group key back into a fact's keys: unit, period, scenario, breakdown. */
static int group_keys(const char *key, value_keys *v)
{
    char copy[700], *fields[4], *save = NULL;
    char reason[TRANSFORM_PERIOD_REASON_MAX];

    snprintf(copy, sizeof copy, "%s", key);
    fields[0] = strtok_r(copy, "\x1f", &save);
    for (int i = 1; i < 4; i++)
        fields[i] = strtok_r(NULL, "\x1f", &save);
    if (fields[3] == NULL)
        return -1;
    memset(v, 0, sizeof *v);
    snprintf(v->unit_id, sizeof v->unit_id, "%s", fields[0]);
    snprintf(v->breakdown_id, sizeof v->breakdown_id, "%s", fields[3]);
    v->scenario = strcmp(fields[2], "budget") == 0     ? "budget"
                  : strcmp(fields[2], "forecast") == 0 ? "forecast"
                                                       : "outcome";
    return transform_period_parse(fields[1], strlen(fields[1]), 0, &v->period, reason);
}

static int small_count(const export_state *s, const transform_measure *measure, double value)
{
    return measure->aggregate == TRANSFORM_AGGREGATE_COUNT_PEOPLE && value > 0 &&
           value < s->mapping.small_counts_below;
}

int export_records_finish(export_state *s, nk_error *err)
{
    export_records *r = s->records;
    value_keys v;
    double value;

    for (size_t g = 0; g < transform_totals_groups(r->totals); g++) {
        if (group_keys(transform_totals_key(r->totals, (long)g), &v) < 0)
            return nk_fail(err, NK_EXIT_SOFTWARE, "%s: a total lost its keys", s->source->uri);
        for (size_t i = 0; i < r->count; i++) {
            transform_figure_state state = transform_totals_figure(r->totals, (long)g, i, &value);
            if (state == TRANSFORM_FIGURE_NONE)
                continue;
            v.measure = r->measures[i].measure;
            if (export_put_fact(s, &v, state == TRANSFORM_FIGURE_VALUE ? &value : NULL,
                                small_count(s, &v.measure, value), v.measure.unit_name, err) < 0)
                return -1;
        }
    }
    return 0;
}
