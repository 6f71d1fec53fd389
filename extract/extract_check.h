/*
 * extract_check.h: nyckel-extract --check: what a run of the job would need from
 * its sources, looked at without fetching anything.
 */
#ifndef NYCKEL_EXTRACT_CHECK_H
#define NYCKEL_EXTRACT_CHECK_H

#include "lib/base/error.h"
#include "lib/job/job.h"

/*
 * Every path of every file source matches a readable file, every archive
 * has a member the source wants, and (unless offline) every Kolada API
 * source's base_url answers.  Each problem is logged; 0, or -1 with err
 * carrying the first problem's exit code.
 */
int extract_check(const nk_job *job, int offline, nk_error *err);

#endif
