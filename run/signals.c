/*
 * signals.c: forwarding SIGINT and SIGTERM to the running stage (see
 * signals.h).  The handler only records the signal and calls kill(2), or,
 * while nothing is under way, write(2) and _exit(2): all async-signal-safe.
 */
#include "run/signals.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/exit_codes.h"
#include "lib/base/log.h"

static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t received;
static volatile sig_atomic_t exit_at_once;
/* The log line for each signal, made before: the handler cannot format. */
static char line_int[512], line_term[512];

static void forward(int signo)
{
    received = signo;
    if (exit_at_once) {
        const char *line = signo == SIGINT ? line_int : line_term;
        ssize_t written = write(STDERR_FILENO, line, strlen(line));
        (void)written;
        _exit(NK_EXIT_INTERRUPTED);
    }
    if (child_pid > 0)
        kill(-(pid_t)child_pid, signo);
}

static void make_line(char *out, size_t size, const char *signal_name, const char *what)
{
    if (nk_log_is_text())
        snprintf(out, size, "nyckel-run error interrupted by %s during %s; nothing was started\n",
                 signal_name, what);
    else
        snprintf(out, size,
                 "{\"program\":\"nyckel-run\",\"level\":\"error\",\"message\":"
                 "\"interrupted by %s during %s; nothing was started\"}\n",
                 signal_name, what);
}

void run_signals_exit_during(const char *what)
{
    if (what) {
        make_line(line_int, sizeof line_int, "SIGINT", what);
        make_line(line_term, sizeof line_term, "SIGTERM", what);
    }
    exit_at_once = what != NULL;
}

static void set_handler(int signo, void (*handler)(int))
{
    struct sigaction action;

    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    /* No SA_RESTART: a blocked poll() or waitpid() must wake up. */
    action.sa_flags = 0;
    sigaction(signo, &action, NULL);
}

void run_signals_install(void)
{
    set_handler(SIGINT, forward);
    set_handler(SIGTERM, forward);
}

static void change_mask(int how)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(how, &set, NULL);
}

void run_signals_block(void)
{
    change_mask(SIG_BLOCK);
}
void run_signals_unblock(void)
{
    change_mask(SIG_UNBLOCK);
}

void run_signals_reset_child(void)
{
    set_handler(SIGINT, SIG_DFL);
    set_handler(SIGTERM, SIG_DFL);
    run_signals_unblock();
}

void run_signals_set_child(pid_t pid)
{
    child_pid = (sig_atomic_t)pid;
}

int run_signals_received(void)
{
    return (int)received;
}
