/*
 * citus.c: the load.citus option: on a Citus cluster, make the dimensions
 * reference tables (copied to every node) and distribute the fact tables, so
 * that facts for one area (or unit) live together on one node.  Plain
 * PostgreSQL is the default and the tested path; see docs/warehouse.md.
 */
#include <string.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"
#include "lib/base/log.h"

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
    "nyckel.kpi_direction",
    "nyckel.kpi_direction_pending",
    "nyckel.dim_breakdown",
};

/* Each fact table and the column it is distributed by. */
static const char *const distributed[][2] = {
    { "nyckel.fact_kpi_value", "area_id" },
    { "nyckel.fact_ou_value", "ou_id" },
    { "nyckel.fact_internal_value", "ou_id" },
};

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

int load_citus_distribute(PGconn *conn, nk_error *err)
{
    if (has_citus(conn, err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof reference_tables / sizeof reference_tables[0]; i++) {
        const char *params[] = { reference_tables[i] };
        if (load_exec(conn, "making a Citus reference table",
                      "SELECT create_reference_table($1::regclass) WHERE NOT EXISTS"
                      " (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = $1::regclass)",
                      1, params, NULL, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof distributed / sizeof distributed[0]; i++) {
        const char *params[] = { distributed[i][0], distributed[i][1] };
        if (load_exec(conn, "distributing a fact table",
                      "SELECT create_distributed_table($1::regclass, $2) WHERE NOT EXISTS"
                      " (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = $1::regclass)",
                      2, params, NULL, err) < 0)
            return -1;
    }
    nk_info("Citus: dimensions are reference tables, facts are distributed");
    return 0;
}
