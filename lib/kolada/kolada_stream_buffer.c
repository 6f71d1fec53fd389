/*
 * kolada_stream_buffer.c: the growable buffers of the Kolada page reader:
 * the text of the members kept (emptied after each row, so a page's memory
 * stays that of its largest row) and the keys of the open objects.
 */
#include "lib/kolada/kolada_stream_internal.h"

#include <stdlib.h>
#include <string.h>

/* Make room for more bytes after those used; a buffer only grows. */
int nk_kolada_buffer_reserve(nk_kolada_buffer *b, size_t more)
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
int nk_kolada_buffer_keep(nk_kolada_buffer *b, const char *text, size_t length, size_t *offset)
{
    if (nk_kolada_buffer_reserve(b, length + 1) < 0)
        return -1;
    memcpy(b->data + b->used, text, length);
    b->data[b->used + length] = '\0';
    *offset = b->used + 1;
    b->used += length + 1;
    return 0;
}
