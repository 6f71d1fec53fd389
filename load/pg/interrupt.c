/*
 * interrupt.c: SIGINT and SIGTERM during a load.
 *
 * A load spends most of its time inside libpq waiting for the server, and
 * libpq resumes its wait after a signal, so a flag alone would be seen only
 * when the statement ends, which for a lock wait may be never.  The handler
 * therefore also asks the server to cancel the running statement, with
 * PQcancel on a PGcancel object made beforehand: libpq documents that call
 * as safe inside a signal handler when its error buffer is local.  The
 * statement then fails, main rolls back, records the failure and exits 130.
 */
#include <signal.h>
#include <string.h>

#include "lib/base/interrupt.h"
#include "load/load.h"

static volatile sig_atomic_t watching;
static PGcancel *volatile cancel;

/* The signal is noted in lib/interrupt.c, where the job check looks for it too. */
static void on_signal(int signo)
{
    char errbuf[256];

    nk_interrupt_record(signo);
    if (watching && cancel)
        PQcancel(cancel, errbuf, sizeof errbuf);
}

void load_interrupt_install(void)
{
    struct sigaction action;

    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

/* The handler must never see a PGcancel that is being replaced or freed. */
static void mask(int how)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(how, &set, NULL);
}

void load_interrupt_watch(PGconn *conn)
{
    mask(SIG_BLOCK);
    cancel = PQgetCancel(conn);
    watching = 1;
    mask(SIG_UNBLOCK);
}

void load_interrupt_unwatch(void)
{
    PGcancel *old;

    mask(SIG_BLOCK);
    watching = 0;
    old = cancel;
    cancel = NULL;
    mask(SIG_UNBLOCK);
    if (old)
        PQfreeCancel(old);
}

int load_interrupt_requested(void)
{
    return watching && nk_interrupt_signal();
}

int load_interrupt_signal(void)
{
    return nk_interrupt_signal();
}
