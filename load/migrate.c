/*
 * migrate.c: applying the numbered SQL migrations from schemas/.
 *
 * The SQL is compiled into the binary (scripts/embed-schemas.sh), so an
 * installed nyckel-load needs no schema path.  Each migration runs once, in
 * the load's first transaction under the warehouse lock (all pending ones
 * commit together or not at all), and is recorded with its checksum in
 * nyckel.schema_migration; a migration that was changed after it was applied
 * is an error, because the warehouse no longer matches what the file says.
 */
#include <stdio.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "load/load.h"
#include "lib/base/log.h"
#include "lib/base/version.h"

static const char bootstrap_sql[] = "CREATE SCHEMA IF NOT EXISTS nyckel;"
                                    "CREATE TABLE IF NOT EXISTS nyckel.schema_migration ("
                                    " version text PRIMARY KEY,"
                                    " sha256 text NOT NULL,"
                                    " applied_at timestamptz NOT NULL DEFAULT now(),"
                                    " nyckel_version text NOT NULL)";

static void sql_sha256(const char *sql, char hex[65])
{
    nk_sha256 *sha = nk_sha256_new();

    nk_sha256_update(sha, sql, strlen(sql));
    nk_sha256_finish(sha, hex);
}

static const load_migration *find_migration(const char *name)
{
    for (size_t i = 0; i < load_migration_count; i++)
        if (strcmp(load_migrations[i].name, name) == 0)
            return &load_migrations[i];
    return NULL;
}

/* Statements as a script: PQexec, because parameters allow only one statement. */
static int exec_script(PGconn *conn, const char *what, const char *sql, nk_error *err)
{
    PGresult *res;
    int rc = 0;

    load_step_set(what);
    res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = load_fail_result(conn, res, what, err);
    PQclear(res);
    return rc;
}

static int check_applied(PGconn *conn, nk_error *err)
{
    PGresult *res =
        load_query(conn, "reading applied migrations",
                   "SELECT version, sha256 FROM nyckel.schema_migration ORDER BY version", 0, NULL,
                   err);
    char hex[65];
    int rc = 0;

    if (res == NULL)
        return -1;
    for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
        const char *name = PQgetvalue(res, i, 0);
        const load_migration *migration = find_migration(name);
        if (migration == NULL) {
            rc = nk_fail(err, NK_EXIT_SOFTWARE,
                         "the warehouse has migration %s, which this nyckel-load (%s) does not "
                         "know: use the nyckel version that applied it",
                         name, NYCKEL_VERSION);
            break;
        }
        sql_sha256(migration->sql, hex);
        if (strcmp(hex, PQgetvalue(res, i, 1)) != 0)
            rc = nk_fail(err, NK_EXIT_SOFTWARE,
                         "schemas/%s: changed after it was applied to this warehouse "
                         "(sha256 applied %.12s…, now %.12s…); add a new migration instead",
                         name, PQgetvalue(res, i, 1), hex);
    }
    PQclear(res);
    return rc;
}

static int is_applied(PGconn *conn, const char *name, int *applied, nk_error *err)
{
    const char *params[] = { name };
    PGresult *res = load_query(conn, "reading applied migrations",
                               "SELECT 1 FROM nyckel.schema_migration WHERE version = $1", 1,
                               params, err);

    if (res == NULL)
        return -1;
    *applied = PQntuples(res) > 0;
    PQclear(res);
    return 0;
}

static int apply(PGconn *conn, const load_migration *migration, nk_error *err)
{
    char what[160], hex[65];
    const char *params[] = { migration->name, hex, NYCKEL_VERSION };

    snprintf(what, sizeof what, "migration schemas/%s", migration->name);
    sql_sha256(migration->sql, hex);
    if (exec_script(conn, what, migration->sql, err) < 0 ||
        load_exec(conn, what,
                  "INSERT INTO nyckel.schema_migration (version, sha256, nyckel_version)"
                  " VALUES ($1, $2, $3)",
                  3, params, NULL, err) < 0)
        return -1;
    nk_info("applied migration %s", migration->name);
    return 0;
}

int load_migrate(PGconn *conn, json_t *applied, nk_error *err)
{
    if (exec_script(conn, "creating the migrations table", bootstrap_sql, err) < 0 ||
        check_applied(conn, err) < 0)
        return -1;
    for (size_t i = 0; i < load_migration_count; i++) {
        int done;
        if (is_applied(conn, load_migrations[i].name, &done, err) < 0)
            return -1;
        if (done)
            continue;
        if (apply(conn, &load_migrations[i], err) < 0)
            return -1;
        json_array_append_new(applied, json_string(load_migrations[i].name));
    }
    return 0;
}
