/*
 * main.c: nyckel-load, the third stage: RUN_DIR/transform/ into PostgreSQL.
 *
 * Order of work: check the run directory completely, connect, then under
 * the warehouse lock apply pending migrations and commit them, then one
 * transaction, under the lock again, that copies the files into staging,
 * lists what the merge will change (a dry run, or load.changes_file),
 * merges, refreshes the marts and writes the audit row; write
 * load/summary.json and load/changes.jsonl under names of their own, then
 * commit (or roll back for --dry-run) and give them their names.  Any
 * failure before the commit leaves the
 * warehouse as it was: the server rolls back when the connection closes.
 * A load that connected but did not commit (a failure, SIGINT or SIGTERM)
 * rolls back and, while the connection lasts, records itself in
 * nyckel.run_failure.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/cli.h"
#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/job/job.h"
#include "load/load.h"
#include "lib/base/log.h"
#include "lib/rundir/run_dir.h"

static const char usage[] =
    "usage: nyckel-load --job FILE --run-dir DIR [--dry-run]\n"
    "                   [--log-format text|json|auto] [--quiet] [--verbose]\n"
    "       nyckel-load --job FILE --check\n"
    "\n"
    "Load RUN_DIR/transform/ into the PostgreSQL warehouse named by the job's\n"
    "warehouse.conninfo (or the PG* environment variables, service file and\n"
    ".pgpass), and write RUN_DIR/load/summary.json.\n"
    "\n"
    "  --dry-run   do everything inside the transaction, print the keys that\n"
    "              would be inserted, updated and deleted with their old and\n"
    "              new values (also in RUN_DIR/load/changes.jsonl), then roll\n"
    "              back\n"
    "  --check     load nothing: check that the warehouse answers with the job's\n"
    "              credentials and that its lock is free\n";

typedef struct load_stage {
    nk_cli cli;
    nk_job job;
    nk_run run;
    json_t *manifest;
    load_plan plan;
    load_settings settings;
    PGconn *conn;
    load_audit audit;
    load_result result;
    load_first_load first;         /* into an empty fact table (first_load.c) */
    load_benchmark_job *benchmark; /* computed from a first load's values */
    json_t *migrations;
    load_delivery delivery;
    load_changes changes;
    char *changes_path; /* load/changes.jsonl, written as .partial until the end */
    int dry_run;
    int committed;
    int summary_pending; /* load/summary.json.pending written, not yet renamed */
} load_stage;

/* Server notices (e.g. "schema already exists") are for --verbose only. */
static void on_notice(void *arg, const char *message)
{
    (void)arg;
    nk_debug("server: %.*s", (int)strcspn(message, "\n"), message);
}

/*
 * load/summary.json and load/changes.jsonl are written before the commit,
 * as summary.json.pending and changes.jsonl.partial, and renamed once the
 * commit succeeded: a file that cannot be written stops the load before
 * anything is committed, so nyckel.run and the summary never disagree.  A
 * load killed between the two leaves only the pending files; the next
 * attempt removes them.
 */
#define SUMMARY_FILE NK_STAGE_LOAD "/summary.json"
#define SUMMARY_PENDING SUMMARY_FILE ".pending"

static int remove_old(const nk_run *run, const char *relative, nk_error *err)
{
    char *path = nk_run_path(run, relative);
    int rc = 0;

    if (unlink(path) < 0 && errno != ENOENT)
        rc = nk_fail(err, NK_EXIT_IOERR, "%s: cannot remove: %s", path, strerror(errno));
    free(path);
    return rc;
}

/* A dry run, or load.changes_file: the change list goes to load/changes.jsonl. */
static int open_changes(load_stage *stage, nk_error *err)
{
    char *dir, partial[4096];

    if (!stage->dry_run && !stage->settings.changes_file)
        return 0;
    if ((dir = nk_run_stage_dir(&stage->run, NK_STAGE_LOAD, err)) == NULL)
        return -1;
    stage->changes_path = nk_path_join(dir, "changes.jsonl");
    free(dir);
    snprintf(partial, sizeof partial, "%s.partial", stage->changes_path);
    stage->changes.file = fopen(partial, "w");
    stage->changes.print = stage->dry_run;
    if (stage->changes.file == NULL)
        return nk_fail(err, NK_EXIT_IOERR, "%s: cannot write: %s", partial, strerror(errno));
    return 0;
}

