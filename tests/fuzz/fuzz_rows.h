/*
 * fuzz_rows.h: comparing rows of the CSV reader, for the harnesses that
 * read one input two ways and require the same rows.
 */
#ifndef NYCKEL_FUZZ_ROWS_H
#define NYCKEL_FUZZ_ROWS_H

#include <string.h>

#include "transform/exports/rows.h"

/* Same lines and the same fields, byte for byte. */
static inline int fuzz_same_row(const transform_row *a, const transform_row *b)
{
    if (a->count != b->count || a->line != b->line || a->last_line != b->last_line)
        return 0;
    for (size_t i = 0; i < a->count; i++)
        if (a->lengths[i] != b->lengths[i] ||
            memcmp(a->fields[i], b->fields[i], a->lengths[i]) != 0)
            return 0;
    return 1;
}

#endif
