/*
 * http.c: the libcurl multi client of the API sources (see http.h): the
 * queue and the feed that refills it, the rate limit, retries with back-off,
 * and streaming each body into the raw zone.
 */
#include "extract/http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/exit_codes.h"
#include "lib/base/log.h"
#include "lib/base/progress_bar.h"
#include "extract/raw_zone/raw_zone.h"
#include "lib/base/version.h"

#define SNIPPET_MAX 200
#define EXTRACT_HTTP_WAITING_MAX 16

typedef struct request {
    char *url;
    char *source;
    json_t *details;
    extract_http_handler handler;
    long attempt;      /* failures so far */
    double not_before; /* nk_seconds() before which it must not start */
    struct request *next;
} request;

typedef struct transfer {
    extract_http *http;
    request *request;
    CURL *easy;
    extract_raw_file raw;
    int raw_open;
    uint64_t bytes;
    double started, ended;
    CURLcode result; /* how the transfer ended */
    int waiting;     /* ended, its body not yet all read by the handler */
    char snippet[SNIPPET_MAX + 1];
    size_t snippet_length;
    char retry_after[64];
    int too_large;
    nk_error write_error;
    struct transfer *next; /* in the list of running transfers */
} transfer;

struct extract_http {
    extract_context *context;
    extract_http_options options;
    CURLM *multi;
    request *queue; /* waiting, in the order queued */
    request *queue_tail;
    extract_http_feed_fn feed; /* queues more when the queue runs short, or NULL */
    void *feed_user;
    transfer *running;  /* transfers added to the multi handle */
    long active;        /* of them, those still transferring */
    long waiting;       /* of them, those ended and waiting for ready() */
    double next_start;  /* the rate limit's next free slot */
    double budget_left; /* seconds of back-off the run may still spend */
    unsigned seed;
    char user_agent[64];
    nk_progress *progress;
    uint64_t pages;
    uint64_t bytes;
};

void extract_http_settings(const nk_kolada_api_settings *settings, extract_http_options *options)
{
    options->rate = settings->rate_limit;
    options->concurrency = (long)settings->concurrency;
    options->timeout = (long)settings->timeout_seconds;
    options->connect_timeout = (long)settings->connect_timeout_seconds;
    options->max_attempts = (long)settings->max_attempts;
    options->retry_budget = settings->retry_budget_seconds;
    options->backoff_base = settings->backoff_seconds;
    options->backoff_max = settings->backoff_max_seconds;
    options->max_body = (uint64_t)settings->max_body_mb << 20;
    options->ca_bundle = settings->ca_bundle;
}

double extract_http_backoff(long attempt, double base, double max, double retry_after,
                            double jitter)
{
    double delay = base * pow(2, (double)(attempt > 0 ? attempt - 1 : 0));

    if (delay > max)
        delay = max;
    delay = delay / 2 + delay / 2 * jitter;
    return retry_after > delay ? retry_after : delay;
}

int extract_http_parse_retry_after(const char *value, time_t now, double *seconds)
{
    char text[64];
    size_t length;

    while (isspace((unsigned char)*value))
        value++;
    length = strlen(value);
    while (length && isspace((unsigned char)value[length - 1]))
        length--;
    if (length == 0 || length >= sizeof text)
        return -1;
    memcpy(text, value, length);
    text[length] = '\0';
    if (strspn(text, "0123456789") == length) {
        *seconds = length > 9 ? 1e9 : (double)strtol(text, NULL, 10);
        return 0;
    }
    time_t when = curl_getdate(text, NULL);
    if (when == (time_t)-1)
        return -1;
    *seconds = when > now ? (double)(when - now) : 0;
    return 0;
}

