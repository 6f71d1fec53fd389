/*
 * manifest_reader.c: a manifest read with yajl's callbacks, its array handed
 * over one entry at a time (see manifest.h).
 *
 * Every open object or list is a frame holding the jansson value being
 * built, except the manifest's array, whose frame holds nothing: a value
 * completed inside it goes to the caller and is freed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/rundir/manifest.h"

/* jansson's limit, so that the two readers refuse the same files. */
#define MAX_DEPTH JSON_PARSER_MAX_DEPTH

typedef struct frame {
    json_t *container; /* NULL for the streamed array */
    char *key;         /* an object's member whose value comes next */
} frame;

typedef struct reader {
    const char *path;
    const char *array_name;
    nk_manifest_entry_fn on_entry;
    void *data;
    nk_error *err;
    frame frames[MAX_DEPTH];
    size_t depth;
    json_t *header;
    size_t index;
    int array_seen;
    const char *problem; /* a shape error found by a callback */
    int entry_failed;    /* on_entry failed and set err */
} reader;

/* The problem that is no fault of the file (compared by address). */
static const char out_of_memory[] = "out of memory";

static int fail(reader *r, const char *problem)
{
    r->problem = problem;
    return 0;
}

static int in_array(const reader *r)
{
    return r->depth == 2 && r->frames[1].container == NULL;
}

/* A value for the manifest's own array member must be an array. */
static int is_array_member(const reader *r)
{
    return r->depth == 1 && r->frames[0].key && strcmp(r->frames[0].key, r->array_name) == 0;
}

static int hand_over(reader *r, json_t *entry)
{
    int rc = r->on_entry ? r->on_entry(entry, r->index++, r->data, r->err) : 0;

    json_decref(entry);
    if (rc < 0)
        r->entry_failed = 1;
    return rc == 0;
}

/* A completed value, placed where it belongs; consumes value. */
static int add_value(reader *r, json_t *value)
{
    frame *top = r->depth ? &r->frames[r->depth - 1] : NULL;

    if (value == NULL)
        return fail(r, out_of_memory);
    if (top == NULL) {
        json_decref(value);
        return fail(r, "expected an object at the top level");
    }
    if (in_array(r))
        return hand_over(r, value);
    if (is_array_member(r)) {
        json_decref(value);
        return fail(r, "expected an array");
    }
    if (json_is_array(top->container))
        return json_array_append_new(top->container, value) == 0 || fail(r, out_of_memory);
    if (json_object_get(top->container, top->key)) {
        json_decref(value);
        return fail(r, "duplicate object key");
    }
    /* set_new consumes value even when it fails */
    int set = json_object_set_new(top->container, top->key, value);
    free(top->key);
    top->key = NULL;
    return set == 0 || fail(r, out_of_memory);
}

static int push(reader *r, json_t *container)
{
    if (r->depth == MAX_DEPTH) {
        json_decref(container);
        return fail(r, "too deeply nested");
    }
    r->frames[r->depth].container = container;
    r->frames[r->depth++].key = NULL;
    return 1;
}

/* A new object or list: NULL from jansson is memory running out, not the streamed array. */
static int push_new(reader *r, json_t *container)
{
    return container ? push(r, container) : fail(r, out_of_memory);
}

static int close_level(void *context)
{
    reader *r = context;
    frame *top = &r->frames[--r->depth];

    free(top->key);
    top->key = NULL;
    if (top->container == NULL) {
        free(r->frames[0].key);
        r->frames[0].key = NULL;
        return 1;
    }
    if (r->depth == 0) {
        r->header = top->container;
        return 1;
    }
    return add_value(r, top->container);
}

static int on_start_map(void *context)
{
    reader *r = context;

    if (r->depth == 0 || in_array(r))
        return push_new(r, json_object());
    if (is_array_member(r))
        return fail(r, "expected an array");
    return push_new(r, json_object());
}

static int on_start_array(void *context)
{
    reader *r = context;

    if (r->depth == 0)
        return fail(r, "expected an object at the top level");
    if (!is_array_member(r))
        return push_new(r, json_array());
    if (r->array_seen)
        return fail(r, "duplicate object key");
    r->array_seen = 1;
    return push(r, NULL);
}

static int on_map_key(void *context, const unsigned char *key, size_t length)
{
    reader *r = context;
    frame *top = &r->frames[r->depth - 1];

    if (memchr(key, '\0', length))
        return fail(r, "NUL byte in object key");
    free(top->key);
    /* Not strndup: the key may end the parse chunk, and strndup may look one
     * byte past the length for a terminator. */
    if ((top->key = malloc(length + 1)) == NULL)
        return fail(r, out_of_memory);
    memcpy(top->key, key, length);
    top->key[length] = '\0';
    return 1;
}

