/*
 * layout.h: where runs live.  A job's runs are directories under its run
 * root, each named by its run id: the UTC start time and the job name, e.g.
 * RUN_ROOT/20261123T020000Z-kolada-nightly.  A second run in the same second
 * gets "-2", "-3", ... appended; numbers are never reused, even after the
 * run holding one was pruned.
 */
#ifndef NYCKEL_RUN_LAYOUT_H
#define NYCKEL_RUN_LAYOUT_H

#include <time.h>

#include "lib/base/error.h"
#include "lib/job/job.h"

#define RUN_DEFAULT_ROOT "var/runs"

/* --run-root, else the job's run_root against the job's directory, else var/runs; malloc'd. */
char *run_layout_root(const char *option, const nk_job *job);

/* Create a fresh, unique run directory for job under root; returns its malloc'd path. */
char *run_layout_create(const char *root, const char *job, time_t start, nk_error *err);

/* Order two run ids of job oldest first: <0, 0 or >0 like strcmp. */
int run_layout_compare_ids(const char *job, const char *a, const char *b);

/* The newest run directory of job under root (malloc'd path), or NULL when there is none. */
char *run_layout_newest(const char *root, const char *job);

#endif
