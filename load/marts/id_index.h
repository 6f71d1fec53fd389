/*
 * id_index.h: ids (KPIs, areas, periods, genders, sources) interned to small
 * numbers, so that the benchmark can index arrays by them and the staged
 * facts can note each distinct id once, however many values use it.
 */
#ifndef NYCKEL_LOAD_ID_INDEX_H
#define NYCKEL_LOAD_ID_INDEX_H

#include <stddef.h>

/* Indexes stay below this, so that three of them fit one 63-bit key. */
#define ID_INDEX_MAX (1 << 21)

typedef struct id_index {
    char **text;    /* by index: the id, as given */
    size_t *length; /* by index: its length */
    size_t count, capacity;
    int *slots;        /* open addressing: index + 1, 0 when empty */
    size_t slot_count; /* a power of two, more than twice count */
} id_index;

/*
 * Ids are length bytes, not NUL-terminated, so that a field can be looked
 * up where it lies in a row; the index keeps NUL-terminated copies.  An id
 * holding a NUL byte is not one the index can tell apart.
 */
/* The index of id, or -1. */
int id_index_find(const id_index *index, const char *id, size_t length);
/* The index of id, added when new; -1 when out of memory or at ID_INDEX_MAX ids. */
int id_index_intern(id_index *index, const char *id, size_t length);
/* The id at position is id. */
int id_index_is(const id_index *index, int position, const char *id, size_t length);
void id_index_free(id_index *index);

#endif
