/*
 * alert.c: running the job's alert commands (see alert.h).
 */
#include "run/alert.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/job/job_keys.h"
#include "lib/job/job_settings.h"
#include "run/layout.h"
#include "run/lock.h"
#include "lib/base/log.h"
#include "run/summary.h"

const char *run_alert_command(const nk_job *job, const char *status)
{
    nk_alerts_settings alerts;

    nk_read_keys(nk_job_section(job, "alerts"), &nk_keys_alerts, &alerts);
    return strcmp(status, "succeeded") == 0 ? alerts.on_success : alerts.on_failure;
}

static void exec_command(const char *command, int stdin_fd, const json_t *summary,
                         const char *run_dir)
{
    const char *status = json_string_value(json_object_get(summary, "status"));
    const char *job = json_string_value(json_object_get(summary, "job"));
    char exit_code[16];

    signal(SIGPIPE, SIG_DFL);
    dup2(stdin_fd, STDIN_FILENO);
    close(stdin_fd);
    setenv("NYCKEL_JOB", job ? job : "", 1);
    setenv("NYCKEL_STATUS", status ? status : "", 1);
    setenv("NYCKEL_RUN_DIR", run_dir ? run_dir : "", 1);
    snprintf(exit_code, sizeof exit_code, "%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(summary, "exit_code")));
    setenv("NYCKEL_EXIT_CODE", exit_code, 1);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    dprintf(STDERR_FILENO, "nyckel-run: /bin/sh: cannot execute: %s\n", strerror(errno));
    _exit(NK_EXIT_SOFTWARE);
}

/* The command may not read its input, or stop early: that is not the runner's failure. */
static void feed(int fd, const json_t *summary)
{
    void (*before)(int) = signal(SIGPIPE, SIG_IGN);
    char *text = json_dumps(summary, JSON_INDENT(2));
    size_t length = text ? strlen(text) : 0, done = 0;

    while (done < length) {
        ssize_t n = write(fd, text + done, length - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    free(text);
    close(fd);
    signal(SIGPIPE, before);
}

int run_alert_send(const char *command, const json_t *summary, const char *run_dir)
{
    int fds[2], status;
    pid_t pid;

    if (pipe(fds) < 0) {
        nk_warn("alert command not run: cannot create a pipe: %s", strerror(errno));
        return -1;
    }
    pid = fork();
    if (pid == 0) {
        close(fds[1]);
        exec_command(command, fds[0], summary, run_dir);
    }
    close(fds[0]);
    if (pid < 0) {
        close(fds[1]);
        nk_warn("alert command not run: cannot fork: %s", strerror(errno));
        return -1;
    }
    feed(fds[1], summary);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    nk_warn("alert command failed (%s %d): %s", WIFEXITED(status) ? "exit status" : "signal",
            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), command);
    return -1;
}

/* What --alert tells when there is no summary that says it. */
static json_t *bare_summary(const nk_job *job, const char *run_id, const char *error)
{
    char now[32];

    nk_now_utc(now);
    return json_pack("{s:s?, s:s, s:s, s:s, s:s}", "run_id", run_id, "job", job->name, "status",
                     "failed", "finished_at", now, "error", error);
}

/* The newest run's summary as the runner should have reported it; NULL when it did. */
static json_t *unreported(const nk_job *job, const char *run_dir)
{
    json_t *summary = run_dir ? run_summary_read(run_dir) : NULL;
    const char *status = json_string_value(json_object_get(summary, "status"));

    if (run_dir == NULL)
        return bare_summary(job, NULL,
                            "nyckel-run failed before it made a run directory; "
                            "see its log");
    if (summary == NULL)
        return bare_summary(job, strrchr(run_dir, '/') + 1,
                            "nyckel-run stopped before it wrote the run's summary");
    if (json_is_true(json_object_get(summary, "alerted")) && strcmp(status, "failed") == 0) {
        json_decref(summary);
        return NULL;
    }
    if (status == NULL || strcmp(status, "failed") != 0) {
        json_object_set_new(summary, "status", json_string("failed"));
        json_object_set_new(summary, "error",
                            json_string("nyckel-run stopped while the run was under way "
                                        "(killed, timed out or out of memory)"));
    }
    return summary;
}

int run_alert_unit_failure(const nk_job *job, const char *run_root)
{
    const char *command = run_alert_command(job, "failed");
    nk_error err = { 0, "" };
    run_lock lock;
    char *run_dir = NULL;
    json_t *summary;
    int rc;

    if (command == NULL) {
        nk_info("job %s has no alerts.on_failure: nothing to tell", job->name);
        return NK_EXIT_OK;
    }
    /* A run that holds the lock is still going: the unit failed because of it. */
    if (run_lock_acquire(&lock, run_root, job->name, &err) < 0) {
        summary = bare_summary(job, NULL, err.message);
    } else {
        run_dir = run_layout_newest(run_root, job->name);
        summary = unreported(job, run_dir);
        run_lock_release(&lock);
    }
    rc = NK_EXIT_OK;
    if (summary == NULL)
        nk_info("the failure of job %s was already told by its run", job->name);
    else if (run_alert_send(command, summary, run_dir) < 0)
        rc = NK_EXIT_SOFTWARE;
    json_decref(summary);
    free(run_dir);
    return rc;
}
