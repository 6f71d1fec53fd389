/*
 * export.c: one internal export file into staged rows (see export.h).
 *
 * Two passes over the file: the guard looks at every mapped cell for a
 * personal identity number, then the rows are read again and written, or
 * all rejected when the guard found one.  Nothing is written in the first
 * pass, so a rejected file leaves nothing of itself in the staged tables.
 */
#include "transform/exports/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "transform/exports/export_internal.h"
#include "transform/cells/ids.h"
#include "lib/base/log.h"
#include "transform/cells/names.h"
#include "lib/base/pnr.h"
#include "transform/staged/rejects.h"
#include "transform/staged/tables.h"

#define REPLACEMENT "\xEF\xBF\xBD"

static const char *file_name_of(const char *uri)
{
    const char *hash = strrchr(uri, '#'), *slash = strrchr(uri, '/');

    return hash ? hash + 1 : slash ? slash + 1 : uri;
}

/* ---- header ---- */

static void free_header(char **header[2], size_t counts[2])
{
    for (int r = 0; r < 2; r++) {
        for (size_t c = 0; c < counts[r]; c++)
            free(header[r][c]);
        free(header[r]);
    }
}

/* Skip the lines before the header, read the header rows and lay the columns out. */
static int read_header(export_state *s, char reason[TRANSFORM_ROW_REASON_MAX])
{
    char **header[2] = { NULL, NULL };
    size_t counts[2] = { 0, 0 };
    const transform_row *row;
    char why[TRANSFORM_REASON_MAX];
    int rc = 0;

    for (int i = 0; i < s->mapping.skip_lines + s->mapping.header_rows; i++) {
        rc = transform_export_reader_next(&s->reader, &row, reason);
        if (rc <= 0)
            break;
        int r = i - s->mapping.skip_lines;
        if (r < 0)
            continue;
        s->header_line = row->line;
        if (row->problem) {
            snprintf(reason, TRANSFORM_ROW_REASON_MAX, "header: %s", row->problem);
            rc = -1;
            break;
        }
        header[r] = calloc(row->count + 1, sizeof *header[r]);
        for (size_t c = 0; c < row->count; c++)
            header[r][c] = strdup(row->fields[c]);
        counts[r] = row->count;
    }
    if (rc == 0)
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "%s", "the file ends before its header");
    if (rc == 1 &&
        transform_layout_build(&s->mapping, (char **const *)header, counts, &s->layout, why) < 0) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "header: %s", why);
        rc = -1;
    }
    free_header(header, counts);
    return rc == 1 ? 0 : -1;
}

/* A header cell may itself be a personal number (an export with one column
 * per client), and the reason repeats the header: such a column is logged
 * by its position only, so the number never reaches the log. */
static void log_dropped(const export_state *s)
{
    for (size_t c = 0; c < s->layout.count; c++) {
        const transform_column *column = &s->layout.columns[c];
        if (column->role != TRANSFORM_COLUMN_DROPPED || !column->why_dropped[0])
            continue;
        if (nk_pnr_holds(column->name) || nk_pnr_holds(column->why_dropped))
            nk_debug("%s: column %zu left out: its header holds a personal identity number",
                     s->source->uri, c + 1);
        else
            nk_debug("%s: column %zu \"%s\" left out: %s", s->source->uri, c + 1, column->name,
                     column->why_dropped);
    }
}

/*
 * A column that is no role, no measure, no personal-number column and not
 * in ignore_columns would vanish without a word: each is a warning in the
 * log and in the file's entry of the manifest (and so the run's summary),
 * or, with "unmapped_columns": "error", rejects the file.  A header that
 * holds a personal identity number is named by its position only.
 */
static int check_unmapped(export_state *s, char reason[TRANSFORM_ROW_REASON_MAX])
{
    char warning[TRANSFORM_REASON_MAX + 160];

    for (size_t c = 0; c < s->layout.count; c++) {
        const transform_column *column = &s->layout.columns[c];
        if (column->role != TRANSFORM_COLUMN_DROPPED ||
            transform_mapping_ignores(&s->mapping, column->name))
            continue;
        if (nk_pnr_holds(column->name))
            snprintf(warning, sizeof warning,
                     "column %zu (its header holds a personal identity "
                     "number) is mapped to nothing",
                     c + 1);
        else
            snprintf(warning, sizeof warning, "column %zu \"%.80s\" is mapped to nothing%s%.100s",
                     c + 1, column->name, column->why_dropped[0] ? ": " : "",
                     nk_pnr_holds(column->why_dropped) ? "" : column->why_dropped);
        if (s->mapping.unmapped_error) {
            snprintf(reason, TRANSFORM_ROW_REASON_MAX, "%.160s (unmapped_columns: \"error\")",
                     warning);
            return -1;
        }
        nk_warn("%s: %s", s->source->uri, warning);
        if (s->source->warnings == NULL)
            s->source->warnings = json_array();
        json_array_append_new(s->source->warnings, json_string(warning));
    }
    return 0;
}

