/*
 * csv.c: the streaming CSV reader (see csv.h).
 *
 * A byte-at-a-time state machine over a fixed input buffer.  Fields of the
 * current row are stored one after another, each NUL-terminated, in one
 * growing array; nothing of earlier rows is kept.
 */
#include "lib/base/buffer.h"
#include "transform/exports/csv.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INPUT_SIZE 65536

enum csv_state { FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN };

typedef struct memory_source {
    const char *data;
    size_t length, at;
} memory_source;

struct transform_csv {
    transform_csv_read_fn read;
    void *context;
    memory_source memory;
    char separator;
    size_t max_field;
    char input[INPUT_SIZE];
    size_t pos, len;
    int eof, after_cr, failed;
    long line;      /* the line the next byte is on */
    nk_buffer text; /* the row's fields, each NUL-terminated */
    size_t field_start;
    size_t *starts;
    size_t field_capacity;
    size_t row_capacity;                    /* of row.fields and row.lengths */
    char problem[TRANSFORM_ROW_REASON_MAX]; /* the row's first unreadable byte, or "" */
    transform_row row;
};

static ssize_t read_memory(void *context, char *buffer, size_t size,
                           char reason[TRANSFORM_ROW_REASON_MAX])
{
    memory_source *m = context;
    size_t n = m->length - m->at < size ? m->length - m->at : size;

    (void)reason;
    if (n)
        memcpy(buffer, m->data + m->at, n);
    m->at += n;
    return (ssize_t)n;
}

transform_csv *transform_csv_open(char separator, size_t max_field, transform_csv_read_fn read,
                                  void *context)
{
    transform_csv *csv = calloc(1, sizeof *csv);

    if (csv == NULL)
        return NULL;
    csv->read = read;
    csv->context = context;
    csv->separator = separator;
    csv->max_field = max_field ? max_field : TRANSFORM_CSV_DEFAULT_MAX_FIELD;
    nk_buffer_init(&csv->text, 0, 1024);
    csv->line = 1;
    return csv;
}

transform_csv *transform_csv_open_memory(const char *data, size_t length, char separator,
                                         size_t max_field)
{
    transform_csv *csv = transform_csv_open(separator, max_field, read_memory, NULL);

    if (csv) {
        csv->memory = (memory_source){ data, length, 0 };
        csv->context = &csv->memory;
    }
    return csv;
}

long transform_csv_line(const transform_csv *csv)
{
    return csv->line;
}

char transform_csv_separator(const transform_csv *csv)
{
    return csv->separator;
}

void transform_csv_close(transform_csv *csv)
{
    if (csv == NULL)
        return;
    nk_buffer_free(&csv->text);
    free(csv->starts);
    free(csv->row.fields);
    free(csv->row.lengths);
    free(csv);
}

static int fail(transform_csv *csv, char reason[TRANSFORM_ROW_REASON_MAX], const char *fmt,
                long line)
{
    snprintf(reason, TRANSFORM_ROW_REASON_MAX, fmt, line);
    csv->failed = 1;
    return -1;
}

/* Read more after what the buffer holds; 0 at the end, -1 on an error. */
static ssize_t fill(transform_csv *csv, char reason[TRANSFORM_ROW_REASON_MAX])
{
    ssize_t n;

    if (csv->eof || csv->len == sizeof csv->input)
        return 0;
    n = csv->read(csv->context, csv->input + csv->len, sizeof csv->input - csv->len, reason);
    if (n < 0) {
        csv->failed = 1;
        return -1;
    }
    if (n == 0)
        csv->eof = 1;
    csv->len += (size_t)n;
    return n;
}

/* The next byte (0..255), -1 at the end, -2 on an error. */
static int next_byte(transform_csv *csv, char reason[TRANSFORM_ROW_REASON_MAX])
{
    if (csv->pos == csv->len) {
        csv->pos = csv->len = 0;
        ssize_t n = fill(csv, reason);
        if (n <= 0)
            return n < 0 ? -2 : -1;
    }
    assert(csv->pos < csv->len);
    return (unsigned char)csv->input[csv->pos++];
}

