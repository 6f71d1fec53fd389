/*
 * metrics.h: the Prometheus node-exporter textfile of a job (job key
 * "metrics"): METRICS_DIR/nyckel_<job>.prom, rewritten after every run
 * through a temporary file and rename(2), so the exporter never reads half
 * of one.  A failed run keeps the previous success's time stamp, so that an
 * alert rule can ask how long the job has gone without one.  The metrics
 * are listed in docs/operations.md.
 */
#ifndef NYCKEL_RUN_METRICS_H
#define NYCKEL_RUN_METRICS_H

#include <jansson.h>

#include "lib/base/error.h"
#include "lib/job/job.h"

/* Write the job's textfile from the run's summary; nothing when the job has no "metrics". */
int run_metrics_write(const nk_job *job, const json_t *summary, nk_error *err);

#endif
