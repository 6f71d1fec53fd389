/*
 * log.h: the log lines every nyckel executable writes to stderr.
 *
 * On a terminal a line reads "12:04:05 extract  info  fetched ..."; otherwise
 * (cron, systemd, a pipe) each line is one JSON object, so log collectors can
 * parse it.  Either way every line carries the run id once one is known.
 */
#ifndef NYCKEL_LOG_H
#define NYCKEL_LOG_H

#include <jansson.h>

#include "lib/base/error.h"

enum nk_log_level { NK_LOG_DEBUG, NK_LOG_INFO, NK_LOG_WARN, NK_LOG_ERROR };
enum nk_log_format { NK_LOG_AUTO, NK_LOG_TEXT, NK_LOG_JSON };

void nk_log_init(const char *program);
void nk_log_set_format(enum nk_log_format format);
void nk_log_set_level(enum nk_log_level level);
void nk_log_set_run_id(const char *run_id);

/* Parse "text", "json" or "auto"; -1 for anything else. */
int nk_log_parse_format(const char *name, enum nk_log_format *format);

void nk_log(enum nk_log_level level, const char *fmt, ...) NK_PRINTF(2, 3);

/*
 * A line that carries numbers for machines: in JSON the members of fields
 * (counts as numbers, e.g. "rows_inserted") join the record; text shows the
 * message only.  Takes the reference to fields.
 */
void nk_log_fields(enum nk_log_level level, json_t *fields, const char *fmt, ...) NK_PRINTF(3, 4);

/*
 * A status line on the terminal (a progress bar) that log lines must not
 * break: a text line clears it first and calls redraw(data) after itself.
 * NULL removes it.
 */
void nk_log_set_status_line(void (*redraw)(void *data), void *data);

#define nk_debug(...) nk_log(NK_LOG_DEBUG, __VA_ARGS__)
#define nk_info(...) nk_log(NK_LOG_INFO, __VA_ARGS__)
#define nk_warn(...) nk_log(NK_LOG_WARN, __VA_ARGS__)
#define nk_log_error(...) nk_log(NK_LOG_ERROR, __VA_ARGS__)

/* True when log lines are for a person (text), false for machines (JSON). */
int nk_log_is_text(void);

#endif
