/*
 * check.c: nyckel-load --check: what a load of the job would need from the
 * warehouse, asked before anything runs: a connection with the job's
 * credentials (warehouse.conninfo, else the PG* variables, service file
 * and .pgpass), a session that can write (not a hot standby, not read-only)
 * and a free warehouse lock.  Nothing is changed.
 */
#include "lib/base/cli.h"
#include "load/load.h"
#include "lib/base/log.h"

int load_check(const nk_job *job, nk_error *err)
{
    load_settings settings;
    nk_error failed = { 0, "" };
    PGconn *conn;
    int problems = 0;

    load_settings_read(&settings, job);
    conn = load_connect(settings.conninfo, &failed);
    if (conn == NULL) {
        problems -= nk_check_problem(err, failed.exit_code, "%s", failed.message);
    } else {
        /* A standby or read-only session could take no lock: its own problem is the one told. */
        if (load_session_writable(conn, &failed) < 0 || load_lock_free(conn, &failed) < 0)
            problems -= nk_check_problem(err, failed.exit_code, "%s", failed.message);
        else
            nk_info("check: the warehouse answers (database %s), can be written and its lock "
                    "is free",
                    PQdb(conn));
        PQfinish(conn);
    }
    return nk_check_finish("load", problems, err);
}
