/*
 * interrupt.h: SIGINT and SIGTERM while a program checks its job file.
 *
 * The check of a job of many thousand sources takes a while, and nothing
 * has been started that needs cleaning up, so a signal that comes during
 * it ends the program at once: nk_job_load looks for one between its steps
 * and between sources, and fails with exit 130 and one line.  A program
 * that handles the signals itself (nyckel-run, nyckel-load) keeps its
 * handler; the handler tells this file of each signal (nk_interrupt_record)
 * so that the check sees it too.  A program that leaves them at their
 * default (extract, transform) has them recorded only while the check
 * runs, and dies by them as before once it is over.
 */
#ifndef NYCKEL_INTERRUPT_H
#define NYCKEL_INTERRUPT_H

#include <signal.h>

#include "lib/base/error.h"

/* Note the signal (async-signal-safe: for a program's own handler). */
void nk_interrupt_record(int signo);

/* The signal noted so far, or 0. */
int nk_interrupt_signal(void);

/* What the signals were before nk_interrupt_hold. */
typedef struct nk_interrupt_saved {
    struct sigaction sigint, sigterm;
} nk_interrupt_saved;

/* Record each of the two signals left at its default action, until nk_interrupt_release. */
void nk_interrupt_hold(nk_interrupt_saved *saved);
void nk_interrupt_release(const nk_interrupt_saved *saved);

/*
 * 0, or when a signal has been noted -1 with NK_EXIT_INTERRUPTED:
 * "interrupted by SIGTERM during <what>; nothing was started".
 */
int nk_interrupt_check(const char *what, nk_error *err);

#endif
