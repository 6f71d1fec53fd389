/*
 * lock.c: the lock that serialises loads into one warehouse.
 *
 * It is a row lock on the one row of nyckel.load_lock, taken at the start
 * of each transaction a load runs (the migrations, then the load itself;
 * a dry run has one), so it also covers the shared staging tables.  An
 * advisory lock was used before, but any role may take any advisory key,
 * and a BI login holding the loader's key stopped every load.  The BI role
 * has no USAGE on schema nyckel, so it can neither read nor lock this row.
 * A load that dies (even kill -9) loses its transaction and with it the
 * lock, as soon as its server process notices (session.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"
#include "lib/base/log.h"

/*
 * A new warehouse has no lock row yet.  Two first loads may create it at
 * the same moment, and CREATE ... IF NOT EXISTS is not safe against that,
 * so this one transaction is serialised with a transaction advisory lock
 * ("nykl", 1).  Once the table exists it is never taken again; before
 * that, a role holding the key delays the first load by lock_timeout at
 * most.
 */
static const char bootstrap_sql[] =
    "SELECT pg_advisory_xact_lock(1853454188, 1);"
    "CREATE SCHEMA IF NOT EXISTS nyckel;"
    "CREATE TABLE IF NOT EXISTS nyckel.load_lock ("
    " lock_id integer PRIMARY KEY CHECK (lock_id = 1));"
    "INSERT INTO nyckel.load_lock VALUES (1) ON CONFLICT DO NOTHING;"
    "REVOKE ALL ON nyckel.load_lock FROM PUBLIC;"
    "COMMENT ON TABLE nyckel.load_lock IS 'En rad som en laddning låser under sina transaktioner,"
    " så att laddningar går en i taget. / One row a load locks during its transactions, so that"
    " loads run one at a time.';"
    "COMMENT ON COLUMN nyckel.load_lock.lock_id IS 'Alltid 1. / Always 1.'";

static int exists(PGconn *conn, int *found, nk_error *err)
{
    PGresult *res = load_query(conn, "looking for the warehouse lock",
                               "SELECT to_regclass('nyckel.load_lock') IS NOT NULL", 0, NULL, err);

    if (res == NULL)
        return -1;
    *found = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return 0;
}

int load_lock_prepare(PGconn *conn, nk_error *err)
{
    PGresult *res;
    int found;

    if (exists(conn, &found, err) < 0)
        return -1;
    if (found)
        return 0;
    load_step_set("creating the warehouse lock");
    /* PQexec: several statements in one implicit transaction. */
    res = PQexec(conn, bootstrap_sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        load_fail_result(conn, res, "creating the warehouse lock", err);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    return 0;
}

static int try_lock(PGconn *conn, int *got, nk_error *err)
{
    PGresult *res = load_query(conn, "taking the warehouse lock",
                               "SELECT 1 FROM nyckel.load_lock FOR UPDATE SKIP LOCKED", 0, NULL,
                               err);

    if (res == NULL)
        return -1;
    *got = PQntuples(res) == 1;
    PQclear(res);
    return 0;
}

/* The server process id of the load holding the row: its transaction's, or "unknown". */
static void holder(PGconn *conn, char *out, size_t size)
{
    nk_error ignored;
    PGresult *res = load_query(conn, "finding the lock holder",
                               "SELECT l.pid FROM nyckel.load_lock r JOIN pg_locks l"
                               " ON l.locktype = 'transactionid' AND l.transactionid = r.xmax"
                               " AND l.mode = 'ExclusiveLock' AND l.granted LIMIT 1",
                               0, NULL, &ignored);

    snprintf(out, size, "%s", res && PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "unknown");
    PQclear(res);
}

/*
 * Waiting for another load is what "wait" means, however long it takes:
 * warehouse.lock_timeout is for readers, so it is lifted for this wait
 * only (SET LOCAL lasts until the transaction ends, hence set back).
 */
static int wait_for_lock(PGconn *conn, int lock_timeout, nk_error *err)
{
    char seconds[32];
    const char *params[] = { seconds };

    snprintf(seconds, sizeof seconds, "%ds", lock_timeout);
    if (load_exec(conn, "waiting for the warehouse lock", "SET LOCAL lock_timeout = 0", 0, NULL,
                  NULL, err) < 0 ||
        load_exec(conn, "waiting for the warehouse lock",
                  "SELECT 1 FROM nyckel.load_lock FOR UPDATE", 0, NULL, NULL, err) < 0 ||
        load_exec(conn, "waiting for the warehouse lock",
                  "SELECT set_config('lock_timeout', $1, true)", 1, params, NULL, err) < 0)
        return -1;
    return 0;
}

int load_lock(PGconn *conn, const load_settings *settings, nk_error *err)
{
    char pid[32];
    int got;

    if (try_lock(conn, &got, err) < 0)
        return -1;
    if (got)
        return 0;
    holder(conn, pid, sizeof pid);
    load_step_set("taking the warehouse lock");
    if (!settings->lock_wait)
        return nk_fail(err, NK_EXIT_LOCKED,
                       "another load holds the warehouse lock (server process %s); "
                       "warehouse.lock is \"fail\", so this load stops without changes",
                       pid);
    nk_info("another load holds the warehouse lock (server process %s); waiting for it", pid);
    if (wait_for_lock(conn, settings->lock_timeout, err) < 0)
        return -1;
    nk_info("got the warehouse lock");
    return 0;
}

int load_lock_free(PGconn *conn, nk_error *err)
{
    char pid[32];
    int found, got;

    if (exists(conn, &found, err) < 0)
        return -1;
    if (!found) /* a new warehouse: no load has ever held it */
        return 0;
    if (load_exec(conn, "checking the warehouse lock", "BEGIN", 0, NULL, NULL, err) < 0 ||
        try_lock(conn, &got, err) < 0)
        return -1;
    if (!got)
        holder(conn, pid, sizeof pid);
    if (load_exec(conn, "giving the warehouse lock back", "ROLLBACK", 0, NULL, NULL, err) < 0)
        return -1;
    if (got)
        return 0;
    return nk_fail(err, NK_EXIT_LOCKED, "another load holds the warehouse lock (server process %s)",
                   pid);
}