extract_http *extract_http_new(extract_context *context, const extract_http_options *options,
                               nk_error *err)
{
    extract_http *http = calloc(1, sizeof *http);

    if (http == NULL || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        free(http);
        nk_fail(err, NK_EXIT_SOFTWARE, "cannot initialise libcurl");
        return NULL;
    }
    http->context = context;
    http->options = *options;
    http->multi = curl_multi_init();
    http->budget_left = options->retry_budget;
    /* Through a wide integer: a double beyond unsigned's range does not convert. */
    http->seed = (unsigned)getpid() ^ (unsigned)(unsigned long long)(nk_seconds() * 1e6);
    snprintf(http->user_agent, sizeof http->user_agent, "nyckel/%s", NYCKEL_VERSION);
    curl_multi_setopt(http->multi, CURLMOPT_MAX_HOST_CONNECTIONS, options->concurrency);
    return http;
}

static void request_free(request *r, int released)
{
    if (r == NULL)
        return;
    if (released && r->handler.release)
        r->handler.release(r->handler.user);
    free(r->url);
    free(r->source);
    json_decref(r->details);
    free(r);
}

static void transfer_free(transfer *t, int released)
{
    for (transfer **p = &t->http->running; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            break;
        }
    }
    if (t->raw_open)
        extract_raw_abandon(&t->raw);
    curl_multi_remove_handle(t->http->multi, t->easy);
    curl_easy_cleanup(t->easy);
    request_free(t->request, released);
    free(t);
}

/* Drop every transfer and queued request: the run has failed. */
static void drop_all(extract_http *http)
{
    while (http->running)
        transfer_free(http->running, 1);
    http->active = 0;
    http->waiting = 0;
    while (http->queue) {
        request *next = http->queue->next;
        request_free(http->queue, 1);
        http->queue = next;
    }
    http->queue_tail = NULL;
    http->feed = NULL;
}

void extract_http_wakeup(extract_http *http)
{
    curl_multi_wakeup(http->multi);
}

void extract_http_free(extract_http *http)
{
    if (http == NULL)
        return;
    drop_all(http);
    curl_multi_cleanup(http->multi);
    curl_global_cleanup();
    free(http);
}

static void enqueue(extract_http *http, request *r)
{
    r->next = NULL;
    if (http->queue_tail)
        http->queue_tail->next = r;
    else
        http->queue = r;
    http->queue_tail = r;
}

void extract_http_set_feed(extract_http *http, extract_http_feed_fn feed, void *user)
{
    http->feed = feed;
    http->feed_user = user;
}

/*
 * Keep as many requests ready to start as may run at once, while the feed
 * has more.  A request waiting out its back-off does not count: a few
 * failing queries must not hold up the others.
 */
static int feed_queue(extract_http *http, nk_error *err)
{
    double now = nk_seconds();
    long ready = 0;

    for (const request *r = http->queue; r; r = r->next)
        ready += r->not_before <= now;
    while (http->feed && ready < http->options.concurrency) {
        int rc = http->feed(http->feed_user, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            http->feed = NULL;
        ready += rc;
    }
    return 0;
}

int extract_http_get(extract_http *http, const char *url, const char *source, const json_t *details,
                     const extract_http_handler *handler, nk_error *err)
{
    request *r = calloc(1, sizeof *r);

    if (r == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory queueing %s", url);
    r->url = strdup(url);
    r->source = strdup(source);
    r->details = details ? json_deep_copy(details) : json_object();
    r->handler = *handler;
    enqueue(http, r);
    return 0;
}

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
    transfer *t = user;
    size_t length = size * count;

    if (t->snippet_length < SNIPPET_MAX) {
        size_t take = SNIPPET_MAX - t->snippet_length;
        take = take < length ? take : length;
        memcpy(t->snippet + t->snippet_length, data, take);
        t->snippet_length += take;
        t->snippet[t->snippet_length] = '\0';
    }
    t->bytes += length;
    if (t->bytes > t->http->options.max_body) {
        t->too_large = 1;
        return 0;
    }
    if (extract_raw_write(&t->raw, data, length, &t->write_error) < 0)
        return 0;
    if (t->request->handler.receive)
        t->request->handler.receive(t->request->handler.user, data, length);
    return length;
}

static size_t on_header(char *data, size_t size, size_t count, void *user)
{
    transfer *t = user;
    size_t length = size * count;
    static const char name[] = "retry-after:";

    if (length > sizeof name - 1 && strncasecmp(data, name, sizeof name - 1) == 0) {
        size_t value = length - (sizeof name - 1);
        if (value >= sizeof t->retry_after)
            value = sizeof t->retry_after - 1;
        memcpy(t->retry_after, data + sizeof name - 1, value);
        t->retry_after[value] = '\0';
    }
    return length;
}

static void set_options(extract_http *http, transfer *t)
{
    CURL *easy = t->easy;
    const extract_http_options *o = &http->options;

    curl_easy_setopt(easy, CURLOPT_URL, t->request->url);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, t);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, http->user_agent);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (o->ca_bundle)
        curl_easy_setopt(easy, CURLOPT_CAINFO, o->ca_bundle);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, o->timeout);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
    /* No redirect is followed (see refuse_redirect): it could leave the host or TLS. */
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    /* Larger pieces of body: fewer write calls, system calls and parser calls per page. */
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 512L * 1024);
}

