/*
 * first_load.c: the Kolada values of a first load, copied straight into the
 * empty fact table (see load.h).
 *
 * Into an empty nyckel.fact_kpi_value every staged value is new, and the
 * merge has nothing to compare it with.  Staging the values and then
 * inserting them with INSERT ... SELECT wrote each row twice, the second
 * time row by row: at ten million values about 20 s of a 75 s load, where
 * one COPY into the table itself takes 8.  So the values go in as they are
 * read: fact_stream.c gives each row the warehouse's key of its source and
 * the run's key, and checks it on the way.  As on the bulk path (bulk.c),
 * the table's keys, indexes and foreign keys are dropped first and rebuilt
 * once the dimensions the values need are merged; the rebuilt primary key
 * names a key the file repeats.  The values are also set aside by KPI
 * (value_buckets.c), so that the benchmark is computed from them while the
 * server builds the table's key and index (marts.c).  Citus keeps distributed
 * constraints on every node, so a first load there takes the merge like
 * any other.
 *
 * The empty table is truncated first, so that the COPY may write its rows
 * frozen (COPY FREEZE needs a table emptied in the same transaction): the
 * pages are marked all-visible as they are written, instead of being read,
 * dirtied and written again by the first statement or vacuum that sets
 * their hint bits (at ten million values, all 1.1 GB of them, while the
 * next refresh runs).
 */
#include <string.h>

#include "load/load.h"
#include "lib/base/log.h"

static const char wanted_sql[] = "SELECT NOT EXISTS (SELECT 1 FROM nyckel.fact_kpi_value)"
                                 " AND " LOAD_NOT_CITUS_SQL;

int load_first_load_wanted(PGconn *conn, const load_plan *plan, load_first_load *first,
                           nk_error *err)
{
    PGresult *res;

    memset(first, 0, sizeof *first);
    if (load_plan_find(plan, "fact_kpi_value") == NULL)
        return 0;
    res = load_query(conn, "looking for values in the warehouse", wanted_sql, 0, NULL, err);
    if (res == NULL)
        return -1;
    first->wanted = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return 0;
}

int load_first_load_copy(PGconn *conn, const load_plan *plan, const char *run_key,
                         load_first_load *first, long long *rows, nk_error *err)
{
    const load_staged *staged = load_plan_find(plan, "fact_kpi_value");

    if ((first->values = load_value_buckets_new(staged->rows, err)) == NULL ||
        (first->keys = load_keys_read(conn, "nyckel.fact_kpi_value", err)) == NULL ||
        load_keys_drop(conn, first->keys, err) < 0 ||
        load_exec(conn, "emptying nyckel.fact_kpi_value for a frozen copy",
                  "TRUNCATE nyckel.fact_kpi_value", 0, NULL, NULL, err) < 0 ||
        load_stage_first_values(conn, plan, run_key, first->values, err) < 0)
        return -1;
    *rows = staged->rows;
    nk_debug("copied %lld values straight into fact_kpi_value (a first load)", *rows);
    return 0;
}

int load_first_load_finish(PGconn *conn, load_first_load *first, int foreign, nk_error *err)
{
    int rc = load_keys_rebuild_part(conn, first->keys, foreign, "fact_kpi_value", err);

    if (foreign) {
        PQclear(first->keys);
        first->keys = NULL;
    }
    return rc;
}

void load_first_load_free(load_first_load *first)
{
    PQclear(first->keys);
    load_value_buckets_free(first->values);
    memset(first, 0, sizeof *first);
}
