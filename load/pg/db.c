/*
 * db.c: connecting to the warehouse and running statements with libpq.
 *
 * Values always travel as parameters ($1, $2, ...); the SQL text is a
 * constant in the source.  A server error becomes one line that names the
 * step, the server's message and, for COPY, the file line it came from; its
 * SQLSTATE decides the exit status (bad data 65, warehouse gone 69, ...).
 * The step of the statement last started is kept for the failure record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"

/* libpq messages end in a newline and may carry a hint on a second line. */
static void one_line(char *out, size_t size, const char *text)
{
    size_t used = 0;

    for (; text && *text && used + 3 < size; text++) {
        if (*text == '\n') {
            if (text[1] == '\0')
                break;
            out[used++] = ';';
            out[used++] = ' ';
        } else if (*text != '\t' && *text != '\r') {
            out[used++] = *text;
        }
    }
    out[used] = '\0';
}

PGconn *load_connect(const char *conninfo, nk_error *err)
{
    const char *const keywords[] = { "dbname", "fallback_application_name", NULL };
    const char *const values[] = { conninfo ? conninfo : "", "nyckel-load", NULL };
    PGconn *conn = PQconnectdbParams(keywords, values, 1);
    char message[1024];

    if (conn == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "cannot connect to the warehouse: out of memory");
        return NULL;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        one_line(message, sizeof message, PQerrorMessage(conn));
        nk_fail(err, NK_EXIT_UNAVAILABLE, "cannot connect to the warehouse: %s", message);
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

static char step[256] = "connecting";
static long long copy_line; /* of the COPY that failed last, or 0 */

void load_step_set(const char *what)
{
    snprintf(step, sizeof step, "%s", what);
}

const char *load_step(void)
{
    return step;
}

long long load_failed_copy_line(void)
{
    return copy_line;
}

/* The server's context of a failed COPY reads "COPY table, line N[, column c: ...]". */
static void note_copy_line(const char *context)
{
    const char *line = context && strncmp(context, "COPY ", 5) == 0 ? strstr(context, ", line ")
                                                                    : NULL;

    copy_line = line ? atoll(line + 7) : 0;
}

int load_exit_for_sqlstate(const char *sqlstate)
{
    if (sqlstate == NULL || strlen(sqlstate) != 5)
        return NK_EXIT_UNAVAILABLE;
    /* 54: a value past a limit of the server, e.g. an id too long for an index. */
    if (strncmp(sqlstate, "22", 2) == 0 || strncmp(sqlstate, "23", 2) == 0 ||
        strncmp(sqlstate, "54", 2) == 0)
        return NK_EXIT_DATA;
    if (strncmp(sqlstate, "08", 2) == 0 || strcmp(sqlstate, "57P01") == 0 ||
        strcmp(sqlstate, "57P02") == 0 || strcmp(sqlstate, "57P03") == 0)
        return NK_EXIT_UNAVAILABLE;
    if (strncmp(sqlstate, "40", 2) == 0 || strncmp(sqlstate, "53", 2) == 0)
        return NK_EXIT_TEMPFAIL;
    /* lock_timeout: a reader held a table; it may be gone later (see fail_lock_timeout). */
    if (strcmp(sqlstate, "55P03") == 0)
        return NK_EXIT_TEMPFAIL;
    /* Not allowed to write: a role without rights, or a read-only transaction. */
    if (strcmp(sqlstate, "42501") == 0 || strcmp(sqlstate, "25006") == 0)
        return NK_EXIT_CONFIG;
    return NK_EXIT_SOFTWARE;
}

/* libpq's first line, without the severity a lost connection's message starts with. */
static void first_line(char *out, size_t size, const char *text)
{
    const char *colon = strstr(text, ":  ");

    if (colon && (size_t)(colon - text) < 8)
        text = colon + 3;
    snprintf(out, size, "%.*s", (int)strcspn(text, "\n"), text);
}

/*
 * The server stopped, restarted or the network broke: whatever the
 * statement was, the server rolls back what was not committed.  That is
 * for a person to retry later, not a bug (sysexits' "unavailable").
 */
static int fail_connection_lost(PGconn *conn, const PGresult *res, const char *what, nk_error *err)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char message[512];

    first_line(message, sizeof message, primary ? primary : PQerrorMessage(conn));
    return nk_fail(err, NK_EXIT_UNAVAILABLE,
                   "%s: lost the connection to the warehouse (%s); the server rolls back "
                   "what was not committed: load again once PostgreSQL is back",
                   what, *message ? message : "no reason given");
}

