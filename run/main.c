/*
 * main.c: nyckel-run, the runner.  It checks the job, makes (or resumes) a
 * run directory under the job's lock, chains extract, transform and load as
 * child processes, writes the run summary, prunes old runs and prints the
 * run directory on stdout for scripts.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "run/alert.h"
#include "run/chain.h"
#include "run/run_check.h"
#include "lib/base/cli.h"
#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/job/job.h"
#include "lib/job/job_keys.h"
#include "lib/job/job_settings.h"
#include "run/layout.h"
#include "run/lock.h"
#include "lib/base/log.h"
#include "run/metrics.h"
#include "run/run_options.h"
#include "run/resume.h"
#include "run/retention.h"
#include "lib/rundir/run_dir.h"
#include "run/signals.h"
#include "run/state.h"
#include "run/summary.h"
#include "lib/base/version.h"

typedef struct runner {
    run_options options;
    nk_job job;
    json_t *run_file; /* run.json of the run being resumed */
    json_t *previous; /* summary.json of an earlier attempt at this run */
    char *run_root;
    char *run_dir;
    run_lock lock;
    run_chain chain;
    run_report report;
} runner;

static char *absolute(const char *path)
{
    char resolved[PATH_MAX];

    return strdup(realpath(path, resolved) ? resolved : path);
}

/* The job: given on the command line, or the one the resumed run was made with. */
static int load_job(runner *r, nk_error *err)
{
    const char *path = r->options.job_path;
    char *job_path;
    int rc;

    if (r->options.resume_dir && !run_resume_is_replay(r->options.resume_dir, path)) {
        r->run_file = run_resume_read(r->options.resume_dir, err);
        if (r->run_file == NULL)
            return -1;
        if (path == NULL)
            path = run_resume_job_file(r->run_file);
        if (path == NULL)
            return nk_fail(err, NK_EXIT_NOINPUT, "%s: run.json names no job file; give JOB",
                           r->options.resume_dir);
    }
    job_path = absolute(path);
    rc = nk_job_load(&r->job, job_path, err);
    free(job_path);
    if (rc == 0 && r->run_file)
        rc = run_resume_check_job(r->options.resume_dir, r->run_file, &r->job, err);
    return rc;
}

/* A resumed run's root is its parent: that is where its job's lock and other runs are. */
static void choose_run_root(runner *r)
{
    if (r->options.resume_dir) {
        r->run_dir = absolute(r->options.resume_dir);
        char *copy = strdup(r->run_dir);
        r->run_root = strdup(dirname(copy));
        free(copy);
        return;
    }
    r->run_root = run_layout_root(r->options.run_root, &r->job);
}

/* A new run directory with its run.json, or the resumed one; sets the run id. */
static int open_run(runner *r, nk_error *err)
{
    nk_run run;

    if (r->run_dir == NULL) {
        char *dir = run_layout_create(r->run_root, r->job.name, time(NULL), err);
        if (dir == NULL)
            return -1;
        r->run_dir = absolute(dir);
        free(dir);
    }
    if (nk_run_open(&run, r->run_dir, &r->job, 1, err) < 0)
        return -1;
    nk_run_close(&run);
    r->report.run_id = strrchr(r->run_dir, '/') + 1;
    nk_log_set_run_id(r->report.run_id);
    return run_lock_record(&r->lock, r->report.run_id, getpid(), err);
}

static void prepare_chain(runner *r, const char *bin_dir)
{
    run_chain *chain = &r->chain;

    memset(chain, 0, sizeof *chain);
    chain->bin_dir = bin_dir;
    chain->job_path = r->job.path;
    chain->run_dir = r->run_dir;
    chain->log_format = nk_log_is_text() ? "text" : "json";
    chain->quiet = r->options.quiet;
    chain->verbose = r->options.verbose;
    chain->full = r->options.full;
    chain->dry_run = r->options.dry_run;
    chain->failed = -1;
    run_progress_init(&chain->progress, !r->options.quiet);
}

