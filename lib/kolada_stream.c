/*
 * kolada_stream.c: a Kolada data page read with yajl's callbacks (see
 * kolada_stream.h).
 *
 * yajl reports tokens, not where they are, but while a callback runs it
 * knows how far into the current piece it has read: that is where the token
 * ends.  Where a token starts is found by skipping the blanks, commas and
 * colons after the previous one; the end of each piece remembers what it
 * leaves pending (a token begun, a comma met, its line), since that part of
 * the input is gone when the next piece comes.
 *
 * Each open object or list is a level with a role (the page, its rows, a
 * row, a row's values, a value, or anything else).  Members that matter are
 * kept as typed text in a buffer emptied after each row; duplicate keys are
 * found by a bit per known member and a small set of the other keys.
 */
#include "kolada_stream.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "exit_codes.h"

/* jansson's limit, so that a page refused in one stage is refused in every stage. */
#define MAX_DEPTH 2048
#define NONE UINT64_MAX
/* The other keys of an object are compared one by one up to this many, then hashed. */
#define LINEAR_KEYS 16
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

/* The members kept, by object: also their bits in a level's mask of keys met. */
enum { PAGE_COUNT, PAGE_VALUES, PAGE_NEXT_URL, PAGE_NEXT_PAGE, PAGE_MEMBERS };
enum { ROW_KPI, ROW_PLACE, ROW_PERIOD, ROW_VALUES, ROW_MEMBERS };
enum { VALUE_GENDER, VALUE_VALUE, VALUE_COUNT, VALUE_STATUS, VALUE_ISDELETED,
       VALUE_IS_DELETED, VALUE_MEMBERS };

typedef enum after { AFTER_NOTHING, AFTER_OPEN, AFTER_KEY, AFTER_VALUE } after;

typedef struct level {
    role role;
    int is_object;
    unsigned met;     /* known members met, one bit each */
    int member;       /* the known member whose value comes next, or NO_MEMBER */
    size_t keys_from; /* where this object's other keys start in stream->keys */
    size_t key_count;
    size_t *index; /* open addressing over those keys (offset + 1), once there are many */
    size_t index_size;
} level;

typedef struct buffer {
    char *data;
    size_t used;
    size_t size;
} buffer;

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
    nk_kolada_row_fn on_row;
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
    buffer keys;

    int rows_met, page_done;
    size_t row_count;
    row_slots row;
    value_slots *values;
    nk_kolada_value *shown_values; /* what the caller sees of values */
    size_t value_count, value_size;
    buffer row_text;
    slot page_members[PAGE_MEMBERS];
    buffer page_text;
    nk_kolada_page page;
};

/* ---- failing ---------------------------------------------------------- */

static int fail_with(nk_kolada_stream *s, int exit_code, const char *fmt, ...) NK_PRINTF(3, 4);

static int fail_with(nk_kolada_stream *s, int exit_code, const char *fmt, ...)
{
    char detail[NK_ERROR_MAX];
    va_list ap;

    if (s->failed)
        return 0;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    nk_fail(&s->failure, exit_code, "%s", detail);
    s->failed = 1;
    return 0;
}

static int fail_shape(nk_kolada_stream *s)
{
    return fail_with(s, NK_EXIT_DATA,
                     "%s: not a Kolada response: expected an object with a \"values\" list",
                     s->name);
}

static int fail_memory(nk_kolada_stream *s)
{
    return fail_with(s, NK_EXIT_SOFTWARE, "%s: out of memory reading a Kolada page", s->name);
}

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* The one separator the previous token allows before the next: ',' after a value, ':' after a key. */
static char separator_after(const nk_kolada_stream *s)
{
    if (s->depth == 0)
        return 0;
    if (s->after == AFTER_KEY)
        return ':';
    return s->after == AFTER_VALUE ? ',' : 0;
}

/*
 * Where the token being reported starts: past the blanks after the previous
 * token and the separator it allows (*separated says whether that was met).
 */
static uint64_t token_start(const nk_kolada_stream *s, int *separated)
{
    uint64_t from = s->last_end;
    char separator = separator_after(s);
    size_t i;

    *separated = 0;
    if (from < s->base) {
        *separated = s->carry_separated;
        if (s->carry_start != NONE)
            return s->carry_start;
        from = s->base;
    }
    for (i = (size_t)(from - s->base); i < s->chunk_length; i++) {
        unsigned char c = s->chunk[i];
        if (separator && c == separator && !*separated)
            *separated = 1;
        else if (!is_blank(c))
            break;
    }
    return s->base + i;
}

