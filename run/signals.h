/*
 * signals.h: SIGINT and SIGTERM while a run is under way.
 *
 * The runner does not die on them: it passes the signal on to the stage that
 * is running, waits for that stage to stop, then marks the run failed and
 * releases the lock like any other failure.
 */
#ifndef NYCKEL_RUN_SIGNALS_H
#define NYCKEL_RUN_SIGNALS_H

#include <sys/types.h>

void run_signals_install(void);

/* Block both signals around fork(), so a signal cannot slip between fork and the pid being known.
 */
void run_signals_block(void);
void run_signals_unblock(void);

/* In the forked child, before exec: default handlers, nothing blocked. */
void run_signals_reset_child(void);

/* The stage whose process group the signals go to; 0 for none. */
void run_signals_set_child(pid_t pid);

/*
 * While what (e.g. "the job check") runs, nothing is under way that needs
 * cleaning up: a signal ends the runner at once with exit 130 and one log
 * line, instead of after it.  NULL: back to forwarding.
 */
void run_signals_exit_during(const char *what);

/* The signal received so far, or 0. */
int run_signals_received(void);

#endif
