/*
 * stage_copy.c: streaming the transform/<table>.copy files into the staging tables.
 *
 * Each file goes to the server with COPY ... FROM STDIN in large pieces, as
 * it is read, so memory does not grow with the file.  The bytes are hashed
 * on the way and the row count the server reports is compared with the
 * manifest: a file that changed after transform wrote it aborts the load.
 * The Kolada values are also read on the way (fact_stream.c); in a first
 * load they go straight into nyckel.fact_kpi_value instead (first_load.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "load/load.h"
#include "lib/base/log.h"
#include "lib/base/progress_bar.h"

#define CHUNK (256 * 1024)

/* Where staging stands, for the progress bar. */
typedef struct load_progress {
    nk_progress *bar;
    uint64_t tables_done;
    uint64_t rows_done;
} load_progress;

/* "COPY staging.t (a, b) FROM STDIN": names come from tables.c only. */
static void copy_sql(const load_staged *staged, char *out, size_t size)
{
    size_t used = (size_t)snprintf(out, size, "COPY staging.%s (", staged->spec->name);

    for (size_t i = 0; i < staged->column_count && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "",
                                 staged->columns[i]);
    if (used < size)
        snprintf(out + used, size - used, ") FROM STDIN");
}

/* Rows staged so far, for the progress bar: whole tables plus the share of this file sent. */
static double rows_so_far(const load_progress *progress, const load_staged *staged, off_t sent,
                          off_t size)
{
    double share = size > 0 ? (double)sent / (double)size : 0;

    return (double)progress->rows_done + (double)staged->rows * share;
}

/*
 * The file to the server in large pieces, through sender.  A fact stream
 * reads every piece after it was hashed; when it rewrites the rows, it
 * sends them itself.  On failure *abort_reason says why the COPY is to be
 * aborted, or is NULL when sending itself failed.
 */
static int send_pieces(load_copy_sender *sender, const load_staged *staged, FILE *file,
                       char hex[65], load_fact_stream *stream, int rewritten,
                       load_progress *progress, const char **abort_reason, nk_error *err)
{
    static char buffer[CHUNK];
    nk_sha256 *sha = nk_sha256_new();
    struct stat st;
    off_t sent = 0, size = fstat(fileno(file), &st) == 0 ? st.st_size : 0;
    size_t n;

    *abort_reason = NULL;
    while ((n = fread(buffer, 1, sizeof buffer, file)) > 0) {
        /* The server stopped reading at the cancel; the rest need not be sent. */
        if (load_interrupt_requested()) {
            nk_sha256_finish(sha, hex);
            *abort_reason = "interrupted";
            return nk_fail(err, NK_EXIT_INTERRUPTED, "%s: interrupted", staged->path);
        }
        sent += (off_t)n;
        nk_progress_set(progress->bar, progress->tables_done,
                        rows_so_far(progress, staged, sent, size));
        nk_sha256_update(sha, buffer, n);
        if (!rewritten && load_copy_sender_put(sender, buffer, n, err) < 0) {
            nk_sha256_finish(sha, hex);
            return -1;
        }
        if (stream && load_fact_stream_feed(stream, sender, buffer, n, err) < 0) {
            nk_sha256_finish(sha, hex);
            *abort_reason = "a bad row";
            return -1;
        }
    }
    nk_sha256_finish(sha, hex);
    if (ferror(file)) {
        *abort_reason = "read error";
        return nk_fail(err, NK_EXIT_IOERR, "%s: read failed: %s", staged->path, strerror(errno));
    }
    if (stream && load_fact_stream_end(stream, sender, err) < 0) {
        *abort_reason = "a bad row";
        return -1;
    }
    return 0;
}

/* The file to the server, sent from a thread while the next pieces are read (copy_sender.c). */
static int send_file(PGconn *conn, const load_staged *staged, FILE *file, char hex[65],
                     load_fact_stream *stream, int rewritten, load_progress *progress,
                     nk_error *err)
{
    load_copy_sender *sender = load_copy_sender_start(conn, staged->path, err);
    const char *abort_reason = "no thread to send with";
    nk_error failure;
    int rc = -1;

    if (sender) {
        rc = send_pieces(sender, staged, file, hex, stream, rewritten, progress, &abort_reason,
                         err);
        failure = *err;
        /* The first error is the one told: the sender's own only when nothing else failed. */
        if (load_copy_sender_finish(sender, &failure) < 0 && rc == 0) {
            *err = failure;
            return -1;
        }
        if (rc == 0)
            return 0;
    }
    if (abort_reason) {
        failure = *err;
        load_copy_end(conn, staged->path, abort_reason, NULL, err);
        *err = failure;
    }
    return -1;
}

