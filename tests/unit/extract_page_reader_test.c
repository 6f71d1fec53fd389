/*
 * extract_page_reader_test.c: unit tests of the thread that reads arriving
 * data pages (extract/kolada_api/page_reader.c): pages fed in pieces, interleaved as
 * concurrent transfers deliver them, give the same rows in the same order as
 * pages fed whole on the caller's thread; waiting for a stream's last
 * ticket is enough to read its result; asking whether it has been fed
 * answers without waiting, and the notification comes once the piece asked
 * about is fed, until it is turned off; a page held up in its row callback
 * does not hold up another stream's; more than the reader holds at once
 * still all arrives; a damaged page fails as it would without the threads.
 */
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/base/exit_codes.h"
#include "extract/kolada_api/page_reader.h"

/* What a stream's rows said, written by its row callback. */
typedef struct rows_seen {
    size_t count;
    char kpis[64]; /* the first KPI id of every row, concatenated, cut short */
} rows_seen;

static int on_row(void *user, const nk_kolada_row *row, nk_error *err)
{
    rows_seen *seen = user;
    size_t used = strlen(seen->kpis);

    (void)err;
    seen->count++;
    if (row->kpi.type == NK_KOLADA_STRING && used + strlen(row->kpi.text) < sizeof seen->kpis)
        strcat(seen->kpis, row->kpi.text);
    return 0;
}

/* A v3 data page of rows values, KPI ids N<first>, N<first + 1>, ... */
static char *page_of(size_t rows, int first)
{
    size_t size = 64 + rows * 160, used = 0;
    char *page = malloc(size);

    used += (size_t)snprintf(page + used, size - used, "{\"values\": [");
    for (size_t i = 0; i < rows; i++)
        used += (size_t)snprintf(page + used, size - used,
                                 "%s{\"kpi\": \"N%d\", \"municipality\": \"0580\", "
                                 "\"period\": 2023, \"values\": [{\"gender\": \"T\", "
                                 "\"value\": %zu.5, \"count\": 1, \"status\": null}]}",
                                 i ? ", " : "", first + (int)i, i);
    snprintf(page + used, size - used, "], \"next_url\": \"\"}");
    return page;
}

/* Feed two pages in pieces of step bytes, alternating between them. */
static void feed_interleaved(extract_page_reader *reader, nk_kolada_stream *a, const char *page_a,
                             nk_kolada_stream *b, const char *page_b, size_t step, uint64_t *last_a,
                             uint64_t *last_b)
{
    size_t at_a = 0, at_b = 0, length_a = strlen(page_a), length_b = strlen(page_b);
    uint64_t previous = 0;

    while (at_a < length_a || at_b < length_b) {
        if (at_a < length_a) {
            size_t n = length_a - at_a < step ? length_a - at_a : step;
            *last_a = extract_page_reader_feed(reader, a, page_a + at_a, n);
            assert_true(*last_a > previous);
            previous = *last_a;
            at_a += n;
        }
        if (at_b < length_b) {
            size_t n = length_b - at_b < step ? length_b - at_b : step;
            *last_b = extract_page_reader_feed(reader, b, page_b + at_b, n);
            assert_true(*last_b > previous);
            previous = *last_b;
            at_b += n;
        }
    }
}

static void interleaved_pages_read_as_whole_ones(void **state)
{
    static const size_t steps[] = { 1, 7, 100, 4096, 1 << 20 };
    char *page_a = page_of(300, 1000), *page_b = page_of(170, 5000);

    (void)state;
    for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
        rows_seen whole_a = { 0 }, whole_b = { 0 }, seen_a = { 0 }, seen_b = { 0 };
        nk_kolada_stream *direct_a = nk_kolada_stream_new("a", 0, on_row, &whole_a);
        nk_kolada_stream *direct_b = nk_kolada_stream_new("b", 0, on_row, &whole_b);
        nk_kolada_stream *a = nk_kolada_stream_new("a", 0, on_row, &seen_a);
        nk_kolada_stream *b = nk_kolada_stream_new("b", 0, on_row, &seen_b);
        extract_page_reader *reader = extract_page_reader_start(NULL);
        uint64_t last_a = 0, last_b = 0;
        nk_error err = { 0 };

        assert_non_null(reader);
        assert_int_equal(nk_kolada_stream_feed(direct_a, page_a, strlen(page_a), &err), 0);
        assert_int_equal(nk_kolada_stream_feed(direct_b, page_b, strlen(page_b), &err), 0);
        assert_int_equal(nk_kolada_stream_end(direct_a, &err), 0);
        assert_int_equal(nk_kolada_stream_end(direct_b, &err), 0);

        feed_interleaved(reader, a, page_a, b, page_b, steps[s], &last_a, &last_b);
        extract_page_reader_wait(reader, last_a);
        assert_int_equal(nk_kolada_stream_end(a, &err), 0);
        assert_int_equal(seen_a.count, 300);
        assert_string_equal(seen_a.kpis, whole_a.kpis);
        extract_page_reader_wait(reader, last_b);
        assert_int_equal(nk_kolada_stream_end(b, &err), 0);
        assert_int_equal(seen_b.count, 170);
        assert_string_equal(seen_b.kpis, whole_b.kpis);

        extract_page_reader_stop(reader);
        nk_kolada_stream_free(direct_a);
        nk_kolada_stream_free(direct_b);
        nk_kolada_stream_free(a);
        nk_kolada_stream_free(b);
    }
    free(page_a);
    free(page_b);
}

