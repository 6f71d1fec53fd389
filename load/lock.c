/*
 * lock.c: the advisory lock that serialises loads into one warehouse.
 *
 * The lock is held by the session, from before the migrations until the
 * connection closes, so it also covers the shared staging tables.  A load
 * that dies (even kill -9) loses its connection and with it the lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "load.h"
#include "log.h"

/* Two fixed keys: "nykl" and 1 (the warehouse load lock). */
#define LOCK_KEYS "1853454188, 1"

static int try_lock(PGconn *conn, int *got, nk_error *err)
{
    PGresult *res = load_query(conn, "taking the warehouse lock",
                               "SELECT pg_try_advisory_lock(" LOCK_KEYS ")", 0, NULL, err);

    if (res == NULL)
        return -1;
    *got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return 0;
}

/* The server process id of the session holding the lock, or "unknown". */
static void holder(PGconn *conn, char *out, size_t size)
{
    nk_error ignored;
    PGresult *res = load_query(conn, "finding the lock holder",
                               "SELECT pid FROM pg_locks WHERE locktype = 'advisory'"
                               " AND classid = 1853454188 AND objid = 1 AND objsubid = 2"
                               " AND granted LIMIT 1",
                               0, NULL, &ignored);

    snprintf(out, size, "%s", res && PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "unknown");
    PQclear(res);
}

int load_lock(PGconn *conn, int wait, nk_error *err)
{
    char pid[32];
    int got;

    if (try_lock(conn, &got, err) < 0)
        return -1;
    if (got)
        return 0;
    holder(conn, pid, sizeof pid);
    load_step_set("taking the warehouse lock");
    if (!wait)
        return nk_fail(err, NK_EXIT_LOCKED,
                       "another load holds the warehouse lock (server process %s); "
                       "warehouse.lock is \"fail\", so this load stops without changes", pid);
    nk_info("another load holds the warehouse lock (server process %s); waiting for it", pid);
    if (load_exec(conn, "waiting for the warehouse lock",
                  "SELECT pg_advisory_lock(" LOCK_KEYS ")", 0, NULL, NULL, err) < 0)
        return -1;
    nk_info("got the warehouse lock");
    return 0;
}

int load_lock_free(PGconn *conn, nk_error *err)
{
    char pid[32];
    int got;

    if (try_lock(conn, &got, err) < 0)
        return -1;
    if (got)
        return load_exec(conn, "giving the warehouse lock back",
                         "SELECT pg_advisory_unlock(" LOCK_KEYS ")", 0, NULL, NULL, err);
    holder(conn, pid, sizeof pid);
    return nk_fail(err, NK_EXIT_LOCKED, "another load holds the warehouse lock (server process %s)",
                   pid);
}