static int start(extract_http *http, request *r, nk_error *err)
{
    transfer *t = calloc(1, sizeof *t);

    if (t == NULL) {
        request_free(r, 1);
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory starting %s", r->url);
    }
    t->http = http;
    t->request = r;
    t->easy = curl_easy_init();
    if (extract_raw_open(http->context, r->source, "json", &t->raw, err) < 0) {
        transfer_free(t, 1);
        return -1;
    }
    t->raw_open = 1;
    if (r->handler.begin)
        r->handler.begin(r->handler.user);
    set_options(http, t);
    t->started = nk_seconds();
    if (curl_multi_add_handle(http->multi, t->easy) != CURLM_OK) {
        nk_fail(err, NK_EXIT_SOFTWARE, "%s: cannot start the transfer", r->url);
        transfer_free(t, 1);
        return -1;
    }
    t->next = http->running;
    http->running = t;
    http->active++;
    return 0;
}

/* The first queued request that may start now, taken off the queue. */
static request *take_due(extract_http *http, double now)
{
    request *previous = NULL;

    for (request *r = http->queue; r; previous = r, r = r->next) {
        if (r->not_before > now)
            continue;
        if (previous)
            previous->next = r->next;
        else
            http->queue = r->next;
        if (http->queue_tail == r)
            http->queue_tail = previous;
        return r;
    }
    return NULL;
}

static int start_due(extract_http *http, nk_error *err)
{
    /* Each waiting transfer keeps its raw file open: a few are enough to keep the reader busy. */
    while (http->active < http->options.concurrency && http->waiting < EXTRACT_HTTP_WAITING_MAX) {
        double now = nk_seconds();
        if (now < http->next_start)
            return 0;
        request *r = take_due(http, now);
        if (r == NULL)
            return 0;
        if (http->options.rate > 0)
            http->next_start = (now > http->next_start ? now : http->next_start) +
                               1.0 / http->options.rate;
        if (start(http, r, err) < 0)
            return -1;
    }
    return 0;
}

/* Why a failure is, or is not, worth another try; the exit code if it ends the run. */
typedef struct verdict {
    int retry;
    int exit_code;
    char why[512];
} verdict;

static void classify_curl(CURLcode code, verdict *v)
{
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        v->retry = 1;
        v->exit_code = NK_EXIT_UNAVAILABLE;
        break;
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
        v->retry = 1;
        v->exit_code = NK_EXIT_TEMPFAIL;
        break;
    default:
        v->retry = 0;
        v->exit_code = NK_EXIT_UNAVAILABLE;
    }
    snprintf(v->why, sizeof v->why, "%s", curl_easy_strerror(code));
}

static void classify_status(long status, const transfer *t, verdict *v)
{
    v->retry = status == 429 || status == 408 || status >= 500;
    if (v->retry)
        v->exit_code = NK_EXIT_TEMPFAIL;
    else if (status == 400 || status == 414)
        v->exit_code = NK_EXIT_CONFIG;
    else if (status == 404)
        v->exit_code = NK_EXIT_DATA;
    else
        v->exit_code = NK_EXIT_UNAVAILABLE;
    snprintf(v->why, sizeof v->why, "HTTP %ld%s%.*s", status, t->snippet_length ? ": " : "",
             (int)strcspn(t->snippet, "\r\n"), t->snippet);
}