static void line_of(const nk_kolada_stream *s, uint64_t position, uint64_t *line,
                    uint64_t *column)
{
    uint64_t start = s->line_start;

    *line = s->line;
    if (position < s->base && position == s->carry_start) {
        *line = s->carry_line;
        *column = s->carry_column;
        return;
    }
    for (size_t i = 0; position >= s->base && i < position - s->base && i < s->chunk_length; i++) {
        if (s->chunk[i] == '\n') {
            (*line)++;
            start = s->base + i + 1;
        }
    }
    *column = position >= start ? position - start + 1 : 1;
}

/* The text at position, quoted and cut short, for "found ...". */
static void found_at(const nk_kolada_stream *s, uint64_t position, char *found, size_t size)
{
    const char *text = NULL;
    size_t length = 0, n = 0;

    if (position < s->base && position == s->carry_start) {
        text = s->carry_text;
        length = strlen(text);
    } else if (position >= s->base && position < s->base + s->chunk_length) {
        text = (const char *)s->chunk + (position - s->base);
        length = s->base + s->chunk_length - position;
    }
    if (text == NULL || length == 0) {
        snprintf(found, size, "end of input");
        return;
    }
    n += (size_t)snprintf(found, size, "'");
    for (size_t i = 0; i < length && i < FOUND_MAX && n + 6 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c < 0x7f)
            found[n++] = (char)c;
        else
            n += (size_t)snprintf(found + n, size - n, "\\x%02X", c);
    }
    snprintf(found + n, size - n, "'");
}

static int fail_at(nk_kolada_stream *s, uint64_t position, const char *fmt, ...) NK_PRINTF(3, 4);

static int fail_at(nk_kolada_stream *s, uint64_t position, const char *fmt, ...)
{
    char detail[512];
    uint64_t line, column;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    line_of(s, position, &line, &column);
    return fail_with(s, NK_EXIT_DATA,
                     "%s:%llu:%llu: not a Kolada response: invalid JSON at byte %llu: %s", s->name,
                     (unsigned long long)line, (unsigned long long)column,
                     (unsigned long long)position, detail);
}

/* A problem with the token being reported, named by where it starts. */
static int fail_token(nk_kolada_stream *s, const char *what, const char *text, size_t length)
{
    int separated;
    int shown = length > 64 ? 64 : (int)length;

    if (text == NULL)
        return fail_at(s, token_start(s, &separated), "%s", what);
    return fail_at(s, token_start(s, &separated), "%s %.*s%s", what, shown, text,
                   length > 64 ? "..." : "");
}

static int fail_key(nk_kolada_stream *s, const char *key, size_t length)
{
    int separated;
    int shown = length > 64 ? 64 : (int)length;

    return fail_at(s, token_start(s, &separated), "duplicate key \"%.*s%s\"", shown, key,
                   length > 64 ? "..." : "");
}

/* What the parser wanted next, from the open level, the last token and its separator. */
static const char *expected(const nk_kolada_stream *s, int separated)
{
    const level *top = s->depth ? &s->levels[s->depth - 1] : NULL;

    if (top == NULL)
        return s->after == AFTER_NOTHING ? "a JSON object" : "end of input";
    if (top->is_object) {
        if (s->after == AFTER_OPEN)
            return "a key or '}'";
        if (s->after == AFTER_KEY)
            return separated ? "a value" : "':'";
        return separated ? "a key" : "',' or '}'";
    }
    if (s->after == AFTER_OPEN)
        return "a value or ']'";
    return separated ? "a value" : "',' or ']'";
}

/* yajl refused the text: say where, what it wanted and what it found. */
static void fail_parser(nk_kolada_stream *s, int at_end)
{
    static const char lexical[] = "lexical error: ";
    unsigned char *message;
    const char *text;
    char found[8 * FOUND_MAX];
    int separated;
    uint64_t start;

    if (s->failed)
        return;
    message = yajl_get_error(s->parser, 0, NULL, 0);
    text = (const char *)message;
    start = token_start(s, &separated);
    if (at_end && strstr(text, "premature EOF"))
        start = s->base;
    found_at(s, start, found, sizeof found);
    if (strncmp(text, lexical, sizeof lexical - 1) == 0) {
        size_t length = strcspn(text + sizeof lexical - 1, "\n");
        while (length && text[sizeof lexical - 1 + length - 1] == '.')
            length--;
        fail_at(s, start, "%.*s, found %s", (int)length, text + sizeof lexical - 1, found);
    } else {
        fail_at(s, start, "expected %s, found %s", expected(s, separated), found);
    }
    yajl_free_error(s->parser, message);
}

