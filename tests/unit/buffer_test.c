/*
 * buffer_test.c: unit tests of lib/base/buffer.c, the growable buffer every
 * reader appends to: text stays NUL-terminated across growth, the maximum
 * length is refused without changing what is held, take hands the memory
 * over, and array growth refuses sizes that would overflow.  Linked with
 * $(ALLOC_FAULTS_LDFLAGS) (lib/base/alloc_faults.h), so that a pair of
 * arrays can be seen to keep its items when either allocation fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/base/alloc_faults.h"
#include "lib/base/buffer.h"

static void text_survives_growth(void **state)
{
    nk_buffer b = NK_BUFFER_INIT(0, 4);

    (void)state;
    assert_string_equal(nk_buffer_text(&b), "");
    for (int i = 0; i < 100; i++)
        assert_int_equal(nk_buffer_add(&b, "ab", 2), 0);
    assert_int_equal(b.length, 200);
    assert_true(b.capacity > 200);
    assert_int_equal(strlen(nk_buffer_text(&b)), 200);
    assert_memory_equal(b.data + 198, "ab", 3);
    nk_buffer_free(&b);
    assert_null(b.data);
}

static void printf_appends(void **state)
{
    nk_buffer b = NK_BUFFER_INIT(0, 0);

    (void)state;
    assert_int_equal(nk_buffer_add_text(&b, "kpi "), 0);
    assert_int_equal(nk_buffer_printf(&b, "%s/%d", "N00945", 2023), 0);
    assert_string_equal(nk_buffer_text(&b), "kpi N00945/2023");
    assert_int_equal(b.length, strlen("kpi N00945/2023"));
    nk_buffer_free(&b);
}

static void the_maximum_is_refused_whole(void **state)
{
    nk_buffer b = NK_BUFFER_INIT(5, 0);

    (void)state;
    assert_int_equal(nk_buffer_add(&b, "abcd", 4), 0);
    assert_int_equal(nk_buffer_add(&b, "ef", 2), NK_BUFFER_TOO_LONG);
    assert_int_equal(nk_buffer_printf(&b, "%d", 42), NK_BUFFER_TOO_LONG);
    assert_string_equal(nk_buffer_text(&b), "abcd");
    assert_int_equal(nk_buffer_add(&b, "e", 1), 0);
    assert_string_equal(nk_buffer_text(&b), "abcde");
    nk_buffer_free(&b);
}

static void reset_keeps_memory_and_take_hands_it_over(void **state)
{
    nk_buffer b = NK_BUFFER_INIT(0, 0);
    size_t length = 99;

    (void)state;
    assert_int_equal(nk_buffer_add_text(&b, "area 0580"), 0);
    char *kept = b.data;
    nk_buffer_reset(&b);
    assert_string_equal(nk_buffer_text(&b), "");
    assert_ptr_equal(b.data, kept);
    assert_int_equal(nk_buffer_add_text(&b, "period"), 0);
    char *text = nk_buffer_take(&b, &length);
    assert_string_equal(text, "period");
    assert_int_equal(length, 6);
    assert_null(b.data);
    assert_int_equal(b.length, 0);
    free(text);
    text = nk_buffer_take(&b, &length);
    assert_string_equal(text, "");
    assert_int_equal(length, 0);
    free(text);
}

static void an_impossible_size_is_refused(void **state)
{
    nk_buffer b = NK_BUFFER_INIT(0, 0);

    (void)state;
    assert_int_equal(nk_buffer_add(&b, "x", 1), 0);
    assert_int_equal(nk_buffer_reserve(&b, SIZE_MAX), NK_BUFFER_NO_MEMORY);
    assert_string_equal(nk_buffer_text(&b), "x");
    nk_buffer_free(&b);
}

static void arrays_double_and_refuse_overflow(void **state)
{
    long *items = NULL;
    size_t capacity = 0;

    (void)state;
    assert_int_equal(nk_grow_array(&items, sizeof *items, 1, &capacity, 4), 0);
    assert_int_equal(capacity, 4);
    assert_int_equal(nk_grow_array(&items, sizeof *items, 4, &capacity, 4), 0);
    assert_int_equal(capacity, 4);
    assert_int_equal(nk_grow_array(&items, sizeof *items, 9, &capacity, 4), 0);
    assert_int_equal(capacity, 16);
    items[15] = 7;
    long *before = items;
    assert_int_equal(nk_grow_array(&items, sizeof *items, SIZE_MAX / 4, &capacity, 4), -1);
    assert_ptr_equal(items, before);
    assert_int_equal(capacity, 16);
    free(items);
}

static void pairs_grow_together(void **state)
{
    char **names = NULL;
    size_t *lengths = NULL, capacity = 0;

    (void)state;
    assert_int_equal(nk_grow_pair(&names, sizeof *names, &lengths, sizeof *lengths, 3, &capacity,
                                  2),
                     0);
    assert_int_equal(capacity, 4);
    names[3] = "sista";
    lengths[3] = 5;
    assert_int_equal(nk_grow_pair(&names, sizeof *names, &lengths, sizeof *lengths, 4, &capacity,
                                  2),
                     0);
    assert_int_equal(capacity, 4);
    assert_int_equal(nk_grow_pair(&names, sizeof *names, &lengths, sizeof *lengths, SIZE_MAX / 4,
                                  &capacity, 2),
                     -1);
    assert_int_equal(capacity, 4);
    assert_int_equal(nk_grow_pair(&names, sizeof *names, &lengths, sizeof *lengths, 5, &capacity,
                                  2),
                     0);
    assert_int_equal(capacity, 8);
    assert_string_equal(names[3], "sista");
    assert_int_equal(lengths[3], 5);
    free(names);
    free(lengths);
}

/* Either allocation failing leaves the capacity, and both arrays' items, as they were. */
static void a_failing_pair_keeps_both(void **state)
{
    long *keys = NULL;
    double *figures = NULL;
    size_t capacity = 0;

    (void)state;
    assert_int_equal(nk_grow_pair(&keys, sizeof *keys, &figures, 3 * sizeof *figures, 1, &capacity,
                                  4),
                     0);
    keys[3] = 7;
    figures[3 * 3 + 2] = 2.5;
    for (unsigned long n = 1; n <= 2; n++) {
        nk_alloc_faults_arm(n);
        int rc = nk_grow_pair(&keys, sizeof *keys, &figures, 3 * sizeof *figures, 5, &capacity, 4);
        assert_true(nk_alloc_faults_hit());
        nk_alloc_faults_arm(0);
        assert_int_equal(rc, -1);
        assert_int_equal(capacity, 4);
        assert_int_equal(keys[3], 7);
        assert_true(figures[3 * 3 + 2] == 2.5);
    }
    assert_int_equal(nk_grow_pair(&keys, sizeof *keys, &figures, 3 * sizeof *figures, 5, &capacity,
                                  4),
                     0);
    assert_int_equal(capacity, 8);
    figures[7 * 3 + 2] = 1.0;
    assert_int_equal(keys[3], 7);
    free(keys);
    free(figures);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_survives_growth),
        cmocka_unit_test(printf_appends),
        cmocka_unit_test(the_maximum_is_refused_whole),
        cmocka_unit_test(reset_keeps_memory_and_take_hands_it_over),
        cmocka_unit_test(an_impossible_size_is_refused),
        cmocka_unit_test(arrays_double_and_refuse_overflow),
        cmocka_unit_test(pairs_grow_together),
        cmocka_unit_test(a_failing_pair_keeps_both),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
