/*
 * export_layout.c: header rows to a layout (see export_layout.h).
 */
#include "transform/exports/export_layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transform/cells/names.h"

static const char *cell_at(char **const *cells, const size_t *counts, int row, size_t column)
{
    return column < counts[row] && cells[row][column] ? cells[row][column] : "";
}

static int blank(const char *text)
{
    return text[0] == '\0' || strspn(text, " \t\r\n") == strlen(text);
}

static char *join_header(const transform_mapping *m, char **const *cells, const size_t *counts,
                         size_t column)
{
    const char *top = cell_at(cells, counts, 0, column);
    const char *bottom = m->header_rows > 1 ? cell_at(cells, counts, 1, column) : "";
    size_t size = strlen(top) + strlen(bottom) + 2;
    char *name = malloc(size);

    if (name)
        snprintf(name, size, "%s%s%s", blank(top) ? "" : top,
                 !blank(top) && !blank(bottom) ? " " : "", blank(bottom) ? "" : bottom);
    return name;
}

/* Does the column go by wanted, as a whole or by one of its header cells? */
static int column_named(const transform_mapping *m, char **const *cells, const size_t *counts,
                        const transform_column *column, size_t index, const char *wanted)
{
    if (transform_name_equal(column->name, wanted))
        return 1;
    for (int r = 0; r < m->header_rows; r++)
        if (!blank(cell_at(cells, counts, r, index)) &&
            transform_name_equal(cell_at(cells, counts, r, index), wanted))
            return 1;
    return 0;
}

static long find_column(const transform_mapping *m, char **const *cells, const size_t *counts,
                        const transform_layout *layout, const char *wanted,
                        char reason[TRANSFORM_REASON_MAX])
{
    long found = -1;

    for (size_t i = 0; i < layout->count; i++) {
        if (!column_named(m, cells, counts, &layout->columns[i], i, wanted))
            continue;
        if (found >= 0) {
            snprintf(reason, TRANSFORM_REASON_MAX, "two columns are named \"%.60s\" (%ld and %zu)",
                     wanted, found + 1, i + 1);
            return -2;
        }
        found = (long)i;
    }
    return found;
}

int transform_layout_context_year(const transform_mapping *m)
{
    const char *period = m->constants[TRANSFORM_ROLE_PERIOD];
    transform_period p;
    char reason[TRANSFORM_PERIOD_REASON_MAX];

    if (m->year)
        return m->year;
    if (period && transform_period_parse(period, strlen(period), 0, &p, reason) == 0)
        return p.year;
    return 0;
}

/* A period in a header cell, also with a unit or note in brackets ("2023 (tkr)"). */
static int header_period(const char *text, int year, transform_period *period,
                         char reason[TRANSFORM_REASON_MAX])
{
    char plain[256], why[TRANSFORM_PERIOD_REASON_MAX];
    size_t n = 0;
    int depth = 0;

    for (const char *p = text; *p && n + 1 < sizeof plain; p++) {
        depth += *p == '(';
        if (depth == 0)
            plain[n++] = *p;
        depth -= *p == ')' && depth > 0;
    }
    plain[n] = '\0';
    if (transform_period_parse(plain, n, year, period, why) == 0)
        return 0;
    snprintf(reason, TRANSFORM_REASON_MAX, "header \"%.60s\": %.80s", text, why);
    return -1;
}

/*
 * Read a wide column's header rows; -1 (with why_dropped) when they do not
 * fit, -2 when the header names a measure in a unit that is not its own.
 */
