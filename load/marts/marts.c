/*
 * marts.c: bringing the stored benchmark marts up to date after the facts
 * changed.
 *
 * The benchmark ranks every municipality against all others, which is too
 * slow to compute per query at national scale; what needs all
 * municipalities at once (ranks, Riket's, the region's and the previous
 * year's values, group means) is stored in mart.benchmark_value and
 * mart.benchmark_group_mean and recomputed here, inside the load's
 * transaction, so BI tools see the new facts and the new ranks together.
 *
 * The facts stream out with COPY in KPI order, benchmark.c computes each
 * KPI's rows, they wait in two unlinked temporary files (in $TMPDIR, about
 * 60 bytes a value) and stream back with COPY.  At ten million values that
 * takes about 45 s, keys rebuilt; in SQL, window sorts and hash joins over
 * every value took 96 s.
 * None of it crosses KPIs, so a load whose facts touched a few KPIs (an
 * incremental pull stages only what changed) recomputes those KPIs only.
 * A first load (first_load.c) leaves the fact table holding exactly the
 * values it set aside on the way in, so its benchmark is computed from
 * those, on a thread, while the server checks the fact table's foreign keys.
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

/*
 * KPIs whose direction changed in nyckel.kpi_direction since their ranks
 * were computed (a trigger notes them), taken for this load to recompute.
 */
static const char take_pending_kpis_sql[] =
    "CREATE TEMPORARY TABLE nyckel_benchmark_kpi ON COMMIT DROP AS"
    " SELECT kpi_id FROM nyckel.kpi_direction_pending";
static const char forget_pending_kpis_sql[] = "DELETE FROM nyckel.kpi_direction_pending";

/* The KPIs the staged facts touch: the values' were noted as they streamed (fact_stream.c). */
static const char add_staged_kpis_sql[] =
    "INSERT INTO nyckel_benchmark_kpi"
    " SELECT id FROM pg_temp.nyckel_fact_id WHERE column_name = 'kpi_id'"
    " UNION SELECT kpi_id FROM staging.fact_kpi_value_deleted"
    " EXCEPT SELECT kpi_id FROM nyckel_benchmark_kpi";

/* How many they are, and whether they are more than half of all. */
static const char staged_kpis_sql[] =
    "SELECT count(*) * 2 > (SELECT count(*) FROM nyckel.dim_kpi), count(*)"
    " FROM pg_temp.nyckel_benchmark_kpi";

/* The dimensions benchmark.c needs, as COPY text like the facts. */
static const char areas_sql[] =
    "COPY (SELECT area_id, area_type, county_region_id FROM nyckel.dim_area) TO STDOUT";
static const char years_sql[] =
    "COPY (SELECT period_id, year FROM nyckel.dim_period WHERE granularity = 'year') TO STDOUT";
static const char directions_sql[] =
    "COPY (SELECT kpi_id, higher_is_better FROM nyckel.kpi_direction_used) TO STDOUT";
static const char members_sql[] =
    "COPY (SELECT group_id, member_id FROM nyckel.area_group_member) TO STDOUT";

/*
 * In primary-key order, read along the key itself: no sort of all values,
 * each KPI's values together, and the benchmark rows come out in the order
 * of their own key.
 */
static const char all_facts_sql[] =
    "COPY (SELECT kpi_id, area_id, period_id, gender, value FROM nyckel.fact_kpi_value"
    " ORDER BY kpi_id, area_id, period_id, gender) TO STDOUT";
static const char some_facts_sql[] =
    "COPY (SELECT kpi_id, area_id, period_id, gender, value FROM nyckel.fact_kpi_value"
    " WHERE kpi_id IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)"
    " ORDER BY kpi_id, area_id, period_id, gender) TO STDOUT";

static const char *const forget_some_sql[] = {
    "DELETE FROM mart.benchmark_value"
    " WHERE kpi_id IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)",
    "DELETE FROM mart.benchmark_group_mean"
    " WHERE kpi_id IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)",
};

