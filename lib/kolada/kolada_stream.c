/*
 * kolada_stream.c: a Kolada data page read with yajl's callbacks (see
 * kolada_stream.h); kolada_stream_internal.h says where the other parts are.
 *
 * Each open object or list is a level with a role (the page, its rows, a
 * row, a row's values, a value, or anything else).  A callback finds its
 * token's role from the open level, keeps what the level's role keeps
 * (kolada_stream_rows.c) and notes where the token ended, from which the
 * next token's start is found (kolada_stream_position.c).
 */
#include "lib/kolada/kolada_stream.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "lib/kolada/kolada_stream_internal.h"

/* jansson's limit, so that a page refused in one stage is refused in every stage. */
#define MAX_DEPTH JSON_PARSER_MAX_DEPTH

/* ---- the callbacks ---------------------------------------------------- */

static uint64_t token_end(const nk_kolada_stream *s)
{
    return s->base + yajl_get_bytes_consumed(s->parser);
}

static void done_token(nk_kolada_stream *s, uint64_t end, after after)
{
    s->last_end = end;
    s->after = after;
}

static int scalar(nk_kolada_stream *s, nk_kolada_type type, const char *text, size_t length)
{
    uint64_t end = token_end(s);
    level *top = s->depth ? &s->levels[s->depth - 1] : NULL;
    slot *kept;
    int separated, ok = 1;

    if (top == NULL)
        return nk_kolada_fail_shape(s);
    switch (top->role) {
    case ROLE_PAGE:
        if (top->member == PAGE_VALUES)
            return nk_kolada_fail_shape(s);
        if ((kept = nk_kolada_slot_of(s, top)) != NULL)
            ok = nk_kolada_keep_member(s, kept, &s->page_text, type, text, length);
        break;
    case ROLE_ROW:
    case ROLE_VALUE:
        if ((kept = nk_kolada_slot_of(s, top)) != NULL)
            ok = nk_kolada_keep_member(s, kept, &s->row_text, type, text, length);
        break;
    case ROLE_ROWS:
        ok = nk_kolada_begin_row(s, type, nk_kolada_token_start(s, &separated)) &&
             nk_kolada_end_row(s, end);
        break;
    case ROLE_VALUES:
        ok = nk_kolada_begin_value(s, type, nk_kolada_token_start(s, &separated)) &&
             nk_kolada_end_value(s, end);
        break;
    default:
        break;
    }
    top->member = NO_MEMBER;
    done_token(s, end, AFTER_VALUE);
    return ok && !s->failed;
}

static int on_null(void *context)
{
    return scalar(context, NK_KOLADA_NULL, NULL, 0);
}

static int on_boolean(void *context, int value)
{
    return scalar(context, value ? NK_KOLADA_TRUE : NK_KOLADA_FALSE, NULL, 0);
}

/*
 * Does a double hold the number (1), or not (0)?  -1 when out of memory.
 * Not: beyond the largest double, or so close to 0 that it would be 0,
 * which PostgreSQL's double precision refuses as out of range too.
 * Integers too: one past 64 bits that a double holds is an integer, for
 * the member's reader to judge (see kolada_stream.h).
 */
static int number_fits(const char *text, size_t length, int real, int exponent)
{
    char small[64], *copy = small;
    double held;
    int fits;

    if (!real && length - (text[0] == '-') <= 18)
        return 1;
    if (real && !exponent && length <= 300)
        return 1;
    if (length >= sizeof small && (copy = malloc(length + 1)) == NULL)
        return -1;
    memcpy(copy, text, length);
    copy[length] = '\0';
    errno = 0;
    held = strtod(copy, NULL);
    fits = isfinite(held) && !(errno == ERANGE && held == 0.0);
    if (copy != small)
        free(copy);
    return fits;
}

static int on_number(void *context, const char *text, size_t length)
{
    nk_kolada_stream *s = context;
    int real = 0, exponent = 0, fits;

    for (size_t i = 0; i < length; i++) {
        if (text[i] == '.')
            real = 1;
        else if (text[i] == 'e' || text[i] == 'E')
            real = exponent = 1;
    }
    if ((fits = number_fits(text, length, real, exponent)) < 0)
        return nk_kolada_fail_memory(s);
    return scalar(s,
                  !fits  ? NK_KOLADA_OUT_OF_RANGE
                  : real ? NK_KOLADA_REAL
                         : NK_KOLADA_INTEGER,
                  text, length);
}

