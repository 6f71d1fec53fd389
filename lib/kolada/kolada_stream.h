/*
 * kolada_stream.h: reading a Kolada data page (/data or /oudata, API v3 or
 * v2) as a stream of rows, without building the page in memory.
 *
 * A data page is {"count": N, "values": [row, ...], "next_url" | "next_page":
 * ...}; a row holds a KPI, an area (or unit), a period and a list of values,
 * one per gender.  The page is fed in pieces of any size, as they arrive or
 * are read, and each row is handed to the caller once it is complete, in
 * whatever order its members came.  Memory stays bounded by the largest row
 * (and the largest string or number), never by the page.
 *
 * Numbers are kept as written, so that a value reaches COPY as the decimal
 * text Kolada sent.  A row or value of the wrong shape is not an error of the
 * page: it comes with a reason, worded for a reject.  So is a number no
 * double holds (1e400, or thousands of digits): it is kept as written, typed
 * NK_KOLADA_OUT_OF_RANGE, and a value holding one as "value" or "count" comes
 * with a reason and the number, so that one freak number rejects its value,
 * not the page.  An integer past 64 bits that a double holds is an integer:
 * its reader judges it (a "count" past PostgreSQL's integer rejects its
 * value).  The page itself fails (NK_EXIT_DATA, naming the byte, line and
 * column) when it is not valid JSON, is cut short, repeats a key in an
 * object, holds "\u0000" in a string, nests deeper than jansson allows, or
 * is not an object with a "values" list.
 */
#ifndef NYCKEL_KOLADA_STREAM_H
#define NYCKEL_KOLADA_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/base/error.h"

typedef enum nk_kolada_type {
    NK_KOLADA_ABSENT, /* the member was not there */
    NK_KOLADA_NULL,
    NK_KOLADA_FALSE,
    NK_KOLADA_TRUE,
    NK_KOLADA_INTEGER, /* a number without fraction or exponent */
    NK_KOLADA_REAL,
    NK_KOLADA_STRING,
    NK_KOLADA_OBJECT,
    NK_KOLADA_ARRAY,
    NK_KOLADA_OUT_OF_RANGE /* a number no double holds, its text as written */
} nk_kolada_type;

/* One member: text is a string decoded, or a number as written; NULL for other types. */
typedef struct nk_kolada_member {
    nk_kolada_type type;
    const char *text;
} nk_kolada_member;

/* Where a row or value sits in the input: bytes [start, end), counted from 0. */
typedef struct nk_kolada_span {
    uint64_t start;
    uint64_t end;
} nk_kolada_span;

typedef struct nk_kolada_value {
    nk_kolada_type type; /* of the value itself: NK_KOLADA_OBJECT unless malformed */
    nk_kolada_span span;
    nk_kolada_member gender, value, count, status, isdeleted, is_deleted;
    int deleted;         /* isdeleted (v3) or is_deleted (v2) is true */
    const char *problem; /* why the value cannot be used, or NULL */
    const char *found;   /* the number, as written, that problem is about, or NULL */
} nk_kolada_value;

typedef struct nk_kolada_row {
    size_t index;        /* its place in the page's "values" */
    nk_kolada_type type; /* of the row itself: NK_KOLADA_OBJECT unless malformed */
    nk_kolada_span span;
    nk_kolada_member kpi;
    nk_kolada_member place;  /* "municipality", or "ou" on a unit data page */
    nk_kolada_member period; /* 2023 (v3) or "2023" (v2) as written */
    nk_kolada_type values_type;
    int year;                      /* the period as a year from 1900 to 2100, or -1 */
    const char *id_problem;        /* "kpi" or the place is not a string, or NULL */
    const char *problem;           /* else the period or the "values" list is unusable, or NULL */
    const nk_kolada_value *values; /* the items of "values", when it is a list */
    size_t value_count;
} nk_kolada_row;

/* The page's own members, complete once nk_kolada_stream_end has succeeded. */
typedef struct nk_kolada_page {
    nk_kolada_member count;
    nk_kolada_member next_url;  /* v3 */
    nk_kolada_member next_page; /* v2 */
} nk_kolada_page;

/*
 * Called with each complete row; the row and its texts last until the call
 * returns.  Returning -1 (with err set) stops the stream with that error.
 */
typedef int (*nk_kolada_row_fn)(void *user, const nk_kolada_row *row, nk_error *err);

/*
 * Called with each key of the page ("page"), of a row ("row") or of a value
 * ("value") that the reader does not keep, as it is met; key is not
 * NUL-terminated.  Lets a caller see fields Kolada has added.
 */
typedef void (*nk_kolada_key_fn)(void *user, const char *object, const char *key, size_t length);

typedef struct nk_kolada_stream nk_kolada_stream;

/*
 * A stream for one page.  name starts every error message (a path, or
 * "body"); unit_level says the place is "ou" rather than "municipality".
 * Returns NULL only when out of memory.
 */
nk_kolada_stream *nk_kolada_stream_new(const char *name, int unit_level, nk_kolada_row_fn on_row,
                                       void *user);

/*
 * Read the stream's rows for their ids and period only, as extract does to
 * learn what a page mentions: the values are read as JSON (a page refused
 * here is refused in transform) but not kept or judged, and each row comes
 * with no values.  Call before the first piece.
 */
void nk_kolada_stream_rows_only(nk_kolada_stream *stream);

/* Have on_key called with the keys the reader does not keep (see nk_kolada_key_fn). */
void nk_kolada_stream_on_other_key(nk_kolada_stream *stream, nk_kolada_key_fn on_key);

/*
 * Read the next piece of the page.  Once the page has failed, every call
 * fails the same way, so err may be NULL here and the failure read from
 * nk_kolada_stream_end.
 */
int nk_kolada_stream_feed(nk_kolada_stream *stream, const void *data, size_t length, nk_error *err);

/* The page is complete: fails when it was cut short or is no data page. */
int nk_kolada_stream_end(nk_kolada_stream *stream, nk_error *err);

const nk_kolada_page *nk_kolada_stream_page(const nk_kolada_stream *stream);

void nk_kolada_stream_free(nk_kolada_stream *stream);

#endif