/* One file into the COPY of sql, checked against the transform manifest. */
static int copy_file(PGconn *conn, const load_plan *plan, const load_staged *staged,
                     const char *sql, load_fact_stream *stream, int rewritten,
                     load_progress *progress, nk_error *err)
{
    char hex[65];
    long long rows = -1;
    FILE *file = fopen(staged->path, "rb");
    int rc;

    if (file == NULL)
        return nk_fail(err, NK_EXIT_NOINPUT, "%s: cannot open: %s", staged->path, strerror(errno));
    if (load_copy_start(conn, staged->path, sql, PGRES_COPY_IN, err) < 0) {
        fclose(file);
        return -1;
    }
    rc = send_file(conn, staged, file, hex, stream, rewritten, progress, err);
    fclose(file);
    if (rc < 0)
        return -1;
    if (strcmp(hex, staged->sha256) != 0) {
        load_copy_end(conn, staged->path, "checksum mismatch", &rows, err);
        return nk_fail(err, NK_EXIT_DATA,
                       "%s: sha256 is %s but the transform manifest says %s; "
                       "the file changed after transform wrote it",
                       staged->path, hex, staged->sha256);
    }
    if (load_copy_end(conn, staged->path, NULL, &rows, err) < 0) {
        load_copy_name_source(plan, staged, load_failed_copy_line(), err);
        return -1;
    }
    if (rows != staged->rows)
        return nk_fail(err, NK_EXIT_DATA, "%s: %lld rows, but the transform manifest says %lld",
                       staged->path, rows, staged->rows);
    return 0;
}

static int is_kolada_values(const load_staged *staged)
{
    return strcmp(staged->spec->name, "fact_kpi_value") == 0;
}

static int stage_one(PGconn *conn, const load_plan *plan, const load_staged *staged,
                     load_progress *progress, nk_error *err)
{
    char sql[1024], step[128];
    load_fact_stream *stream = NULL;
    int rc;

    if (is_kolada_values(staged) && (stream = load_fact_stream_new(staged, err)) == NULL)
        return -1;
    copy_sql(staged, sql, sizeof sql);
    snprintf(step, sizeof step, "staging %s", staged->spec->name);
    load_step_set(step);
    rc = copy_file(conn, plan, staged, sql, stream, 0, progress, err);
    if (rc == 0 && stream)
        rc = load_fact_stream_send_ids(stream, conn, err);
    load_fact_stream_free(stream);
    if (rc == 0)
        nk_debug("staged %lld rows of %s", staged->rows, staged->spec->name);
    return rc;
}

int load_stage_first_values(PGconn *conn, const load_plan *plan, const char *run_key,
                            load_value_buckets *values, nk_error *err)
{
    const load_staged *staged = load_plan_find(plan, "fact_kpi_value");
    load_progress progress = { nk_progress_start("load", "tables", 1, "rows"), 0, 0 };
    load_fact_stream *stream = load_fact_stream_new(staged, err);
    char sql[1024], columns[900];
    int rc = stream ? 0 : -1;

    load_step_set("copying the values into nyckel.fact_kpi_value");
    if (rc == 0)
        rc = load_fact_stream_rewrite(stream, conn, run_key, values, err);
    if (rc == 0) {
        load_fact_stream_columns(stream, columns, sizeof columns);
        snprintf(sql, sizeof sql, "COPY nyckel.fact_kpi_value %s FROM STDIN WITH (FREEZE)",
                 columns);
        rc = copy_file(conn, plan, staged, sql, stream, 1, &progress, err);
    }
    if (rc == 0)
        rc = load_fact_stream_send_ids(stream, conn, err);
    load_fact_stream_free(stream);
    nk_progress_finish(progress.bar);
    return rc;
}

/* Every staging table starts empty, including those this run does not use. */
static int truncate_staging(PGconn *conn, nk_error *err)
{
    char sql[2048];
    size_t used = (size_t)snprintf(sql, sizeof sql, "TRUNCATE ");

    for (size_t i = 0; i < load_table_spec_count() && used < sizeof sql; i++)
        used += (size_t)snprintf(sql + used, sizeof sql - used, "%sstaging.%s", i ? ", " : "",
                                 load_table_spec_at(i)->name);
    return load_exec(conn, "emptying the staging tables", sql, 0, NULL, NULL, err);
}

/*
 * Statistics for what was staged: without them the planner takes the
 * staging tables for nearly empty and picks nested loops over millions of
 * rows in the checks and the merge.  Not on Citus: there the staging
 * tables are shards that each worker's planner sizes itself, and an
 * ANALYZE in the load's transaction would reach the coordinator's copy of
 * the reference tables over a second connection, which Citus refuses once
 * the transaction has used that copy directly.
 */
static int analyze_staged(PGconn *conn, const load_plan *plan, nk_error *err)
{
    char sql[256];
    PGresult *res = load_query(conn, "analysing the staging tables", "SELECT " LOAD_NOT_CITUS_SQL,
                               0, NULL, err);
    int plain;

    if (res == NULL)
        return -1;
    plain = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    for (size_t i = 0; i < plan->count && plain; i++) {
        snprintf(sql, sizeof sql, "ANALYZE staging.%s", plan->tables[i].spec->name);
        if (load_exec(conn, "analysing the staging tables", sql, 0, NULL, NULL, err) < 0)
            return -1;
    }
    return 0;
}

int load_stage_all(PGconn *conn, const load_plan *plan, int first_load, nk_error *err)
{
    load_progress progress = { nk_progress_start("load", "tables", plan->count, "rows"), 0, 0 };
    int rc = 0;

    if (truncate_staging(conn, err) < 0 || load_fact_ids_create(conn, err) < 0)
        rc = -1;
    for (size_t i = 0; i < plan->count && rc == 0; i++) {
        /* A first load copies the values later, straight into the warehouse. */
        if (!(first_load && is_kolada_values(&plan->tables[i])))
            rc = stage_one(conn, plan, &plan->tables[i], &progress, err);
        progress.tables_done++;
        progress.rows_done += (uint64_t)plan->tables[i].rows;
    }
    nk_progress_finish(progress.bar);
    return rc == 0 ? analyze_staged(conn, plan, err) : rc;
}