/*
 * Another session held a table the load must change for longer than
 * lock_timeout: mostly a BI tool that left a transaction open on a mart.
 * The load gives up so that readers are not queued behind it any longer.
 */
static int fail_lock_timeout(const char *what, nk_error *err)
{
    return nk_fail(err, NK_EXIT_TEMPFAIL,
                   "%s: waited warehouse.lock_timeout for a table another session holds "
                   "(a reader's open transaction, e.g. a BI tool's: see pg_stat_activity for "
                   "sessions \"idle in transaction\"); the load gave up and changed nothing, "
                   "so that readers do not queue behind it: load again later",
                   what);
}

int load_fail_result(PGconn *conn, const PGresult *res, const char *what, nk_error *err)
{
    const char *sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    const char *context = res ? PQresultErrorField(res, PG_DIAG_CONTEXT) : NULL;
    char message[1024], more[1024] = "", where[512] = "";

    note_copy_line(context);
    if (PQstatus(conn) != CONNECTION_OK)
        return fail_connection_lost(conn, res, what, err);
    one_line(message, sizeof message, primary ? primary : PQerrorMessage(conn));
    if (detail)
        one_line(more, sizeof more, detail);
    if (context)
        one_line(where, sizeof where, context);
    if (sqlstate == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s: %s", what, message);
    if (strcmp(sqlstate, "55P03") == 0)
        return fail_lock_timeout(what, err);
    return nk_fail(err, load_exit_for_sqlstate(sqlstate), "%s: %s%s%s%s%s (SQLSTATE %s)", what,
                   message, *more ? " - " : "", more, *where ? " - at " : "", where, sqlstate);
}

/*
 * A unique key or index that cannot be built because the rows of a staged
 * file repeat a key: the server's detail reads "Key (a, b)=(x, y) is
 * duplicated."  Or because a key is too long to index.  Any other failure
 * as load_fail_result.
 */
static int fail_repeated_key(PGconn *conn, const PGresult *res, const char *staged,
                             const char *what, nk_error *err)
{
    const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    const char *columns = detail ? strstr(detail, "Key (") : NULL;
    const char *values = detail ? strstr(detail, ")=(") : NULL;
    const char *end = detail ? strrchr(detail, ')') : NULL;
    const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

    if (sqlstate && strcmp(sqlstate, "23505") == 0 && columns && values > columns && end > values)
        return nk_fail(err, NK_EXIT_DATA, "transform/%s.copy: key (%.*s) = (%.*s) appears twice",
                       staged, (int)(values - columns - 5), columns + 5, (int)(end - values - 3),
                       values + 3);
    /* An id of many kilobytes: the server cannot index it (54000). */
    if (sqlstate && strcmp(sqlstate, "54000") == 0 && PQstatus(conn) == CONNECTION_OK)
        return nk_fail(err, NK_EXIT_DATA,
                       "transform/%s.copy: a row's key is too long for the warehouse to index "
                       "(%s): look for an id of kilobytes in the source",
                       staged, primary ? primary : "no detail");
    return load_fail_result(conn, res, what, err);
}

static PGresult *run(PGconn *conn, const char *what, const char *sql, int nparams,
                     const char *const *params, const char *staged, nk_error *err)
{
    PGresult *res;
    ExecStatusType status;

    load_step_set(what);
    /* A signal that came between statements found nothing to cancel. */
    if (load_interrupt_requested()) {
        nk_fail(err, NK_EXIT_INTERRUPTED, "%s: interrupted", what);
        return NULL;
    }
    res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    status = PQresultStatus(res);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return res;
    if (staged)
        fail_repeated_key(conn, res, staged, what, err);
    else
        load_fail_result(conn, res, what, err);
    PQclear(res);
    return NULL;
}

PGresult *load_query(PGconn *conn, const char *what, const char *sql, int nparams,
                     const char *const *params, nk_error *err)
{
    return run(conn, what, sql, nparams, params, NULL, err);
}

int load_exec_unique(PGconn *conn, const char *what, const char *sql, const char *staged,
                     nk_error *err)
{
    PGresult *res = run(conn, what, sql, 0, NULL, staged, err);

    PQclear(res);
    return res ? 0 : -1;
}

int load_exec(PGconn *conn, const char *what, const char *sql, int nparams,
              const char *const *params, long long *affected, nk_error *err)
{
    PGresult *res = load_query(conn, what, sql, nparams, params, err);

    if (res == NULL)
        return -1;
    if (affected)
        *affected = atoll(PQcmdTuples(res));
    PQclear(res);
    return 0;
}
