/*
 * http.h: the HTTP client every API source uses, built on the libcurl multi
 * interface.
 *
 * Requests are queued and run concurrently up to a limit, no faster than a
 * request rate, each body streamed straight into the raw zone.  Failures
 * that may pass (429, 5xx, timeouts, dropped connections, a body its checker
 * calls damaged) are retried with exponential backoff and jitter, honouring
 * Retry-After, while a run-wide retry budget lasts; a 429 also holds back
 * every other request until its Retry-After has passed.  Everything else is
 * an error for the whole run: a page is never skipped.
 *
 * TLS peers are always verified; proxies come from the standard variables
 * (https_proxy, no_proxy, ...) that libcurl reads itself.
 */
#ifndef NYCKEL_EXTRACT_HTTP_H
#define NYCKEL_EXTRACT_HTTP_H

#include <stdint.h>
#include <time.h>

#include "extract/extract.h"
#include "lib/job/job_settings.h"

typedef struct extract_http_options {
    double rate;           /* requests started per second; 0 for no limit */
    long concurrency;      /* transfers at once */
    long timeout;          /* seconds for one whole request */
    long connect_timeout;  /* seconds to connect */
    long max_attempts;     /* tries of one request, the first included */
    double retry_budget;   /* seconds of back-off allowed in the whole run */
    double backoff_base;   /* the first back-off, seconds */
    double backoff_max;    /* no back-off is longer, unless Retry-After says so */
    uint64_t max_body;     /* bytes; a longer body fails the run */
    const char *ca_bundle; /* PEM file of trusted CAs, or NULL for the system's */
} extract_http_options;

/*
 * The options an API source's settings give: its values, or the defaults of
 * the "kolada-api" key table (lib/job/job_key_tables.c), the one API source.
 */
void extract_http_settings(const nk_kolada_api_settings *settings, extract_http_options *options);

/*
 * What the caller does with a request's body.  check() sees the complete body
 * in the raw file at path before it is committed: it returns 0 to keep it,
 * 1 to refuse it as damaged (why says how; the request is retried) or -1 to
 * fail the run.  done() runs once the body is committed to the manifest and
 * may queue more requests.  release() frees user when a request is dropped
 * without done() (the run failed); it may be NULL.
 *
 * A caller that reads the body while it arrives, rather than from the file
 * in check(), sets begin() and receive(): begin() before each attempt, then
 * receive() with every piece of the body as it is written (whatever the
 * status; check() only runs for HTTP 200).  Both may be NULL.  If it reads
 * the pieces on another thread, ready() says whether it has read them all:
 * a finished transfer waits, without holding up the others, until it has
 * (extract_http_wakeup() tells the client to ask again).  NULL means always.
 */
typedef struct extract_http_handler {
    int (*check)(void *user, const char *path, char *why, size_t why_size, nk_error *err);
    int (*done)(void *user, nk_error *err);
    void (*release)(void *user);
    void *user;
    void (*begin)(void *user);
    void (*receive)(void *user, const char *data, size_t length);
    int (*ready)(void *user);
} extract_http_handler;

typedef struct extract_http extract_http;

extract_http *extract_http_new(extract_context *context, const extract_http_options *options,
                               nk_error *err);
void extract_http_free(extract_http *http);

/* Wake extract_http_run() to ask the waiting transfers' ready() again; any thread may call it. */
void extract_http_wakeup(extract_http *http);

/*
 * Queue a GET of url.  Its body goes to raw/<source>/ as a .json file; the
 * manifest entry gets details (endpoint, api_version, ...) plus the common
 * fields.  details is copied, not consumed.
 */
int extract_http_get(extract_http *http, const char *url, const char *source, const json_t *details,
                     const extract_http_handler *handler, nk_error *err);

/*
 * Where requests come from when there are many: feed() queues one and
 * returns 1, returns 0 when it has no more, or -1 to fail the run.  The run
 * asks it whenever fewer requests are ready to start than may run at once
 * (one waiting out a back-off is not ready), so that a thousand queries do
 * not wait in memory at once.  The feed ends when it returns 0 or the run
 * fails.
 */
typedef int (*extract_http_feed_fn)(void *user, nk_error *err);
void extract_http_set_feed(extract_http *http, extract_http_feed_fn feed, void *user);

/* Run until every queued request, every request they queue and the feed's, is done. */
int extract_http_run(extract_http *http, nk_error *err);

/*
 * The back-off before attempt + 1, after attempt failures: base * 2^(attempt-1)
 * capped at max, its upper half scaled by jitter (0..1), and never shorter
 * than retry_after (negative when the server gave none).
 */
double extract_http_backoff(long attempt, double base, double max, double retry_after,
                            double jitter);

/*
 * Parse a Retry-After header value: delay-seconds or an HTTP date, taken
 * against now.  Returns 0 and sets *seconds (never negative), or -1.
 */
int extract_http_parse_retry_after(const char *value, time_t now, double *seconds);

#endif
