/*
 * lock.h: one run of a job at a time.
 *
 * The lock is flock(2) on RUN_ROOT/<job>.lock.  The kernel drops it when the
 * runner and its stages exit however they exit, so a crash never leaves a
 * stale lock behind.  The file's text names the holder (run id and pid) so
 * that a second run can say who is in the way.
 */
#ifndef NYCKEL_RUN_LOCK_H
#define NYCKEL_RUN_LOCK_H

#include <sys/types.h>

#include "lib/base/error.h"

typedef struct run_lock {
    int fd;
    char *path;
} run_lock;

/* Take the job's lock, or fail at once with NK_EXIT_LOCKED naming the holder. */
int run_lock_acquire(run_lock *lock, const char *run_root, const char *job, nk_error *err);

/* Record which run holds the lock, for the message a blocked run prints. */
int run_lock_record(run_lock *lock, const char *run_id, pid_t pid, nk_error *err);

void run_lock_release(run_lock *lock);

#endif
