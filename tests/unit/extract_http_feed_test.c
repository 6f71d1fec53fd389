/*
 * extract_http_feed_test.c: unit tests of the HTTP client's feed
 * (extract/http.c, extract_http_set_feed): requests are asked for only as
 * the queue runs short, every one fed is fetched once, requests waiting out
 * a back-off do not hold up the others, and a feed that fails ends the run
 * with its own error, releasing what was queued.
 *
 * The client fetches from a small HTTP/1.1 server on 127.0.0.1 run on a
 * thread here, which answers GETs with "{}" (or 503 to the first attempt
 * at the queries it is told to fail) and notes the order of the requests.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/base/exit_codes.h"
#include "extract/http.h"
#include "extract/kolada_api/kolada_source.h"
#include "tests/unit/temp_dir.h"

#define REQUESTS 40
#define CONCURRENCY 4
#define PATH_MAX_LENGTH 64

/* ---- the loopback server ---------------------------------------------- */

typedef struct server {
    int listener;
    int port;
    pthread_t thread;
    pthread_mutex_t lock;
    int fail_below; /* the first attempt at /query/N, N below this, gets 503 */
    int served;     /* requests answered 200 */
    int asked;      /* requests read, in order: */
    char paths[2 * REQUESTS][PATH_MAX_LENGTH];
} server;

/* Where path stands in the order the server read the requests, or -1. */
static int asked_at(const server *s, const char *path, int nth)
{
    for (int i = 0; i < s->asked; i++)
        if (strcmp(s->paths[i], path) == 0 && nth-- == 0)
            return i;
    return -1;
}

static void answer(server *s, int client)
{
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
    static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                               "Connection: close\r\n\r\n";
    char request[4096] = "", path[PATH_MAX_LENGTH] = "";
    size_t length = 0;
    ssize_t got;
    int query = -1, fail;

    while (length < sizeof request - 1 &&
           (got = read(client, request + length, sizeof request - 1 - length)) > 0) {
        length += (size_t)got;
        request[length] = '\0';
        if (strstr(request, "\r\n\r\n"))
            break;
    }
    sscanf(request, "GET %63s", path);
    sscanf(path, "/query/%d", &query);
    pthread_mutex_lock(&s->lock);
    if (s->asked < 2 * REQUESTS)
        snprintf(s->paths[s->asked++], PATH_MAX_LENGTH, "%s", path);
    /* Noted before this request, the last one noted? */
    int first = asked_at(s, path, 0);
    fail = query >= 0 && query < s->fail_below && !(first >= 0 && first < s->asked - 1);
    /* Counted before the answer goes out: the client may check as soon as it has it. */
    s->served += !fail;
    pthread_mutex_unlock(&s->lock);
    const char *reply = fail ? busy : ok;
    size_t size = fail ? sizeof busy - 1 : sizeof ok - 1;
    if (write(client, reply, size) != (ssize_t)size)
        fprintf(stderr, "the test server could not answer %s\n", path);
    close(client);
}

static void *serve(void *user)
{
    server *s = user;
    int client;

    while ((client = accept(s->listener, NULL, NULL)) >= 0)
        answer(s, client);
    return NULL;
}

static void server_start(server *s)
{
    struct sockaddr_in address = { .sin_family = AF_INET };
    socklen_t size = sizeof address;

    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->listener = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->listener >= 0);
    assert_int_equal(bind(s->listener, (struct sockaddr *)&address, sizeof address), 0);
    assert_int_equal(listen(s->listener, 64), 0);
    assert_int_equal(getsockname(s->listener, (struct sockaddr *)&address, &size), 0);
    s->port = ntohs(address.sin_port);
    assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void server_stop(server *s)
{
    shutdown(s->listener, SHUT_RDWR);
    close(s->listener);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
}

/* ---- the feed ---------------------------------------------------------- */

typedef struct feed {
    extract_http *http;
    server *server;
    int fed, done, released;
    int most_outstanding; /* fed and neither done nor released, at most */
    int fail_after;       /* feed fails once this many are fed; 0 never */
} feed;

static int check_body(void *user, const char *path, char *why, size_t size, nk_error *err)
{
    (void)user, (void)path, (void)why, (void)size, (void)err;
    return 0;
}

static int on_done(void *user, nk_error *err)
{
    (void)err;
    ((feed *)user)->done++;
    return 0;
}

static void on_release(void *user)
{
    ((feed *)user)->released++;
}

static int feed_one(void *user, nk_error *err)
{
    feed *f = user;
    extract_http_handler handler = { check_body, on_done, on_release, f, NULL, NULL, NULL };
    char url[128];
    int outstanding = f->fed - f->done - f->released;

    if (outstanding > f->most_outstanding)
        f->most_outstanding = outstanding;
    if (f->fail_after && f->fed == f->fail_after)
        return nk_fail(err, NK_EXIT_DATA, "the feed ran out of queries at %d", f->fed);
    if (f->fed == REQUESTS)
        return 0;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/query/%d", f->server->port, f->fed);
    if (extract_http_get(f->http, url, "feed", NULL, &handler, err) < 0)
        return -1;
    f->fed++;
    return 1;
}

