/*
 * marts.c: bringing the stored benchmark marts up to date after the facts
 * changed.
 *
 * The benchmark ranks every municipality against all others, which is too
 * slow to compute per query at national scale; what needs all
 * municipalities at once (ranks, Riket's, the region's and the previous
 * year's values, group means) is stored in mart tables and recomputed here,
 * inside the load's transaction, so BI tools see the new facts and the new
 * ranks together.  None of it crosses KPIs, so a load whose facts touched a
 * few KPIs (an incremental pull stages only what changed) recomputes those
 * KPIs only; the SQL lives in schemas/007_benchmark_narrow.sql.
 */

#include "load.h"
#include "log.h"

/*
 * The staged KPIs as an array literal, or NULL when they are more than half
 * of all: then one pass over everything is cheaper than deleting and
 * inserting most of it.
 */
static const char kpis_sql[] =
    "SELECT CASE WHEN count(*) * 2 <= (SELECT count(*) FROM nyckel.dim_kpi)"
    "            THEN array_agg(kpi_id)::text END, count(*)"
    " FROM (SELECT kpi_id FROM staging.fact_kpi_value"
    "       UNION SELECT kpi_id FROM staging.fact_kpi_value_deleted) staged";

/* kpis: an array literal, or NULL for all of them. */
static int recompute(PGconn *conn, const char *kpis, const char *kpi_count, nk_error *err)
{
    const char *params[] = { kpis };

    if (load_exec(conn, "recomputing the benchmark", "SELECT nyckel.refresh_benchmark($1)", 1,
                  params, NULL, err) < 0)
        return -1;
    if (kpis)
        nk_info("recomputed the benchmark for %s KPI(s)", kpi_count);
    else
        nk_info("recomputed the whole benchmark");
    return 0;
}

int load_refresh_marts(PGconn *conn, const load_result *result, nk_error *err)
{
    long long kpi_values = load_result_table_changes(result, "fact_kpi_value");
    /* Unit and internal values are not benchmarked. */
    long long elsewhere = load_result_mart_changes(result) - kpi_values -
                          load_result_table_changes(result, "fact_ou_value") -
                          load_result_table_changes(result, "fact_internal_value");
    PGresult *res;
    int rc;

    if (kpi_values == 0 && elsewhere == 0)
        return 0;
    /* A dimension, a group or a KPI's direction can move every rank. */
    if (elsewhere > 0)
        return recompute(conn, NULL, NULL, err);
    res = load_query(conn, "choosing the KPIs to recompute", kpis_sql, 0, NULL, err);
    if (res == NULL)
        return -1;
    rc = recompute(conn, PQgetisnull(res, 0, 0) ? NULL : PQgetvalue(res, 0, 0),
                   PQgetvalue(res, 0, 1), err);
    PQclear(res);
    return rc;
}
