/*
 * progress_bar.c: progress bars drawn or relayed to nyckel-run (see progress_bar.h).
 */
#include "lib/base/progress_bar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/files.h"
#include "lib/base/log.h"

#define REDRAW_SECONDS 0.2
#define BAR_WIDTH 24

enum mode { DRAW, RELAY };

struct nk_progress {
    enum mode mode;
    char label[32];
    char unit[16];
    char amount_unit[16];
    uint64_t total;
    uint64_t done;
    double amount;
    double started;
    double drawn;
    char shown[256]; /* the bar as last drawn, for redrawing it under a log line */
};

/* Called by a log line, which holds stderr's lock and has cleared the bar. */
static void redraw(void *data)
{
    fputs(((nk_progress *)data)->shown, stderr);
}

nk_progress *nk_progress_start(const char *label, const char *unit, uint64_t total,
                               const char *amount_unit)
{
    const char *relay = getenv("NYCKEL_PROGRESS");
    nk_progress *progress;
    enum mode mode;

    if (relay && strcmp(relay, "relay") == 0)
        mode = RELAY;
    else if (isatty(STDERR_FILENO) && nk_log_is_text())
        mode = DRAW;
    else
        return NULL;
    progress = calloc(1, sizeof *progress);
    if (progress == NULL)
        return NULL;
    progress->mode = mode;
    snprintf(progress->label, sizeof progress->label, "%s", label);
    snprintf(progress->unit, sizeof progress->unit, "%s", unit);
    snprintf(progress->amount_unit, sizeof progress->amount_unit, "%s", amount_unit);
    progress->total = total;
    progress->started = nk_seconds();
    if (mode == DRAW)
        nk_log_set_status_line(redraw, progress);
    return progress;
}

void nk_progress_describe(uint64_t done, uint64_t total, const char *unit, double amount,
                          const char *amount_unit, double elapsed, char *out, size_t size)
{
    /* Whole rows, but a tenth of a megabyte still tells something. */
    int decimals = strcmp(amount_unit, "rows") == 0 ? 0 : 1;
    double rate = elapsed > 0 ? amount / elapsed : 0;
    int used;

    if (total)
        used = snprintf(out, size, "%lu/%lu %s  %.*f %s  %.*f %s/s", (unsigned long)done,
                        (unsigned long)total, unit, decimals, amount, amount_unit, decimals, rate,
                        amount_unit);
    else
        used = snprintf(out, size, "%lu %s  %.*f %s  %.*f %s/s", (unsigned long)done, unit,
                        decimals, amount, amount_unit, decimals, rate, amount_unit);
    if (total && done > 0 && done < total && used > 0 && (size_t)used < size) {
        long left = (long)(elapsed * (double)(total - done) / (double)done);
        snprintf(out + used, size - (size_t)used, "  ETA %ld:%02ld", left / 60, left % 60);
    }
}

static void draw(nk_progress *progress)
{
    char line[160], bar[BAR_WIDTH + 1];
    double elapsed = nk_seconds() - progress->started;

    nk_progress_describe(progress->done, progress->total, progress->unit, progress->amount,
                         progress->amount_unit, elapsed, line, sizeof line);
    if (progress->mode == RELAY) {
        fprintf(stderr, "%c%s  %s\n", NK_PROGRESS_RECORD, progress->label, line);
        return;
    }
    size_t filled = progress->total ? (size_t)(BAR_WIDTH * progress->done / progress->total) : 0;
    for (size_t i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    flockfile(stderr);
    snprintf(progress->shown, sizeof progress->shown, "%s [%s] %s", progress->label,
             progress->total ? bar : "", line);
    fprintf(stderr, "\r\033[K%s", progress->shown);
    funlockfile(stderr);
}

void nk_progress_set(nk_progress *progress, uint64_t done, double amount)
{
    double now;

    if (progress == NULL)
        return;
    progress->done = done;
    progress->amount = amount;
    now = nk_seconds();
    if (now - progress->drawn < REDRAW_SECONDS)
        return;
    progress->drawn = now;
    draw(progress);
}

void nk_progress_finish(nk_progress *progress)
{
    if (progress == NULL)
        return;
    if (progress->mode == DRAW) {
        nk_log_set_status_line(NULL, NULL);
        fputs("\r\033[K", stderr);
    }
    free(progress);
}
