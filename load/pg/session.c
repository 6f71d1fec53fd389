/*
 * session.c: what the load's session is set to before it locks anything.
 *
 * - A session that cannot write (a hot standby, or default_transaction_
 *   read_only on for the database or role) is refused at once, with what
 *   to change, rather than failing at the first write.
 * - lock_timeout (warehouse.lock_timeout): a load that waits for a table a
 *   reader holds (a BI tool's open transaction) gives up after it, and
 *   readers that came after the load queue behind it only that long.
 * - How soon the server notices that the load's client is gone, so that a
 *   killed load's transaction, and with it the warehouse lock, ends at
 *   once: client_connection_check_interval (PostgreSQL 14 and later) makes
 *   a server process that is running a statement look at its socket every
 *   second; the TCP keepalives find a client host that vanished without
 *   closing its connection (power loss, a broken network) within about a
 *   minute.  Without them the process runs its statement to the end, and
 *   over TCP may wait for the dead client for hours (the kernel's
 *   keepalive defaults).  See docs/operations.md.
 */
#include <stdio.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"

/* Seconds of silence, then a probe every interval, count probes, then the connection is dead. */
#define KEEPALIVE_IDLE "30"
#define KEEPALIVE_INTERVAL "10"
#define KEEPALIVE_COUNT "3"

int load_session_writable(PGconn *conn, nk_error *err)
{
    PGresult *res = load_query(conn, "checking that the warehouse can be written",
                               "SELECT pg_is_in_recovery(),"
                               " current_setting('default_transaction_read_only') = 'on'",
                               0, NULL, err);
    int standby, read_only;

    if (res == NULL)
        return -1;
    standby = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    read_only = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    PQclear(res);
    if (standby)
        return nk_fail(err, NK_EXIT_UNAVAILABLE,
                       "the warehouse connection reached a read-only standby server (in "
                       "recovery): point warehouse.conninfo at the primary, e.g. with "
                       "target_session_attrs=read-write; nothing was loaded");
    if (read_only)
        return nk_fail(err, NK_EXIT_CONFIG,
                       "the warehouse session is read-only (default_transaction_read_only is "
                       "on for this database or role): turn it off for the loading role; "
                       "nothing was loaded");
    return 0;
}

static int reported_on(const PGconn *conn, const char *parameter)
{
    const char *value = PQparameterStatus(conn, parameter);

    return value != NULL && strcmp(value, "on") == 0;
}

int load_session_read_only(const PGconn *conn)
{
    return reported_on(conn, "in_hot_standby") ||
           reported_on(conn, "default_transaction_read_only");
}

int load_session_prepare(PGconn *conn, const load_settings *settings, nk_error *err)
{
    char seconds[32];
    const char *params[] = { seconds };

    if (load_session_writable(conn, err) < 0)
        return -1;
    snprintf(seconds, sizeof seconds, "%ds", settings->lock_timeout);
    if (load_exec(conn, "setting up the session",
                  "SELECT set_config('lock_timeout', $1, false),"
                  " set_config('tcp_keepalives_idle', '" KEEPALIVE_IDLE "', false),"
                  " set_config('tcp_keepalives_interval', '" KEEPALIVE_INTERVAL "', false),"
                  " set_config('tcp_keepalives_count', '" KEEPALIVE_COUNT "', false)",
                  1, params, NULL, err) < 0)
        return -1;
    if (PQserverVersion(conn) >= 140000 &&
        load_exec(conn, "setting up the session",
                  "SELECT set_config('client_connection_check_interval', '1s', false)", 0, NULL,
                  NULL, err) < 0)
        return -1;
    return 0;
}
