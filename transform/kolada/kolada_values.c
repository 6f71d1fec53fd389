/*
 * kolada_values.c: Kolada data pages into fact rows (see kolada_page.h).
 *
 * One row of a page holds a KPI, an area (or unit) and a period, and a list
 * of values, one per gender.  Each of those values is a row read, written or
 * rejected.  A null value stays NULL, never zero; Kolada's count (for groups:
 * how many members reported) and status marker are kept.  A value marked
 * deleted (isdeleted, or v2's is_deleted) becomes a deletion row for load.
 *
 * The page is read as a stream (lib/kolada_stream.h), a piece at a time, so
 * memory does not grow with the page; numbers reach COPY as Kolada wrote
 * them, and one no double holds rejects its value, showing it.  A reject quotes its row or value as
 * written, read back from the file by its byte span.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "transform/staged/dimensions.h"
#include "lib/base/exit_codes.h"
#include "transform/cells/ids.h"
#include "transform/kolada/kolada_page.h"
#include "lib/kolada/kolada_stream.h"
#include "lib/base/pnr.h"
#include "transform/staged/rejects.h"
#include "transform/staged/tables.h"

#define PIECE_SIZE 65536

/* The years a period id may name (see nk_kolada_row). */
#define YEAR_FIRST 1900
#define YEAR_LAST 2100

typedef struct page_reader {
    transform_context *context;
    transform_source *source;
    int unit_level;
    int fd;
    size_t rows; /* the page's values (rows) met so far */
    char ref[24];
    /* Rows come grouped by KPI and place: the last ones found are asked first. */
    char known_kpi[64];
    char known_place[64];
    unsigned char years_put[YEAR_LAST - YEAR_FIRST + 1]; /* already in dim_period */
} page_reader;

/* The bytes of a row or value as the file has them (malloc'd, NUL-terminated). */
static char *text_of(const page_reader *r, nk_kolada_span span, nk_error *err)
{
    size_t length = (size_t)(span.end - span.start), done = 0;
    char *text = malloc(length + 1);

    if (text == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", r->source->path);
        return NULL;
    }
    while (done < length) {
        ssize_t n = pread(r->fd, text + done, length - done, (off_t)(span.start + done));
        if (n <= 0) {
            nk_fail(err, NK_EXIT_IOERR, "%s: read failed: %s", r->source->path,
                    n < 0 ? strerror(errno) : "the file got shorter");
            free(text);
            return NULL;
        }
        done += (size_t)n;
    }
    text[length] = '\0';
    return text;
}

static int reject_item(page_reader *r, nk_kolada_span span, const char *reason, nk_error *err)
{
    char *raw = text_of(r, span, err);
    int rc = raw ? transform_reject(r->context->rejects, r->source, 0, 0, raw, reason, err) : -1;

    free(raw);
    return rc;
}

/* Every gender value of a row whose KPI, area or period is unusable is rejected. */
static int reject_row(page_reader *r, const nk_kolada_row *row, const char *why, nk_error *err)
{
    char reason[512];

    snprintf(reason, sizeof reason, "values[%zu]: %s", row->index, why);
    if (row->value_count == 0)
        return reject_item(r, row->span, reason, err);
    for (size_t i = 0; i < row->value_count; i++)
        if (reject_item(r, row->values[i].span, reason, err) < 0)
            return -1;
    return 0;
}

/* A number as COPY text: as Kolada wrote it, but -0 as the integer 0; null or absent is NULL. */
static const char *number_text(nk_kolada_member number)
{
    if (number.type != NK_KOLADA_INTEGER && number.type != NK_KOLADA_REAL)
        return NULL;
    if (number.type == NK_KOLADA_INTEGER && strcmp(number.text, "-0") == 0)
        return "0";
    return number.text;
}

static int write_value(page_reader *r, const nk_kolada_row *row, const char *period,
                       const nk_kolada_value *value, nk_error *err)
{
    const char *gender = value->gender.text;
    char reason[512];

    if (value->problem) {
        char shown[96] = "";
        if (value->found)
            transform_id_shown(value->found, shown, sizeof shown);
        snprintf(reason, sizeof reason, "values[%zu]: %s%s%s", row->index, value->problem,
                 value->found ? ", found " : "", shown);
        return reject_item(r, value->span, reason, err);
    }
    if (value->count.type == NK_KOLADA_INTEGER && !transform_fits_integer(value->count.text)) {
        char shown[96];
        transform_id_shown(value->count.text, shown, sizeof shown);
        snprintf(reason, sizeof reason,
                 "values[%zu]: \"count\" %s is more than 2147483647, the most the warehouse holds",
                 row->index, shown);
        return reject_item(r, value->span, reason, err);
    }
    if (value->status.type == NK_KOLADA_STRING && nk_pnr_holds(value->status.text)) {
        snprintf(reason, sizeof reason, "values[%zu]: \"status\" holds a personal identity number",
                 row->index);
        return reject_item(r, value->span, reason, err);
    }
    if (value->deleted) {
        const char *fields[] = { row->kpi.text, row->place.text, period, gender, r->ref };
        if (transform_table_row(r->context->tables,
                                r->unit_level ? "fact_ou_value_deleted" : "fact_kpi_value_deleted",
                                fields, err) < 0)
            return -1;
    } else {
        const char *status = value->status.text;
        const char *fields[] = {
            row->kpi.text,
            row->place.text,
            period,
            gender,
            number_text(value->value),
            number_text(value->count),
            (status && *status) ? status : NULL,
            r->ref,
        };
        if (transform_table_row(r->context->tables,
                                r->unit_level ? "fact_ou_value" : "fact_kpi_value", fields,
                                err) < 0)
            return -1;
    }
    r->source->counts.rows_read++;
    r->source->counts.rows_written++;
    return 0;
}

