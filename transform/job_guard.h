/*
 * job_guard.h: the job's own texts that reach the warehouse or a log
 * (aliases, measure titles and names, constants, peer-group titles) must
 * hold no personal identity number: transform refuses such a job before it
 * reads anything.
 */
#ifndef NYCKEL_JOB_GUARD_H
#define NYCKEL_JOB_GUARD_H

#include "lib/base/error.h"
#include "lib/job/job.h"

/* 0, or -1 with a configuration error naming where (never the number). */
int transform_job_guard(const nk_job *job, nk_error *err);

#endif
