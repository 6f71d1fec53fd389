/*
 * grow.c: growing arrays by doubling (see grow.h).
 */
#include "transform/grow.h"

#include <stdlib.h>

void *transform_grow(void *items, size_t size, size_t count, size_t *capacity)
{
    size_t more;
    void *bigger;

    if (count < *capacity)
        return items;
    more = *capacity ? *capacity * 2 : 16;
    bigger = realloc(items, more * size);
    if (bigger)
        *capacity = more;
    return bigger;
}
