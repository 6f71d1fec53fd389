/*
 * interrupt.c: a signal noted during the job check (see interrupt.h).  The
 * handler only stores the signal number: async-signal-safe.
 */
#include "lib/base/interrupt.h"

#include <string.h>

#include "lib/base/exit_codes.h"

static volatile sig_atomic_t received;

void nk_interrupt_record(int signo)
{
    received = signo;
}

int nk_interrupt_signal(void)
{
    return (int)received;
}

/* Take over one signal if nothing else has: a handler the program set stays. */
static void hold(int signo, struct sigaction *saved)
{
    struct sigaction action;

    sigaction(signo, NULL, saved);
    if (saved->sa_handler != SIG_DFL)
        return;
    memset(&action, 0, sizeof action);
    action.sa_handler = nk_interrupt_record;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(signo, &action, NULL);
}

void nk_interrupt_hold(nk_interrupt_saved *saved)
{
    hold(SIGINT, &saved->sigint);
    hold(SIGTERM, &saved->sigterm);
}

void nk_interrupt_release(const nk_interrupt_saved *saved)
{
    sigaction(SIGINT, &saved->sigint, NULL);
    sigaction(SIGTERM, &saved->sigterm, NULL);
}

int nk_interrupt_check(const char *what, nk_error *err)
{
    int signo = nk_interrupt_signal();

    if (signo == 0)
        return 0;
    return nk_fail(err, NK_EXIT_INTERRUPTED, "interrupted by %s during %s; nothing was started",
                   signo == SIGINT ? "SIGINT" : "SIGTERM", what);
}