/* Before the commit: the change list is complete on disk, or the load fails. */
static int finish_changes(load_stage *stage, nk_error *err)
{
    FILE *file = stage->changes.file;

    if (file == NULL)
        return 0;
    stage->changes.file = NULL;
    load_step_set("writing " NK_STAGE_LOAD "/changes.jsonl.partial");
    if (fclose(file) != 0)
        return nk_fail(err, NK_EXIT_IOERR, "%s.partial: write failed: %s", stage->changes_path,
                       strerror(errno));
    return 0;
}

/* A load that did not commit: its pending files go. */
static void discard_pending(load_stage *stage)
{
    char partial[4096];
    nk_error ignored;

    if (stage->changes.file) {
        fclose(stage->changes.file);
        stage->changes.file = NULL;
    }
    if (stage->changes_path) {
        snprintf(partial, sizeof partial, "%s.partial", stage->changes_path);
        unlink(partial);
    }
    if (stage->summary_pending)
        remove_old(&stage->run, SUMMARY_PENDING, &ignored);
}

static int read_run_dir(load_stage *stage, nk_error *err)
{
    char *transform_dir, *manifest_path;
    int rc;

    if (nk_job_load(&stage->job, stage->cli.job_path, err) < 0 ||
        nk_run_open(&stage->run, stage->cli.run_dir, &stage->job, 0, err) < 0)
        return -1;
    nk_log_set_run_id(stage->run.run_id);
    if (remove_old(&stage->run, SUMMARY_FILE, err) < 0 ||
        remove_old(&stage->run, SUMMARY_PENDING, err) < 0 ||
        remove_old(&stage->run, NK_STAGE_LOAD "/changes.jsonl", err) < 0)
        return -1;
    /* Only the header: the sources are streamed to the audit row later. */
    stage->manifest = nk_run_read_manifest_entries(&stage->run, NK_STAGE_TRANSFORM, "sources", NULL,
                                                   NULL, err);
    if (stage->manifest == NULL)
        return -1;
    transform_dir = nk_run_path(&stage->run, NK_STAGE_TRANSFORM);
    manifest_path = nk_run_path(&stage->run, NK_STAGE_TRANSFORM "/" NK_MANIFEST_FILE);
    rc = load_plan_build(&stage->plan, stage->manifest, transform_dir, manifest_path, err);
    free(transform_dir);
    free(manifest_path);
    load_settings_read(&stage->settings, &stage->job);
    stage->delivery.job = stage->job.name;
    stage->delivery.sources = stage->settings.sources;
    stage->delivery.unchanged_files = json_array();
    return rc < 0 ? -1 : open_changes(stage, err);
}

/* BEGIN, then the warehouse lock: every transaction of a load holds it. */
static int begin_locked(load_stage *stage, nk_error *err)
{
    if (load_exec(stage->conn, "starting the transaction", "BEGIN", 0, NULL, NULL, err) < 0)
        return -1;
    return load_lock(stage->conn, &stage->settings, err);
}

/*
 * The migrations (and Citus) commit on their own, so that a later failure
 * still finds nyckel.run_failure; a dry run keeps them in its one
 * transaction, and rolls them back with the rest.
 */
static int prepare_warehouse(load_stage *stage, nk_error *err)
{
    stage->conn = load_connect(stage->settings.conninfo, err);
    if (stage->conn == NULL)
        return -1;
    PQsetNoticeProcessor(stage->conn, on_notice, NULL);
    load_interrupt_watch(stage->conn);
    if (load_session_prepare(stage->conn, &stage->settings, err) < 0 ||
        load_lock_prepare(stage->conn, err) < 0 || begin_locked(stage, err) < 0 ||
        load_migrate(stage->conn, stage->migrations, err) < 0)
        return -1;
    if (stage->settings.citus && load_citus_distribute(stage->conn, err) < 0)
        return -1;
    if (stage->dry_run)
        return 0;
    if (load_exec(stage->conn, "committing the migrations", "COMMIT", 0, NULL, NULL, err) < 0)
        return -1;
    return begin_locked(stage, err);
}

/*
 * Memory for this transaction only (see docs/warehouse.md): the merge's
 * hash joins and aggregates run over every staged row.  Index builds keep
 * the server's maintenance_work_mem: at the default 64MB they sort in runs
 * with one helper process, and on the bench machine that built the fact
 * and benchmark keys 35-45 % faster than 512MB did.  JIT compiling costs
 * more than it saves on these one-off statements.  On Citus, statements
 * that touch many shards run over one connection per node rather than
 * several: the merge writes a reference table (dim_source, run) after the
 * facts that refer to it, which Citus refuses once the facts were written
 * in parallel.  (On plain PostgreSQL the setting is an unused placeholder.)
 */