/* ---- keeping text and keys -------------------------------------------- */

static int reserve(buffer *b, size_t more)
{
    if (b->used + more <= b->size)
        return 0;
    size_t size = b->size ? b->size : 256;
    while (b->used + more > size)
        size *= 2;
    char *bigger = realloc(b->data, size);
    if (bigger == NULL)
        return -1;
    b->data = bigger;
    b->size = size;
    return 0;
}

/* Append text and a NUL; *offset is where it starts, plus one. */
static int keep_text(buffer *b, const char *text, size_t length, size_t *offset)
{
    if (reserve(b, length + 1) < 0)
        return -1;
    memcpy(b->data + b->used, text, length);
    b->data[b->used + length] = '\0';
    *offset = b->used + 1;
    b->used += length + 1;
    return 0;
}

static uint64_t hash_key(const char *key, size_t length)
{
    uint64_t hash = 1469598103934665603u;

    for (size_t i = 0; i < length; i++)
        hash = (hash ^ (unsigned char)key[i]) * 1099511628211u;
    return hash;
}

/* A key kept in stream->keys: its length, then its bytes. */
static const char *key_at(const buffer *keys, size_t offset, size_t *length)
{
    memcpy(length, keys->data + offset, sizeof *length);
    return keys->data + offset + sizeof *length;
}

static int same_key(const buffer *keys, size_t offset, const char *key, size_t length)
{
    size_t kept_length;
    const char *kept = key_at(keys, offset, &kept_length);

    return kept_length == length && memcmp(kept, key, length) == 0;
}

/* Put offset into the level's index; 1 when an equal key is already there. */
static int index_key(const buffer *keys, level *l, size_t offset)
{
    size_t length;
    const char *key = key_at(keys, offset, &length);
    size_t i = (size_t)hash_key(key, length) & (l->index_size - 1);

    for (; l->index[i]; i = (i + 1) & (l->index_size - 1))
        if (same_key(keys, l->index[i] - 1, key, length))
            return 1;
    l->index[i] = offset + 1;
    return 0;
}

static int rebuild_index(const buffer *keys, level *l)
{
    size_t size = 64, offset = l->keys_from;

    while (size < 4 * l->key_count)
        size *= 2;
    free(l->index);
    l->index = calloc(size, sizeof *l->index);
    if (l->index == NULL)
        return -1;
    l->index_size = size;
    for (size_t i = 0; i < l->key_count; i++) {
        size_t length;
        key_at(keys, offset, &length);
        index_key(keys, l, offset);
        offset += sizeof length + length;
    }
    return 0;
}

/* Is key already among the level's other keys? */
static int key_met(const buffer *keys, const level *l, const char *key, size_t length)
{
    size_t offset = l->keys_from;

    if (l->index) {
        size_t i = (size_t)hash_key(key, length) & (l->index_size - 1);
        for (; l->index[i]; i = (i + 1) & (l->index_size - 1))
            if (same_key(keys, l->index[i] - 1, key, length))
                return 1;
        return 0;
    }
    for (size_t i = 0; i < l->key_count; i++) {
        size_t kept_length;
        key_at(keys, offset, &kept_length);
        if (same_key(keys, offset, key, length))
            return 1;
        offset += sizeof kept_length + kept_length;
    }
    return 0;
}

/* Remember a key that is not a known member: 0, 1 when met before, -1 out of memory. */
static int add_key(nk_kolada_stream *s, level *l, const char *key, size_t length)
{
    size_t offset = s->keys.used;

    if (key_met(&s->keys, l, key, length))
        return 1;
    if (reserve(&s->keys, sizeof length + length) < 0)
        return -1;
    memcpy(s->keys.data + offset, &length, sizeof length);
    memcpy(s->keys.data + offset + sizeof length, key, length);
    s->keys.used += sizeof length + length;
    l->key_count++;
    if (l->key_count == LINEAR_KEYS || (l->index && 2 * l->key_count > l->index_size))
        return rebuild_index(&s->keys, l);
    if (l->index)
        index_key(&s->keys, l, offset);
    return 0;
}