/* ---- fixture: a run directory's extract stage and a client ------------- */

typedef struct fixture {
    char dir[64];
    extract_context context;
    server server;
} fixture;

static int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    nk_error err = { 0 };
    char manifest[128];

    assert_int_equal(temp_dir_make(x->dir, sizeof x->dir, "http-feed"), 0);
    snprintf(manifest, sizeof manifest, "%s/manifest.json", x->dir);
    x->context.stage_dir = x->dir;
    x->context.manifest = nk_manifest_writer_open(manifest, "files", &err);
    assert_non_null(x->context.manifest);
    server_start(&x->server);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fixture *x = *state;

    server_stop(&x->server);
    nk_manifest_writer_free(x->context.manifest);
    temp_dir_remove(x->dir);
    free(x);
    return 0;
}

static extract_http *client(fixture *x, long max_attempts)
{
    extract_http_options options;
    nk_error err = { 0 };

    extract_kolada_http_options(NULL, &options);
    options.rate = 0;
    options.concurrency = CONCURRENCY;
    options.max_attempts = max_attempts;
    /* A back-off of 1.5 to 3 s: time for the others, even under valgrind. */
    options.backoff_base = 3;
    return extract_http_new(&x->context, &options, &err);
}

/* A run of a client fed by f, tried max_attempts times a request: its return code. */
static int run_fed(fixture *x, feed *f, long max_attempts, nk_error *err)
{
    int rc;

    f->server = &x->server;
    f->http = client(x, max_attempts);
    assert_non_null(f->http);
    extract_http_set_feed(f->http, feed_one, f);
    rc = extract_http_run(f->http, err);
    extract_http_free(f->http);
    return rc;
}

static void test_feed_is_asked_as_the_queue_runs_short(void **state)
{
    fixture *x = *state;
    feed f = { 0 };
    nk_error err = { 0 };

    assert_int_equal(run_fed(x, &f, 1, &err), 0);

    assert_int_equal(f.fed, REQUESTS);
    assert_int_equal(f.done, REQUESTS);
    assert_int_equal(f.released, 0);
    assert_int_equal(x->server.served, REQUESTS);
    assert_int_equal(nk_manifest_writer_count(x->context.manifest), REQUESTS);
    /* At most a queue's worth waiting plus a concurrency's worth transferring. */
    assert_true(f.most_outstanding <= 2 * CONCURRENCY);
}

/*
 * The first attempt at four queries, as many as may run at once, gets 503:
 * while they wait out their back-off (a second and a half or more) the
 * other 36 are fed and fetched, where counting the waiting four as queued
 * would stop the feed until they were retried.
 */
static void test_backing_off_requests_do_not_hold_up_the_feed(void **state)
{
    fixture *x = *state;
    feed f = { 0 };
    nk_error err = { 0 };
    char path[PATH_MAX_LENGTH];

    x->server.fail_below = CONCURRENCY;
    assert_int_equal(run_fed(x, &f, 2, &err), 0);

    assert_int_equal(f.done, REQUESTS);
    assert_int_equal(x->server.served, REQUESTS);
    assert_int_equal(x->server.asked, REQUESTS + CONCURRENCY);
    snprintf(path, sizeof path, "/query/%d", REQUESTS - 1);
    int last_new = asked_at(&x->server, path, 0);
    for (int i = 0; i < CONCURRENCY; i++) {
        snprintf(path, sizeof path, "/query/%d", i);
        assert_true(asked_at(&x->server, path, 1) > last_new);
    }
}

static void test_failing_feed_ends_the_run(void **state)
{
    fixture *x = *state;
    feed f = { .fail_after = 10 };
    nk_error err = { 0 };

    assert_int_equal(run_fed(x, &f, 1, &err), -1);
    assert_int_equal(err.exit_code, NK_EXIT_DATA);
    assert_non_null(strstr(err.message, "the feed ran out of queries at 10"));

    assert_int_equal(f.fed, 10);
    assert_int_equal(f.done + f.released, 10);
}

static void test_run_without_feed_or_queue_ends_at_once(void **state)
{
    fixture *x = *state;
    extract_http *http = client(x, 1);
    nk_error err = { 0 };

    assert_non_null(http);
    assert_int_equal(extract_http_run(http, &err), 0);
    extract_http_free(http);
    assert_int_equal(x->server.served, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_feed_is_asked_as_the_queue_runs_short, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_backing_off_requests_do_not_hold_up_the_feed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failing_feed_ends_the_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_without_feed_or_queue_ends_at_once, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
