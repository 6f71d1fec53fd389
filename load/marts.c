/*
 * marts.c: refreshing the materialised marts after the facts changed.
 *
 * The benchmark marts rank every municipality against all others, which is
 * too slow to compute per query at national scale; they are materialised
 * and refreshed here, inside the load's transaction, so BI tools see the new
 * facts and the new ranks together.
 */
#include "load.h"
#include "log.h"

static const char *const materialised[] = {
    "REFRESH MATERIALIZED VIEW mart.benchmark",
    "REFRESH MATERIALIZED VIEW mart.benchmark_peer_group",
};

int load_refresh_marts(PGconn *conn, nk_error *err)
{
    for (size_t i = 0; i < sizeof materialised / sizeof materialised[0]; i++)
        if (load_exec(conn, "refreshing the marts", materialised[i], 0, NULL, NULL, err) < 0)
            return -1;
    nk_debug("refreshed the materialised marts");
    return 0;
}