static const char values_in_sql[] =
    "COPY mart.benchmark_value (kpi_id, area_id, period_id, year, gender, value, riket_value,"
    " region_id, region_value, higher_is_better, rank, ranked_count, previous_year_value)"
    " FROM STDIN";
static const char means_in_sql[] =
    "COPY mart.benchmark_group_mean (group_id, kpi_id, period_id, gender, group_mean,"
    " members_with_value) FROM STDIN";

static int add_area(void *bench, char **f, nk_error *err)
{
    return benchmark_add_area(bench, f[0], f[1], f[2], err);
}

static int add_year(void *bench, char **f, nk_error *err)
{
    return benchmark_add_year(bench, f[0], f[1], err);
}

static int add_direction(void *bench, char **f, nk_error *err)
{
    return benchmark_add_direction(bench, f[0], f[1], err);
}

static int add_member(void *bench, char **f, nk_error *err)
{
    return benchmark_add_member(bench, f[0], f[1], err);
}

/* The computation under way: the benchmark and the files its rows go to. */
typedef struct computation {
    benchmark *bench;
    FILE *values, *means;
} computation;

static int write_failed(nk_error *err)
{
    return nk_fail(err, NK_EXIT_IOERR,
                   "writing the computed benchmark to a file in %s failed: %s (set TMPDIR "
                   "to a folder with room for about 60 bytes a value)",
                   getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", strerror(errno));
}

static int add_value(void *data, char **f, nk_error *err)
{
    computation *c = data;

    if (benchmark_add_value(c->bench, f[0], f[1], f[2], f[3], f[4], err) < 0)
        return -1;
    /* A full TMPDIR stops the reading at once, not after millions more values. */
    return ferror_unlocked(c->values) || ferror_unlocked(c->means) ? write_failed(err) : 0;
}

static const char what_reads[] = "reading the facts for the benchmark";

static int read_dimensions(PGconn *conn, computation *c, nk_error *err)
{
    return load_copy_out(conn, what_reads, areas_sql, 3, add_area, c->bench, err) < 0 ||
                   load_copy_out(conn, what_reads, years_sql, 2, add_year, c->bench, err) < 0 ||
                   load_copy_out(conn, what_reads, directions_sql, 2, add_direction, c->bench,
                                 err) < 0 ||
                   load_copy_out(conn, what_reads, members_sql, 2, add_member, c->bench, err) < 0
               ? -1
               : 0;
}

static int compute(PGconn *conn, computation *c, int some, nk_error *err)
{
    if (read_dimensions(conn, c, err) < 0 ||
        load_copy_out(conn, what_reads, some ? some_facts_sql : all_facts_sql, 5, add_value, c,
                      err) < 0)
        return -1;
    return benchmark_finish(c->bench, err);
}

static int flushed(FILE *file, nk_error *err)
{
    return fflush(file) != 0 || ferror(file) ? write_failed(err) : 0;
}

/*
 * The computed rows back to the server; values_order, when given, the
 * pieces of the values file in the order to send them.
 */
static int send_rows(PGconn *conn, const computation *c, const load_file_piece *values_order,
                     size_t pieces, nk_error *err)
{
    const char *what = "storing the benchmark";
    long long rows;
    int rc = values_order ? load_copy_in_pieces(conn, what, values_in_sql, c->values, values_order,
                                                pieces, &rows, err)
                          : load_copy_in(conn, what, values_in_sql, c->values, &rows, err);

    return rc < 0 || load_copy_in(conn, "storing the group means", means_in_sql, c->means, &rows,
                                  err) < 0
               ? -1
               : 0;
}

/* The whole benchmark: emptied, filled without keys, keys rebuilt in one sort each. */
static int replace_all(PGconn *conn, const computation *c, const load_file_piece *values_order,
                       size_t pieces, nk_error *err)
{
    PGresult *value_keys = NULL, *mean_keys = NULL;
    int rc = load_exec(conn, "emptying the benchmark",
                       "TRUNCATE mart.benchmark_value, mart.benchmark_group_mean", 0, NULL, NULL,
                       err);

    if (rc == 0 && (value_keys = load_keys_read(conn, "mart.benchmark_value", err)) == NULL)
        rc = -1;
    if (rc == 0 && (mean_keys = load_keys_read(conn, "mart.benchmark_group_mean", err)) == NULL)
        rc = -1;
    if (rc == 0)
        rc = load_keys_drop(conn, value_keys, err) < 0 || load_keys_drop(conn, mean_keys, err) < 0
                 ? -1
                 : send_rows(conn, c, values_order, pieces, err);
    if (rc == 0)
        rc = load_keys_rebuild(conn, value_keys, err) < 0 ||
                     load_keys_rebuild(conn, mean_keys, err) < 0
                 ? -1
                 : 0;
    PQclear(value_keys);
    PQclear(mean_keys);
    return rc;
}

static int replace_some(PGconn *conn, const computation *c, nk_error *err)
{
    for (size_t i = 0; i < sizeof forget_some_sql / sizeof forget_some_sql[0]; i++)
        if (load_exec(conn, "forgetting the recomputed KPIs' benchmark", forget_some_sql[i], 0,
                      NULL, NULL, err) < 0)
            return -1;
    return send_rows(conn, c, NULL, 0, err);
}

static int computation_open(computation *c, nk_error *err)
{
    memset(c, 0, sizeof *c);
    if ((c->values = load_scratch_file("benchmark", err)) == NULL ||
        (c->means = load_scratch_file("benchmark", err)) == NULL)
        return -1;
    if ((c->bench = benchmark_new(c->values, c->means)) == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory computing the benchmark");
    return 0;
}

static void computation_close(computation *c)
{
    benchmark_free(c->bench);
    if (c->values)
        fclose(c->values);
    if (c->means)
        fclose(c->means);
}

/* kpi_count: how many KPIs nyckel_benchmark_kpi holds, or NULL to recompute all of them. */
static int recompute(PGconn *conn, const char *kpi_count, nk_error *err)
{
    int some = kpi_count != NULL;
    computation c;
    int rc = -1;

    if (computation_open(&c, err) == 0 && compute(conn, &c, some, err) == 0 &&
        flushed(c.values, err) == 0 && flushed(c.means, err) == 0)
        rc = some ? replace_some(conn, &c, err) : replace_all(conn, &c, NULL, 0, err);
    if (rc == 0 && some)
        nk_info("recomputed the benchmark for %s KPI(s): %lld rows, %lld group means", kpi_count,
                benchmark_value_rows(c.bench), benchmark_mean_rows(c.bench));
    else if (rc == 0)
        nk_info("recomputed the whole benchmark: %lld rows, %lld group means",
                benchmark_value_rows(c.bench), benchmark_mean_rows(c.bench));
    computation_close(&c);
    return rc;
}

/* Where one KPI's rows are in the values file. */
typedef struct kpi_rows {
    char *kpi;
    load_file_piece piece;
} kpi_rows;

/*
 * The benchmark of a first load, computed on a thread of its own from the
 * values set aside as they streamed (value_buckets.c), while the server
 * checks the fact table's foreign keys: the fact table holds exactly those
 * values, so reading them back out would tell nothing new.
 */
struct load_benchmark_job {
    computation c;
    load_value_buckets *buckets;
    kpi_rows *kpis; /* in the order computed */
    size_t kpi_count, kpi_capacity;
    pthread_t thread;
    int started;
    atomic_int stop;
    int rc;
    nk_error failure;
};

static int note_kpi_rows(void *context, const char *kpi_id, nk_error *err)
{
    load_benchmark_job *job = context;
    off_t end = ftello(job->c.values);
    off_t start = job->kpi_count ? job->kpis[job->kpi_count - 1].piece.start +
                                       job->kpis[job->kpi_count - 1].piece.length
                                 : 0;

    /* A full TMPDIR stops the computation here, not at the end. */
    if (end < 0 || ferror_unlocked(job->c.values) || ferror_unlocked(job->c.means))
        return write_failed(err);
    if (job->kpi_count == job->kpi_capacity) {
        size_t capacity = job->kpi_capacity ? job->kpi_capacity * 2 : 256;
        kpi_rows *bigger = realloc(job->kpis, capacity * sizeof *bigger);
        if (bigger == NULL)
            return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory computing the benchmark");
        job->kpis = bigger;
        job->kpi_capacity = capacity;
    }
    if ((job->kpis[job->kpi_count].kpi = strdup(kpi_id)) == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory computing the benchmark");
    job->kpis[job->kpi_count++].piece = (load_file_piece){ start, end - start };
    return 0;
}

static void *compute_from_values(void *data)
{
    load_benchmark_job *job = data;
    computation *c = &job->c;

    job->rc = load_value_buckets_replay(job->buckets, c->bench, note_kpi_rows, job, &job->stop,
                                        &job->failure) < 0 ||
                      flushed(c->values, &job->failure) < 0 || flushed(c->means, &job->failure) < 0
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
    for (size_t i = 0; i < job->kpi_count; i++)
        free(job->kpis[i].kpi);
    free(job->kpis);
    free(job);
}

static int compare_kpi_rows(const void *a, const void *b)
{
    return strcmp(((const kpi_rows *)a)->kpi, ((const kpi_rows *)b)->kpi);
}

/*
 * The values in the order of the benchmark's key, KPI by KPI, whatever
 * order they were computed in: its primary key is then built from sorted
 * rows, in about half the time.
 */
static int store_job(PGconn *conn, load_benchmark_job *job, nk_error *err)
{
    load_file_piece *order;
    int rc;

    if (job_finish(job, err) < 0)
        return -1;
    if (job->kpi_count > 0) /* no KPI at all leaves kpis NULL, which qsort may not take */
        qsort(job->kpis, job->kpi_count, sizeof *job->kpis, compare_kpi_rows);
    if ((order = malloc((job->kpi_count + 1) * sizeof *order)) == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory storing the benchmark");
    for (size_t i = 0; i < job->kpi_count; i++)
        order[i] = job->kpis[i].piece;
    rc = replace_all(conn, &job->c, order, job->kpi_count, err);
    free(order);
    if (rc < 0)
        return -1;
    nk_info("computed the whole benchmark from the loaded values: %lld rows, %lld group means",
            benchmark_value_rows(job->c.bench), benchmark_mean_rows(job->c.bench));
    return 0;
}

/* The pending KPIs into nyckel_benchmark_kpi; *count: how many. */
static int take_pending_kpis(PGconn *conn, long long *count, nk_error *err)
{
    const char *what = "taking the KPIs whose direction changed";

    return load_exec(conn, what, take_pending_kpis_sql, 0, NULL, NULL, err) < 0 ||
                   load_exec(conn, what, forget_pending_kpis_sql, 0, NULL, count, err) < 0
               ? -1
               : 0;
}

int load_refresh_marts(PGconn *conn, const load_result *result, load_benchmark_job *job,
                       nk_error *err)
{
    long long kpi_values = load_result_table_changes(result, "fact_kpi_value");
    /* Unit and internal values are not benchmarked. */
    long long elsewhere = load_result_mart_changes(result) - kpi_values -
                          load_result_table_changes(result, "fact_ou_value") -
                          load_result_table_changes(result, "fact_internal_value");
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
    /* A dimension, a group or a KPI's direction can move every rank. */
    if (elsewhere > 0)
        return recompute(conn, NULL, err);
    if (kpi_values > 0 && load_exec(conn, "choosing the KPIs to recompute", add_staged_kpis_sql, 0,
                                    NULL, NULL, err) < 0)
        return -1;
    res = load_query(conn, "choosing the KPIs to recompute", staged_kpis_sql, 0, NULL, err);
    if (res == NULL)
        return -1;
    /* Then one pass over everything is cheaper than deleting and inserting most of it. */
    most = PQgetvalue(res, 0, 0)[0] == 't';
    snprintf(kpi_count, sizeof kpi_count, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    return recompute(conn, most ? NULL : kpi_count, err);
}
