/*
 * kolada_stream_internal.h: what the files of the Kolada page reader share
 * (see kolada_stream.h for what it does).  Only lib/kolada_stream*.c include
 * it.  The reader is cut by what each part does:
 *
 *   kolada_stream.c           the public API and yajl's callbacks: the open
 *                             objects and lists, and the role of each
 *   kolada_stream_rows.c      the members kept, and the rows and values they
 *                             make, with why one cannot be used
 *   kolada_stream_keys.c      the keys met in each open object, to refuse a
 *                             repeated key
 *   kolada_stream_position.c  where a token starts, and its line and column,
 *                             across pieces of input
 *   kolada_stream_errors.c    failing the page, with its one-line message
 */
#ifndef NYCKEL_KOLADA_STREAM_INTERNAL_H
#define NYCKEL_KOLADA_STREAM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_parse.h>

#include "lib/base/buffer.h"
#include "lib/base/error.h"
#include "lib/kolada/kolada_stream.h"

/* No position: no token left pending by the pieces read so far. */
#define NONE UINT64_MAX
/* How much of the input an error quotes after "found". */
#define FOUND_MAX 16
#define NO_MEMBER (-1)

typedef enum role {
    ROLE_PAGE,      /* the top-level object */
    ROLE_ROWS,      /* its "values" list */
    ROLE_ROW,       /* a row object */
    ROLE_VALUES,    /* a row's "values" list */
    ROLE_VALUE,     /* a value object */
    ROLE_BAD_ROW,   /* a row that is a list, read to its end */
    ROLE_BAD_VALUE, /* a value that is a list */
    ROLE_OTHER      /* anything else: checked, not kept */
} role;

/* The members kept, by object: also their bits in an object's set of keys met. */
enum { PAGE_COUNT, PAGE_VALUES, PAGE_NEXT_URL, PAGE_NEXT_PAGE, PAGE_MEMBERS };
enum { ROW_KPI, ROW_PLACE, ROW_PERIOD, ROW_VALUES, ROW_MEMBERS };
enum {
    VALUE_GENDER,
    VALUE_VALUE,
    VALUE_COUNT,
    VALUE_STATUS,
    VALUE_ISDELETED,
    VALUE_IS_DELETED,
    VALUE_MEMBERS
};

typedef enum after { AFTER_NOTHING, AFTER_OPEN, AFTER_KEY, AFTER_VALUE } after;

/*
 * The keys met in one open object.  The other keys of every open object are
 * kept in one buffer, each object's after its parent's, so closing an object
 * drops its keys at once.
 */
typedef struct nk_kolada_key_set {
    unsigned known; /* known members met, one bit each */
    size_t from;    /* where the object's other keys start in the buffer */
    size_t count;
    size_t *index; /* open addressing over those keys (offset + 1), once there are many */
    size_t index_size;
} nk_kolada_key_set;

typedef struct level {
    role role;
    int is_object;
    int member; /* the known member whose value comes next, or NO_MEMBER */
    nk_kolada_key_set keys;
} level;

/* A member while its row is read: text is an offset into a buffer, plus one (0: none). */
typedef struct slot {
    nk_kolada_type type;
    size_t text;
} slot;

typedef struct value_slots {
    nk_kolada_type type;
    nk_kolada_span span;
    slot members[VALUE_MEMBERS];
} value_slots;

typedef struct row_slots {
    size_t index;
    nk_kolada_type type;
    nk_kolada_span span;
    slot members[ROW_MEMBERS];
} row_slots;

struct nk_kolada_stream {
    yajl_handle parser;
    char *name;
    int unit_level;
    int rows_only; /* values are not kept: see nk_kolada_stream_rows_only */
    nk_kolada_row_fn on_row;
    nk_kolada_key_fn on_other_key; /* or NULL */
    void *user;
    int failed;
    nk_error failure;

    /* The piece being read, and what the pieces before it left pending. */
    const unsigned char *chunk;
    size_t chunk_length;
    uint64_t base;     /* offset of the piece's first byte */
    uint64_t last_end; /* where the previous token ended */
    after after;
    uint64_t carry_start; /* a token begun in an earlier piece, or NONE */
    int carry_separated;  /* the separator after last_end was met in an earlier piece */
    uint64_t carry_line, carry_column;
    char carry_text[FOUND_MAX + 1];
    uint64_t line;       /* the line at base */
    uint64_t line_start; /* where that line starts */

    level *levels;
    size_t depth, level_size;
    nk_buffer keys;

    int rows_met, page_done;
    size_t row_count;
    row_slots row;
    value_slots *values;
    nk_kolada_value *shown_values; /* what the caller sees of values */
    size_t value_count, value_size;
    nk_buffer row_text;
    slot page_members[PAGE_MEMBERS];
    nk_buffer page_text;
    nk_kolada_page page;
};

/*
 * kolada_stream_rows.c: those returning int return 1 to go on and 0 when the
 * page has failed, as a yajl callback does.
 */
int nk_kolada_known_member(const nk_kolada_stream *s, role role, const char *key, size_t length);
slot *nk_kolada_slot_of(nk_kolada_stream *s, const level *top);
int nk_kolada_keep_member(nk_kolada_stream *s, slot *kept, nk_buffer *text, nk_kolada_type type,
                          const char *value, size_t length);
int nk_kolada_begin_row(nk_kolada_stream *s, nk_kolada_type type, uint64_t start);
int nk_kolada_end_row(nk_kolada_stream *s, uint64_t end);
int nk_kolada_begin_value(nk_kolada_stream *s, nk_kolada_type type, uint64_t start);
int nk_kolada_end_value(nk_kolada_stream *s, uint64_t end);
void nk_kolada_show_page(nk_kolada_stream *s);

/*
 * kolada_stream_keys.c: adding a key returns 1 when the object has met it
 * before (and nk_kolada_keys_add -1 when out of memory).
 */
nk_kolada_key_set nk_kolada_keys_open(const nk_buffer *keys);
int nk_kolada_keys_add_known(nk_kolada_key_set *set, int member);
int nk_kolada_keys_add(nk_buffer *keys, nk_kolada_key_set *set, const char *key, size_t length);
void nk_kolada_keys_close(nk_buffer *keys, nk_kolada_key_set *set);

/* kolada_stream_position.c */
uint64_t nk_kolada_token_start(const nk_kolada_stream *s, int *separated);
void nk_kolada_line_of(const nk_kolada_stream *s, uint64_t position, uint64_t *line,
                       uint64_t *column);
void nk_kolada_finish_chunk(nk_kolada_stream *s);

/*
 * kolada_stream_errors.c: the page keeps its first failure; those returning
 * int return 0, what a yajl callback returns to stop.
 */
int nk_kolada_fail_shape(nk_kolada_stream *s);
int nk_kolada_fail_memory(nk_kolada_stream *s);
int nk_kolada_fail_at(nk_kolada_stream *s, uint64_t position, const char *fmt, ...) NK_PRINTF(3, 4);
int nk_kolada_fail_token(nk_kolada_stream *s, const char *what);
int nk_kolada_fail_key(nk_kolada_stream *s, const char *key, size_t length);
void nk_kolada_fail_parser(nk_kolada_stream *s, int at_end);

#endif
