/*
 * marts.c: bringing the stored benchmark up to date after the facts
 * changed.
 *
 * A rank needs every municipality of its slice (KPI, year, gender) at
 * once, which is too slow to compute per query at national scale; so each
 * slice's values are kept in ranking order in mart.benchmark_slice, one
 * row per slice, and mart.benchmark finds a rank in them at read time
 * (schemas/016).  They are brought up to date here, inside the load's
 * transaction, so BI tools see the new facts and the new ranks together.
 *
 * Three ways, by what the load changed:
 * - A load that changed a few values, where scattered, patches the slices
 *   they are in: the merge notes each value it changes with the one before
 *   (load_benchmark_note_changes), and each such slice's removed and added
 *   values are kept beside it in mart.benchmark_slice_edit until there are
 *   enough to rewrite it with (schemas/024); no other slice is read or
 *   written.
 * - A KPI's direction, or a dimension or group, or most of the facts:
 *   those KPIs' slices, or all, are recomputed from the facts, streamed out
 *   with COPY in KPI order through benchmark.c and back with COPY.
 * - A first load (first_load.c) leaves the fact table holding exactly the
 *   values it set aside on the way in, so its slices are computed from
 *   those, on a thread, while the server builds the fact table's key and
 *   index.
 *
 * The SQL is in load/sql/benchmark_*.sql, one statement a file.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/marts/benchmark.h"
#include "lib/base/exit_codes.h"
#include "load/load.h"
#include "lib/base/log.h"
#include "load_sql.h"

/*
 * The slices left without a value row go, the others have what changed
 * noted beside them, new ones are added, and slices whose noted edits grew
 * past 64 values are rewritten with them.  Row by row: BI readers
 * are not blocked, and what did not change is not written.
 */
static const char *const patch_sql[] = {
    load_sql_benchmark_patch_1_emptied,   load_sql_benchmark_patch_2_edits_added,
    load_sql_benchmark_patch_3_edits_new, load_sql_benchmark_patch_4_added,
    load_sql_benchmark_patch_5_folded,
};
#define PATCH_STEPS (sizeof patch_sql / sizeof patch_sql[0])

static int add_area(void *bench, char **f, nk_error *err)
{
    return benchmark_add_area(bench, f[0], f[1], err);
}

static int add_year(void *bench, char **f, nk_error *err)
{
    return benchmark_add_year(bench, f[0], f[1], err);
}

static int add_direction(void *bench, char **f, nk_error *err)
{
    return benchmark_add_direction(bench, f[0], f[1], err);
}

/* The computation under way: the benchmark and the file its slices go to. */
typedef struct computation {
    benchmark *bench;
    FILE *slices;
} computation;