/* Three times what the reader holds at once, in pieces of 1 MiB: feeding waits, nothing is lost. */
static void more_than_the_reader_holds_all_arrives(void **state)
{
    size_t rows = 3 * EXTRACT_PAGE_READER_BYTES / 150;
    char *page = page_of(rows, 1);
    size_t length = strlen(page), at = 0;
    rows_seen seen = { 0 };
    nk_kolada_stream *stream = nk_kolada_stream_new("big", 0, on_row, &seen);
    extract_page_reader *reader = extract_page_reader_start(NULL);
    uint64_t last = 0;
    nk_error err = { 0 };

    (void)state;
    assert_true(length > 2 * EXTRACT_PAGE_READER_BYTES);
    while (at < length) {
        size_t n = length - at < (1u << 20) ? length - at : (1u << 20);
        last = extract_page_reader_feed(reader, stream, page + at, n);
        at += n;
    }
    extract_page_reader_wait(reader, last);
    assert_int_equal(nk_kolada_stream_end(stream, &err), 0);
    assert_int_equal(seen.count, rows);
    extract_page_reader_stop(reader);
    nk_kolada_stream_free(stream);
    free(page);
}

static void a_damaged_page_fails_as_without_the_thread(void **state)
{
    static const char damaged[] = "{\"values\": [{\"kpi\": \"N1\", \"municipality\": \"0580\", "
                                  "\"period\": 2023, \"values\": [}]}";
    rows_seen seen = { 0 }, whole = { 0 };
    nk_kolada_stream *stream = nk_kolada_stream_new("body", 0, on_row, &seen);
    nk_kolada_stream *direct = nk_kolada_stream_new("body", 0, on_row, &whole);
    extract_page_reader *reader = extract_page_reader_start(NULL);
    nk_error err = { 0 }, direct_err = { 0 };
    uint64_t last = 0;

    (void)state;
    for (size_t i = 0; i < sizeof damaged - 1; i += 5)
        last = extract_page_reader_feed(reader, stream, damaged + i,
                                        sizeof damaged - 1 - i < 5 ? sizeof damaged - 1 - i : 5);
    nk_kolada_stream_feed(direct, damaged, sizeof damaged - 1, NULL);
    extract_page_reader_wait(reader, last);
    assert_int_equal(nk_kolada_stream_end(stream, &err), -1);
    assert_int_equal(nk_kolada_stream_end(direct, &direct_err), -1);
    assert_int_equal(err.exit_code, NK_EXIT_DATA);
    assert_string_equal(err.message, direct_err.message);
    extract_page_reader_stop(reader);
    nk_kolada_stream_free(stream);
    nk_kolada_stream_free(direct);
}

/* A row callback that holds the reader's thread until the test lets it go. */
typedef struct held_rows {
    sem_t go;
    size_t count;
} held_rows;

static int on_held_row(void *user, const nk_kolada_row *row, nk_error *err)
{
    held_rows *held = user;

    (void)row;
    (void)err;
    sem_wait(&held->go);
    held->count++;
    return 0;
}

static void count_notification(void *user)
{
    (*(int *)user)++;
}