/* The breakdown column's header as a key: what its values break down by. */
static void find_breakdown_kind(export_state *s)
{
    long at = s->layout.role_column[TRANSFORM_ROLE_BREAKDOWN];
    const char *name = at >= 0 ? s->layout.columns[at].name : NULL;

    if (name)
        s->breakdown_kind = transform_name_key(name, strlen(name));
}

/* ---- rows ---- */

static const char *cell_of(const transform_row *row, size_t column)
{
    return column < row->count ? row->fields[column] : "";
}

/* Cells with fill-down applied; NULL-free. */
static void fill_cells(export_state *s, const transform_row *row)
{
    for (size_t c = 0; c < s->layout.count; c++) {
        const char *cell = cell_of(row, c);
        if (s->layout.columns[c].fill_down) {
            if (export_blank(cell) && s->previous[c]) {
                cell = s->previous[c];
            } else if (!export_blank(cell)) {
                free(s->previous[c]);
                s->previous[c] = strdup(cell);
            }
        }
        s->cells[c] = cell;
    }
}

static int mapped(const transform_column *column)
{
    return column->role >= 0;
}

/* No mapped cell holds anything: not a data row. */
static int blank_row(const export_state *s, const transform_row *row)
{
    for (size_t c = 0; c < s->layout.count; c++)
        if (mapped(&s->layout.columns[c]) && !export_blank(cell_of(row, c)))
            return 0;
    return 1;
}

static int total_row(const export_state *s)
{
    for (size_t c = 0; c < s->layout.count; c++) {
        int role = s->layout.columns[c].role;
        if ((c == 0 || (role >= 0 && role != TRANSFORM_ROLE_VALUE)) &&
            transform_mapping_is_total(&s->mapping, s->cells[c]))
            return 1;
    }
    return 0;
}

/* ---- the personal-data guard ---- */

static int cell_holds_pnr(const transform_column *column, const char *cell, size_t length)
{
    size_t at, found;

    if (column->amount)
        return nk_pnr_find_in_amount(cell, length, &at, &found) != NK_PNR_NONE;
    return nk_pnr_find(cell, length, &at, &found) != NK_PNR_NONE;
}

/* Refuse the file for column c, the number found on line (its header's when a header). */
static void refuse_file(export_state *s, size_t c, long line)
{
    const transform_column *column = &s->layout.columns[c];

    /* A header may be a number itself: then the column goes by its position alone. */
    snprintf(s->guard, sizeof s->guard,
             "file rejected whole: column %zu \"%.40s\" (mapped as %s) holds a personal "
             "identity number on line %ld",
             c + 1, nk_pnr_holds(column->name) ? "?" : column->name,
             transform_role_name((transform_role)column->role), line);
    nk_warn("%s: %s%s", s->source->uri, s->guard,
            column->role == TRANSFORM_ROLE_VALUE && !column->amount
                ? " (a column of amounts can say so: amount_columns)"
                : "");
    if (s->context->refused_files++ == 0 &&
        asprintf(&s->context->first_refusal, "%s: %s", s->source->uri, s->guard) < 0)
        s->context->first_refusal = NULL;
}

static int guard_row(export_state *s, const transform_row *row)
{
    for (size_t c = 0; c < s->layout.count && c < row->count; c++) {
        const transform_column *column = &s->layout.columns[c];
        if (mapped(column) && cell_holds_pnr(column, row->fields[c], row->lengths[c])) {
            refuse_file(s, c, row->line);
            return 1;
        }
    }
    return 0;
}

/* A wide layout's value headers become measure titles and periods: they are data too. */
static int guard_header(export_state *s)
{
    for (size_t c = 0; c < s->layout.count; c++)
        if (mapped(&s->layout.columns[c]) && nk_pnr_holds(s->layout.columns[c].name)) {
            refuse_file(s, c, s->header_line);
            return 1;
        }
    return 0;
}

/*
 * The first pass: look for personal identity numbers in mapped cells.  A
 * file that cannot be opened or read is left for the second pass, which
 * rejects it with the reason.
 */
