/*
 * bulk.c: inserting many new fact rows at the speed of a bulk load.
 *
 * Inserting row by row into an indexed fact table costs, per row, one
 * lookup in every referenced dimension (the foreign-key triggers) and one
 * descent into every index.  At national scale (a first load of millions of
 * values) that is most of the load's time, although the merge has already
 * made sure, set-based, that every id a fact uses exists (the inferred
 * dimension rows) and that no key repeats (the staging checks).  So when a
 * load brings many new rows compared with what the table holds, the fact
 * table's keys, indexes and foreign keys are dropped, the rows inserted,
 * and everything rebuilt as it was (table_keys.c).
 *
 * The price is the lock: dropping a constraint takes an ACCESS EXCLUSIVE
 * lock on the fact table until the load commits, so BI queries on it wait
 * for the load instead of reading the previous state.  Small (incremental)
 * loads never take this path.  On Citus the constraints of distributed
 * tables live on every node, so the path is not used there either.
 */
#include <stdio.h>
#include <stdlib.h>

#include "load/load.h"
#include "lib/base/log.h"

/* Fewer new rows than this are inserted row by row whatever the table holds. */
#define BULK_MIN_ROWS 10000
/* Rebuilding costs about as much as inserting a tenth of the table row by row. */
#define BULK_TABLE_SHARE 10

int load_bulk_many(long long new_rows, double table_rows)
{
    return new_rows >= BULK_MIN_ROWS && (double)new_rows * BULK_TABLE_SHARE >= table_rows;
}

int load_bulk_wanted(PGconn *conn, const char *table, long long new_rows, int *wanted,
                     nk_error *err)
{
    char sql[256];
    PGresult *res;

    *wanted = 0;
    if (new_rows < BULK_MIN_ROWS)
        return 0;
    /* reltuples is -1 until the table was first analysed; count it then. */
    snprintf(sql, sizeof sql,
             "SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples"
             " ELSE (SELECT count(*) FROM nyckel.%s) END, " LOAD_NOT_CITUS_SQL
             " FROM pg_class c WHERE c.oid = 'nyckel.%s'::regclass",
             table, table);
    res = load_query(conn, "sizing the fact merge", sql, 0, NULL, err);
    if (res == NULL)
        return -1;
    *wanted = PQntuples(res) == 1 && PQgetvalue(res, 0, 1)[0] == 't' &&
              load_bulk_many(new_rows, atof(PQgetvalue(res, 0, 0)));
    PQclear(res);
    return 0;
}

int load_bulk_insert(PGconn *conn, const char *table, const char *insert_sql, int nparams,
                     const char *const *params, long long *rows, nk_error *err)
{
    char qualified[128];
    PGresult *keys;
    int rc;

    snprintf(qualified, sizeof qualified, "nyckel.%s", table);
    if ((keys = load_keys_read(conn, qualified, err)) == NULL)
        return -1;
    rc = load_keys_drop(conn, keys, err);
    if (rc == 0)
        rc = load_exec(conn, "merging facts (bulk)", insert_sql, nparams, params, rows, err);
    if (rc == 0)
        rc = load_keys_rebuild(conn, keys, err);
    PQclear(keys);
    if (rc == 0)
        nk_debug("bulk-inserted %lld rows into %s and rebuilt its keys", *rows, table);
    return rc;
}

int load_analyze_changed(PGconn *conn, const load_result *result, nk_error *err)
{
    for (size_t i = 0; i < result->count; i++) {
        const load_count *count = &result->tables[i];
        long long changed = load_count_changes(count);
        char sql[256], rows[32];
        const char *params[] = { rows };
        if (changed == 0)
            continue;
        /*
         * Like autovacuum: only when a tenth of the table changed.  Not on
         * Citus: there the rows live in shards, plain tables on the
         * workers that their own autovacuum analyses, and an ANALYZE in
         * the load's transaction would have to reach the coordinator's
         * placements over a second connection, which Citus refuses once
         * the transaction has used them directly.
         */
        snprintf(rows, sizeof rows, "%lld", changed);
        snprintf(sql, sizeof sql,
                 "SELECT $1::bigint * 10 >= c.reltuples AND " LOAD_NOT_CITUS_SQL " FROM pg_class c"
                 " WHERE c.oid = 'nyckel.%s'::regclass",
                 count->table);
        PGresult *res = load_query(conn, "checking table statistics", sql, 1, params, err);
        if (res == NULL)
            return -1;
        int stale = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
        PQclear(res);
        snprintf(sql, sizeof sql, "ANALYZE nyckel.%s", count->table);
        if (stale && load_exec(conn, "updating table statistics", sql, 0, NULL, NULL, err) < 0)
            return -1;
    }
    return 0;
}
