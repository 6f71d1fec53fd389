/*
 * chain.c: fork/exec of the stages, relaying their stderr on a terminal,
 * and turning how each ended into the runner's exit status (see chain.h).
 */
#include "run/chain.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/base/log.h"
#include "run/signals.h"

#define STAGE_ARGS_MAX 16
#define REDRAW_MS 1000

const char *const run_stage_names[RUN_STAGE_COUNT] = { "extract", "transform", "load" };

static const char *const done_files[RUN_STAGE_COUNT] = { "extract/manifest.json",
                                                         "transform/manifest.json",
                                                         "load/summary.json" };

const char *run_stage_done_file(enum run_stage stage)
{
    return done_files[stage];
}

int run_stage_complete(const char *run_dir, enum run_stage stage)
{
    char *path = nk_path_join(run_dir, done_files[stage]);
    int done = nk_file_exists(path);

    free(path);
    return done;
}

char *run_chain_bin_dir(nk_error *err)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

    if (n < 0) {
        nk_fail(err, NK_EXIT_SOFTWARE, "/proc/self/exe: cannot read: %s", strerror(errno));
        return NULL;
    }
    self[n] = '\0';
    return strdup(dirname(self));
}

static void program_path(char *out, size_t size, const char *bin_dir, enum run_stage stage)
{
    snprintf(out, size, "%s/nyckel-%s", bin_dir, run_stage_names[stage]);
}

int run_chain_check_programs(const char *bin_dir, nk_error *err)
{
    char program[PATH_MAX];

    for (int stage = 0; stage < RUN_STAGE_COUNT; stage++) {
        program_path(program, sizeof program, bin_dir, stage);
        if (access(program, X_OK) < 0)
            return nk_fail(err, NK_EXIT_SOFTWARE,
                           "%s: stage executable missing or not executable (%s); "
                           "nyckel-run expects the stages beside it",
                           program, strerror(errno));
    }
    return 0;
}

static void stage_argv(const run_chain *chain, enum run_stage stage, char *program,
                       char *argv[STAGE_ARGS_MAX])
{
    int n = 0;

    argv[n++] = program;
    argv[n++] = "--job";
    argv[n++] = (char *)chain->job_path;
    if (chain->check) {
        argv[n++] = "--check";
    } else {
        argv[n++] = "--run-dir";
        argv[n++] = (char *)chain->run_dir;
    }
    if (stage == RUN_EXTRACT && chain->offline)
        argv[n++] = "--offline";
    argv[n++] = "--log-format";
    argv[n++] = (char *)chain->log_format;
    if (chain->quiet)
        argv[n++] = "--quiet";
    if (chain->verbose)
        argv[n++] = "--verbose";
    if (stage == RUN_EXTRACT && chain->full)
        argv[n++] = "--full";
    if (stage == RUN_LOAD && chain->dry_run)
        argv[n++] = "--dry-run";
    argv[n] = NULL;
}

static void exec_stage(char *const argv[], int stderr_fd)
{
    /* A group of its own, so that a signal reaches anything the stage starts too. */
    setpgid(0, 0);
    run_signals_reset_child();
    if (stderr_fd >= 0) {
        dup2(stderr_fd, STDERR_FILENO);
        setenv("NYCKEL_PROGRESS", "relay", 1);
    }
    /* The runner's stdout is the run directory alone, for scripts (a dry load lists changes). */
    dup2(STDERR_FILENO, STDOUT_FILENO);
    execv(argv[0], argv);
    dprintf(STDERR_FILENO, "nyckel-run: %s: cannot execute: %s\n", argv[0], strerror(errno));
    _exit(NK_EXIT_SOFTWARE);
}

/* Copy the stage's stderr through the status line until the stage closes it. */
static void relay_until_closed(run_chain *chain, int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    char buffer[4096];

    for (;;) {
        int ready = poll(&pfd, 1, REDRAW_MS);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0) {
            run_progress_draw(&chain->progress);
            if (ready < 0)
                return;
            continue;
        }
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        run_progress_relay(&chain->progress, buffer, (size_t)n);
    }
}

