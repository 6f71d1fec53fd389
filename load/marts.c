/*
 * marts.c: refreshing the materialised marts after the facts changed.
 *
 * The benchmark marts rank every municipality against all others, which is
 * too slow to compute per query at national scale; what needs all
 * municipalities at once (ranks, Riket's, the region's and the previous
 * year's values, group means) is materialised and refreshed here, inside the
 * load's transaction, so BI tools see the new facts and the new ranks
 * together.  mart.benchmark and mart.benchmark_peer_group are views over it.
 */
#include "load.h"
#include "log.h"

static const char *const materialised[] = {
    "REFRESH MATERIALIZED VIEW mart.benchmark_value",
    "REFRESH MATERIALIZED VIEW mart.benchmark_group_mean",
};

int load_refresh_marts(PGconn *conn, nk_error *err)
{
    for (size_t i = 0; i < sizeof materialised / sizeof materialised[0]; i++)
        if (load_exec(conn, "refreshing the marts", materialised[i], 0, NULL, NULL, err) < 0)
            return -1;
    nk_debug("refreshed the materialised marts");
    return 0;
}
