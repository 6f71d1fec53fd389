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
 * names a key the file repeats.  Citus keeps distributed constraints on
 * every node, so a first load there takes the merge like any other.
 */
#include "load.h"
#include "log.h"

static const char wanted_sql[] =
    "SELECT NOT EXISTS (SELECT 1 FROM nyckel.fact_kpi_value)"
    " AND NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')";

int load_first_load_wanted(PGconn *conn, const load_plan *plan, int *wanted, nk_error *err)
{
    PGresult *res;

    *wanted = 0;
    if (load_plan_find(plan, "fact_kpi_value") == NULL)
        return 0;
    res = load_query(conn, "looking for values in the warehouse", wanted_sql, 0, NULL, err);
    if (res == NULL)
        return -1;
    *wanted = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return 0;
}

PGresult *load_first_load_copy(PGconn *conn, const load_plan *plan, const char *run_key,
                               long long *rows, nk_error *err)
{
    const load_staged *staged = load_plan_find(plan, "fact_kpi_value");
    PGresult *keys = load_keys_read(conn, "nyckel.fact_kpi_value", err);

    if (keys == NULL)
        return NULL;
    if (load_keys_drop(conn, keys, err) < 0 ||
        load_stage_first_values(conn, staged, run_key, err) < 0) {
        PQclear(keys);
        return NULL;
    }
    *rows = staged->rows;
    nk_debug("copied %lld values straight into fact_kpi_value (a first load)", *rows);
    return keys;
}

int load_first_load_finish(PGconn *conn, PGresult *keys, nk_error *err)
{
    int rc = load_keys_rebuild(conn, keys, "fact_kpi_value", err);

    PQclear(keys);
    return rc;
}