/*
 * A redirect would take the request past the checks its address passed
 * (next_url's host, https) and leave the manifest naming an address the
 * body did not come from: the source fails, naming both addresses, so that
 * a person can decide to point base_url at the new one.
 */
static int refuse_redirect(const transfer *t, long status, nk_error *err)
{
    char *location = NULL;

    curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_URL, &location);
    return nk_fail(err, NK_EXIT_DATA,
                   "GET %s: HTTP %ld redirects to %s: nyckel follows no redirects; if the "
                   "source has moved, give its new address in the job",
                   t->request->url, status, location ? location : "(no Location)");
}

static int schedule_retry(extract_http *http, transfer *t, const verdict *v, nk_error *err)
{
    request *r = t->request;
    double retry_after = -1, delay;

    if (t->retry_after[0] &&
        extract_http_parse_retry_after(t->retry_after, time(NULL), &retry_after) < 0)
        retry_after = -1;
    r->attempt++;
    if (r->attempt >= http->options.max_attempts)
        return nk_fail(err, v->exit_code, "GET %s: %s; gave up after %ld attempts", r->url, v->why,
                       r->attempt);
    delay = extract_http_backoff(r->attempt, http->options.backoff_base, http->options.backoff_max,
                                 retry_after, (double)rand_r(&http->seed) / RAND_MAX);
    if (delay > http->budget_left)
        return nk_fail(err, v->exit_code,
                       "GET %s: %s; a retry in %.1f s would exceed the retry budget "
                       "(%.1f s left of %.0f s)",
                       r->url, v->why, delay, http->budget_left, http->options.retry_budget);
    http->budget_left -= delay;
    r->not_before = nk_seconds() + delay;
    if (retry_after >= 0 && r->not_before > http->next_start)
        http->next_start = r->not_before;
    nk_warn("GET %s: %s; retry %ld in %.1f s", r->url, v->why, r->attempt, delay);
    t->request = NULL;
    enqueue(http, r);
    return 0;
}

/* The body arrived with HTTP 200: check it, then commit it or call it damaged. */
static int accept_body(extract_http *http, transfer *t, verdict *v, nk_error *err)
{
    request *r = t->request;
    char *type = NULL;
    int verdict_code;

    curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &type);
    if (type && strstr(type, "json") == NULL) {
        snprintf(v->why, sizeof v->why, "expected a JSON content type, found \"%s\"", type);
        return 1;
    }
    if (fflush(t->raw.stream) != 0)
        return nk_fail(err, NK_EXIT_IOERR, "%s: write failed", t->raw.path);
    verdict_code = r->handler.check(r->handler.user, t->raw.path, v->why, sizeof v->why, err);
    if (verdict_code != 0)
        return verdict_code;
    json_t *details = json_deep_copy(r->details);
    json_object_set_new(details, "http_status", json_integer(200));
    t->raw_open = 0;
    if (extract_raw_commit(http->context, &t->raw, r->source, r->url, details, err) < 0)
        return -1;
    t->request = NULL;
    http->pages++;
    http->bytes += t->bytes;
    nk_progress_set(http->progress, http->pages, (double)http->bytes / 1e6);
    int rc = r->handler.done(r->handler.user, err);
    request_free(r, 0);
    return rc;
}

static void log_request(const transfer *t, long status, CURLcode code)
{
    double elapsed = t->ended - t->started;

    if (code == CURLE_OK)
        nk_info("GET %s: HTTP %ld, %llu bytes, %.3f s", t->request->url, status,
                (unsigned long long)t->bytes, elapsed);
    else
        nk_info("GET %s: %s, HTTP %ld, %llu bytes, %.3f s", t->request->url,
                curl_easy_strerror(code), status, (unsigned long long)t->bytes, elapsed);
}

