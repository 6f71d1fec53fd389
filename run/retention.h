/*
 * retention.h: pruning a job's old run directories (job key "keep_runs").
 *
 * The policy (also in docs/operations.md):
 *  - only runs of this job count: run directories under the run root whose
 *    run.json names the job; anything else there is never touched;
 *  - the newest keep_runs successful runs are kept (a dry run is not a
 *    success: it changed nothing in the warehouse);
 *  - older successful runs are removed;
 *  - failed, interrupted and dry runs are removed once a successful run is
 *    newer than they are; those newer than the newest success are kept for
 *    --resume and for finding out what went wrong;
 *  - the current run is never removed, and counts as a success if it is one.
 */
#ifndef NYCKEL_RUN_RETENTION_H
#define NYCKEL_RUN_RETENTION_H

/* Returns how many run directories were removed; problems are logged as warnings. */
int run_retention_prune(const char *run_root, const char *job, int keep_runs,
                        const char *current_run_id);

#endif