static int write_failed(nk_error *err)
{
    return nk_fail(err, NK_EXIT_IOERR,
                   "writing the computed benchmark to a file in %s failed: %s (set TMPDIR "
                   "to a folder with room for about 20 bytes a value)",
                   getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", strerror(errno));
}

static int add_value(void *data, char **f, nk_error *err)
{
    computation *c = data;

    if (benchmark_add_value(c->bench, f[0], f[1], f[2], f[3], f[4], err) < 0)
        return -1;
    /* A full TMPDIR stops the reading at once, not after millions more values. */
    return ferror_unlocked(c->slices) ? write_failed(err) : 0;
}

static const char what_reads[] = "reading the facts for the benchmark";

static int read_dimensions(PGconn *conn, computation *c, nk_error *err)
{
    return load_copy_out(conn, what_reads, load_sql_benchmark_areas, 2, add_area, c->bench, err) <
                       0 ||
                   load_copy_out(conn, what_reads, load_sql_benchmark_years, 2, add_year, c->bench,
                                 err) < 0 ||
                   load_copy_out(conn, what_reads, load_sql_benchmark_directions, 2, add_direction,
                                 c->bench, err) < 0
               ? -1
               : 0;
}

static int compute(PGconn *conn, computation *c, int some, nk_error *err)
{
    if (read_dimensions(conn, c, err) < 0 ||
        load_copy_out(conn, what_reads,
                      some ? load_sql_benchmark_some_facts : load_sql_benchmark_all_facts, 5,
                      add_value, c, err) < 0)
        return -1;
    benchmark_finish(c->bench);
    return 0;
}

static int flushed(FILE *file, nk_error *err)
{
    return fflush(file) != 0 || ferror(file) ? write_failed(err) : 0;
}

static int send_slices(PGconn *conn, const computation *c, nk_error *err)
{
    long long rows;

    return load_copy_in(conn, "storing the benchmark", load_sql_benchmark_slices_in, c->slices,
                        &rows, err);
}

/*
 * All of it: emptied and filled.  TRUNCATE blocks BI readers until the
 * commit, as the whole benchmark's rewrite always did.
 */
static int replace_all(PGconn *conn, const computation *c, nk_error *err)
{
    return load_exec(conn, "emptying the benchmark", load_sql_benchmark_empty, 0, NULL, NULL, err) <
                   0
               ? -1
               : send_slices(conn, c, err);
}

static int replace_some(PGconn *conn, const computation *c, nk_error *err)
{
    return load_exec(conn, "forgetting the recomputed KPIs' benchmark",
                     load_sql_benchmark_forget_some, 0, NULL, NULL, err) < 0
               ? -1
               : send_slices(conn, c, err);
}

static int computation_open(computation *c, nk_error *err)
{
    memset(c, 0, sizeof *c);
    if ((c->slices = load_scratch_file("benchmark", err)) == NULL)
        return -1;
    if ((c->bench = benchmark_new(c->slices)) == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory computing the benchmark");
    return 0;
}

static void computation_close(computation *c)
{
    benchmark_free(c->bench);
    if (c->slices)
        fclose(c->slices);
}

/* kpi_count: how many KPIs nyckel_benchmark_kpi holds, or NULL to recompute all of them. */
static int recompute(PGconn *conn, const char *kpi_count, nk_error *err)
{
    int some = kpi_count != NULL;
    computation c;
    int rc = -1;

    if (computation_open(&c, err) == 0 && compute(conn, &c, some, err) == 0 &&
        flushed(c.slices, err) == 0)
        rc = some ? replace_some(conn, &c, err) : replace_all(conn, &c, err);
    if (rc == 0 && some)
        nk_info("recomputed the benchmark for %s KPI(s): %lld slices", kpi_count,
                benchmark_slice_rows(c.bench));
    else if (rc == 0)
        nk_info("recomputed the whole benchmark: %lld slices", benchmark_slice_rows(c.bench));
    computation_close(&c);
    return rc;
}

/*
 * The benchmark of a first load, computed on a thread of its own from the
 * values set aside as they streamed (value_buckets.c), while the server
 * builds the fact table's key and index: the fact table holds exactly
 * those values, so reading them back out would tell nothing new.
 */
struct load_benchmark_job {
    computation c;
    load_value_buckets *buckets;
    pthread_t thread;
    int started;
    atomic_int stop;
    int rc;
    nk_error failure;
};

/* After each KPI: a full TMPDIR stops the computation here, not at the end. */
static int check_written(void *context, const char *kpi_id, nk_error *err)
{
    load_benchmark_job *job = context;

    (void)kpi_id;
    return ferror_unlocked(job->c.slices) ? write_failed(err) : 0;
}

static void *compute_from_values(void *data)
{
    load_benchmark_job *job = data;
    computation *c = &job->c;

    job->rc = load_value_buckets_replay(job->buckets, c->bench, check_written, job, &job->stop,
                                        &job->failure) < 0 ||
                      flushed(c->slices, &job->failure) < 0
                  ? -1
                  : 0;
    return NULL;
}

load_benchmark_job *load_benchmark_start(PGconn *conn, load_value_buckets *buckets, nk_error *err)
{
    load_benchmark_job *job = calloc(1, sizeof *job);

    if (job == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "out of memory computing the benchmark");
        return NULL;
    }
    job->buckets = buckets;
    atomic_init(&job->stop, 0);
    nk_error_clear(&job->failure);
    if (computation_open(&job->c, err) < 0 || read_dimensions(conn, &job->c, err) < 0) {
        load_benchmark_job_free(job);
        return NULL;
    }
    int failed = pthread_create(&job->thread, NULL, compute_from_values, job);
    if (failed) {
        nk_fail(err, NK_EXIT_TEMPFAIL, "cannot start a thread for the benchmark: %s",
                strerror(failed));
        load_benchmark_job_free(job);
        return NULL;
    }
    job->started = 1;
    return job;
}

static int job_finish(load_benchmark_job *job, nk_error *err)
{
    if (job->started) {
        pthread_join(job->thread, NULL);
        job->started = 0;
    }
    if (job->rc < 0) {
        *err = job->failure;
        return -1;
    }
    return 0;
}

void load_benchmark_job_free(load_benchmark_job *job)
{
    nk_error ignored;

    if (job == NULL)
        return;
    atomic_store(&job->stop, 1);
    job_finish(job, &ignored);
    computation_close(&job->c);
    free(job);
}

static int store_job(PGconn *conn, load_benchmark_job *job, nk_error *err)
{
    if (job_finish(job, err) < 0 || replace_all(conn, &job->c, err) < 0)
        return -1;
    nk_info("computed the whole benchmark from the loaded values: %lld slices",
            benchmark_slice_rows(job->c.bench));
    return 0;
}

/* The pending KPIs into nyckel_benchmark_kpi; *count: how many. */
static int take_pending_kpis(PGconn *conn, long long *count, nk_error *err)
{
    const char *what = "taking the KPIs whose direction changed";

    return load_exec(conn, what, load_sql_benchmark_take_pending_kpis, 0, NULL, NULL, err) < 0 ||
                   load_exec(conn, what, load_sql_benchmark_forget_pending_kpis, 0, NULL, count,
                             err) < 0
               ? -1
               : 0;
}

/* The most staged values a merge notes (see load_benchmark_note_changes). */
#define NOTED_MAX_VALUES 1000000

int load_benchmark_note_changes(PGconn *conn, const load_plan *plan, int first_load, int citus,
                                int *noted, nk_error *err)
{
    const char *what = "preparing to note what the load changes";
    PGresult *res;

    *noted = 0;
    if (first_load || citus || load_plan_find(plan, "fact_kpi_value") == NULL)
        return 0;
    if ((res = load_query(conn, what, load_sql_benchmark_few_staged, 0, NULL, err)) == NULL)
        return -1;
    long long staged = atoll(PQgetvalue(res, 0, 0));
    double held = atof(PQgetvalue(res, 0, 1));
    PQclear(res);
    /*
     * A quarter at most: beyond, recomputing their KPIs is as cheap.  The
     * noting forms of the merge's steps insert row by row, so not when the
     * bulk path could be taken; and step 34's must hash the updated keys
     * (NOT IN), which stays well inside the load's work_mem up to
     * NOTED_MAX_VALUES keys (about 100 bytes each).
     */
    *noted = staged * 4 <= held && !load_bulk_many(staged, held) && staged <= NOTED_MAX_VALUES;
    if (!*noted)
        return 0;
    if (load_exec(conn, what, load_sql_benchmark_note_changes, 0, NULL, NULL, err) < 0)
        return -1;
    return load_exec(conn, what, load_sql_benchmark_note_unknown_ids, 0, NULL, NULL, err);
}

/* The slices the merge changed, patched from what it noted. */
static int patch_slices(PGconn *conn, nk_error *err)
{
    const char *what = "patching the benchmark's changed slices";
    long long affected[PATCH_STEPS];

    if (load_exec(conn, what, load_sql_benchmark_delta, 0, NULL, NULL, err) < 0)
        return -1;
    for (size_t i = 0; i < PATCH_STEPS; i++)
        if (load_exec(conn, what, patch_sql[i], 0, NULL, &affected[i], err) < 0)
            return -1;
    nk_info("patched the benchmark: %lld slice(s) changed, %lld added, %lld emptied, %lld "
            "rewritten with their edits",
            affected[1] + affected[2], affected[3], affected[0], affected[4]);
    return 0;
}

/*
 * Changes outside the Kolada values that can move a stored slice: those of
 * a table the slices read (which areas are municipalities, which periods
 * are which year, the KPIs' directions), or of one nyckel-load does not
 * know to leave them alone.  New areas and periods move none: values that
 * use them are staged, and patched, like any other.  Titles, groups,
 * Riket's and the regions' values are read by mart.benchmark when a row is.
 */
static long long slice_moving_changes(const load_result *result)
{
    static const char *const unread[] = {
        "fact_kpi_value", "fact_ou_value",   "fact_internal_value", "dim_source",
        "dim_kpi",        "dim_kpi_history", "area_group_member",   "dim_ou",
        "dim_ou_history", "dim_measure",     "dim_breakdown",       "measure_kpi_pairing",
    };
    static const char *const inserted_only[] = { "dim_area", "dim_area_history", "dim_period" };
    long long changes = 0;

    for (size_t i = 0; i < result->count; i++) {
        const load_count *count = &result->tables[i];
        int read = 1;
        for (size_t u = 0; u < sizeof unread / sizeof unread[0]; u++)
            read = read && strcmp(count->table, unread[u]) != 0;
        for (size_t n = 0; n < sizeof inserted_only / sizeof inserted_only[0]; n++)
            if (strcmp(count->table, inserted_only[n]) == 0)
                changes -= count->inserted;
        if (read)
            changes += load_count_changes(count);
    }
    return changes;
}

int load_refresh_marts(PGconn *conn, const load_result *result, int changes_noted, int citus,
                       load_benchmark_job *job, nk_error *err)
{
    long long kpi_values = load_result_table_changes(result, "fact_kpi_value");
    long long elsewhere = slice_moving_changes(result);
    long long pending;
    PGresult *res;
    char kpi_count[32];
    int most;

    if (take_pending_kpis(conn, &pending, err) < 0)
        return -1;
    if (job)
        return store_job(conn, job, err);
    if (kpi_values == 0 && elsewhere == 0 && pending == 0)
        return 0;
    if (elsewhere > 0 || citus)
        return recompute(conn, NULL, err);
    snprintf(kpi_count, sizeof kpi_count, "%lld", pending);
    if (kpi_values > 0 && changes_noted)
        return patch_slices(conn, err) < 0 || (pending > 0 && recompute(conn, kpi_count, err) < 0)
                   ? -1
                   : 0;
    if (kpi_values > 0 && load_exec(conn, "choosing the KPIs to recompute",
                                    load_sql_benchmark_add_staged_kpis, 0, NULL, NULL, err) < 0)
        return -1;
    res = load_query(conn, "choosing the KPIs to recompute", load_sql_benchmark_staged_kpis, 0,
                     NULL, err);
    if (res == NULL)
        return -1;
    /* Then one pass over everything is cheaper than deleting and inserting most of it. */
    most = PQgetvalue(res, 0, 0)[0] == 't';
    snprintf(kpi_count, sizeof kpi_count, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    return recompute(conn, most ? NULL : kpi_count, err);
}