/* ---- rows and values -------------------------------------------------- */

static nk_kolada_member member_of(const buffer *text, slot kept)
{
    nk_kolada_member member = { kept.type, kept.text ? text->data + kept.text - 1 : NULL };

    return member;
}

static int year_of(nk_kolada_member period)
{
    size_t length = period.text ? strlen(period.text) : 0;
    long year = -1;

    if (period.type == NK_KOLADA_INTEGER && period.text[0] != '-' && length <= 9)
        year = strtol(period.text, NULL, 10);
    else if (period.type == NK_KOLADA_STRING && length == 4 && strspn(period.text, "0123456789") == 4)
        year = strtol(period.text, NULL, 10);
    return year >= 1900 && year <= 2100 ? (int)year : -1;
}

static int is_negative(nk_kolada_member number)
{
    return number.text[0] == '-' && strcmp(number.text, "-0") != 0;
}

static int is_clear_marker(nk_kolada_type type)
{
    return type == NK_KOLADA_ABSENT || type == NK_KOLADA_NULL || type == NK_KOLADA_TRUE ||
           type == NK_KOLADA_FALSE;
}

/* Why a value cannot be used, in the order transform has always checked. */
static const char *value_problem(const nk_kolada_value *v)
{
    nk_kolada_type number = v->value.type, count = v->count.type, status = v->status.type;

    if (v->type != NK_KOLADA_OBJECT)
        return "expected a value object";
    if (v->gender.type != NK_KOLADA_STRING || strlen(v->gender.text) != 1 ||
        strchr("TKM", v->gender.text[0]) == NULL)
        return "expected a \"gender\" of \"T\", \"K\" or \"M\"";
    if (number != NK_KOLADA_ABSENT && number != NK_KOLADA_NULL && number != NK_KOLADA_INTEGER &&
        number != NK_KOLADA_REAL)
        return "expected a number or null as \"value\"";
    if (count != NK_KOLADA_ABSENT && count != NK_KOLADA_NULL &&
        !(count == NK_KOLADA_INTEGER && !is_negative(v->count)))
        return "expected a whole number of 0 or more, or null, as \"count\"";
    if (status != NK_KOLADA_ABSENT && status != NK_KOLADA_NULL && status != NK_KOLADA_STRING)
        return "expected a string or null as \"status\"";
    if (!is_clear_marker(v->isdeleted.type))
        return "expected true or false as \"isdeleted\"";
    if (!is_clear_marker(v->is_deleted.type))
        return "expected true or false as \"is_deleted\"";
    return NULL;
}

static void show_value(const nk_kolada_stream *s, const value_slots *kept, nk_kolada_value *v)
{
    const slot *m = kept->members;

    v->type = kept->type;
    v->span = kept->span;
    v->gender = member_of(&s->row_text, m[VALUE_GENDER]);
    v->value = member_of(&s->row_text, m[VALUE_VALUE]);
    v->count = member_of(&s->row_text, m[VALUE_COUNT]);
    v->status = member_of(&s->row_text, m[VALUE_STATUS]);
    v->isdeleted = member_of(&s->row_text, m[VALUE_ISDELETED]);
    v->is_deleted = member_of(&s->row_text, m[VALUE_IS_DELETED]);
    v->deleted = v->isdeleted.type == NK_KOLADA_TRUE || v->is_deleted.type == NK_KOLADA_TRUE;
    v->problem = value_problem(v);
}

static void show_row(const nk_kolada_stream *s, nk_kolada_row *row)
{
    const slot *m = s->row.members;

    row->index = s->row.index;
    row->type = s->row.type;
    row->span = s->row.span;
    row->kpi = member_of(&s->row_text, m[ROW_KPI]);
    row->place = member_of(&s->row_text, m[ROW_PLACE]);
    row->period = member_of(&s->row_text, m[ROW_PERIOD]);
    row->values_type = m[ROW_VALUES].type;
    row->year = year_of(row->period);
    row->id_problem = NULL;
    if (row->kpi.type != NK_KOLADA_STRING || row->place.type != NK_KOLADA_STRING)
        row->id_problem = s->unit_level ? "expected \"kpi\" and \"ou\" strings"
                                        : "expected \"kpi\" and \"municipality\" strings";
    row->problem = NULL;
    if (row->year < 0)
        row->problem = "expected a \"period\" year from 1900 to 2100";
    else if (row->values_type != NK_KOLADA_ARRAY)
        row->problem = "expected a \"values\" list";
    row->values = NULL;
    row->value_count = 0;
    if (row->values_type == NK_KOLADA_ARRAY) {
        for (size_t i = 0; i < s->value_count; i++)
            show_value(s, &s->values[i], &s->shown_values[i]);
        row->values = s->shown_values;
        row->value_count = s->value_count;
    }
}