static int wait_for(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}

static int spawn_stage(run_chain *chain, enum run_stage stage, pid_t *pid, int *read_fd,
                       nk_error *err)
{
    char program[PATH_MAX];
    char *argv[STAGE_ARGS_MAX];
    int fds[2] = { -1, -1 };

    program_path(program, sizeof program, chain->bin_dir, stage);
    stage_argv(chain, stage, program, argv);
    if (chain->progress.enabled && pipe2(fds, O_CLOEXEC) < 0)
        return nk_fail(err, NK_EXIT_TEMPFAIL, "cannot create a pipe: %s", strerror(errno));
    run_signals_block();
    *pid = fork();
    if (*pid == 0)
        exec_stage(argv, fds[1]);
    if (*pid > 0) {
        setpgid(*pid, *pid);
        run_signals_set_child(*pid);
    }
    run_signals_unblock();
    if (fds[1] >= 0)
        close(fds[1]);
    *read_fd = fds[0];
    if (*pid < 0) {
        if (fds[0] >= 0)
            close(fds[0]);
        return nk_fail(err, NK_EXIT_TEMPFAIL, "cannot start %s: %s", program, strerror(errno));
    }
    return 0;
}

/* 0 when the stage succeeded; else -1 with err holding the exit status to pass on. */
static int judge_status(enum run_stage stage, int status, nk_error *err)
{
    const char *name = run_stage_names[stage];
    int signo = run_signals_received();

    if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (signo)
        return nk_fail(err, NK_EXIT_INTERRUPTED, "interrupted by %s during %s", strsignal(signo),
                       name);
    if (status < 0)
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s: lost track of the stage process: %s", name,
                       strerror(errno));
    if (WIFSIGNALED(status))
        return nk_fail(err, NK_EXIT_SOFTWARE, "nyckel-%s was killed by signal %d (%s)", name,
                       WTERMSIG(status), strsignal(WTERMSIG(status)));
    return nk_fail(err, WEXITSTATUS(status), "nyckel-%s failed with exit status %d", name,
                   WEXITSTATUS(status));
}

static int run_stage(run_chain *chain, enum run_stage stage, nk_error *err)
{
    double started = nk_seconds();
    pid_t pid;
    int read_fd, status;

    nk_info("%s: starting", run_stage_names[stage]);
    if (spawn_stage(chain, stage, &pid, &read_fd, err) < 0)
        return -1;
    run_progress_start(&chain->progress, run_stage_names[stage], stage + 1, RUN_STAGE_COUNT);
    if (read_fd >= 0) {
        relay_until_closed(chain, read_fd);
        close(read_fd);
    }
    status = wait_for(pid);
    run_signals_set_child(0);
    run_progress_finish(&chain->progress);
    chain->ran[stage] = 1;
    chain->seconds[stage] = nk_seconds() - started;
    if (judge_status(stage, status, err) < 0)
        return -1;
    nk_info("%s: done in %.1f s", run_stage_names[stage], chain->seconds[stage]);
    return 0;
}

int run_chain_execute(run_chain *chain, enum run_stage first, nk_error *err)
{
    chain->failed = -1;
    for (int stage = first; stage < RUN_STAGE_COUNT; stage++) {
        int signo = run_signals_received();

        if (signo || run_stage(chain, stage, err) < 0) {
            chain->failed = stage;
            if (signo)
                nk_fail(err, NK_EXIT_INTERRUPTED, "interrupted by %s before %s", strsignal(signo),
                        run_stage_names[stage]);
            return -1;
        }
    }
    return 0;
}

int run_chain_check(run_chain *chain, nk_error *err)
{
    nk_error stage_err = { 0, "" };

    chain->failed = -1;
    for (int stage = 0; stage < RUN_STAGE_COUNT && !run_signals_received(); stage++) {
        if (run_stage(chain, stage, &stage_err) < 0 && chain->failed < 0) {
            chain->failed = stage;
            *err = stage_err;
        }
    }
    return chain->failed < 0 ? 0 : -1;
}
