/*
 * signals.c: forwarding SIGINT and SIGTERM to the running stage (see
 * signals.h).  The handler only records the signal and calls kill(2), both
 * async-signal-safe.
 */
#include "signals.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t received;

static void forward(int signo)
{
    received = signo;
    if (child_pid > 0)
        kill(-(pid_t)child_pid, signo);
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

void run_signals_block(void) { change_mask(SIG_BLOCK); }
void run_signals_unblock(void) { change_mask(SIG_UNBLOCK); }

void run_signals_reset_child(void)
{
    set_handler(SIGINT, SIG_DFL);
    set_handler(SIGTERM, SIG_DFL);
    run_signals_unblock();
}

void run_signals_set_child(pid_t pid) { child_pid = (sig_atomic_t)pid; }

int run_signals_received(void) { return (int)received; }