static int begin_row(nk_kolada_stream *s, nk_kolada_type type, uint64_t start)
{
    memset(&s->row, 0, sizeof s->row);
    s->row.index = s->row_count++;
    s->row.type = type;
    s->row.span.start = start;
    s->row_text.used = 0;
    s->value_count = 0;
    return 1;
}

static int end_row(nk_kolada_stream *s, uint64_t end)
{
    nk_kolada_row row;

    s->row.span.end = end;
    show_row(s, &row);
    if (s->on_row(s->user, &row, &s->failure) < 0) {
        s->failed = 1;
        return 0;
    }
    return 1;
}

static int begin_value(nk_kolada_stream *s, nk_kolada_type type, uint64_t start)
{
    if (s->value_count == s->value_size) {
        size_t size = s->value_size ? 2 * s->value_size : 8;
        value_slots *values = realloc(s->values, size * sizeof *values);
        if (values == NULL)
            return fail_memory(s);
        s->values = values;
        nk_kolada_value *shown = realloc(s->shown_values, size * sizeof *shown);
        if (shown == NULL)
            return fail_memory(s);
        s->shown_values = shown;
        s->value_size = size;
    }
    value_slots *v = &s->values[s->value_count++];
    memset(v, 0, sizeof *v);
    v->type = type;
    v->span.start = start;
    return 1;
}

static int end_value(nk_kolada_stream *s, uint64_t end)
{
    s->values[s->value_count - 1].span.end = end;
    return 1;
}

/* ---- members ---------------------------------------------------------- */

#define IS(key, length, word) ((length) == sizeof(word) - 1 && memcmp((key), (word), (length)) == 0)

static int page_member(const char *key, size_t length)
{
    if (IS(key, length, "values"))
        return PAGE_VALUES;
    if (IS(key, length, "count"))
        return PAGE_COUNT;
    if (IS(key, length, "next_url"))
        return PAGE_NEXT_URL;
    if (IS(key, length, "next_page"))
        return PAGE_NEXT_PAGE;
    return NO_MEMBER;
}

static int row_member(const char *key, size_t length, int unit_level)
{
    if (IS(key, length, "kpi"))
        return ROW_KPI;
    if (unit_level ? IS(key, length, "ou") : IS(key, length, "municipality"))
        return ROW_PLACE;
    if (IS(key, length, "period"))
        return ROW_PERIOD;
    if (IS(key, length, "values"))
        return ROW_VALUES;
    return NO_MEMBER;
}

static int value_member(const char *key, size_t length)
{
    if (IS(key, length, "gender"))
        return VALUE_GENDER;
    if (IS(key, length, "value"))
        return VALUE_VALUE;
    if (IS(key, length, "count"))
        return VALUE_COUNT;
    if (IS(key, length, "status"))
        return VALUE_STATUS;
    if (IS(key, length, "isdeleted"))
        return VALUE_ISDELETED;
    if (IS(key, length, "is_deleted"))
        return VALUE_IS_DELETED;
    return NO_MEMBER;
}

static int known_member(const nk_kolada_stream *s, role role, const char *key, size_t length)
{
    switch (role) {
    case ROLE_PAGE:
        return page_member(key, length);
    case ROLE_ROW:
        return row_member(key, length, s->unit_level);
    case ROLE_VALUE:
        return value_member(key, length);
    default:
        return NO_MEMBER;
    }
}

/* The slot the open object's current member goes into, or NULL when it is not kept. */
static slot *slot_of(nk_kolada_stream *s, const level *top)
{
    if (top->member == NO_MEMBER)
        return NULL;
    switch (top->role) {
    case ROLE_PAGE:
        return &s->page_members[top->member];
    case ROLE_ROW:
        return &s->row.members[top->member];
    case ROLE_VALUE:
        return &s->values[s->value_count - 1].members[top->member];
    default:
        return NULL;
    }
}