static int on_string(void *context, const unsigned char *text, size_t length)
{
    nk_kolada_stream *s = context;

    if (memchr(text, '\0', length))
        return nk_kolada_fail_token(s, "\\u0000 is not allowed in a string");
    return scalar(s, NK_KOLADA_STRING, (const char *)text, length);
}

static void tell_other_key(const nk_kolada_stream *s, role role, const char *key, size_t length)
{
    static const char
        *const objects[] = { [ROLE_PAGE] = "page", [ROLE_ROW] = "row", [ROLE_VALUE] = "value" };

    if (s->on_other_key && (role == ROLE_PAGE || role == ROLE_ROW || role == ROLE_VALUE))
        s->on_other_key(s->user, objects[role], key, length);
}

static int on_key(void *context, const unsigned char *key, size_t length)
{
    nk_kolada_stream *s = context;
    uint64_t end = token_end(s);
    level *top = &s->levels[s->depth - 1];
    int member = nk_kolada_known_member(s, top->role, (const char *)key, length);
    int met;

    /* A known member equals a word without NUL: only other keys can hold one. */
    if (member == NO_MEMBER && memchr(key, '\0', length))
        return nk_kolada_fail_token(s, "\\u0000 is not allowed in a key");
    if (member != NO_MEMBER)
        met = nk_kolada_keys_add_known(&top->keys, member);
    else if ((met = nk_kolada_keys_add(&s->keys, &top->keys, (const char *)key, length)) < 0)
        return nk_kolada_fail_memory(s);
    if (met)
        return nk_kolada_fail_key(s, (const char *)key, length);
    if (member == NO_MEMBER)
        tell_other_key(s, top->role, (const char *)key, length);
    top->member = member;
    done_token(s, end, AFTER_KEY);
    return 1;
}

/* What an object or list opened in top becomes, beginning a row or value if it is one. */
static int role_in(nk_kolada_stream *s, level *top, int is_object, uint64_t start, role *role)
{
    nk_kolada_type type = is_object ? NK_KOLADA_OBJECT : NK_KOLADA_ARRAY;
    slot *kept = nk_kolada_slot_of(s, top);

    *role = ROLE_OTHER;
    switch (top->role) {
    case ROLE_PAGE:
        if (top->member == PAGE_VALUES && is_object)
            return nk_kolada_fail_shape(s);
        if (top->member == PAGE_VALUES) {
            *role = ROLE_ROWS;
            s->rows_met = 1;
        }
        break;
    case ROLE_ROWS:
        *role = is_object ? ROLE_ROW : ROLE_BAD_ROW;
        return nk_kolada_begin_row(s, type, start);
    case ROLE_ROW:
        if (top->member == ROW_VALUES && !is_object)
            *role = ROLE_VALUES;
        break;
    case ROLE_VALUES:
        *role = is_object ? ROLE_VALUE : ROLE_BAD_VALUE;
        return nk_kolada_begin_value(s, type, start);
    default:
        break;
    }
    if (kept)
        kept->type = type;
    return 1;
}

static int open_level(nk_kolada_stream *s, int is_object)
{
    uint64_t end = token_end(s);
    role role = ROLE_PAGE;

    if (s->depth == MAX_DEPTH)
        return nk_kolada_fail_at(s, end - 1, "more than %d levels of nesting", MAX_DEPTH);
    if (s->depth == 0 && !is_object)
        return nk_kolada_fail_shape(s);
    if (s->depth > 0 && !role_in(s, &s->levels[s->depth - 1], is_object, end - 1, &role))
        return 0;
    if (nk_grow_array(&s->levels, sizeof *s->levels, s->depth + 1, &s->level_size, 16) < 0)
        return nk_kolada_fail_memory(s);
    s->levels[s->depth++] = (level){ .role = role,
                                     .is_object = is_object,
                                     .member = NO_MEMBER,
                                     .keys = nk_kolada_keys_open(&s->keys) };
    done_token(s, end, AFTER_OPEN);
    return 1;
}

