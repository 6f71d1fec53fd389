/*
 * fuzz_kolada_stream.c: libFuzzer harness for the streaming reader of
 * Kolada data pages (lib/kolada/kolada_stream.c).
 *
 * Each input (after its first byte) is one page, read twice: whole, and in
 * pieces whose size the first byte chooses (1 to 256 bytes; bit 7 also
 * makes it a unit data page).  Both readings must hand over the same rows
 * (every member, problem and span) and end the same way: success with the
 * same next links, or the same failure up to the text it quotes, which
 * depends on where the pieces end.  Every span must lie inside the input
 * and every failure must be one line naming a byte within it.
 */
#include "tests/fuzz/fuzz_support.h"

#include "lib/base/exit_codes.h"
#include "lib/kolada/kolada_stream.h"

typedef struct digest {
    uint64_t hash;
    size_t rows;
    size_t length; /* of the input, to check spans against */
} digest;

static void mix(digest *d, const void *data, size_t length)
{
    const unsigned char *p = data;

    for (size_t i = 0; i < length; i++)
        d->hash = (d->hash ^ p[i]) * 1099511628211u;
}

static void mix_member(digest *d, nk_kolada_member m)
{
    mix(d, &m.type, sizeof m.type);
    if (m.text)
        mix(d, m.text, strlen(m.text) + 1);
}

static void mix_span(digest *d, nk_kolada_span span)
{
    fuzz_check(span.start < span.end && span.end <= d->length);
    mix(d, &span, sizeof span);
}

static void mix_problem(digest *d, const char *problem)
{
    if (problem)
        mix(d, problem, strlen(problem));
}

static int on_row(void *user, const nk_kolada_row *row, nk_error *err)
{
    digest *d = user;

    (void)err;
    d->rows++;
    mix(d, &row->index, sizeof row->index);
    mix_span(d, row->span);
    mix_member(d, row->kpi);
    mix_member(d, row->place);
    mix_member(d, row->period);
    mix(d, &row->year, sizeof row->year);
    mix_problem(d, row->id_problem);
    mix_problem(d, row->problem);
    for (size_t i = 0; i < row->value_count; i++) {
        const nk_kolada_value *v = &row->values[i];
        mix_span(d, v->span);
        mix_member(d, v->gender);
        mix_member(d, v->value);
        mix_member(d, v->count);
        mix_member(d, v->status);
        mix(d, &v->deleted, sizeof v->deleted);
        mix_problem(d, v->problem);
        mix_problem(d, v->found);
        /* The number a reject shows is one of the value's own, never a dangling pointer. */
        fuzz_check(v->found == NULL || v->found == v->value.text || v->found == v->count.text);
    }
    return 0;
}

static int read_page(const uint8_t *data, size_t size, size_t piece, int unit_level, digest *d,
                     nk_error *err)
{
    nk_kolada_stream *stream = nk_kolada_stream_new("page", unit_level, on_row, d);
    int rc = 0;

    fuzz_check(stream != NULL);
    for (size_t at = 0; at < size && rc == 0; at += piece)
        rc = nk_kolada_stream_feed(stream, data + at, size - at < piece ? size - at : piece, err);
    if (rc == 0)
        rc = nk_kolada_stream_end(stream, err);
    if (rc == 0) {
        const nk_kolada_page *page = nk_kolada_stream_page(stream);
        mix_member(d, page->count);
        mix_member(d, page->next_url);
        mix_member(d, page->next_page);
    }
    nk_kolada_stream_free(stream);
    return rc;
}

/* The failure up to the quoted text, which depends on where the pieces end. */
static size_t stable_length(const char *message)
{
    const char *found = strstr(message, ", found");

    return found ? (size_t)(found - message) : strlen(message);
}

static void check_failure(const nk_error *err, size_t size)
{
    const char *at = strstr(err->message, "at byte ");
    unsigned long long byte;

    fuzz_check(err->exit_code == NK_EXIT_DATA);
    fuzz_check(strchr(err->message, '\n') == NULL);
    if (at) {
        fuzz_check(sscanf(at, "at byte %llu", &byte) == 1);
        fuzz_check(byte <= size);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nk_error whole_err = { 0 }, pieces_err = { 0 };
    digest whole = { 1469598103934665603u, 0, 0 }, pieces = { 1469598103934665603u, 0, 0 };

    if (size == 0)
        return 0;
    size_t piece = (size_t)(data[0] & 0x7f) * 2 + 1;
    int unit_level = data[0] >> 7;
    data++;
    size--;
    whole.length = pieces.length = size;

    int whole_rc = read_page(data, size, size ? size : 1, unit_level, &whole, &whole_err);
    int pieces_rc = read_page(data, size, piece, unit_level, &pieces, &pieces_err);
    fuzz_check(whole_rc == pieces_rc);
    fuzz_check(whole.rows == pieces.rows && whole.hash == pieces.hash);
    if (whole_rc < 0) {
        check_failure(&whole_err, size);
        size_t length = stable_length(whole_err.message);
        fuzz_check(length == stable_length(pieces_err.message));
        fuzz_check(strncmp(whole_err.message, pieces_err.message, length) == 0);
    }
    return 0;
}
