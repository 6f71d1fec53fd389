/*
 * extract_http_test.c: unit tests of the retry arithmetic of the HTTP
 * client (extract/http.c): exponential back-off with jitter and its cap,
 * Retry-After as seconds or an HTTP date.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "extract/http.h"

static void test_backoff_doubles_and_caps(void **state)
{
    (void)state;
    /* Without jitter the delay is half the exponential step; with full jitter all of it. */
    assert_float_equal(extract_http_backoff(1, 1, 60, -1, 0), 0.5, 1e-9);
    assert_float_equal(extract_http_backoff(1, 1, 60, -1, 1), 1, 1e-9);
    assert_float_equal(extract_http_backoff(3, 1, 60, -1, 1), 4, 1e-9);
    assert_float_equal(extract_http_backoff(4, 0.5, 60, -1, 0.5), 3, 1e-9);
    assert_float_equal(extract_http_backoff(20, 1, 60, -1, 1), 60, 1e-9);
}

static void test_backoff_honours_retry_after(void **state)
{
    (void)state;
    assert_float_equal(extract_http_backoff(1, 1, 60, 7, 1), 7, 1e-9);
    assert_float_equal(extract_http_backoff(1, 1, 2, 120, 0), 120, 1e-9);
    assert_float_equal(extract_http_backoff(5, 1, 60, 2, 1), 16, 1e-9);
}

static void test_retry_after_parsing(void **state)
{
    (void)state;
    double seconds = -1;
    time_t now = 1445412480; /* Wed, 21 Oct 2015 07:28:00 GMT */

    assert_int_equal(extract_http_parse_retry_after(" 120\r\n", now, &seconds), 0);
    assert_float_equal(seconds, 120, 1e-9);
    assert_int_equal(extract_http_parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now, &seconds),
                     0);
    assert_float_equal(seconds, 30, 1e-9);
    assert_int_equal(extract_http_parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now, &seconds),
                     0);
    assert_float_equal(seconds, 0, 1e-9);
    assert_int_equal(extract_http_parse_retry_after("soon", now, &seconds), -1);
    assert_int_equal(extract_http_parse_retry_after("", now, &seconds), -1);
    assert_int_equal(extract_http_parse_retry_after("-5", now, &seconds), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff_doubles_and_caps),
        cmocka_unit_test(test_backoff_honours_retry_after),
        cmocka_unit_test(test_retry_after_parsing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
