/*
 * table_keys.c: dropping a table's keys, indexes and foreign keys before
 * writing many rows into it, and rebuilding them afterwards.
 *
 * Maintaining a btree row by row costs a descent per row and index; one
 * sort per index after the rows are in costs far less once the rows are
 * many.  What is dropped and rebuilt is read from the catalog, so the table
 * ends with exactly the definitions it had, and each rebuilt key or
 * foreign key checks every row again.  Used for a first load of the facts
 * (bulk.c) and for recomputing the whole benchmark (marts.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "load/load.h"

/*
 * What to drop and how to rebuild it, in rebuild order: primary key and
 * unique constraints, other indexes, then foreign keys (their check needs
 * no index on this side).  Text from the catalog, never from the run.
 */
static const char keys_sql[] =
    "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),"
    "       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,"
    "              pg_get_constraintdef(c.oid)),"
    "       CASE c.contype WHEN 'f' THEN 3 ELSE 1 END AS step"
    " FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u', 'f')"
    " UNION ALL"
    " SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid), 2"
    " FROM pg_index i WHERE i.indrelid = $1::regclass"
    " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid"
    "                 AND c.conrelid = i.indrelid)"
    " ORDER BY 3";

PGresult *load_keys_read(PGconn *conn, const char *table, nk_error *err)
{
    const char *params[] = { table };

    return load_query(conn, "reading a table's keys and indexes", keys_sql, 1, params, err);
}

/* The steps of keys_sql: keys, then other indexes, then foreign keys. */
#define FIRST_STEP 1
#define FOREIGN_KEYS 3

/* Run one column of the list, in order, for the rows of steps first..last. */
static int run_column(PGconn *conn, const PGresult *keys, int column, int first, int last,
                      const char *what, const char *staged, nk_error *err)
{
    for (int i = 0; i < PQntuples(keys); i++) {
        int step = atoi(PQgetvalue(keys, i, 2));
        if (step >= first && step <= last &&
            load_exec_unique(conn, what, PQgetvalue(keys, i, column), staged, err) < 0)
            return -1;
    }
    return 0;
}

static const char what_drops[] = "dropping a table's keys and indexes";
static const char what_rebuilds[] = "rebuilding a table's keys and indexes";

int load_keys_drop(PGconn *conn, const PGresult *keys, nk_error *err)
{
    return run_column(conn, keys, 0, FIRST_STEP, FOREIGN_KEYS, what_drops, NULL, err);
}

int load_keys_rebuild(PGconn *conn, const PGresult *keys, nk_error *err)
{
    return run_column(conn, keys, 1, FIRST_STEP, FOREIGN_KEYS, what_rebuilds, NULL, err);
}

int load_keys_rebuild_part(PGconn *conn, const PGresult *keys, int foreign, const char *staged,
                           nk_error *err)
{
    return foreign
               ? run_column(conn, keys, 1, FOREIGN_KEYS, FOREIGN_KEYS, what_rebuilds, staged, err)
               : run_column(conn, keys, 1, FIRST_STEP, FOREIGN_KEYS - 1, what_rebuilds, staged,
                            err);
}
