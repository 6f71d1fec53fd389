/*
 * progress.c: the terminal status line (see progress.h).  Everything goes
 * to stderr, which is unbuffered, so lines appear in the order written.
 */
#include "run/progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/files.h"
#include "lib/base/log.h"
#include "lib/base/progress_bar.h"

#define CLEAR_LINE "\r\033[K"

void run_progress_init(run_progress *progress, int show)
{
    memset(progress, 0, sizeof *progress);
    progress->enabled = show && isatty(STDERR_FILENO);
}

/* The runner's own log lines go above the status line (see nk_log_set_status_line). */
static void redraw(void *data)
{
    run_progress_draw(data);
}

void run_progress_start(run_progress *progress, const char *stage, int index, int count)
{
    progress->stage = stage;
    progress->index = index;
    progress->count = count;
    progress->started = nk_seconds();
    progress->used = 0;
    progress->detail[0] = '\0';
    if (progress->enabled)
        nk_log_set_status_line(redraw, progress);
    run_progress_draw(progress);
}

void run_progress_draw(run_progress *progress)
{
    long elapsed;

    if (!progress->enabled || progress->stage == NULL)
        return;
    elapsed = (long)(nk_seconds() - progress->started);
    fprintf(stderr, CLEAR_LINE "[%d/%d] %s  %ld:%02ld  %s", progress->index, progress->count,
            progress->stage, elapsed / 60, elapsed % 60, progress->detail);
}

static void write_line(const char *line, size_t length)
{
    fputs(CLEAR_LINE, stderr);
    fwrite(line, 1, length, stderr);
    fputc('\n', stderr);
}

static void flush_partial(run_progress *progress)
{
    if (progress->used > 0)
        write_line(progress->partial, progress->used);
    progress->used = 0;
}

void run_progress_relay(run_progress *progress, const char *data, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        if (data[i] == '\n') {
            if (progress->used > 0 && progress->partial[0] == NK_PROGRESS_RECORD)
                snprintf(progress->detail, sizeof progress->detail, "%.*s", (int)progress->used - 1,
                         progress->partial + 1);
            else
                write_line(progress->partial, progress->used);
            progress->used = 0;
            continue;
        }
        if (progress->used == sizeof progress->partial)
            flush_partial(progress);
        progress->partial[progress->used++] = data[i];
    }
    run_progress_draw(progress);
}

void run_progress_finish(run_progress *progress)
{
    flush_partial(progress);
    nk_log_set_status_line(NULL, NULL);
    if (progress->enabled && progress->stage)
        fputs(CLEAR_LINE, stderr);
    progress->stage = NULL;
}
