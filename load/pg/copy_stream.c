/*
 * copy_stream.c: rows out of the warehouse with COPY ... TO STDOUT, and a
 * file of rows back in with COPY ... FROM STDIN.
 *
 * The marts are computed here in the client from the facts (benchmark.c):
 * COPY moves millions of rows each way at a fraction of the cost of
 * fetching result sets, and the text format needs no conversion between
 * the two directions.  Fields are handed over still escaped, as the
 * server sent them, with "\N" as NULL.  The two ends of a COPY, starting it
 * and collecting its results, serve the staging COPY (stage_copy.c) too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"

#define CHUNK (256 * 1024)

/* Split a row in place at its tabs; fields[i] is NULL for "\N". */
static int split_row(char *row, char **fields, int max)
{
    int n = 0;
    char *field = row;

    for (;;) {
        char *tab = strchr(field, '\t');
        if (n == max)
            return -1;
        if (tab)
            *tab = '\0';
        fields[n++] = strcmp(field, "\\N") == 0 ? NULL : field;
        if (tab == NULL)
            return n;
        field = tab + 1;
    }
}

int load_copy_start(PGconn *conn, const char *what, const char *sql, ExecStatusType wanted,
                    nk_error *err)
{
    if (load_interrupt_requested())
        return nk_fail(err, NK_EXIT_INTERRUPTED, "%s: interrupted", what);
    PGresult *res = PQexec(conn, sql);
    int rc = PQresultStatus(res) == wanted ? 0 : load_fail_result(conn, res, what, err);
    PQclear(res);
    return rc;
}

/*
 * End a COPY out that stopped early, keeping err as it is.  libpq must read
 * the stream to its end; cancelling first spares reading millions of rows
 * that nobody wants.  The cancel fails the statement, and with it the load's
 * transaction, which is failing anyway.
 */
static void abandon_copy_out(PGconn *conn)
{
    PGcancel *cancel = PQgetCancel(conn);
    char why[256], *line;
    PGresult *res;

    if (cancel) {
        PQcancel(cancel, why, sizeof why);
        PQfreeCancel(cancel);
    }
    while (PQgetCopyData(conn, &line, 0) > 0)
        PQfreemem(line);
    while ((res = PQgetResult(conn)) != NULL)
        PQclear(res);
}

/*
 * The results of a COPY that ended: the rows the server reports, and its
 * error, unless the client aborted the COPY and says why itself.
 */
static int copy_results(PGconn *conn, const char *what, int aborted, long long *rows, nk_error *err)
{
    PGresult *res;
    int rc = 0;

    while ((res = PQgetResult(conn)) != NULL) {
        if (PQresultStatus(res) == PGRES_COMMAND_OK) {
            if (rows)
                *rows = atoll(PQcmdTuples(res));
        } else if (rc == 0 && !aborted) {
            rc = load_fail_result(conn, res, what, err);
        }
        PQclear(res);
    }
    return rc;
}

int load_copy_end(PGconn *conn, const char *what, const char *abort_reason, long long *rows,
                  nk_error *err)
{
    if (PQputCopyEnd(conn, abort_reason) != 1)
        return load_fail_result(conn, NULL, what, err);
    return copy_results(conn, what, abort_reason != NULL, rows, err);
}

int load_copy_out(PGconn *conn, const char *what, const char *sql, int columns, load_copy_row row,
                  void *context, nk_error *err)
{
    char *fields[LOAD_MAX_COLUMNS], *line;
    int length;

    if (columns > LOAD_MAX_COLUMNS)
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s: %d columns is too many", what, columns);
    load_step_set(what);
    if (load_copy_start(conn, what, sql, PGRES_COPY_OUT, err) < 0)
        return -1;
    /* The server sends one row per message, ending in a newline. */
    while ((length = PQgetCopyData(conn, &line, 0)) > 0) {
        if (line[length - 1] == '\n')
            line[length - 1] = '\0';
        int n = split_row(line, fields, columns);
        int rc = n == columns ? row(context, fields, err)
                              : nk_fail(err, NK_EXIT_SOFTWARE,
                                        "%s: a row has %d fields, expected %d", what, n, columns);
        PQfreemem(line);
        if (rc < 0 || load_interrupt_requested()) {
            abandon_copy_out(conn);
            return rc < 0 ? -1 : nk_fail(err, NK_EXIT_INTERRUPTED, "%s: interrupted", what);
        }
    }
    if (length == -2)
        return load_fail_result(conn, NULL, what, err);
    return copy_results(conn, what, 0, NULL, err);
}

/* The whole file to the server; the reason to abort, or NULL. */
static const char *send_file(PGconn *conn, FILE *file, int *lost)
{
    static char buffer[CHUNK];
    size_t n;

    if (fseeko(file, 0, SEEK_SET) != 0)
        return "read error";
    while ((n = fread(buffer, 1, CHUNK, file)) > 0) {
        if (load_interrupt_requested())
            return "interrupted";
        if (PQputCopyData(conn, buffer, (int)n) != 1) {
            *lost = 1;
            return "connection lost";
        }
    }
    return ferror(file) ? "read error" : NULL;
}

int load_copy_in(PGconn *conn, const char *what, const char *sql, FILE *file, long long *rows,
                 nk_error *err)
{
    const char *abort_reason;
    int lost = 0, rc;

    if (fflush(file) != 0)
        return nk_fail(err, NK_EXIT_IOERR, "%s: reading the computed rows back failed: %s", what,
                       strerror(errno));
    load_step_set(what);
    if (load_copy_start(conn, what, sql, PGRES_COPY_IN, err) < 0)
        return -1;
    abort_reason = send_file(conn, file, &lost);
    if (lost)
        return load_fail_result(conn, NULL, what, err);
    rc = load_copy_end(conn, what, abort_reason, rows, err);
    if (abort_reason && strcmp(abort_reason, "interrupted") == 0)
        return nk_fail(err, NK_EXIT_INTERRUPTED, "%s: interrupted", what);
    if (abort_reason)
        return nk_fail(err, NK_EXIT_IOERR, "%s: reading the computed rows back failed: %s", what,
                       strerror(errno));
    return rc;
}
