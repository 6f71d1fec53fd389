/*
 * tables.h: the staged tables transform writes, one COPY text file each.
 *
 * The list of tables and their columns (tables.c) is the contract with load,
 * written down in docs/architecture.md.  Files are opened on first use, so a
 * run without unit-level data writes no unit tables.  Each file's sha256 and
 * row count are kept as it is written.
 */
#ifndef NYCKEL_TABLES_H
#define NYCKEL_TABLES_H

#include <jansson.h>
#include <stddef.h>

#include "lib/base/error.h"

typedef struct transform_tables transform_tables;

/* NULL when out of memory. */
transform_tables *transform_tables_open(const char *dir);

/*
 * Append one row to table.  fields holds one string per column of the
 * table, NULL meaning SQL NULL; the text is escaped for COPY here.
 */
int transform_table_row(transform_tables *tables, const char *table, const char *const *fields,
                        nk_error *err);

/* The number of columns of a table, or 0 for an unknown table. */
size_t transform_table_width(const char *table);

/* Close every file and return the manifest's "tables" list (new reference). */
json_t *transform_tables_close(transform_tables *tables, nk_error *err);

/* Close and delete every file (a failed run leaves nothing half-written). */
void transform_tables_abandon(transform_tables *tables);

#endif
