/*
 * log.c: text or JSON log lines on stderr (see log.h).
 *
 * JSON lines are built with jansson so that any byte in a message (a URL, a
 * file name from an archive) is escaped correctly.
 */
#include "lib/base/log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
    char program[32];
    char run_id[96];
    enum nk_log_format format;
    enum nk_log_level level;
    void (*redraw)(void *data);
    void *redraw_data;
} logger = { "nyckel", "", NK_LOG_AUTO, NK_LOG_INFO, NULL, NULL };

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void nk_log_init(const char *program)
{
    const char *slash = strrchr(program, '/');

    snprintf(logger.program, sizeof logger.program, "%s", slash ? slash + 1 : program);
}

void nk_log_set_format(enum nk_log_format format)
{
    logger.format = format;
}
void nk_log_set_level(enum nk_log_level level)
{
    logger.level = level;
}

void nk_log_set_run_id(const char *run_id)
{
    snprintf(logger.run_id, sizeof logger.run_id, "%s", run_id ? run_id : "");
}

void nk_log_set_status_line(void (*redraw)(void *data), void *data)
{
    flockfile(stderr);
    logger.redraw = redraw;
    logger.redraw_data = data;
    funlockfile(stderr);
}

int nk_log_parse_format(const char *name, enum nk_log_format *format)
{
    if (strcmp(name, "text") == 0)
        *format = NK_LOG_TEXT;
    else if (strcmp(name, "json") == 0)
        *format = NK_LOG_JSON;
    else if (strcmp(name, "auto") == 0)
        *format = NK_LOG_AUTO;
    else
        return -1;
    return 0;
}

int nk_log_is_text(void)
{
    if (logger.format == NK_LOG_AUTO)
        return isatty(STDERR_FILENO);
    return logger.format == NK_LOG_TEXT;
}

/* Threads log too (extract's): the status line is cleared and redrawn under stderr's lock. */
static void write_text(const char *level, const struct tm *tm, const char *message)
{
    flockfile(stderr);
    if (logger.redraw)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "%02d:%02d:%02d %-9s %-5s %s%s%s\n", tm->tm_hour, tm->tm_min, tm->tm_sec,
            logger.program, level, message, logger.run_id[0] ? "  run=" : "", logger.run_id);
    if (logger.redraw)
        logger.redraw(logger.redraw_data);
    funlockfile(stderr);
}

static void write_json(const char *level, const struct tm *tm, const char *message, json_t *fields)
{
    char stamp[32];
    json_t *line;
    char *encoded;

    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", tm);
    line = json_pack("{s:s, s:s, s:s, s:s}", "time", stamp, "program", logger.program, "level",
                     level, "message", message);
    if (line == NULL)
        return;
    if (logger.run_id[0])
        json_object_set_new(line, "run_id", json_string(logger.run_id));
    if (fields)
        json_object_update_missing(line, fields);
    encoded = json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII);
    if (encoded) {
        fprintf(stderr, "%s\n", encoded);
        free(encoded);
    }
    json_decref(line);
}

static void log_line(enum nk_log_level level, json_t *fields, const char *fmt, va_list ap)
{
    char message[4096];
    struct tm tm;
    time_t now;

    vsnprintf(message, sizeof message, fmt, ap);
    now = time(NULL);
    if (nk_log_is_text()) {
        localtime_r(&now, &tm);
        write_text(level_names[level], &tm, message);
    } else {
        gmtime_r(&now, &tm);
        write_json(level_names[level], &tm, message, fields);
    }
}

void nk_log(enum nk_log_level level, const char *fmt, ...)
{
    va_list ap;

    if (level < logger.level)
        return;
    va_start(ap, fmt);
    log_line(level, NULL, fmt, ap);
    va_end(ap);
}

void nk_log_fields(enum nk_log_level level, json_t *fields, const char *fmt, ...)
{
    va_list ap;

    if (level >= logger.level) {
        va_start(ap, fmt);
        log_line(level, fields, fmt, ap);
        va_end(ap);
    }
    json_decref(fields);
}