static int finish(extract_http *http, transfer *t, nk_error *err)
{
    verdict v = { .retry = 1, .exit_code = NK_EXIT_TEMPFAIL };
    CURLcode code = t->result;
    long status = 0;
    int rc;

    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    log_request(t, status, code);
    if (t->write_error.exit_code) {
        *err = t->write_error;
        rc = -1;
    } else if (t->too_large) {
        rc = nk_fail(err, NK_EXIT_DATA, "GET %s: the body exceeds %llu bytes (max_body_mb)",
                     t->request->url, (unsigned long long)http->options.max_body);
    } else if (code != CURLE_OK) {
        classify_curl(code, &v);
        rc = v.retry ? schedule_retry(http, t, &v, err)
                     : nk_fail(err, v.exit_code, "GET %s: %s", t->request->url, v.why);
    } else if (status >= 300 && status < 400) {
        rc = refuse_redirect(t, status, err);
    } else if (status != 200) {
        classify_status(status, t, &v);
        rc = v.retry ? schedule_retry(http, t, &v, err)
                     : nk_fail(err, v.exit_code, "GET %s: %s", t->request->url, v.why);
    } else {
        rc = accept_body(http, t, &v, err);
        if (rc == 1) {
            char why[sizeof v.why + 32];
            snprintf(why, sizeof why, "damaged body (%s)", v.why);
            snprintf(v.why, sizeof v.why, "%.*s", (int)sizeof v.why - 1, why);
            v.exit_code = NK_EXIT_TEMPFAIL;
            rc = schedule_retry(http, t, &v, err);
        }
    }
    transfer_free(t, 1);
    return rc;
}

static int body_read(const transfer *t)
{
    const extract_http_handler *h = &t->request->handler;

    return h->ready == NULL || h->ready(h->user);
}

/*
 * A transfer that ended waits, if its handler is still reading the body, so
 * that the other transfers go on receiving meanwhile: waiting here for the
 * reader held up every page behind the one being read.
 */
static int collect(extract_http *http, nk_error *err)
{
    CURLMsg *message;
    int left;

    while ((message = curl_multi_info_read(http->multi, &left)) != NULL) {
        transfer *t = NULL;
        if (message->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        t->result = message->data.result;
        t->ended = nk_seconds();
        http->active--;
        if (!body_read(t)) {
            t->waiting = 1;
            http->waiting++;
        } else if (finish(http, t, err) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Finish the waiting transfers whose bodies have been read. */
static int finish_waiting(extract_http *http, nk_error *err)
{
    transfer *t, *next;

    for (t = http->running; t && http->waiting > 0; t = next) {
        next = t->next;
        if (!t->waiting || !body_read(t))
            continue;
        t->waiting = 0;
        http->waiting--;
        if (finish(http, t, err) < 0)
            return -1;
    }
    return 0;
}

/* Milliseconds until something may be started: a retry falls due or the rate allows. */
static int wait_ms(const extract_http *http)
{
    double now = nk_seconds(), soonest = now + 1;

    for (const request *r = http->queue; r; r = r->next)
        if (r->not_before < soonest)
            soonest = r->not_before;
    if (http->queue && http->next_start > soonest)
        soonest = http->next_start;
    if (http->queue && http->active >= http->options.concurrency)
        soonest = now + 1;
    return soonest <= now ? 0 : (int)((soonest - now) * 1000) + 1;
}

int extract_http_run(extract_http *http, nk_error *err)
{
    int running = 0;
    int rc = 0;

    http->progress = nk_progress_start("extract", "pages", 0, "MB");
    while (http->queue || http->feed || http->active > 0 || http->waiting > 0) {
        if (feed_queue(http, err) < 0 || start_due(http, err) < 0 ||
            curl_multi_perform(http->multi, &running) != CURLM_OK || collect(http, err) < 0 ||
            finish_waiting(http, err) < 0) {
            if (err->exit_code == 0)
                nk_fail(err, NK_EXIT_SOFTWARE, "libcurl multi interface failed");
            drop_all(http);
            rc = -1;
            break;
        }
        if (http->queue || http->active > 0 || http->waiting > 0)
            curl_multi_poll(http->multi, NULL, 0, wait_ms(http), NULL);
    }
    nk_progress_finish(http->progress);
    http->progress = NULL;
    return rc;
}