static int read_wide_header(const transform_mapping *m, char **const *filled, const size_t *counts,
                            size_t index, transform_column *column)
{
    int year = transform_layout_context_year(m);
    char period_text[512] = "";

    for (int r = 0; r < m->header_rows; r++) {
        const char *text = cell_at(filled, counts, r, index);
        int role = m->header_roles[r];
        if (role == TRANSFORM_ROLE_PERIOD) {
            size_t used = strlen(period_text);
            snprintf(period_text + used, sizeof period_text - used, "%s%s", used ? " " : "", text);
        } else if (role == TRANSFORM_ROLE_SCENARIO) {
            column->scenario = transform_scenario_of(text, column->why_dropped);
            if (column->scenario == NULL)
                return -1;
        } else if (role == TRANSFORM_ROLE_MEASURE) {
            transform_measure measure;
            int rc = transform_measure_of(m, text, &measure, column->why_dropped);
            if (rc < 0)
                return rc;
            if (m->records && measure.aggregate != TRANSFORM_AGGREGATE_SUM) {
                snprintf(column->why_dropped, TRANSFORM_REASON_MAX,
                         "measure %.60s counts records and reads no column", measure.id);
                return -1;
            }
            column->measure = strdup(text);
        }
    }
    if (m->header_roles[0] == TRANSFORM_ROLE_PERIOD ||
        m->header_roles[1] == TRANSFORM_ROLE_PERIOD) {
        if (header_period(period_text, year, &column->period, column->why_dropped) < 0)
            return -1;
        column->has_period = 1;
    }
    return 0;
}

/* Header cells with blank upper cells repeating the one on their left. */
static char ***fill_right(const transform_mapping *m, char **const *cells, const size_t *counts,
                          size_t width)
{
    char ***filled = calloc(2, sizeof *filled);
    const char *last = "";

    for (int r = 0; filled && r < m->header_rows; r++) {
        filled[r] = calloc(width + 1, sizeof **filled);
        for (size_t c = 0; filled[r] && c < width; c++) {
            const char *cell = cell_at(cells, counts, r, c);
            if (r == 0 && m->header_rows > 1 && blank(cell))
                cell = last;
            else if (r == 0)
                last = cell;
            filled[r][c] = (char *)cell;
        }
    }
    return filled;
}

/* A header misspelt by a letter or two ("Enhett" for "Enhet"): its column, or -1. */
static long nearest_column(const transform_layout *layout, const char *wanted)
{
    size_t best = 3, distance;
    long at = -1;

    for (size_t i = 0; i < layout->count; i++) {
        distance = transform_name_distance(layout->columns[i].name, wanted, 2);
        if (distance < best) {
            best = distance;
            at = (long)i;
        }
    }
    return at;
}

static void missing_column(const transform_mapping *m, transform_layout *layout, int role,
                           char reason[TRANSFORM_REASON_MAX])
{
    long near = nearest_column(layout, m->columns[role]);
    int n = snprintf(reason, TRANSFORM_REASON_MAX, "no column named \"%.60s\" (columns.%s)",
                     m->columns[role], transform_role_name((transform_role)role));

    if (near >= 0 && n > 0 && n < TRANSFORM_REASON_MAX)
        snprintf(reason + n, (size_t)(TRANSFORM_REASON_MAX - n), "; column %ld is \"%.40s\"",
                 near + 1, layout->columns[near].name);
    layout->near_column = near + 1;
}

static int place_roles(const transform_mapping *m, char **const *cells, const size_t *counts,
                       transform_layout *layout, char reason[TRANSFORM_REASON_MAX])
{
    for (int role = 0; role < TRANSFORM_ROLE_COUNT; role++) {
        layout->role_column[role] = -1;
        if (m->columns[role] == NULL)
            continue;
        long at = find_column(m, cells, counts, layout, m->columns[role], reason);
        if (at == -2)
            return -1;
        if (at < 0) {
            missing_column(m, layout, role, reason);
            return -1;
        }
        layout->role_column[role] = at;
        layout->columns[at].role = role;
    }
    return 0;
}

static int mark_personal(const transform_mapping *m, char **const *cells, const size_t *counts,
                         transform_layout *layout, char reason[TRANSFORM_REASON_MAX])
{
    size_t i;
    json_t *name;

    json_array_foreach (m->personal_numbers, i, name) {
        long at = find_column(m, cells, counts, layout, json_string_value(name), reason);
        if (at == -2)
            return -1;
        if (at < 0)
            continue;
        if (layout->columns[at].role != TRANSFORM_COLUMN_DROPPED) {
            snprintf(reason, TRANSFORM_REASON_MAX,
                     "column \"%.60s\" is declared personal_numbers and also mapped as %s",
                     json_string_value(name), transform_role_name(layout->columns[at].role));
            return -1;
        }
        layout->columns[at].role = TRANSFORM_COLUMN_PERSONAL;
    }
    return 0;
}

