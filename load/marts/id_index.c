/*
 * id_index.c: interning ids to small numbers (see id_index.h).
 *
 * An open-addressing table over a growing array of copies: a few hundred
 * KPIs or areas are looked up millions of times, so a lookup is one hash
 * and, nearly always, one comparison.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "load/marts/id_index.h"

static uint64_t hash_text(const char *s, size_t length)
{
    uint64_t h = 14695981039346656037ULL;

    for (size_t i = 0; i < length; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

int id_index_is(const id_index *index, int position, const char *id, size_t length)
{
    return index->length[position] == length && memcmp(index->text[position], id, length) == 0;
}

int id_index_find(const id_index *index, const char *id, size_t length)
{
    size_t mask = index->slot_count - 1;

    if (index->slot_count == 0)
        return -1;
    for (size_t i = hash_text(id, length) & mask;; i = (i + 1) & mask) {
        int slot = index->slots[i];
        if (slot == 0)
            return -1;
        if (id_index_is(index, slot - 1, id, length))
            return slot - 1;
    }
}

static void place(int *slots, size_t slot_count, const char *id, size_t length, int position)
{
    size_t i = hash_text(id, length) & (slot_count - 1);

    /* The mask needs a power of two, and make_room keeps the table at most half full, so
     * the probe below always meets an empty slot. */
    assert(slot_count > 0 && (slot_count & (slot_count - 1)) == 0);
    while (slots[i])
        i = (i + 1) & (slot_count - 1);
    slots[i] = position + 1;
}

static int rehash(id_index *index)
{
    size_t size = index->slot_count ? index->slot_count * 2 : 256;
    int *slots = calloc(size, sizeof *slots);

    if (slots == NULL)
        return -1;
    for (size_t k = 0; k < index->count; k++)
        place(slots, size, index->text[k], index->length[k], (int)k);
    free(index->slots);
    index->slots = slots;
    index->slot_count = size;
    return 0;
}

static int make_room(id_index *index)
{
    if (nk_grow_pair(&index->text, sizeof *index->text, &index->length, sizeof *index->length,
                     index->count + 1, &index->capacity, 64) < 0)
        return -1;
    return (index->count + 1) * 2 >= index->slot_count ? rehash(index) : 0;
}

int id_index_intern(id_index *index, const char *id, size_t length)
{
    int found = id_index_find(index, id, length);

    if (found >= 0)
        return found;
    if (index->count + 1 >= ID_INDEX_MAX || make_room(index) < 0)
        return -1;
    /*
     * Not strndup: id is a field inside a row, with no NUL after it, and
     * strict sanitizers read strndup's argument up to its NUL.
     */
    char *copy = malloc(length + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, id, length);
    copy[length] = '\0';
    index->text[index->count] = copy;
    index->length[index->count] = length;
    place(index->slots, index->slot_count, copy, length, (int)index->count);
    return (int)index->count++;
}

void id_index_free(id_index *index)
{
    for (size_t i = 0; i < index->count; i++)
        free(index->text[i]);
    free(index->text);
    free(index->length);
    free(index->slots);
    index->text = NULL;
    index->length = NULL;
    index->slots = NULL;
    index->count = index->capacity = index->slot_count = 0;
}
