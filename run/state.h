/*
 * state.h: nyckel-run --state and --reset-state: the incremental state of a
 * job's Kolada API sources (see extract/kolada_api/incremental_state.h), shown per
 * query with the date its last successful fetch started, or removed so that
 * the next run fetches everything again.  --source limits both to one
 * source.  Removing takes the job's lock, so no run is reading the state.
 */
#ifndef NYCKEL_RUN_STATE_H
#define NYCKEL_RUN_STATE_H

#include <stdio.h>

#include "lib/base/error.h"
#include "lib/job/job.h"

/* Print "source  from_date  run_id  query" lines on out, by source and query. */
int run_state_show(const nk_job *job, const char *run_root, const char *source, FILE *out,
                   nk_error *err);

int run_state_reset(const nk_job *job, const char *run_root, const char *source, nk_error *err);

#endif
