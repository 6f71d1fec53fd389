/*
 * pnr_test.c: personal identity and coordination numbers
 * (lib/pnr.c): every form, bad check digits, impossible dates, and
 * numbers hidden in free text.  The numbers are the Tax Agency's published
 * test numbers and numbers built here with a correct check digit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/base/pnr.h"

typedef struct check_case {
    const char *text;
    nk_pnr_kind kind;
} check_case;

static const check_case checks[] = {
    { "121212-1212", NK_PNR_PERSONAL },
    { "121212+1212", NK_PNR_PERSONAL },
    { "1212121212", NK_PNR_PERSONAL },
    { "191212121212", NK_PNR_PERSONAL },
    { "19121212-1212", NK_PNR_PERSONAL },
    { "20121212-1212", NK_PNR_PERSONAL },
    { "811218-9876", NK_PNR_PERSONAL },
    { " 811218-9876 ", NK_PNR_PERSONAL },
    { "640823-3234", NK_PNR_PERSONAL },
    { "701063-2391", NK_PNR_COORDINATION },
    { "197010632391", NK_PNR_COORDINATION },
    { "000229-0005", NK_PNR_PERSONAL }, /* 29 Feb 2000 */
    { "20000229-0005", NK_PNR_PERSONAL },
    /* A space or a plus between the parts. */
    { "121212 1212", NK_PNR_PERSONAL },
    { "19121212 1212", NK_PNR_PERSONAL },
    { "19121212+1212", NK_PNR_PERSONAL },
    { "701063 2391", NK_PNR_COORDINATION },
    { "121212 1213", NK_PNR_NONE },
    /* Wrong check digit. */
    { "121212-1213", NK_PNR_NONE },
    { "811218-9875", NK_PNR_NONE },
    { "7010632392", NK_PNR_NONE },
    /* Impossible dates, with a correct check digit. */
    { "199001-0116", NK_PNR_NONE },   /* day 01 of month 90 */
    { "010229-0004", NK_PNR_NONE },   /* 29 Feb in a year not divisible by 4 */
    { "19000229-0004", NK_PNR_NONE }, /* 1900 was no leap year */
    /* Not numbers of this kind at all. */
    { "12121-21212", NK_PNR_NONE },
    { "121212  1212", NK_PNR_NONE },
    { "121 212 1212", NK_PNR_NONE },
    { "121212-121", NK_PNR_NONE },
    { "12121212121", NK_PNR_NONE },
    { "1212121212 kr", NK_PNR_NONE },
    { "", NK_PNR_NONE },
    { "94 129", NK_PNR_NONE },
    { "2022-03", NK_PNR_NONE },
};

static void test_pnr_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        print_message("case %zu: \"%s\"\n", i, checks[i].text);
        assert_int_equal(nk_pnr_check(checks[i].text, strlen(checks[i].text)), checks[i].kind);
    }
}

typedef struct find_case {
    const char *text;
    nk_pnr_kind kind;
    size_t offset, length;
} find_case;

static const find_case finds[] = {
    { "Beslut för 121212-1212 om hemtjänst", NK_PNR_PERSONAL, 12, 11 },
    { "pnr:191212121212.", NK_PNR_PERSONAL, 4, 12 },
    { "samordningsnr 701063-2391", NK_PNR_COORDINATION, 14, 11 },
    { "(8112189876)", NK_PNR_PERSONAL, 1, 10 },
    { "ärende 2022-0041, 3 500 kr, 12 timmar", NK_PNR_NONE, 0, 0 },
    { "12121212121212", NK_PNR_NONE, 0, 0 }, /* runs on into more digits */
    { "a1212121212", NK_PNR_PERSONAL, 1, 10 },
    { "121212-12134", NK_PNR_NONE, 0, 0 },
    { "first 121212-1213 then 811218-9876", NK_PNR_PERSONAL, 23, 11 },
    { "Norr 19121212 1212", NK_PNR_PERSONAL, 5, 13 },
    { "Enhet 121212 1212 Syd", NK_PNR_PERSONAL, 6, 11 },
    { "3 500 121 212", NK_PNR_NONE, 0, 0 },
};

typedef nk_pnr_kind (*find_fn)(const char *, size_t, size_t *, size_t *);

static void run_finds(const find_case *cases, size_t count, find_fn find)
{
    for (size_t i = 0; i < count; i++) {
        size_t offset = 99, length = 99;
        print_message("case %zu: \"%s\"\n", i, cases[i].text);
        assert_int_equal(find(cases[i].text, strlen(cases[i].text), &offset, &length),
                         cases[i].kind);
        if (cases[i].kind != NK_PNR_NONE) {
            assert_int_equal(offset, cases[i].offset);
            assert_int_equal(length, cases[i].length);
        }
    }
}

static void test_pnr_find(void **state)
{
    (void)state;
    run_finds(finds, sizeof finds / sizeof finds[0], nk_pnr_find);
}

/* In an amount, only the forms with a separator are numbers of people. */
static void test_pnr_find_in_amount(void **state)
{
    static const find_case amounts[] = {
        { "8112189876", NK_PNR_NONE, 0, 0 },
        { "-8112189876", NK_PNR_NONE, 0, 0 },
        { "191212121212", NK_PNR_NONE, 0, 0 },
        { "811218-9876", NK_PNR_PERSONAL, 0, 11 },
        { "811218 9876", NK_PNR_PERSONAL, 0, 11 },
        { "8112189876 811218+9876", NK_PNR_PERSONAL, 11, 11 },
    };
    (void)state;
    run_finds(amounts, sizeof amounts / sizeof amounts[0], nk_pnr_find_in_amount);
    assert_int_equal(nk_pnr_holds("8112189876"), 1);
    assert_int_equal(nk_pnr_holds(NULL), 0);
}

/* A number cut off by the cell's length is not found. */
static void test_pnr_reads_only_length(void **state)
{
    size_t offset, length;
    (void)state;
    assert_int_equal(nk_pnr_find("121212-1212", 10, &offset, &length), NK_PNR_NONE);
    assert_int_equal(nk_pnr_check("121212-1212;x", 11), NK_PNR_PERSONAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pnr_check),
        cmocka_unit_test(test_pnr_find),
        cmocka_unit_test(test_pnr_find_in_amount),
        cmocka_unit_test(test_pnr_reads_only_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