static int close_level(nk_kolada_stream *s)
{
    uint64_t end = token_end(s);
    level *closing = &s->levels[--s->depth];
    int ok = 1;

    nk_kolada_keys_close(&s->keys, &closing->keys);
    switch (closing->role) {
    case ROLE_PAGE:
        s->page_done = 1;
        if (!s->rows_met)
            return nk_kolada_fail_shape(s);
        break;
    case ROLE_ROW:
    case ROLE_BAD_ROW:
        ok = nk_kolada_end_row(s, end);
        break;
    case ROLE_VALUE:
    case ROLE_BAD_VALUE:
        ok = nk_kolada_end_value(s, end);
        break;
    default:
        break;
    }
    if (s->depth)
        s->levels[s->depth - 1].member = NO_MEMBER;
    done_token(s, end, AFTER_VALUE);
    return ok;
}

static int on_start_map(void *context)
{
    return open_level(context, 1);
}

static int on_start_array(void *context)
{
    return open_level(context, 0);
}

static int on_end(void *context)
{
    return close_level(context);
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_key,
    .yajl_end_map = on_end,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end,
};

/* ---- the public API --------------------------------------------------- */

nk_kolada_stream *nk_kolada_stream_new(const char *name, int unit_level, nk_kolada_row_fn on_row,
                                       void *user)
{
    nk_kolada_stream *s = calloc(1, sizeof *s);

    if (s == NULL)
        return NULL;
    s->name = strdup(name);
    s->parser = yajl_alloc(&callbacks, NULL, s);
    if (s->name == NULL || s->parser == NULL) {
        nk_kolada_stream_free(s);
        return NULL;
    }
    s->unit_level = unit_level;
    s->on_row = on_row;
    s->user = user;
    s->carry_start = NONE;
    s->line = 1;
    return s;
}

void nk_kolada_stream_on_other_key(nk_kolada_stream *s, nk_kolada_key_fn on_key)
{
    s->on_other_key = on_key;
}

void nk_kolada_stream_rows_only(nk_kolada_stream *s)
{
    s->rows_only = 1;
}

static int stopped(const nk_kolada_stream *s, nk_error *err)
{
    if (err)
        *err = s->failure;
    return -1;
}

int nk_kolada_stream_feed(nk_kolada_stream *s, const void *data, size_t length, nk_error *err)
{
    if (s->failed)
        return stopped(s, err);
    s->chunk = data;
    s->chunk_length = length;
    if (yajl_parse(s->parser, data, length) != yajl_status_ok) {
        nk_kolada_fail_parser(s, 0);
        return stopped(s, err);
    }
    nk_kolada_finish_chunk(s);
    s->base += length;
    s->chunk = NULL;
    s->chunk_length = 0;
    return 0;
}

int nk_kolada_stream_end(nk_kolada_stream *s, nk_error *err)
{
    if (s->failed)
        return stopped(s, err);
    if (yajl_complete_parse(s->parser) != yajl_status_ok) {
        nk_kolada_fail_parser(s, 1);
        return stopped(s, err);
    }
    if (!s->page_done) {
        nk_kolada_fail_at(s, s->base, "expected a JSON object, found end of input");
        return stopped(s, err);
    }
    nk_kolada_show_page(s);
    return 0;
}

const nk_kolada_page *nk_kolada_stream_page(const nk_kolada_stream *s)
{
    return &s->page;
}

void nk_kolada_stream_free(nk_kolada_stream *s)
{
    if (s == NULL)
        return;
    while (s->depth)
        nk_kolada_keys_close(&s->keys, &s->levels[--s->depth].keys);
    if (s->parser)
        yajl_free(s->parser);
    free(s->levels);
    nk_buffer_free(&s->keys);
    free(s->values);
    free(s->shown_values);
    nk_buffer_free(&s->row_text);
    nk_buffer_free(&s->page_text);
    free(s->name);
    free(s);
}
