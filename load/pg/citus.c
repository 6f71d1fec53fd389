/*
 * citus.c: the load.citus option: on a Citus cluster, make the dimensions
 * and the stored benchmark reference tables (copied to every node) and
 * distribute the fact tables, so that the values of one area (or unit)
 * live together in one shard.  Which table goes where is the two lists below;
 * a new table is one more line (see docs/warehouse.md, "Citus").
 *
 * Citus turns every table that a foreign key links to a reference table
 * into a "Citus local" table (it stays on the coordinator) as soon as the
 * first reference table is made, so a table being in Citus's metadata
 * does not mean it is where it belongs: each table's kind is checked and
 * the table moved when it is not the listed one.  The kind is read from
 * pg_dist_partition as the view citus_tables reads it (a partition key:
 * distributed; none and replication model 't': reference), not from that
 * view, which also measures every table on every node: a second a call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"
#include "lib/base/log.h"

/*
 * Referenced tables before the tables that refer to them.  Left out, and
 * so left on the coordinator as plain tables: nyckel.kpi_direction and
 * nyckel.kpi_direction_pending (Citus refuses the trigger by which the one
 * notes changes in the other), the audit of failures, the lock and the
 * migration record, which no query joins with the facts.
 */
static const char *const reference_tables[] = {
    "nyckel.run",
    "nyckel.run_table",
    "nyckel.dim_source",
    "nyckel.dim_gender",
    "nyckel.dim_scenario",
    "nyckel.dim_period",
    "nyckel.dim_kpi",
    "nyckel.dim_kpi_history",
    "nyckel.dim_area",
    "nyckel.dim_area_history",
    "nyckel.area_group_member",
    "nyckel.dim_ou",
    "nyckel.dim_ou_history",
    "nyckel.dim_measure",
    "nyckel.kpi_setting",
    "nyckel.measure_kpi_pairing",
    "nyckel.dim_breakdown",
    "nyckel.dim_kpi_group",
    "nyckel.dim_kpi_group_history",
    "nyckel.kpi_group_member",
    /* The merge joins staging with the warehouse: Citus joins Citus tables only. */
    "staging.source",
    "staging.dim_kpi",
    "staging.dim_area",
    "staging.area_group_member",
    "staging.dim_period",
    "staging.dim_ou",
    "staging.dim_measure",
    "staging.dim_breakdown",
    "staging.dim_kpi_group",
    "staging.kpi_group_member",
    /*
     * The stored benchmark, one row per KPI, year and gender: every area's
     * values are ranked against their slice, so whole on every node, any
     * node answers a BI reader from it; and the edits pending beside it.
     */
    "mart.benchmark_slice",
    "mart.benchmark_slice_edit",
};

/*
 * Each distributed table, the column it is distributed by, and the table
 * its shards sit beside (rows with the same value of that column on the
 * same node).  Kolada's values by area: one municipality's values are
 * read together (mart.kpi_value).  Units' values by unit.
 */
static const struct {
    const char *table, *column, *colocate_with;
} distributed[] = {
    { "nyckel.fact_kpi_value", "area_id", "none" },
    { "nyckel.fact_ou_value", "ou_id", "none" },
    { "nyckel.fact_internal_value", "ou_id", "nyckel.fact_ou_value" },
    /* Staged values beside the values they are merged into. */
    { "staging.fact_kpi_value", "area_id", "nyckel.fact_kpi_value" },
    { "staging.fact_kpi_value_deleted", "area_id", "nyckel.fact_kpi_value" },
    { "staging.fact_ou_value", "ou_id", "nyckel.fact_ou_value" },
    { "staging.fact_ou_value_deleted", "ou_id", "nyckel.fact_ou_value" },
    { "staging.fact_internal_value", "ou_id", "nyckel.fact_ou_value" },
};

/*
 * Citus runs a view's queries on the shards with the rights of the user
 * who reads the view, not of its owner (citusdata/citus#1683, #6161), so
 * the BI role reads the marts only when it may read the tables under them.
 * It gets no more than the marts already show it: the tables of nyckel
 * that Citus holds (every one a mart shows whole), the warehouse's KPI
 * directions (mart.kpi_direction), and of the failed loads what
 * mart.load_status shows (not the message, which may quote rows).  The
 * lock, the migration record and staging stay closed to it.
 */
