/*
 * transform_ids_test.c: ids (transform/cells/ids.c): the two kinds and their
 * limits, how a bad id is shown in a reason, and PostgreSQL's integer range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "transform/cells/ids.h"

typedef struct id_case {
    transform_id_kind kind;
    const char *id;
    const char *reason; /* NULL when the id is good */
} id_case;

static void test_id_check(void **state)
{
    static char long_kolada[TRANSFORM_KOLADA_ID_MAX + 2];
    static char long_internal[TRANSFORM_INTERNAL_ID_MAX + 2];
    memset(long_kolada, 'N', sizeof long_kolada - 1);
    memset(long_internal, 'x', sizeof long_internal - 1);
    const id_case cases[] = {
        { TRANSFORM_ID_KOLADA, "N00945", NULL },
        { TRANSFORM_ID_KOLADA, "V15E144001301", NULL },
        { TRANSFORM_ID_KOLADA, "job_r9-x", NULL },
        { TRANSFORM_ID_KOLADA, long_kolada + 1, NULL },
        { TRANSFORM_ID_KOLADA, "", "an empty KPI id" },
        { TRANSFORM_ID_KOLADA, "N00945/../x", "KPI id \"N00945/../x\": expected only letters" },
        { TRANSFORM_ID_KOLADA, "Nö", "KPI id \"Nö\": expected only letters" },
        { TRANSFORM_ID_KOLADA, long_kolada, "is longer than 64 bytes" },
        { TRANSFORM_ID_INTERNAL, "0580/socialförvaltningen/hemtjänst norr", NULL },
        { TRANSFORM_ID_INTERNAL, long_internal + 1, NULL },
        { TRANSFORM_ID_INTERNAL, long_internal, "(401 bytes)\" is longer than 400 bytes" },
        { TRANSFORM_ID_INTERNAL, "a\tb", "KPI id \"a\\x09b\": a control character" },
        { TRANSFORM_ID_INTERNAL, "", "an empty KPI id" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char reason[TRANSFORM_ID_REASON_MAX] = "";
        print_message("case %zu\n", i);
        assert_int_equal(transform_id_check(cases[i].kind, "KPI", cases[i].id, reason),
                         cases[i].reason ? -1 : 0);
        if (cases[i].reason)
            assert_non_null(strstr(reason, cases[i].reason));
    }
}

/* Cut on a character boundary, escaped, with its length; never a personal number. */
static void test_id_shown(void **state)
{
    char shown[96];
    (void)state;
    transform_id_shown("abcdefghijklmnopqrstuvwxyz01234ö", shown, sizeof shown);
    assert_string_equal(shown, "abcdefghijklmnopqrstuvwxyz01234... (33 bytes)");
    transform_id_shown("a\"b\\c", shown, sizeof shown);
    assert_string_equal(shown, "a\\x22b\\x5Cc");
    transform_id_shown("xxxxxxxxxxxxxxxxxxxxx121212-12123", shown, sizeof shown);
    assert_null(strstr(shown, "121212-1212"));
    assert_non_null(strstr(shown, "[personnummer]"));
}

static void test_fits_integer(void **state)
{
    (void)state;
    assert_true(transform_fits_integer("0"));
    assert_true(transform_fits_integer("2147483647"));
    assert_true(transform_fits_integer("-2147483648"));
    assert_false(transform_fits_integer("2147483648"));
    assert_false(transform_fits_integer("99999999999999999999999"));
    assert_false(transform_fits_integer("12x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_check),
        cmocka_unit_test(test_id_shown),
        cmocka_unit_test(test_fits_integer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