static int keep_member(nk_kolada_stream *s, slot *kept, buffer *text, nk_kolada_type type,
                       const char *value, size_t length)
{
    kept->type = type;
    kept->text = 0;
    if (value && keep_text(text, value, length, &kept->text) < 0)
        return fail_memory(s);
    return 1;
}

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
        return fail_shape(s);
    switch (top->role) {
    case ROLE_PAGE:
        if (top->member == PAGE_VALUES)
            return fail_shape(s);
        if ((kept = slot_of(s, top)) != NULL)
            ok = keep_member(s, kept, &s->page_text, type, text, length);
        break;
    case ROLE_ROW:
    case ROLE_VALUE:
        if ((kept = slot_of(s, top)) != NULL)
            ok = keep_member(s, kept, &s->row_text, type, text, length);
        break;
    case ROLE_ROWS:
        ok = begin_row(s, type, token_start(s, &separated)) && end_row(s, end);
        break;
    case ROLE_VALUES:
        ok = begin_value(s, type, token_start(s, &separated)) && end_value(s, end);
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

/* Does a number fit where jansson would put it: a 64-bit integer, or a finite double? */
static int number_fits(const char *text, size_t length, int real, int exponent)
{
    char small[64], *copy = small;
    int fits;

    if (!real && length - (text[0] == '-') <= 18)
        return 1;
    if (real && !exponent && length <= 300)
        return 1;
    if (length >= sizeof small && (copy = malloc(length + 1)) == NULL)
        return 0;
    memcpy(copy, text, length);
    copy[length] = '\0';
    errno = 0;
    if (real) {
        fits = isfinite(strtod(copy, NULL));
    } else {
        strtoll(copy, NULL, 10);
        fits = errno != ERANGE;
    }
    if (copy != small)
        free(copy);
    return fits;
}

static int on_number(void *context, const char *text, size_t length)
{
    nk_kolada_stream *s = context;
    int real = 0, exponent = 0;

    for (size_t i = 0; i < length; i++) {
        if (text[i] == '.')
            real = 1;
        else if (text[i] == 'e' || text[i] == 'E')
            real = exponent = 1;
    }
    if (!number_fits(text, length, real, exponent))
        return fail_token(s, "number out of range:", text, length);
    return scalar(s, real ? NK_KOLADA_REAL : NK_KOLADA_INTEGER, text, length);
}

static int on_string(void *context, const unsigned char *text, size_t length)
{
    nk_kolada_stream *s = context;

    if (memchr(text, '\0', length))
        return fail_token(s, "\\u0000 is not allowed in a string", NULL, 0);
    return scalar(s, NK_KOLADA_STRING, (const char *)text, length);
}

static int on_key(void *context, const unsigned char *key, size_t length)
{
    nk_kolada_stream *s = context;
    uint64_t end = token_end(s);
    level *top = &s->levels[s->depth - 1];
    int member = known_member(s, top->role, (const char *)key, length);
    int met;

    if (memchr(key, '\0', length))
        return fail_token(s, "\\u0000 is not allowed in a key", NULL, 0);
    if (member != NO_MEMBER) {
        met = (top->met >> member) & 1;
        top->met |= 1u << member;
    } else {
        met = add_key(s, top, (const char *)key, length);
        if (met < 0)
            return fail_memory(s);
    }
    if (met)
        return fail_key(s, (const char *)key, length);
    top->member = member;
    done_token(s, end, AFTER_KEY);
    return 1;
}

/* What an object or list opened in top becomes, beginning a row or value if it is one. */
static int role_in(nk_kolada_stream *s, level *top, int is_object, uint64_t start, role *role)
{
    nk_kolada_type type = is_object ? NK_KOLADA_OBJECT : NK_KOLADA_ARRAY;
    slot *kept = slot_of(s, top);

    *role = ROLE_OTHER;
    switch (top->role) {
    case ROLE_PAGE:
        if (top->member == PAGE_VALUES && is_object)
            return fail_shape(s);
        if (top->member == PAGE_VALUES) {
            *role = ROLE_ROWS;
            s->rows_met = 1;
        }
        break;
    case ROLE_ROWS:
        *role = is_object ? ROLE_ROW : ROLE_BAD_ROW;
        return begin_row(s, type, start);
    case ROLE_ROW:
        if (top->member == ROW_VALUES && !is_object)
            *role = ROLE_VALUES;
        break;
    case ROLE_VALUES:
        *role = is_object ? ROLE_VALUE : ROLE_BAD_VALUE;
        return begin_value(s, type, start);
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
        return fail_at(s, end - 1, "more than %d levels of nesting", MAX_DEPTH);
    if (s->depth == 0 && !is_object)
        return fail_shape(s);
    if (s->depth > 0 && !role_in(s, &s->levels[s->depth - 1], is_object, end - 1, &role))
        return 0;
    if (s->depth == s->level_size) {
        size_t size = s->level_size ? 2 * s->level_size : 16;
        level *levels = realloc(s->levels, size * sizeof *levels);
        if (levels == NULL)
            return fail_memory(s);
        s->levels = levels;
        s->level_size = size;
    }
    s->levels[s->depth++] = (level){ .role = role, .is_object = is_object, .member = NO_MEMBER,
                                     .keys_from = s->keys.used };
    done_token(s, end, AFTER_OPEN);
    return 1;
}

static int close_level(nk_kolada_stream *s)
{
    uint64_t end = token_end(s);
    level *closing = &s->levels[--s->depth];
    int ok = 1;

    s->keys.used = closing->keys_from;
    free(closing->index);
    switch (closing->role) {
    case ROLE_PAGE:
        s->page_done = 1;
        if (!s->rows_met)
            return fail_shape(s);
        break;
    case ROLE_ROW:
    case ROLE_BAD_ROW:
        ok = end_row(s, end);
        break;
    case ROLE_VALUE:
    case ROLE_BAD_VALUE:
        ok = end_value(s, end);
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

/* ---- pieces ----------------------------------------------------------- */

/* Count the piece's lines, noting the line of a token it leaves pending. */
static void count_lines(nk_kolada_stream *s)
{
    const unsigned char *p = s->chunk, *end = s->chunk + s->chunk_length, *newline;
    int pending = s->carry_start != NONE && s->carry_start >= s->base;
    const unsigned char *carry = pending ? s->chunk + (s->carry_start - s->base) : NULL;

    while ((newline = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        if (carry && carry <= newline) {
            s->carry_line = s->line;
            s->carry_column = s->carry_start - s->line_start + 1;
            carry = NULL;
        }
        s->line++;
        s->line_start = s->base + (uint64_t)(newline - s->chunk) + 1;
        p = newline + 1;
    }
    if (carry) {
        s->carry_line = s->line;
        s->carry_column = s->carry_start - s->line_start + 1;
    }
}

/* Remember what the piece leaves pending for the next one. */
static void finish_chunk(nk_kolada_stream *s)
{
    uint64_t end = s->base + s->chunk_length;
    int separated;

    if (s->last_end >= s->base || s->carry_start == NONE) {
        uint64_t start = token_start(s, &separated);
        s->carry_separated = separated;
        s->carry_start = start < end ? start : NONE;
        if (s->carry_start != NONE) {
            size_t length = (size_t)(end - start) < FOUND_MAX ? (size_t)(end - start) : FOUND_MAX;
            memcpy(s->carry_text, s->chunk + (start - s->base), length);
            s->carry_text[length] = '\0';
        }
    }
    count_lines(s);
}

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
        fail_parser(s, 0);
        return stopped(s, err);
    }
    finish_chunk(s);
    s->base += length;
    s->chunk = NULL;
    s->chunk_length = 0;
    return 0;
}

static void show_page(nk_kolada_stream *s)
{
    s->page.count = member_of(&s->page_text, s->page_members[PAGE_COUNT]);
    s->page.next_url = member_of(&s->page_text, s->page_members[PAGE_NEXT_URL]);
    s->page.next_page = member_of(&s->page_text, s->page_members[PAGE_NEXT_PAGE]);
}

int nk_kolada_stream_end(nk_kolada_stream *s, nk_error *err)
{
    if (s->failed)
        return stopped(s, err);
    if (yajl_complete_parse(s->parser) != yajl_status_ok) {
        fail_parser(s, 1);
        return stopped(s, err);
    }
    if (!s->page_done) {
        fail_at(s, s->base, "expected a JSON object, found end of input");
        return stopped(s, err);
    }
    show_page(s);
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
        free(s->levels[--s->depth].index);
    if (s->parser)
        yajl_free(s->parser);
    free(s->levels);
    free(s->keys.data);
    free(s->values);
    free(s->shown_values);
    free(s->row_text.data);
    free(s->page_text.data);
    free(s->name);
    free(s);
}
