/*
 * buffer.c: the growable byte buffer and array growth (see buffer.h).
 */
#include "lib/base/buffer.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nk_buffer_init(nk_buffer *b, size_t max, size_t first)
{
    *b = (nk_buffer)NK_BUFFER_INIT(max, first);
}

int nk_buffer_reserve(nk_buffer *b, size_t more)
{
    if (more > SIZE_MAX - 1 - b->length)
        return NK_BUFFER_NO_MEMORY;
    size_t need = b->length + more + 1;
    if (need <= b->capacity)
        return 0;
    size_t capacity = b->capacity ? b->capacity : b->first ? b->first : 256;
    while (capacity < need)
        capacity = capacity > SIZE_MAX / 2 ? need : capacity * 2;
    char *bigger = realloc(b->data, capacity);
    if (bigger == NULL)
        return NK_BUFFER_NO_MEMORY;
    b->data = bigger;
    b->capacity = capacity;
    return 0;
}

int nk_buffer_add(nk_buffer *b, const void *bytes, size_t size)
{
    if (b->max && (size > b->max || b->length > b->max - size))
        return NK_BUFFER_TOO_LONG;
    int status = nk_buffer_reserve(b, size);
    if (status < 0)
        return status;
    if (size)
        memcpy(b->data + b->length, bytes, size);
    b->length += size;
    b->data[b->length] = '\0';
    return 0;
}

int nk_buffer_add_text(nk_buffer *b, const char *text)
{
    return nk_buffer_add(b, text, strlen(text));
}

int nk_buffer_printf(nk_buffer *b, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    int size = vsnprintf(NULL, 0, fmt, args);
    va_end(args);
    if (size < 0)
        return NK_BUFFER_NO_MEMORY;
    if (b->max && ((size_t)size > b->max || b->length > b->max - (size_t)size))
        return NK_BUFFER_TOO_LONG;
    int status = nk_buffer_reserve(b, (size_t)size);
    if (status < 0)
        return status;
    va_start(args, fmt);
    vsnprintf(b->data + b->length, (size_t)size + 1, fmt, args);
    va_end(args);
    b->length += (size_t)size;
    return 0;
}

const char *nk_buffer_text(const nk_buffer *b)
{
    return b->data ? b->data : "";
}

void nk_buffer_reset(nk_buffer *b)
{
    b->length = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *nk_buffer_take(nk_buffer *b, size_t *length)
{
    char *text = b->data ? b->data : calloc(1, 1);

    if (length)
        *length = text ? b->length : 0;
    b->data = NULL;
    b->length = b->capacity = 0;
    return text;
}

void nk_buffer_free(nk_buffer *b)
{
    free(b->data);
    b->data = NULL;
    b->length = b->capacity = 0;
}

/* The capacity that holds need items, doubling from capacity or first: 0 on overflow. */
static size_t grown_capacity(size_t capacity, size_t need, size_t first)
{
    size_t more = capacity ? capacity : first ? first : 16;

    while (more < need) {
        if (more > SIZE_MAX / 2)
            return 0;
        more *= 2;
    }
    return more;
}

/* *items (a typed pointer, copied rather than read as a void *, for strict aliasing) resized. */
static int resize(void *items, size_t bytes)
{
    void *old;

    memcpy(&old, items, sizeof old);
    void *bigger = realloc(old, bytes);
    if (bigger == NULL)
        return -1;
    memcpy(items, &bigger, sizeof bigger);
    return 0;
}

int nk_grow_array(void *items, size_t size, size_t need, size_t *capacity, size_t first)
{
    if (need <= *capacity)
        return 0;
    size_t more = grown_capacity(*capacity, need, first);
    if (more == 0 || more > SIZE_MAX / size || resize(items, more * size) < 0)
        return -1;
    *capacity = more;
    return 0;
}

int nk_grow_pair(void *a, size_t a_size, void *b, size_t b_size, size_t need, size_t *capacity,
                 size_t first)
{
    if (need <= *capacity)
        return 0;
    size_t more = grown_capacity(*capacity, need, first);
    if (more == 0 || more > SIZE_MAX / a_size || more > SIZE_MAX / b_size)
        return -1;
    /* a grown and b not is still whole: *capacity stays, and a's extra room goes unused. */
    if (resize(a, more * a_size) < 0 || resize(b, more * b_size) < 0)
        return -1;
    *capacity = more;
    return 0;
}

void nk_sort_items(void *items, size_t count, size_t size,
                   int (*compare)(const void *, const void *))
{
    if (count > 1)
        qsort(items, count, size, compare);
}
