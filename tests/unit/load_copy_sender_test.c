/*
 * load_copy_sender_test.c: a COPY's data sent from a thread
 * (load/pg/copy_sender.c) when sending fails: the failure is the error of
 * a later piece or of the finish, names the COPY, and the sender is gone
 * either way.  (Sending that works needs a server: every load
 * integration test sends its staging COPY through it.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"

/* A connection that never reached a server: libpq refuses to send on it. */
static PGconn *no_server(void)
{
    PGconn *conn = PQconnectdb("host=/nonexistent/nyckel-test port=1 connect_timeout=1");

    assert_non_null(conn);
    assert_int_not_equal(PQstatus(conn), CONNECTION_OK);
    return conn;
}

static void failed_send_is_told_by_a_later_piece(void **state)
{
    (void)state;
    PGconn *conn = no_server();
    nk_error err = { 0, "" };
    static char piece[300 * 1024];
    int failed = 0;

    memset(piece, 'x', sizeof piece);
    load_copy_sender *sender = load_copy_sender_start(conn, "staging.values", &err);
    assert_non_null(sender);
    /* The thread may not have sent anything yet: put until the failure shows. */
    for (int i = 0; i < 100 && !failed; i++)
        failed = load_copy_sender_put(sender, piece, sizeof piece, &err) < 0;
    assert_true(failed);
    assert_non_null(strstr(err.message, "staging.values"));
    nk_error again = { 0, "" };
    assert_int_equal(load_copy_sender_finish(sender, &again), -1);
    PQfinish(conn);
}

static void failed_send_is_told_by_the_finish(void **state)
{
    (void)state;
    PGconn *conn = no_server();
    nk_error err = { 0, "" };

    load_copy_sender *sender = load_copy_sender_start(conn, "staging.values", &err);
    assert_non_null(sender);
    /* Less than a piece: nothing is sent until the finish. */
    assert_int_equal(load_copy_sender_put(sender, "a\tb\n", 4, &err), 0);
    assert_int_equal(load_copy_sender_finish(sender, &err), -1);
    assert_non_null(strstr(err.message, "staging.values"));
    PQfinish(conn);
}

static void nothing_put_is_nothing_sent(void **state)
{
    (void)state;
    PGconn *conn = no_server();
    nk_error err = { 0, "" };

    load_copy_sender *sender = load_copy_sender_start(conn, "staging.values", &err);
    assert_non_null(sender);
    assert_int_equal(load_copy_sender_finish(sender, &err), 0);
    PQfinish(conn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failed_send_is_told_by_a_later_piece),
        cmocka_unit_test(failed_send_is_told_by_the_finish),
        cmocka_unit_test(nothing_put_is_nothing_sent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