static const char session_sql[] =
    "SELECT set_config('work_mem', '256MB', true), set_config('jit', 'off', true),"
    " set_config('citus.multi_shard_modify_mode', 'sequential', true)";

/*
 * A first load's benchmark is computed on a thread while the server builds
 * the fact table's primary key and area index.  The builds run on two
 * server processes and the thread slows them, but by less than it takes
 * alone: at ten million values, waited for after the builds, it added
 * 3.8 s to the load; alongside them the builds took 2-3 s longer.  (It
 * ran beside the foreign keys' checks, one scan at a time, until
 * migration 022 dropped them.)
 */
static int finish_first_load(load_stage *stage, nk_error *err)
{
    if (stage->first.keys == NULL)
        return 0;
    if (stage->first.values &&
        (stage->benchmark = load_benchmark_start(stage->conn, stage->first.values, err)) == NULL)
        return -1;
    if (load_first_load_finish(stage->conn, &stage->first, 0, err) < 0)
        return -1;
    return load_first_load_finish(stage->conn, &stage->first, 1, err);
}

static int write_summary(load_stage *stage, nk_error *err)
{
    char *dir = nk_run_stage_dir(&stage->run, NK_STAGE_LOAD, err);
    char *path;
    json_t *summary;
    int rc;

    if (dir == NULL)
        return -1;
    free(dir);
    load_step_set("writing " SUMMARY_PENDING);
    path = nk_run_path(&stage->run, SUMMARY_PENDING);
    summary = load_summary_json(&stage->audit, &stage->result, stage->dry_run, stage->migrations,
                                stage->delivery.unchanged_files);
    rc = nk_json_write_atomic(path, summary, err);
    stage->summary_pending = rc == 0;
    json_decref(summary);
    free(path);
    return rc;
}

static int load_in_transaction(load_stage *stage, nk_error *err)
{
    load_audit *audit = &stage->audit;
    load_merge_input merge = { &stage->plan,
                               audit->run_key,
                               &stage->first,
                               &stage->delivery,
                               stage->changes.file ? &stage->changes : NULL,
                               0 };

    if (load_exec(stage->conn, "setting the load's memory", session_sql, 0, NULL, NULL, err) < 0 ||
        load_audit_begin(stage->conn, audit, err) < 0 ||
        load_first_load_wanted(stage->conn, &stage->plan, &stage->first, err) < 0 ||
        load_stage_all(stage->conn, &stage->plan, stage->first.wanted, err) < 0 ||
        load_apply_settings(stage->conn, &stage->settings, audit->run_key, &stage->result, err) <
            0 ||
        load_benchmark_note_changes(stage->conn, &stage->plan, stage->first.wanted,
                                    stage->settings.citus, &merge.changes_noted, err) < 0 ||
        load_merge(stage->conn, &merge, &stage->result, err) < 0 ||
        finish_first_load(stage, err) < 0)
        return -1;
    if (load_refresh_marts(stage->conn, &stage->result, merge.changes_noted, stage->settings.citus,
                           stage->benchmark, err) < 0)
        return -1;
    if (load_audit_finish(stage->conn, audit, &stage->result, err) < 0 ||
        finish_changes(stage, err) < 0 || write_summary(stage, err) < 0)
        return -1;
    return load_exec(stage->conn, stage->dry_run ? "rolling back (dry run)" : "committing",
                     stage->dry_run ? "ROLLBACK" : "COMMIT", 0, NULL, NULL, err);
}

/*
 * After the commit the load has succeeded whatever happens here: a rename
 * in one folder fails only when someone changed the folder meanwhile, and
 * the pending file then still holds what it should.
 */
static void rename_pending(const char *pending, const char *path, int dry_run)
{
    if (rename(pending, path) < 0)
        nk_warn("the load %s, but %s could not be renamed to %s: %s",
                dry_run ? "was rolled back (dry run)" : "committed", pending, path,
                strerror(errno));
}

static void publish(load_stage *stage)
{
    char *pending = nk_run_path(&stage->run, SUMMARY_PENDING);
    char *path = nk_run_path(&stage->run, SUMMARY_FILE);
    char partial[4096];

    if (stage->changes_path) {
        snprintf(partial, sizeof partial, "%s.partial", stage->changes_path);
        rename_pending(partial, stage->changes_path, stage->dry_run);
    }
    rename_pending(pending, path, stage->dry_run);
    stage->summary_pending = 0;
    free(pending);
    free(path);
}

