/*
 * run_check.h: nyckel-run --check JOB: everything a scheduled run of the job
 * would need, looked at before the night instead of found during it.
 */
#ifndef NYCKEL_RUN_CHECK_H
#define NYCKEL_RUN_CHECK_H

#include "run/run_options.h"

/*
 * The job file first (every key; a bad one stops here with exit 78), then
 * each stage's own --check (sources, exports, warehouse).  Every problem
 * is logged; prints "JOB: ok" on stdout and returns 0 when there is none,
 * else returns the first failing stage's exit status.
 */
int run_check(const run_options *options);

#endif
