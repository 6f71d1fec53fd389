/*
 * alert.h: telling someone how a run ended (job key "alerts").
 *
 * The job's on_failure (or on_success) command is run by /bin/sh with the
 * run's summary JSON, as in RUN_DIR/summary.json, on its standard input and
 * NYCKEL_JOB, NYCKEL_STATUS, NYCKEL_EXIT_CODE and NYCKEL_RUN_DIR in its
 * environment.  Its
 * failure is logged as a warning and never changes the run's exit status.
 */
#ifndef NYCKEL_RUN_ALERT_H
#define NYCKEL_RUN_ALERT_H

#include <jansson.h>

#include "lib/job/job.h"

/* The command the job gives for a run with this status ("succeeded" or "failed"), or NULL. */
const char *run_alert_command(const nk_job *job, const char *status);

/* Run command with summary on its stdin; returns 0 when it exited 0, else -1 (logged). */
int run_alert_send(const char *command, const json_t *summary, const char *run_dir);

/*
 * nyckel-run --alert JOB, for a systemd OnFailure= unit: tell on_failure
 * about a failure the runner could not report itself (it was killed, timed
 * out, or stopped before it made a run directory).  A failed run whose
 * command already ran is not told twice.  Returns the exit status.
 */
int run_alert_unit_failure(const nk_job *job, const char *run_root);

#endif