static void run_guard(export_state *s)
{
    char reason[TRANSFORM_ROW_REASON_MAX];
    const transform_row *row;

    if (transform_export_reader_open(&s->reader, &s->mapping, s->source->path, reason) == 0 &&
        read_header(s, reason) == 0 && !guard_header(s))
        while (transform_export_reader_next(&s->reader, &row, reason) == 1 && !guard_row(s, row))
            continue;
    transform_export_reader_close(&s->reader);
    transform_layout_free(&s->layout);
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

static int read_value(export_state *s, const transform_row *row, const row_keys *keys, size_t c,
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

/* A row holding a byte that was not valid in the file's encoding. */
static int damaged_row(export_state *s, const transform_row *row, nk_error *err)
{
    const transform_bad_byte *bad;
    char reason[TRANSFORM_REASON_MAX];

    for (size_t c = 0; c < s->layout.count; c++) {
        if (!mapped(&s->layout.columns[c]) || strstr(cell_of(row, c), REPLACEMENT) == NULL)
            continue;
        bad = transform_export_reader_bad(&s->reader, row->line, row->last_line);
        if (bad)
            snprintf(reason, sizeof reason,
                     "byte 0x%02X at line %ld, byte offset %lld is not valid %s", bad->byte,
                     bad->line, bad->offset, transform_encoding_name(s->reader.encoding));
        else
            snprintf(reason, sizeof reason, "%s",
                     "the text holds U+FFFD: it was damaged before it was exported");
        return export_reject(s, row->line, (long)c + 1, NULL, reason, err) < 0 ? -1 : 1;
    }
    return 0;
}

/*
 * A CSV row whose field count is not the header's has lost or gained a
 * separator: its cells stand under the wrong headings, so none of them can
 * be trusted.  (An XLSX row may leave out empty cells at its end: there a
 * short row is normal, but a cell beyond the header is still shifted data.)
 */
static int ragged_row(export_state *s, const transform_row *row, nk_error *err)
{
    char reason[TRANSFORM_REASON_MAX];
    int csv = s->reader.csv != NULL;
    size_t extra = row->count > s->layout.count ? row->count - s->layout.count : 0;

    for (size_t c = s->layout.count; c < row->count; c++)
        if (export_blank(row->fields[c]))
            extra--;
    if (extra == 0 && (!csv || row->count >= s->layout.count))
        return 0;
    snprintf(reason, sizeof reason, "expected %zu fields as in the header, found %zu",
             s->layout.count, row->count);
    return export_reject(s, row->line, 0, NULL, reason, err) < 0 ? -1 : 1;
}

static int read_row(export_state *s, const transform_row *row, nk_error *err)
{
    char reason[TRANSFORM_REASON_MAX];
    row_keys keys;
    int rc;

    if (row->problem)
        return export_reject(s, row->line, 0, NULL, row->problem, err);
    if (blank_row(s, row))
        return 0;
    fill_cells(s, row);
    if (total_row(s))
        return 0;
    if (s->guard[0])
        return export_reject(s, row->line, 0, NULL, s->guard, err);
    if ((rc = ragged_row(s, row, err)) != 0)
        return rc < 0 ? -1 : 0;
    if ((rc = damaged_row(s, row, err)) != 0)
        return rc < 0 ? -1 : 0;
    memset(&keys, 0, sizeof keys);
    for (int role = 0; role < TRANSFORM_ROLE_COUNT; role++)
        role_text(s, &keys, (transform_role)role);
    if (row_area(s, &keys, reason) < 0)
        return export_reject(s, row->line, keys.columns[TRANSFORM_ROLE_AREA],
                             keys.texts[TRANSFORM_ROLE_AREA], reason, err);
    if (s->records)
        return export_records_add(s, row, &keys, err);
    for (size_t c = 0; c < s->layout.count; c++)
        if (s->layout.columns[c].role == TRANSFORM_ROLE_VALUE &&
            read_value(s, row, &keys, c, err) < 0)
            return -1;
    return 0;
}

static void put_org_file(export_state *s)
{
    const char *area = s->mapping.constants[TRANSFORM_ROLE_AREA];
    char code[5] = "", why[TRANSFORM_AREA_REASON_MAX];

    if (area && transform_area_resolve(s->mapping.areas, area, code, why) != 1)
        code[0] = '\0';
    for (size_t i = 0; s->mapping.has_org && i < s->mapping.org.count; i++) {
        const transform_org_unit *u = &s->mapping.org.units[i];
        export_put_org_unit(s, u->unit_id, code[0] ? code : NULL, u->title, u->parent_id);
    }
}

static int any_text(const transform_row *row)
{
    for (size_t c = 0; c < row->count; c++)
        if (!export_blank(row->fields[c]))
            return 1;
    return 0;
}

/*
 * A file that cannot be read as its mapping says loses every row, and each
 * one counts: the rest of the file is read only to reject its rows one by
 * one (raw null: unmapped cells may be personal data).  A file that cannot
 * be read at all, or has no row left, is one reject.
 */
static int reject_file(export_state *s, long line, const char *reason, int opened, nk_error *err)
{
    char why[TRANSFORM_ROW_REASON_MAX];
    const transform_row *row;
    uint64_t before = s->source->counts.rows_rejected;

    while (opened && transform_export_reader_next(&s->reader, &row, why) == 1)
        if (any_text(row) &&
            export_reject(s, row->line, s->layout.near_column, NULL, reason, err) < 0)
            return -1;
    if (s->source->counts.rows_rejected > before)
        return 0;
    return export_reject(s, line, s->layout.near_column, NULL, reason, err);
}

/* The file matches none of the mapping's "files": its data rows, as the mapping would read it. */
static int reject_unwanted(export_state *s, const char *reason, nk_error *err)
{
    char why[TRANSFORM_ROW_REASON_MAX];
    const transform_row *row;
    int opened = transform_export_reader_open(&s->reader, &s->mapping, s->source->path, why) == 0;

    for (int i = 0; opened && i < s->mapping.skip_lines + s->mapping.header_rows; i++)
        if (transform_export_reader_next(&s->reader, &row, why) != 1)
            break;
    return reject_file(s, 0, reason, opened, err);
}

static int read_rows(export_state *s, nk_error *err)
{
    char reason[TRANSFORM_ROW_REASON_MAX];
    const transform_row *row;
    int rc;

    if (transform_export_reader_open(&s->reader, &s->mapping, s->source->path, reason) < 0)
        return export_reject(s, 0, 0, NULL, reason, err);
    if (read_header(s, reason) < 0 || check_unmapped(s, reason) < 0)
        return reject_file(s, s->header_line, reason, 1, err);
    log_dropped(s);
    find_breakdown_kind(s);
    if (s->mapping.records && export_records_start(s, reason) < 0)
        return reject_file(s, s->header_line, reason, 1, err);
    s->previous = calloc(s->layout.count + 1, sizeof *s->previous);
    s->cells = calloc(s->layout.count + 1, sizeof *s->cells);
    s->measure_units = json_object();
    s->written = json_object();
    put_org_file(s);
    while ((rc = transform_export_reader_next(&s->reader, &row, reason)) == 1)
        if (read_row(s, row, err) < 0)
            return -1;
    if (rc < 0) {
        char why[TRANSFORM_ROW_REASON_MAX + 48];
        snprintf(why, sizeof why, "%s; the rest of the file was not read", reason);
        return export_reject(s, transform_export_reader_line(&s->reader), 0, NULL, why, err);
    }
    return s->records ? export_records_finish(s, err) : 0;
}

static void free_state(export_state *s)
{
    for (size_t c = 0; s->previous && c < s->layout.count; c++)
        free(s->previous[c]);
    free(s->previous);
    free(s->cells);
    json_decref(s->measure_units);
    json_decref(s->written);
    free(s->breakdown_kind);
    export_records_free(s->records);
    transform_layout_free(&s->layout);
    transform_export_reader_close(&s->reader);
    transform_mapping_free(&s->mapping);
}

int transform_export_read(transform_context *context, transform_source *source, nk_error *err)
{
    const char *name = json_string_value(json_object_get(source->settings, "mapping"));
    export_state s;
    int rc;

    memset(&s, 0, sizeof s);
    s.context = context;
    s.source = source;
    if (name == NULL)
        return nk_fail(err, NK_EXIT_CONFIG,
                       "%s: source \"%s\" is of type \"files\" but names no \"mapping\"",
                       context->job->path, source->source);
    if (transform_mapping_load(context->job, name, &s.mapping, err) < 0)
        return -1;
    if (!transform_mapping_wants(&s.mapping, file_name_of(source->uri))) {
        char reason[TRANSFORM_REASON_MAX];
        snprintf(reason, sizeof reason, "the file matches none of mapping \"%.40s\"'s \"files\"",
                 name);
        rc = reject_unwanted(&s, reason, err);
        free_state(&s);
        return rc;
    }
    run_guard(&s);
    rc = read_rows(&s, err);
    free_state(&s);
    return rc;
}