static void mark_fill_down(const transform_mapping *m, char **const *cells, const size_t *counts,
                           transform_layout *layout)
{
    for (size_t c = 0; c < layout->count; c++) {
        transform_column *column = &layout->columns[c];
        size_t i;
        json_t *name;
        column->fill_down = m->fill_all && column->role >= 0 &&
                            column->role != TRANSFORM_ROLE_VALUE;
        json_array_foreach (m->fill_down, i, name)
            column->fill_down |= column_named(m, cells, counts, column, c, json_string_value(name));
    }
}

static int place_values(const transform_mapping *m, char ***filled, const size_t *counts,
                        transform_layout *layout, char reason[TRANSFORM_REASON_MAX])
{
    for (size_t c = 0; c < layout->count; c++) {
        transform_column *column = &layout->columns[c];
        int value = column->role == TRANSFORM_ROLE_VALUE;
        if (m->wide && column->role == TRANSFORM_COLUMN_DROPPED) {
            int rc = read_wide_header(m, filled, counts, c, column);
            if (rc == -2) {
                snprintf(reason, TRANSFORM_REASON_MAX, "column %zu: %.130s", c + 1,
                         column->why_dropped);
                return -1;
            }
            value = rc == 0;
        }
        if (!value)
            continue;
        column->role = TRANSFORM_ROLE_VALUE;
        layout->value_count++;
        if (transform_unit_in_header(column->name, &column->unit, reason) < 0)
            return -1;
    }
    if (layout->value_count == 0 && !m->records) {
        snprintf(reason, TRANSFORM_REASON_MAX, "%s",
                 "no value columns: no header reads as the mapping's header_roles say");
        return -1;
    }
    return 0;
}

/* amount_columns: value columns whose plain ten- and twelve-digit numbers are kronor. */
static int mark_amounts(const transform_mapping *m, char **const *cells, const size_t *counts,
                        transform_layout *layout, char reason[TRANSFORM_REASON_MAX])
{
    size_t i;
    json_t *name;

    for (size_t c = 0; m->amount_all && c < layout->count; c++)
        layout->columns[c].amount = layout->columns[c].role == TRANSFORM_ROLE_VALUE;
    json_array_foreach (m->amount_columns, i, name) {
        long at = find_column(m, cells, counts, layout, json_string_value(name), reason);
        if (at == -2)
            return -1;
        if (at < 0 || layout->columns[at].role != TRANSFORM_ROLE_VALUE) {
            snprintf(reason, TRANSFORM_REASON_MAX, "%s \"%.60s\" (amount_columns)",
                     at < 0 ? "no column named" : "not a value column:", json_string_value(name));
            return -1;
        }
        layout->columns[at].amount = 1;
    }
    return 0;
}

int transform_layout_build(const transform_mapping *m, char **const *cells, const size_t *counts,
                           transform_layout *layout, char reason[TRANSFORM_REASON_MAX])
{
    size_t width = 0;
    char ***filled;
    int rc = -1;

    memset(layout, 0, sizeof *layout);
    for (int r = 0; r < m->header_rows; r++)
        width = counts[r] > width ? counts[r] : width;
    layout->columns = calloc(width + 1, sizeof *layout->columns);
    layout->count = width;
    for (size_t c = 0; c < width; c++) {
        layout->columns[c].role = TRANSFORM_COLUMN_DROPPED;
        layout->columns[c].name = join_header(m, cells, counts, c);
    }
    filled = fill_right(m, cells, counts, width);
    if (place_roles(m, cells, counts, layout, reason) == 0 &&
        mark_personal(m, cells, counts, layout, reason) == 0) {
        mark_fill_down(m, cells, counts, layout);
        rc = place_values(m, filled, counts, layout, reason);
        if (rc == 0)
            rc = mark_amounts(m, cells, counts, layout, reason);
    }
    for (int r = 0; filled && r < 2; r++)
        free(filled[r]);
    free(filled);
    return rc;
}

void transform_layout_free(transform_layout *layout)
{
    for (size_t c = 0; c < layout->count; c++) {
        free(layout->columns[c].name);
        free(layout->columns[c].measure);
    }
    free(layout->columns);
    memset(layout, 0, sizeof *layout);
}
