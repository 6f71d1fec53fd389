/*
 * table_definitions.h: looking up the staged tables' names and columns.
 */
#ifndef NYCKEL_TABLE_DEFINITIONS_H
#define NYCKEL_TABLE_DEFINITIONS_H

#include <stddef.h>

typedef struct transform_table_definition {
    const char *name;
    const char *const *columns; /* NULL-terminated */
} transform_table_definition;

size_t transform_table_count(void);
const transform_table_definition *transform_table_at(size_t index);
const transform_table_definition *transform_table_find(const char *name);

#endif