/* Is id in the dimension table?  known holds the last id found there. */
static int in_dimension(page_reader *r, const char *table, const char *id, char *known, size_t size)
{
    if (strcmp(known, id) == 0)
        return 1;
    if (!transform_dimension_has(r->context, table, id))
        return 0;
    if (strlen(id) < size)
        memcpy(known, id, strlen(id) + 1);
    return 1;
}

/* Why the row's KPI, place or period cannot be used, or NULL. */
static const char *check_row(page_reader *r, const nk_kolada_row *row,
                             char why[TRANSFORM_ID_REASON_MAX], size_t size)
{
    if (row->id_problem)
        return row->id_problem;
    if (transform_id_check(TRANSFORM_ID_KOLADA, "KPI", row->kpi.text, why) < 0 ||
        transform_id_check(TRANSFORM_ID_KOLADA, r->unit_level ? "unit" : "area", row->place.text,
                           why) < 0)
        return why;
    if (!in_dimension(r, "dim_kpi", row->kpi.text, r->known_kpi, sizeof r->known_kpi)) {
        snprintf(why, size, "unknown KPI \"%s\": no metadata for it in this run", row->kpi.text);
        return why;
    }
    if (!in_dimension(r, r->unit_level ? "dim_ou" : "dim_area", row->place.text, r->known_place,
                      sizeof r->known_place)) {
        snprintf(why, size, "unknown %s \"%s\": no metadata for it in this run",
                 r->unit_level ? "unit" : "area", row->place.text);
        return why;
    }
    return row->problem;
}

static int on_row(void *user, const nk_kolada_row *row, nk_error *err)
{
    page_reader *r = user;
    char why[TRANSFORM_ID_REASON_MAX];
    const char *problem = check_row(r, row, why, sizeof why);
    /* A year from 1900 to 2100, as 2023 or "2023": its text is already the period id. */
    const char *period = row->period.text;

    r->rows++;
    if (problem)
        return reject_row(r, row, problem, err);
    if (row->year < YEAR_FIRST || row->year > YEAR_LAST) {
        transform_dimension_put_year(r->context, row->year);
    } else if (!r->years_put[row->year - YEAR_FIRST]) {
        transform_dimension_put_year(r->context, row->year);
        r->years_put[row->year - YEAR_FIRST] = 1;
    }
    for (size_t i = 0; i < row->value_count; i++)
        if (write_value(r, row, period, &row->values[i], err) < 0)
            return -1;
    return 0;
}

/* A key of the page, a row or a value that the stream does not keep: known, or warned about. */
static void on_other_key(void *user, const char *object, const char *key, size_t length)
{
    page_reader *r = user;
    char text[128];

    snprintf(text, sizeof text, "%.*s", (int)(length < 100 ? length : 100), key);
    transform_kolada_check_key(r->context, r->source,
                               strcmp(object, "page") == 0  ? "page"
                               : strcmp(object, "row") == 0 ? "data row"
                                                            : "data value",
                               text);
}

/* Feed the whole file to the stream, a piece at a time. */
static int stream_file(page_reader *r, nk_kolada_stream *stream, nk_error *err)
{
    char piece[PIECE_SIZE];
    ssize_t n;
    int rc = 0;

    while (rc == 0 && (n = read(r->fd, piece, PIECE_SIZE)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = nk_fail(err, NK_EXIT_IOERR, "%s: read failed: %s", r->source->path,
                         strerror(errno));
        else
            rc = nk_kolada_stream_feed(stream, piece, (size_t)n, err);
    }
    return rc < 0 ? -1 : nk_kolada_stream_end(stream, err);
}

int transform_kolada_read_values(transform_context *context, transform_source *source,
                                 transform_kolada_kind kind, nk_error *err)
{
    page_reader r = { .context = context, .source = source, .unit_level = kind == KOLADA_OUDATA };
    nk_kolada_stream *stream;
    int rc;

    snprintf(r.ref, sizeof r.ref, "%ld", source->source_ref);
    r.fd = open(source->path, O_RDONLY | O_CLOEXEC);
    if (r.fd < 0)
        return nk_fail(err, errno == ENOENT ? NK_EXIT_NOINPUT : NK_EXIT_IOERR,
                       "%s: cannot open raw file: %s", source->path, strerror(errno));
    stream = nk_kolada_stream_new(source->path, r.unit_level, on_row, &r);
    if (stream)
        nk_kolada_stream_on_other_key(stream, on_other_key);
    rc = stream ? stream_file(&r, stream, err)
                : nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", source->path);
    if (rc == 0)
        rc = transform_kolada_check_yield(source, r.rows, err);
    nk_kolada_stream_free(stream);
    close(r.fd);
    return rc;
}
