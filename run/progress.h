/*
 * progress.h: the status line a person sees on a terminal while a run is
 * under way, e.g. "[2/3] transform  0:42".
 *
 * When stderr is a terminal, the stages' stderr comes through the runner
 * (run_progress_relay) so that their log lines and this line never share a
 * row: each log line wipes the status line, is written, and the status line
 * is drawn again below it.  A stage's progress records (lib/base/progress_bar.h)
 * are not printed but shown at the end of the status line.  When stderr is not a terminal nothing
 * is drawn and the stages write to stderr directly.
 */
#ifndef NYCKEL_RUN_PROGRESS_H
#define NYCKEL_RUN_PROGRESS_H

#include <stddef.h>

#define RUN_PROGRESS_LINE_MAX 8192

typedef struct run_progress {
    int enabled;
    const char *stage;
    int index, count;
    double started;
    char detail[160];                    /* the running stage's latest progress record */
    char partial[RUN_PROGRESS_LINE_MAX]; /* a relayed line not yet ended */
    size_t used;
} run_progress;

/* Enabled only when stderr is a terminal and show is true. */
void run_progress_init(run_progress *progress, int show);

void run_progress_start(run_progress *progress, const char *stage, int index, int count);

/* Redraw the status line with the elapsed time. */
void run_progress_draw(run_progress *progress);

/* Pass a stage's stderr bytes on, keeping the status line below them. */
void run_progress_relay(run_progress *progress, const char *data, size_t length);

/* Write out any unfinished relayed line and wipe the status line. */
void run_progress_finish(run_progress *progress);

#endif
