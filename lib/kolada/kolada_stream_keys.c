/*
 * kolada_stream_keys.c: refusing a key repeated in one object of a Kolada
 * data page, as the pages read with jansson are refused
 * (JSON_REJECT_DUPLICATES).
 *
 * The members the reader keeps (kolada_stream_rows.c) are a bit each in the
 * object's set.  Any other key is kept in a buffer shared by the open
 * objects, each object's keys after its parent's, so that closing an object
 * drops its keys at once.  Most objects have a few keys, compared one by
 * one; an object with many gets an index, so that a page of one huge object
 * is not read in quadratic time.
 */
#include "lib/kolada/kolada_stream_internal.h"

#include <stdlib.h>
#include <string.h>

/* The other keys of an object are compared one by one up to this many, then hashed. */
#define LINEAR_KEYS 16

static uint64_t hash_key(const char *key, size_t length)
{
    uint64_t hash = 1469598103934665603u;

    for (size_t i = 0; i < length; i++)
        hash = (hash ^ (unsigned char)key[i]) * 1099511628211u;
    return hash;
}

/* A key kept in the buffer: its length, then its bytes. */
static const char *key_at(const nk_buffer *keys, size_t offset, size_t *length)
{
    memcpy(length, keys->data + offset, sizeof *length);
    return keys->data + offset + sizeof *length;
}

static int same_key(const nk_buffer *keys, size_t offset, const char *key, size_t length)
{
    size_t kept_length;
    const char *kept = key_at(keys, offset, &kept_length);

    return kept_length == length && memcmp(kept, key, length) == 0;
}

/* The slot of the object's index holding key, or the empty one where it would go. */
static size_t index_slot(const nk_buffer *keys, const nk_kolada_key_set *set, const char *key,
                         size_t length)
{
    size_t i = (size_t)hash_key(key, length) & (set->index_size - 1);

    while (set->index[i] && !same_key(keys, set->index[i] - 1, key, length))
        i = (i + 1) & (set->index_size - 1);
    return i;
}

/* Put offset into the object's index; 1 when an equal key is already there. */
static int index_key(const nk_buffer *keys, nk_kolada_key_set *set, size_t offset)
{
    size_t length;
    const char *key = key_at(keys, offset, &length);
    size_t i = index_slot(keys, set, key, length);

    if (set->index[i])
        return 1;
    set->index[i] = offset + 1;
    return 0;
}

static int rebuild_index(const nk_buffer *keys, nk_kolada_key_set *set)
{
    size_t size = 64, offset = set->from;

    while (size < 4 * set->count)
        size *= 2;
    free(set->index);
    set->index = calloc(size, sizeof *set->index);
    if (set->index == NULL)
        return -1;
    set->index_size = size;
    for (size_t i = 0; i < set->count; i++) {
        size_t length;
        key_at(keys, offset, &length);
        index_key(keys, set, offset);
        offset += sizeof length + length;
    }
    return 0;
}

/* Is key already among the object's other keys? */
static int key_met(const nk_buffer *keys, const nk_kolada_key_set *set, const char *key,
                   size_t length)
{
    size_t offset = set->from;

    if (set->index)
        return set->index[index_slot(keys, set, key, length)] != 0;
    for (size_t i = 0; i < set->count; i++) {
        size_t kept_length;
        key_at(keys, offset, &kept_length);
        if (same_key(keys, offset, key, length))
            return 1;
        offset += sizeof kept_length + kept_length;
    }
    return 0;
}

/* The keys of an object just opened: none yet, its other keys to come after keys->length. */
nk_kolada_key_set nk_kolada_keys_open(const nk_buffer *keys)
{
    return (nk_kolada_key_set){ .from = keys->length };
}

/* A member the reader keeps, by its number: 1 when met before. */
int nk_kolada_keys_add_known(nk_kolada_key_set *set, int member)
{
    int met = (set->known >> member) & 1;

    set->known |= 1u << member;
    return met;
}

/* Remember a key that is not a known member: 0, 1 when met before, -1 out of memory. */
int nk_kolada_keys_add(nk_buffer *keys, nk_kolada_key_set *set, const char *key, size_t length)
{
    size_t offset = keys->length;

    if (key_met(keys, set, key, length))
        return 1;
    /* room for both first, so that a key is never kept without its length */
    if (nk_buffer_reserve(keys, sizeof length + length) < 0)
        return -1;
    nk_buffer_add(keys, &length, sizeof length);
    nk_buffer_add(keys, key, length);
    set->count++;
    if (set->count == LINEAR_KEYS || (set->index && 2 * set->count > set->index_size))
        return rebuild_index(keys, set);
    if (set->index)
        index_key(keys, set, offset);
    return 0;
}

/* The object is closed (or the page given up): drop its keys. */
void nk_kolada_keys_close(nk_buffer *keys, nk_kolada_key_set *set)
{
    keys->length = set->from;
    free(set->index);
    set->index = NULL;
}
