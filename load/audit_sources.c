/*
 * audit_sources.c: the transform manifest's "sources" sent to the warehouse
 * for the audit row one entry at a time.
 *
 * A national run lists a thousand sources and more; rather than hold them
 * as one JSON parameter, load streams the manifest (nk_manifest_read) and
 * COPYs each entry into a temporary table, from which the audit row's
 * sources column is built in SQL, in manifest order.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"
#include "lib/rundir/manifest.h"

typedef struct sending {
    PGconn *conn;
    const char *path;
} sending;

/* COPY text: the JSON is one line already; only backslashes need doubling. */
static char *copy_line(size_t index, const char *json)
{
    size_t length = strlen(json), used;
    char *line = malloc(2 * length + 32);

    if (line == NULL)
        return NULL;
    used = (size_t)snprintf(line, 32, "%zu\t", index);
    for (const char *c = json; *c; c++) {
        if (*c == '\\')
            line[used++] = '\\';
        line[used++] = *c;
    }
    line[used++] = '\n';
    line[used] = '\0';
    return line;
}

static int send_entry(const json_t *entry, size_t index, void *data, nk_error *err)
{
    const sending *s = data;
    char *json = json_dumps(entry, JSON_COMPACT | JSON_SORT_KEYS);
    char *line = json ? copy_line(index, json) : NULL;
    int rc = 0;

    if (line == NULL)
        rc = nk_fail(err, NK_EXIT_SOFTWARE, "%s: sources[%zu]: out of memory", s->path, index);
    else if (PQputCopyData(s->conn, line, (int)strlen(line)) != 1)
        rc = load_fail_result(s->conn, NULL, "sending the sources of the audit row", err);
    free(line);
    free(json);
    return rc;
}

static int end_copy(PGconn *conn, const char *abort_reason, nk_error *err)
{
    PGresult *res;
    int rc = 0;

    if (PQputCopyEnd(conn, abort_reason) != 1)
        return load_fail_result(conn, NULL, "sending the sources of the audit row", err);
    while ((res = PQgetResult(conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0 && abort_reason == NULL)
            rc = load_fail_result(conn, res, "sending the sources of the audit row", err);
        PQclear(res);
    }
    return rc;
}

static int start_copy(PGconn *conn, nk_error *err)
{
    PGresult *res;
    int rc = 0;

    if (load_exec(conn, "writing the audit row",
                  "CREATE TEMPORARY TABLE nyckel_run_sources (position bigint, entry jsonb)"
                  " ON COMMIT DROP",
                  0, NULL, NULL, err) < 0)
        return -1;
    res = PQexec(conn, "COPY pg_temp.nyckel_run_sources (position, entry) FROM STDIN");
    if (PQresultStatus(res) != PGRES_COPY_IN)
        rc = load_fail_result(conn, res, "sending the sources of the audit row", err);
    PQclear(res);
    return rc;
}

int load_audit_send_sources(PGconn *conn, const char *manifest_path, nk_error *err)
{
    sending s = { conn, manifest_path };
    json_t *header;

    if (start_copy(conn, err) < 0)
        return -1;
    header = nk_manifest_read(manifest_path, "sources", send_entry, &s, NK_EXIT_NOINPUT, NULL, err);
    if (header == NULL) {
        end_copy(conn, "the transform manifest could not be read", err);
        return -1;
    }
    json_decref(header);
    return end_copy(conn, NULL, err);
}