static void asking_does_not_wait(void **state)
{
    static const char page[] = "{\"values\": [{\"kpi\": \"N1\", \"municipality\": \"0580\", "
                               "\"period\": 2023, \"values\": []}], \"next_url\": \"\"}";
    size_t half = strlen(page) / 2;
    held_rows held = { .count = 0 };
    nk_kolada_stream *stream = nk_kolada_stream_new("body", 0, on_held_row, &held);
    extract_page_reader *reader = extract_page_reader_start(NULL);
    nk_error err = { 0 };
    int notified = 0;
    uint64_t first, last;

    (void)state;
    sem_init(&held.go, 0, 0);
    extract_page_reader_notify(reader, count_notification, &notified);
    assert_true(extract_page_reader_has_fed(reader, 0));
    /* The row is complete in the second piece: its callback holds the thread there. */
    first = extract_page_reader_feed(reader, stream, page, half);
    last = extract_page_reader_feed(reader, stream, page + half, strlen(page) - half);
    extract_page_reader_wait(reader, first);
    assert_int_equal(notified, 0); /* nobody asked about the first piece */
    assert_false(extract_page_reader_has_fed(reader, last));
    sem_post(&held.go);
    while (!extract_page_reader_has_fed(reader, last))
        usleep(1000);
    extract_page_reader_wait(reader, last);
    assert_int_equal(notified, 1);
    assert_int_equal(held.count, 1);
    assert_int_equal(nk_kolada_stream_end(stream, &err), 0);

    /* Turned off, the notification no longer comes. */
    extract_page_reader_notify(reader, NULL, NULL);
    nk_kolada_stream_free(stream);
    stream = nk_kolada_stream_new("body", 0, on_held_row, &held);
    last = extract_page_reader_feed(reader, stream, page, strlen(page));
    assert_false(extract_page_reader_has_fed(reader, last));
    sem_post(&held.go);
    extract_page_reader_wait(reader, last);
    assert_int_equal(notified, 1);
    assert_int_equal(held.count, 2);
    extract_page_reader_stop(reader);
    nk_kolada_stream_free(stream);
    sem_destroy(&held.go);
}

static void a_held_page_does_not_hold_another(void **state)
{
    static const char held_page[] = "{\"values\": [{\"kpi\": \"N1\", \"municipality\": "
                                    "\"0580\", \"period\": 2023, \"values\": []}]}";
    char *other_page = page_of(10, 1);
    held_rows held = { .count = 0 };
    rows_seen seen = { 0 };
    nk_kolada_stream *a = nk_kolada_stream_new("held", 0, on_held_row, &held);
    nk_kolada_stream *b = nk_kolada_stream_new("other", 0, on_row, &seen);
    extract_page_reader *reader = extract_page_reader_start(NULL);
    nk_error err = { 0 };
    uint64_t ticket_a, ticket_b;
    int polls = 0;

    (void)state;
    sem_init(&held.go, 0, 0);
    ticket_a = extract_page_reader_feed(reader, a, held_page, strlen(held_page));
    ticket_b = extract_page_reader_feed(reader, b, other_page, strlen(other_page));
    /* Ten seconds is for a machine under load; with one lane it would be forever. */
    while (!extract_page_reader_has_fed(reader, ticket_b) && polls++ < 10000)
        usleep(1000);
    assert_true(extract_page_reader_has_fed(reader, ticket_b));
    assert_false(extract_page_reader_has_fed(reader, ticket_a));
    assert_int_equal(seen.count, 10);
    sem_post(&held.go);
    extract_page_reader_wait(reader, ticket_a);
    assert_int_equal(held.count, 1);
    assert_int_equal(nk_kolada_stream_end(a, &err), 0);
    assert_int_equal(nk_kolada_stream_end(b, &err), 0);
    extract_page_reader_stop(reader);
    nk_kolada_stream_free(a);
    nk_kolada_stream_free(b);
    sem_destroy(&held.go);
    free(other_page);
}

/* Stopping reads what is still queued first. */
static void stopping_reads_what_waits(void **state)
{
    char *page = page_of(2000, 1);
    size_t length = strlen(page);
    rows_seen seen = { 0 };
    nk_kolada_stream *stream = nk_kolada_stream_new("body", 0, on_row, &seen);
    extract_page_reader *reader = extract_page_reader_start(NULL);
    nk_error err = { 0 };

    (void)state;
    for (size_t at = 0; at < length; at += 1000)
        extract_page_reader_feed(reader, stream, page + at,
                                 length - at < 1000 ? length - at : 1000);
    extract_page_reader_stop(reader);
    assert_int_equal(seen.count, 2000);
    extract_page_reader_stop(NULL);
    assert_int_equal(nk_kolada_stream_end(stream, &err), 0);
    nk_kolada_stream_free(stream);
    free(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(interleaved_pages_read_as_whole_ones),
        cmocka_unit_test(more_than_the_reader_holds_all_arrives),
        cmocka_unit_test(a_damaged_page_fails_as_without_the_thread),
        cmocka_unit_test(stopping_reads_what_waits),
        cmocka_unit_test(asking_does_not_wait),
        cmocka_unit_test(a_held_page_does_not_hold_another),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