static int write_summary(runner *r, json_t **summary_out, nk_error *err)
{
    json_t *summary = run_summary_build(r->run_dir, &r->report);
    int rc = run_summary_write(r->run_dir, summary, err);

    if (summary_out)
        *summary_out = summary;
    else
        json_decref(summary);
    return rc;
}

/* Whether the job has a Kolada API source that fetches only changes. */
static int has_incremental_api(const nk_job *job)
{
    size_t index;
    json_t *source;

    json_array_foreach (json_object_get(job->root, "extract"), index, source)
        if (strcmp(json_string_value(json_object_get(source, "type")), "kolada-api") == 0 &&
            !json_is_false(json_object_get(source, "incremental")))
            return 1;
    return 0;
}

/*
 * A resumed run whose input files were fixed since extract read them
 * starts at extract again: transform must read the files as they are now.
 * The incremental state advanced with the first extract, so Kolada is then
 * fetched in full, lest that extract's changes be lost with its raw zone.
 * A replay keeps the raw zone it was given.
 */
static enum run_stage reextract_if_changed(runner *r, enum run_stage first)
{
    char what[4352];

    if (r->run_file == NULL || first == RUN_EXTRACT || first == RUN_STAGE_COUNT ||
        !run_resume_sources_changed(r->run_dir, what, sizeof what))
        return first;
    nk_info("%s: extracting again", what);
    if (has_incremental_api(&r->job) && !r->chain.full) {
        nk_info("the Kolada sources are fetched in full (--full): the incremental state "
                "advanced when this run first extracted");
        r->chain.full = 1;
    }
    return RUN_EXTRACT;
}

static enum run_stage first_stage(runner *r)
{
    enum run_stage first = RUN_EXTRACT;

    if (r->options.resume_dir) {
        first = reextract_if_changed(r, run_resume_first_stage(r->run_dir, r->options.dry_run));
        if (first == RUN_STAGE_COUNT)
            nk_info("nothing to resume: every stage of this run has completed");
        else
            nk_info("resuming at %s", run_stage_names[first]);
    }
    return first;
}

/* The textfile and the alert command learn the outcome; neither changes the exit status. */
static void tell_outcome(runner *r, const json_t *summary)
{
    const char *command = run_alert_command(&r->job, r->report.status);
    nk_error err = { 0, "" };

    if (run_metrics_write(&r->job, summary, &err) < 0)
        nk_warn("metrics textfile not written: %s", err.message);
    if (command == NULL)
        return;
    /*
     * Recorded so that the OnFailure= unit (nyckel-run --alert) does not tell
     * it twice; a command that failed (a mailer the sandbox stops) is left to it.
     */
    if (run_alert_send(command, summary, r->run_dir) < 0)
        return;
    r->report.alerted = 1;
    if (write_summary(r, NULL, &err) < 0)
        nk_warn("%s", err.message);
}

/* Run the chain and record its outcome in summary.json; returns the exit status. */
static int run_stages(runner *r, nk_error *err)
{
    nk_error chain_err = { 0, "" };
    json_t *summary = NULL;
    int code;

    r->report.status = "running";
    if (write_summary(r, NULL, err) < 0)
        return err->exit_code;
    code = run_chain_execute(&r->chain, first_stage(r), &chain_err) < 0 ? chain_err.exit_code : 0;
    r->report.status = code == 0 ? "succeeded" : "failed";
    r->report.exit_code = code;
    r->report.error = code == 0 ? NULL : chain_err.message;
    nk_now_utc(r->report.finished_at);
    if (write_summary(r, &summary, err) < 0) {
        json_decref(summary);
        return err->exit_code;
    }
    if (nk_log_is_text() && !r->options.quiet)
        run_summary_print(summary, stderr);
    else
        run_summary_log(summary);
    run_summary_warn_rejects(summary);
    tell_outcome(r, summary);
    json_decref(summary);
    if (code != 0)
        nk_log_error("%s; after fixing the cause: nyckel-run%s --resume %s", chain_err.message,
                     r->options.dry_run ? " --dry-run" : "", r->run_dir);
    *err = chain_err;
    return code;
}

