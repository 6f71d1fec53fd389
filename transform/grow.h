/*
 * grow.h: room for one more item in a growing array.
 */
#ifndef NYCKEL_GROW_H
#define NYCKEL_GROW_H

#include <stddef.h>

/*
 * items (count of them, room for *capacity) with room for one more: the
 * same pointer, or a larger copy (doubling), or NULL when memory ran out
 * (items is then still valid and *capacity unchanged).
 */
void *transform_grow(void *items, size_t size, size_t count, size_t *capacity);

#endif
