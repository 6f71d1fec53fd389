/*
 * buffer.h: the one growable byte buffer of nyckel (as curl's dynbuf or
 * git's strbuf), and room for one more item in a growing array.
 *
 * A buffer holds length bytes followed by a NUL once anything was added,
 * so that text in it is a C string.  It grows by doubling and never beyond
 * its maximum length; a failure leaves it as it was.  Functions return 0,
 * NK_BUFFER_NO_MEMORY or NK_BUFFER_TOO_LONG, and never print or exit: the
 * caller names the file and what it was reading.
 */
#ifndef NYCKEL_BUFFER_H
#define NYCKEL_BUFFER_H

#include <stddef.h>

#include "lib/base/error.h"

enum { NK_BUFFER_NO_MEMORY = -1, NK_BUFFER_TOO_LONG = -2 };

typedef struct nk_buffer {
    char *data;      /* NULL until the first byte is added */
    size_t length;   /* bytes used, not counting the NUL after them */
    size_t capacity; /* bytes allocated */
    size_t max;      /* the longest length allowed; 0 for no bound */
    size_t first;    /* the first capacity allocated; 0 for 256 */
} nk_buffer;

/* An empty buffer of at most max bytes (0: no bound) that starts with first bytes. */
#define NK_BUFFER_INIT(max, first) \
    {                              \
        NULL, 0, 0, (max), (first) \
    }

void nk_buffer_init(nk_buffer *b, size_t max, size_t first);

/* Room for more bytes and the NUL after them, without adding anything. */
int nk_buffer_reserve(nk_buffer *b, size_t more);

int nk_buffer_add(nk_buffer *b, const void *bytes, size_t size);
int nk_buffer_add_text(nk_buffer *b, const char *text);
int nk_buffer_printf(nk_buffer *b, const char *fmt, ...) NK_PRINTF(2, 3);

/* One byte: inline, for the readers that add a byte at a time. */
static inline int nk_buffer_add_byte(nk_buffer *b, char c)
{
    if (b->length + 2 > b->capacity || (b->max && b->length >= b->max))
        return nk_buffer_add(b, &c, 1);
    b->data[b->length++] = c;
    b->data[b->length] = '\0';
    return 0;
}

/* The text held: "" while the buffer is empty, never NULL. */
const char *nk_buffer_text(const nk_buffer *b);

/* Empty the buffer and keep its memory for the next use. */
void nk_buffer_reset(nk_buffer *b);

/*
 * Hand the text over to the caller, who frees it; *length (when not NULL)
 * gets its length.  The buffer is left empty.  NULL when memory ran out
 * (only possible while the buffer had never allocated).
 */
char *nk_buffer_take(nk_buffer *b, size_t *length);

void nk_buffer_free(nk_buffer *b);

/*
 * Room in *items (an array of count items of size bytes, allocated for
 * *capacity) for need items, doubling from first (0 for 16): 0, or -1 when
 * memory ran out or the size would overflow, with *items and *capacity then
 * unchanged.
 */
int nk_grow_array(void *items, size_t size, size_t need, size_t *capacity, size_t first);

/*
 * nk_grow_array for two arrays that share one count and one *capacity (a
 * field and its length, a key and its figures): both get room for need
 * items or neither does.  On -1 *capacity is unchanged and both still hold
 * their items, though *a may have moved into a larger block.
 */
int nk_grow_pair(void *a, size_t a_size, void *b, size_t b_size, size_t need, size_t *capacity,
                 size_t first);

/*
 * qsort for a grown array, which is NULL while it holds nothing: qsort
 * must never be handed a NULL array, not even with no items.
 */
void nk_sort_items(void *items, size_t count, size_t size,
                   int (*compare)(const void *, const void *));

#endif
