/*
 * lock.c: the per-job run lock (see lock.h).
 *
 * The descriptor is inherited by the stages on purpose: if the runner is
 * killed outright, the stage it started keeps the job locked until it ends,
 * so a new run cannot start beside it.
 */
#include "run/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"

static char *lock_path(const char *run_root, const char *job)
{
    char *job_path = nk_path_join(run_root, job);
    char *path = job_path ? nk_path_with_suffix(job_path, ".lock") : NULL;

    free(job_path);
    return path;
}

static void describe_holder(int fd, char *out, size_t size)
{
    char text[256];
    char run_id[160];
    long pid;
    ssize_t n = pread(fd, text, sizeof text - 1, 0);

    text[n > 0 ? n : 0] = '\0';
    if (sscanf(text, "%159s %ld", run_id, &pid) == 2)
        snprintf(out, size, "run %s (pid %ld)", run_id, pid);
    else
        snprintf(out, size, "a run that is still starting");
}

int run_lock_acquire(run_lock *lock, const char *run_root, const char *job, nk_error *err)
{
    char holder[256];

    lock->fd = -1;
    lock->path = NULL;
    if (nk_mkdirs(run_root, err) < 0)
        return -1;
    lock->path = lock_path(run_root, job);
    lock->fd = open(lock->path, O_RDWR | O_CREAT, 0644);
    if (lock->fd < 0) {
        nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot open lock file: %s", lock->path,
                strerror(errno));
        run_lock_release(lock);
        return -1;
    }
    if (flock(lock->fd, LOCK_EX | LOCK_NB) == 0) {
        if (ftruncate(lock->fd, 0) == 0)
            return 0;
        nk_fail(err, NK_EXIT_IOERR, "%s: cannot write: %s", lock->path, strerror(errno));
        run_lock_release(lock);
        return -1;
    }
    if (errno != EWOULDBLOCK) {
        nk_fail(err, NK_EXIT_IOERR, "%s: cannot lock: %s", lock->path, strerror(errno));
    } else {
        describe_holder(lock->fd, holder, sizeof holder);
        nk_fail(err, NK_EXIT_LOCKED, "job %s is already running: %s holds %s", job, holder,
                lock->path);
    }
    /* A lock not taken owes nothing: callers need not release it. */
    run_lock_release(lock);
    return -1;
}

int run_lock_record(run_lock *lock, const char *run_id, pid_t pid, nk_error *err)
{
    char text[256];
    int length = snprintf(text, sizeof text, "%s %ld\n", run_id, (long)pid);

    if (pwrite(lock->fd, text, (size_t)length, 0) != length)
        return nk_fail(err, NK_EXIT_IOERR, "%s: cannot write: %s", lock->path, strerror(errno));
    return 0;
}

void run_lock_release(run_lock *lock)
{
    if (lock->fd >= 0) {
        flock(lock->fd, LOCK_UN);
        close(lock->fd);
    }
    free(lock->path);
    lock->fd = -1;
    lock->path = NULL;
}
