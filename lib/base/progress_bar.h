/*
 * progress_bar.h: progress bars for long stage work (pages fetched, rows
 * transformed, rows loaded), with rate and time left.
 *
 * Shown only to a person: when a stage runs alone on a terminal it draws
 * its own bar on stderr; under nyckel-run on a terminal (NYCKEL_PROGRESS=relay
 * in the environment) it sends one record line per update, which the runner
 * folds into its status line; otherwise (cron, pipes, JSON logs) nothing at
 * all.  Updates are drawn at most five times a second, so calling
 * nk_progress_set once per page or per batch costs nothing.
 */
#ifndef NYCKEL_PROGRESS_BAR_H
#define NYCKEL_PROGRESS_BAR_H

#include <stddef.h>
#include <stdint.h>

/* The first byte of a relayed progress record (ASCII record separator). */
#define NK_PROGRESS_RECORD '\036'

typedef struct nk_progress nk_progress;

/*
 * Start a bar for label ("transform"), counting total units ("pages") when
 * total is known (0 when not), with an amount ("rows", "MB") whose rate is
 * shown.  Returns NULL when nothing is to be shown; every other call
 * accepts NULL.
 */
nk_progress *nk_progress_start(const char *label, const char *unit, uint64_t total,
                               const char *amount_unit);

/* done units of total so far, and the amount they came to. */
void nk_progress_set(nk_progress *progress, uint64_t done, double amount);

void nk_progress_finish(nk_progress *progress);

/* One line describing the state, e.g. "35/70 pages  523400 rows  412000 rows/s  ETA 0:03". */
void nk_progress_describe(uint64_t done, uint64_t total, const char *unit, double amount,
                          const char *amount_unit, double elapsed, char *out, size_t size);

#endif
