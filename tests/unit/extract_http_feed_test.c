/*
 * extract_http_feed_test.c: unit tests of the HTTP client's feed
 * (extract/http.c, extract_http_set_feed): requests are asked for only as
 * the queue runs short, every one fed is fetched once, and a feed that fails
 * ends the run with its own error, releasing what was queued.
 *
 * The client fetches from a small HTTP/1.1 server on 127.0.0.1 run on a
 * thread here, which answers every GET with "{}" and counts the requests.
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

#include "http.h"
#include "temp_dir.h"

#define REQUESTS 40
#define CONCURRENCY 4

/* ---- the loopback server ---------------------------------------------- */

typedef struct server {
    int listener;
    int port;
    pthread_t thread;
    pthread_mutex_t lock;
    int served;
} server;

static void answer(server *s, int client)
{
    static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
    char request[4096];
    size_t length = 0;
    ssize_t got;

    while (length < sizeof request - 1 &&
           (got = read(client, request + length, sizeof request - 1 - length)) > 0) {
        length += (size_t)got;
        request[length] = '\0';
        if (strstr(request, "\r\n\r\n"))
            break;
    }
    if (write(client, reply, sizeof reply - 1) == (ssize_t)(sizeof reply - 1)) {
        pthread_mutex_lock(&s->lock);
        s->served++;
        pthread_mutex_unlock(&s->lock);
    }
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
        return nk_fail(err, 65, "the feed ran out of queries at %d", f->fed);
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

static extract_http *client(fixture *x)
{
    extract_http_options options;
    nk_error err = { 0 };

    extract_http_defaults(&options);
    options.rate = 0;
    options.concurrency = CONCURRENCY;
    options.max_attempts = 1;
    return extract_http_new(&x->context, &options, &err);
}

static void test_feed_is_asked_as_the_queue_runs_short(void **state)
{
    fixture *x = *state;
    feed f = { .server = &x->server };
    nk_error err = { 0 };

    f.http = client(x);
    assert_non_null(f.http);
    extract_http_set_feed(f.http, feed_one, &f);
    assert_int_equal(extract_http_run(f.http, &err), 0);
    extract_http_free(f.http);

    assert_int_equal(f.fed, REQUESTS);
    assert_int_equal(f.done, REQUESTS);
    assert_int_equal(f.released, 0);
    assert_int_equal(x->server.served, REQUESTS);
    assert_int_equal(nk_manifest_writer_count(x->context.manifest), REQUESTS);
    /* At most a queue's worth waiting plus a concurrency's worth transferring. */
    assert_true(f.most_outstanding <= 2 * CONCURRENCY);
}

static void test_failing_feed_ends_the_run(void **state)
{
    fixture *x = *state;
    feed f = { .server = &x->server, .fail_after = 10 };
    nk_error err = { 0 };

    f.http = client(x);
    assert_non_null(f.http);
    extract_http_set_feed(f.http, feed_one, &f);
    assert_int_equal(extract_http_run(f.http, &err), -1);
    assert_int_equal(err.exit_code, 65);
    assert_non_null(strstr(err.message, "the feed ran out of queries at 10"));
    extract_http_free(f.http);

    assert_int_equal(f.fed, 10);
    assert_int_equal(f.done + f.released, 10);
}

static void test_run_without_feed_or_queue_ends_at_once(void **state)
{
    fixture *x = *state;
    extract_http *http = client(x);
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
        cmocka_unit_test_setup_teardown(test_failing_feed_ends_the_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_without_feed_or_queue_ends_at_once, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
