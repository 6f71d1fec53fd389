/*
 * db.c: the report's connection to the warehouse and its queries.
 *
 * The report only reads the mart schema, as any member of nyckel_bi may;
 * every value travels as a parameter.  Results are kept in the report so
 * that the strings gathered from them live as long as it does.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "report/db.h"
#include "lib/base/exit_codes.h"

/* libpq's message, up to its first line break. */
static const char *first_line(const char *message, int *length)
{
    *length = (int)strcspn(message, "\n");
    return message;
}

PGconn *report_connect(const char *conninfo, nk_error *err)
{
    const char *const keywords[] = { "dbname", "fallback_application_name", NULL };
    const char *const values[] = { conninfo ? conninfo : "", "nyckel-report", NULL };
    PGconn *conn = PQconnectdbParams(keywords, values, 1);
    int length;

    if (conn == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "cannot connect to the warehouse: out of memory");
        return NULL;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        const char *message = first_line(PQerrorMessage(conn), &length);
        nk_fail(err, NK_EXIT_UNAVAILABLE, "cannot connect to the warehouse: %.*s", length, message);
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

static int keep(report *rep, PGresult *res, nk_error *err)
{
    if (nk_grow_array(&rep->results, sizeof *rep->results, rep->result_count + 1,
                      &rep->result_capacity, 32) < 0)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory reading the marts");
    rep->results[rep->result_count++] = res;
    return 0;
}

PGresult *report_query(PGconn *conn, report *rep, const char *what, const char *sql, int nparams,
                       const char *const *params, nk_error *err)
{
    PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    int length;

    if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
        const char *message = first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(conn),
                                         &length);
        const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        /* 42501: the role may not read the marts; 42P01, 42703: a warehouse before 013. */
        int code = state && strncmp(state, "42", 2) == 0 ? NK_EXIT_CONFIG : NK_EXIT_UNAVAILABLE;
        nk_fail(err, code, "reading %s from the marts: %.*s%s", what, length, message,
                code == NK_EXIT_CONFIG ? " (is the warehouse loaded by this version of "
                                         "nyckel-load, and the role a member of nyckel_bi?)"
                                       : "");
        PQclear(res);
        return NULL;
    }
    if (keep(rep, res, err) < 0) {
        PQclear(res);
        return NULL;
    }
    return res;
}

const char *report_cell(const PGresult *res, int row, int column)
{
    return PQgetisnull(res, row, column) ? NULL : PQgetvalue(res, row, column);
}

void *report_alloc(size_t count, size_t size, nk_error *err)
{
    void *p = calloc(count ? count : 1, size);

    if (p == NULL)
        nk_fail(err, NK_EXIT_SOFTWARE, "out of memory gathering the report");
    return p;
}

void report_free(report *rep)
{
    for (size_t i = 0; i < rep->kpi_count; i++) {
        report_kpi *kpi = &rep->kpis[i];
        for (size_t s = 0; s < kpi->series_count; s++)
            free(kpi->series[s].points);
        free(kpi->series);
        free(kpi->standing);
        free(kpi->peers);
        free(kpi->internal);
        free(kpi->unit);
    }
    free(rep->kpis);
    free(rep->budget);
    free(rep->sources);
    for (size_t i = 0; i < rep->result_count; i++)
        PQclear(rep->results[i]);
    free(rep->results);
    memset(rep, 0, sizeof *rep);
}