static int run_load(load_stage *stage, nk_error *err)
{
    if (read_run_dir(stage, err) < 0)
        return -1;
    stage->audit.run_id = stage->run.run_id;
    stage->audit.job = stage->job.name;
    stage->audit.plan = &stage->plan;
    nk_now_utc(stage->audit.started_at);
    stage->audit.started = nk_seconds();
    if (prepare_warehouse(stage, err) < 0 || load_in_transaction(stage, err) < 0)
        return -1;
    stage->committed = !stage->dry_run;
    load_summary_log(&stage->result, stage->dry_run);
    publish(stage);
    return 0;
}

/* Whatever the statement's own error said, a signal is why the load stopped. */
static void blame_signal(const char *step, nk_error *err)
{
    int signo = load_interrupt_signal();

    /* Stopped in the job check (lib/interrupt.h): nothing was begun, and its message says so. */
    if (signo && err->exit_code != NK_EXIT_INTERRUPTED)
        nk_fail(err, NK_EXIT_INTERRUPTED,
                "interrupted by %s (step: %s): the load's transaction was rolled back, "
                "nothing was loaded",
                signo == SIGINT ? "SIGINT" : "SIGTERM", step);
}

/*
 * Best effort: the rollback is explicit so that the failure row commits on
 * its own; when the connection is gone the server has rolled back already
 * and nothing can be recorded.
 */
static void roll_back_and_record(load_stage *stage, const char *step, const nk_error *failure)
{
    nk_error err;

    nk_error_clear(&err);
    if (PQstatus(stage->conn) != CONNECTION_OK) {
        nk_warn("the failure is not recorded in nyckel.run_failure: "
                "the connection to the warehouse was lost");
        return;
    }
    if (load_session_read_only(stage->conn)) {
        nk_warn("the failure is not recorded in nyckel.run_failure: the warehouse session "
                "cannot write (a hot standby, or default_transaction_read_only)");
        return;
    }
    if ((PQtransactionStatus(stage->conn) == PQTRANS_IDLE ||
         load_exec(stage->conn, "rolling back", "ROLLBACK", 0, NULL, NULL, &err) == 0) &&
        load_audit_failure(stage->conn, &stage->audit, stage->dry_run, step, failure, &err) == 0)
        return;
    nk_warn("the failure is not recorded in nyckel.run_failure: %s", err.message);
}

static int fail_load(load_stage *stage, nk_error *err)
{
    char step[256];

    snprintf(step, sizeof step, "%s", load_step());
    load_interrupt_unwatch();
    blame_signal(step, err);
    if (stage->conn && !stage->committed)
        roll_back_and_record(stage, step, err);
    discard_pending(stage);
    return nk_cli_report(err);
}

static int check_warehouse(load_stage *stage)
{
    nk_error err = { 0, "" };
    int rc = nk_job_load(&stage->job, stage->cli.job_path, &err);

    if (rc == 0)
        rc = load_check(&stage->job, &err);
    nk_job_free(&stage->job);
    return rc < 0 ? nk_cli_report(&err) : NK_EXIT_OK;
}

int main(int argc, char **argv)
{
    load_stage stage;
    nk_error err;
    int rc;

    memset(&stage, 0, sizeof stage);
    nk_error_clear(&err);
    rc = nk_cli_start(argc, argv, NK_CLI_DRY_RUN | NK_CLI_CHECK, usage, &stage.cli, &err);
    if (rc != 0)
        return rc > 0 ? NK_EXIT_OK : nk_cli_report(&err);
    if (stage.cli.options & NK_CLI_CHECK)
        return check_warehouse(&stage);
    stage.dry_run = (stage.cli.options & NK_CLI_DRY_RUN) != 0;
    stage.migrations = json_array();
    load_interrupt_install();
    rc = run_load(&stage, &err) < 0 ? fail_load(&stage, &err) : NK_EXIT_OK;
    free(stage.changes_path);
    json_decref(stage.delivery.unchanged_files);
    load_interrupt_unwatch();
    load_benchmark_job_free(stage.benchmark);
    load_first_load_free(&stage.first);
    if (stage.conn)
        PQfinish(stage.conn);
    json_decref(stage.migrations);
    json_decref(stage.manifest);
    load_plan_free(&stage.plan);
    nk_run_close(&stage.run);
    nk_job_free(&stage.job);
    return rc;
}