static int on_null(void *context)
{
    return add_value(context, json_null());
}

static int on_boolean(void *context, int value)
{
    return add_value(context, json_boolean(value));
}

static int on_integer(void *context, long long value)
{
    return add_value(context, json_integer((json_int_t)value));
}

static int on_double(void *context, double value)
{
    return add_value(context, json_real(value));
}

static int on_string(void *context, const unsigned char *text, size_t length)
{
    return add_value(context, json_stringn((const char *)text, length));
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_integer = on_integer,
    .yajl_double = on_double,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = close_level,
    .yajl_start_array = on_start_array,
    .yajl_end_array = close_level,
};

/* ---- driving the parser ------------------------------------------------ */

typedef struct position {
    unsigned long long byte; /* bytes before the current chunk */
    unsigned long line;      /* lines before the current chunk */
} position;

static void advance(position *at, const unsigned char *chunk, size_t length)
{
    at->byte += length;
    for (size_t i = 0; i < length; i++)
        at->line += chunk[i] == '\n';
}

static void report(reader *r, yajl_handle parser, const position *at, const unsigned char *chunk,
                   size_t length, yajl_status status)
{
    size_t used = yajl_get_bytes_consumed(parser);
    position stop = *at;
    unsigned char *text = NULL;

    if (r->entry_failed)
        return;
    advance(&stop, chunk, used < length ? used : length);
    if (status == yajl_status_error && r->problem == NULL) {
        text = yajl_get_error(parser, 0, chunk, length);
        if (text)
            text[strcspn((char *)text, "\n")] = '\0';
    }
    if (r->problem == out_of_memory)
        nk_fail(r->err, NK_EXIT_SOFTWARE, "%s:%lu: byte %llu: out of memory", r->path,
                stop.line + 1, stop.byte + 1);
    else
        nk_fail(r->err, NK_EXIT_DATA, "%s:%lu: byte %llu: invalid manifest: %s", r->path,
                stop.line + 1, stop.byte + 1,
                r->problem ? r->problem
                : text     ? (char *)text
                           : "unknown error");
    if (text)
        yajl_free_error(parser, text);
}

static int parse(reader *r, FILE *file, yajl_handle parser)
{
    unsigned char chunk[1 << 16];
    position at = { 0, 0 };
    yajl_status status = yajl_status_ok;
    size_t n = 0;

    while (status == yajl_status_ok && (n = fread(chunk, 1, sizeof chunk, file)) > 0) {
        status = yajl_parse(parser, chunk, n);
        if (status == yajl_status_ok)
            advance(&at, chunk, n);
    }
    if (ferror(file))
        return nk_fail(r->err, NK_EXIT_IOERR, "%s: read failed: %s", r->path, strerror(errno));
    if (status == yajl_status_ok) {
        n = 0;
        status = yajl_complete_parse(parser);
    }
    if (status == yajl_status_ok && r->header == NULL)
        r->problem = "expected an object at the top level";
    if (status == yajl_status_ok && r->problem == NULL)
        return 0;
    report(r, parser, &at, chunk, n, status);
    return -1;
}

static void release_frames(reader *r)
{
    for (size_t i = 0; i < r->depth; i++) {
        json_decref(r->frames[i].container);
        free(r->frames[i].key);
    }
    r->depth = 0;
}

json_t *nk_manifest_read(const char *path, const char *array_name, nk_manifest_entry_fn on_entry,
                         void *data, int missing_code, const char *hint, nk_error *err)
{
    reader *r = calloc(1, sizeof *r);
    FILE *file = fopen(path, "rb");
    yajl_handle parser;
    json_t *header = NULL;

    if (r == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", path);
    } else if (file == NULL) {
        int missing = errno == ENOENT;
        nk_fail(err, missing ? missing_code : NK_EXIT_IOERR, "%s: %s%s%s", path,
                missing ? "not found" : strerror(errno), hint ? ": " : "", hint ? hint : "");
    } else {
        *r = (reader){ .path = path,
                       .array_name = array_name,
                       .on_entry = on_entry,
                       .data = data,
                       .err = err };
        parser = yajl_alloc(&callbacks, NULL, r);
        if (parse(r, file, parser) == 0) {
            header = r->header;
            r->header = NULL;
        }
        yajl_free(parser);
        release_frames(r);
        json_decref(r->header);
    }
    if (file)
        fclose(file);
    free(r);
    return header;
}