static const char *const bi_grants[] = {
    "GRANT USAGE ON SCHEMA nyckel TO nyckel_bi",
    "GRANT SELECT ON nyckel.kpi_direction TO nyckel_bi",
    ("GRANT SELECT (failure_key, run_id, job, started_at, failed_at, exit_code, step, dry_run,"
     " transform_manifest_sha256, nyckel_version) ON nyckel.run_failure TO nyckel_bi"),
};

/* SELECT on one of the lists' tables for the BI role, when it is in nyckel. */
static int grant_select(PGconn *conn, const char *table, nk_error *err)
{
    char sql[128];

    if (strncmp(table, "nyckel.", 7) != 0)
        return 0;
    snprintf(sql, sizeof sql, "GRANT SELECT ON %s TO nyckel_bi", table);
    return load_exec(conn, "letting the BI role read the marts", sql, 0, NULL, NULL, err);
}

static int grant_bi(PGconn *conn, nk_error *err)
{
    for (size_t i = 0; i < sizeof bi_grants / sizeof bi_grants[0]; i++)
        if (load_exec(conn, "letting the BI role read the marts", bi_grants[i], 0, NULL, NULL,
                      err) < 0)
            return -1;
    for (size_t i = 0; i < sizeof reference_tables / sizeof reference_tables[0]; i++)
        if (grant_select(conn, reference_tables[i], err) < 0)
            return -1;
    for (size_t i = 0; i < sizeof distributed / sizeof distributed[0]; i++)
        if (grant_select(conn, distributed[i].table, err) < 0)
            return -1;
    return 0;
}

static int has_citus(PGconn *conn, nk_error *err)
{
    PGresult *res = load_query(conn, "looking for Citus",
                               "SELECT 1 FROM pg_extension WHERE extname = 'citus'", 0, NULL, err);
    int found;

    if (res == NULL)
        return -1;
    found = PQntuples(res) > 0;
    PQclear(res);
    if (!found)
        return nk_fail(err, NK_EXIT_CONFIG,
                       "load.citus is true, but the warehouse database has no citus extension "
                       "(CREATE EXTENSION citus first, or remove load.citus)");
    return 0;
}

/*
 * A load killed while Citus committed it may have left transactions
 * prepared on the workers, holding their locks; Citus's maintenance daemon
 * settles them within a minute, this at once, before the load writes.
 */
static int recover(PGconn *conn, nk_error *err)
{
    PGresult *res = load_query(conn, "settling what an earlier load left prepared",
                               "SELECT recover_prepared_transactions()", 0, NULL, err);

    if (res == NULL)
        return -1;
    if (atoi(PQgetvalue(res, 0, 0)) > 0)
        nk_info("Citus: %s transaction(s) an earlier load left prepared were settled",
                PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

int load_citus_distribute(PGconn *conn, nk_error *err)
{
    if (has_citus(conn, err) < 0 || recover(conn, err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof reference_tables / sizeof reference_tables[0]; i++) {
        const char *params[] = { reference_tables[i] };
        if (load_exec(conn, "making a Citus reference table",
                      "SELECT create_reference_table($1::regclass) WHERE NOT EXISTS"
                      " (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = $1::regclass"
                      " AND partkey IS NULL AND repmodel = 't')",
                      1, params, NULL, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof distributed / sizeof distributed[0]; i++) {
        const char *params[] = { distributed[i].table, distributed[i].column,
                                 distributed[i].colocate_with };
        if (load_exec(conn, "distributing a table",
                      "SELECT create_distributed_table($1::regclass, $2, colocate_with => $3)"
                      " WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition"
                      " WHERE logicalrelid = $1::regclass AND partkey IS NOT NULL)",
                      3, params, NULL, err) < 0)
            return -1;
    }
    if (grant_bi(conn, err) < 0)
        return -1;
    nk_info("Citus: dimensions and the stored benchmark are reference tables, facts are "
            "distributed");
    return 0;
}