/* The separator most used on the first line; reads ahead without consuming. */
static int detect_separator(transform_csv *csv, char reason[TRANSFORM_ROW_REASON_MAX])
{
    static const char candidates[] = { ';', '\t', ',' };
    size_t counts[3] = { 0 }, best = 0, i = csv->pos;
    int quoted = 0;

    for (;; i++) {
        if (i == csv->len) {
            ssize_t n = fill(csv, reason);
            if (n < 0)
                return -1;
            if (n == 0)
                break;
        }
        char c = csv->input[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r') && i > csv->pos)
            break;
        for (size_t k = 0; k < 3 && !quoted; k++)
            counts[k] += c == candidates[k];
    }
    for (size_t k = 1; k < 3; k++)
        if (counts[k] > counts[best])
            best = k;
    csv->separator = candidates[best];
    return 0;
}

static int append(transform_csv *csv, char c, char reason[TRANSFORM_ROW_REASON_MAX])
{
    if (c != '\0' && csv->text.length - csv->field_start >= csv->max_field) {
        char what[TRANSFORM_ROW_REASON_MAX];
        snprintf(what, sizeof what, "line %%ld: a field longer than %zu bytes", csv->max_field);
        return fail(csv, reason, what, csv->row.line);
    }
    if (nk_buffer_add_byte(&csv->text, c) < 0)
        return fail(csv, reason, "line %ld: out of memory", csv->row.line);
    return 0;
}

static int end_field(transform_csv *csv, char reason[TRANSFORM_ROW_REASON_MAX])
{
    if (csv->row.count == TRANSFORM_CSV_MAX_FIELDS)
        return fail(csv, reason, "line %ld: more than 10000 fields", csv->row.line);
    if (nk_grow_array(&csv->starts, sizeof *csv->starts, csv->row.count + 1, &csv->field_capacity,
                      32) < 0)
        return fail(csv, reason, "line %ld: out of memory", csv->row.line);
    csv->starts[csv->row.count++] = csv->field_start;
    if (append(csv, '\0', reason) < 0)
        return -1;
    csv->field_start = csv->text.length;
    return 0;
}

/* Point the row's fields into text, now that text no longer moves. */
static int finish_row(transform_csv *csv, char reason[TRANSFORM_ROW_REASON_MAX])
{
    transform_row *row = &csv->row;

    if (nk_grow_pair(&row->fields, sizeof *row->fields, &row->lengths, sizeof *row->lengths,
                     row->count, &csv->row_capacity, 32) < 0)
        return fail(csv, reason, "line %ld: out of memory", row->line);
    for (size_t i = 0; i < row->count; i++) {
        row->fields[i] = csv->text.data + csv->starts[i];
        row->lengths[i] = strlen(row->fields[i]);
    }
    row->problem = csv->problem[0] ? csv->problem : NULL;
    return 1;
}

/* A byte no text file holds: a NUL (UTF-16, a binary file), or another C0 control but tab. */
static int unreadable(int c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

/* The row's first unreadable byte is its problem; the byte itself is left out of the cell. */
static void note_unreadable(transform_csv *csv, int c)
{
    if (csv->problem[0])
        return;
    if (c == 0)
        snprintf(csv->problem, sizeof csv->problem,
                 "line %ld: a NUL byte: not a text file (UTF-16?); the line is not read",
                 csv->line);
    else
        snprintf(csv->problem, sizeof csv->problem,
                 "line %ld: control byte 0x%02X: not text; the line is not read", csv->line, c);
}

static void new_line(transform_csv *csv, int c)
{
    csv->line++;
    csv->after_cr = c == '\r';
}

/* One byte in state; 1 when it ended the row. */
static int step(transform_csv *csv, enum csv_state *state, int c,
                char reason[TRANSFORM_ROW_REASON_MAX])
{
    int line_end = c == '\n' || c == '\r';

    switch (*state) {
    case QUOTED:
        if (c == '"') {
            *state = QUOTE_SEEN;
            return 0;
        }
        if (line_end)
            new_line(csv, c);
        return append(csv, (char)c, reason);
    case QUOTE_SEEN:
        if (c == '"') {
            *state = QUOTED;
            return append(csv, '"', reason);
        }
        if (c != csv->separator && !line_end)
            return fail(csv, reason,
                        "line %ld: expected a separator or a line end after a "
                        "closing quote",
                        csv->line);
        break;
    case FIELD_START:
        if (c == '"') {
            *state = QUOTED;
            return 0;
        }
        *state = UNQUOTED;
        break;
    case UNQUOTED:
        break;
    }
    if (c == csv->separator) {
        *state = FIELD_START;
        return end_field(csv, reason);
    }
    if (!line_end)
        return append(csv, (char)c, reason);
    csv->row.last_line = csv->line;
    new_line(csv, c);
    return end_field(csv, reason) < 0 ? -1 : 1;
}

static void start_row(transform_csv *csv, int *started)
{
    if (!*started) {
        *started = 1;
        csv->row.line = csv->line;
    }
}

int transform_csv_next(transform_csv *csv, const transform_row **row,
                       char reason[TRANSFORM_ROW_REASON_MAX])
{
    enum csv_state state = FIELD_START;
    int started = 0;

    if (csv->failed) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "the reader stopped at an earlier error");
        return -1;
    }
    if (csv->separator == 0 && detect_separator(csv, reason) < 0)
        return -1;
    csv->row.count = 0;
    csv->problem[0] = '\0';
    nk_buffer_reset(&csv->text);
    csv->field_start = 0;
    for (;;) {
        int c = next_byte(csv, reason), rc;
        if (c == -2)
            return -1;
        if (c == -1) {
            if (state == QUOTED)
                return fail(csv, reason, "line %ld: a quoted field never ends", csv->row.line);
            if (!started)
                return 0;
            csv->row.last_line = csv->line;
            if (end_field(csv, reason) < 0)
                return -1;
            break;
        }
        /* Skipped whole, as if absent (a CR before it still pairs with the LF after). */
        if (unreadable(c)) {
            start_row(csv, &started);
            note_unreadable(csv, c);
            continue;
        }
        if (c == '\n' && csv->after_cr) {
            csv->after_cr = 0;
            if (state == QUOTED && append(csv, '\n', reason) < 0)
                return -1;
            continue;
        }
        csv->after_cr = 0;
        if (!started && (c == '\n' || c == '\r')) {
            new_line(csv, c);
            continue;
        }
        start_row(csv, &started);
        rc = step(csv, &state, c, reason);
        if (rc < 0)
            return -1;
        if (rc == 1)
            break;
    }
    if (finish_row(csv, reason) < 0)
        return -1;
    *row = &csv->row;
    return 1;
}