static void prune(runner *r)
{
    nk_top_settings top;

    nk_read_keys(r->job.root, &nk_keys_top, &top);
    if (top.keep_runs > 0)
        run_retention_prune(r->run_root, r->job.name, (int)top.keep_runs, r->report.run_id);
}

static int start(runner *r, const char *bin_dir, nk_error *err)
{
    int rc;

    /* The check of a large job takes a while and changes nothing. */
    run_signals_exit_during("the job check");
    rc = load_job(r, err);
    run_signals_exit_during(NULL);
    if (rc < 0)
        return -1;
    choose_run_root(r);
    if (run_lock_acquire(&r->lock, r->run_root, r->job.name, err) < 0)
        return -1;
    if (r->options.resume_dir)
        r->previous = run_summary_read(r->run_dir);
    if (open_run(r, err) < 0)
        return -1;
    prepare_chain(r, bin_dir);
    r->report.job = r->job.name;
    r->report.dry_run = r->options.dry_run;
    r->report.resumed = r->options.resume_dir != NULL;
    r->report.chain = &r->chain;
    r->report.previous = r->previous;
    nk_now_utc(r->report.started_at);
    nk_info("run %s of job %s in %s", r->report.run_id, r->job.name, r->run_dir);
    return 0;
}

static int run_job(runner *r, nk_error *err)
{
    char *bin_dir = run_chain_bin_dir(err);
    int code;

    if (bin_dir == NULL || run_chain_check_programs(bin_dir, err) < 0) {
        free(bin_dir);
        return nk_cli_report(err);
    }
    run_signals_install();
    if (start(r, bin_dir, err) < 0)
        code = nk_cli_report(err);
    else
        code = run_stages(r, err);
    if (code == 0)
        prune(r);
    run_lock_release(&r->lock);
    if (r->run_dir && r->report.run_id)
        printf("%s\n", r->run_dir);
    free(bin_dir);
    return code;
}

static void finish(runner *r)
{
    nk_job_free(&r->job);
    json_decref(r->run_file);
    json_decref(r->previous);
    free(r->run_root);
    free(r->run_dir);
}

/* --alert, --state, --reset-state: work on the job's surroundings, run nothing. */
static int tend_job(const run_options *options)
{
    nk_error err = { 0, "" };
    nk_job job;
    char *root;
    int code = NK_EXIT_OK;

    if (nk_job_load(&job, options->job_path, &err) < 0) {
        nk_job_free(&job);
        return nk_cli_report(&err);
    }
    root = run_layout_root(options->run_root, &job);
    /* --alert is what the OnFailure= unit runs when nyckel@JOB.service failed. */
    if (options->alert)
        code = run_alert_unit_failure(&job, root);
    else if (options->state && run_state_show(&job, root, options->state_source, stdout, &err) < 0)
        code = nk_cli_report(&err);
    else if (options->reset_state && run_state_reset(&job, root, options->state_source, &err) < 0)
        code = nk_cli_report(&err);
    free(root);
    nk_job_free(&job);
    return code;
}

int main(int argc, char **argv)
{
    runner r;
    nk_error err = { 0, "" };
    int code;

    memset(&r, 0, sizeof r);
    r.lock.fd = -1;
    nk_log_init(argv[0]);
    if (run_options_parse(argc, argv, &r.options, &err) < 0)
        return nk_cli_report(&err);
    if (r.options.help) {
        fputs(run_usage, stdout);
        return NK_EXIT_OK;
    }
    if (r.options.version) {
        printf("nyckel-run (nyckel) %s\n", NYCKEL_VERSION);
        return NK_EXIT_OK;
    }
    if (r.options.check)
        return run_check(&r.options);
    if (r.options.alert || r.options.state || r.options.reset_state)
        return tend_job(&r.options);
    code = run_job(&r, &err);
    finish(&r);
    return code;
}
