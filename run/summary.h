/*
 * summary.h: what a run did, per stage and per table, built from the stages'
 * own manifests (never from the runner's guesses): rows in, out and
 * rejected, bytes, time and throughput, and what load changed.
 *
 * It is printed as a table on stderr at the end of a run (one log line when
 * the log is JSON) and written to
 * RUN_DIR/summary.json, whose "status" is "running" while the run is under
 * way and "succeeded" or "failed" afterwards (see docs/operations.md).
 */
#ifndef NYCKEL_RUN_SUMMARY_H
#define NYCKEL_RUN_SUMMARY_H

#include <jansson.h>
#include <stdio.h>

#include "run/chain.h"
#include "lib/base/error.h"

#define RUN_SUMMARY_FILE "summary.json"

typedef struct run_report {
    const char *run_id;
    const char *job;
    const char *status; /* "running", "succeeded" or "failed" */
    int dry_run;
    int resumed;
    int exit_code;
    const char *error; /* why the run failed; NULL otherwise */
    char started_at[32];
    char finished_at[32]; /* empty while running */
    const run_chain *chain;
    const json_t *previous; /* the summary of an earlier attempt at this run, or NULL */
    int alerted;            /* the job's alert command has been told of this outcome */
} run_report;

json_t *run_summary_build(const char *run_dir, const run_report *report);

int run_summary_write(const char *run_dir, const json_t *summary, nk_error *err);

/* RUN_DIR/summary.json, or NULL when there is none or it cannot be read. */
json_t *run_summary_read(const char *run_dir);

/* The table for a person (text logs). */
void run_summary_print(const json_t *summary, FILE *out);

/*
 * Rows transform rejected (and the job allowed), with the most common
 * reasons, as log lines at warning level: lost rows are never only in a
 * table that --quiet leaves out.
 */
void run_summary_warn_rejects(const json_t *summary);

/* One log line with the totals, for JSON logs, where a table would break the one-object-a-line
 * stream. */
void run_summary_log(const json_t *summary);

#endif
