/*
 * transform_number_test.c: Swedish number cells (transform/cells/number.c), one
 * table row per form seen in municipal exports (shared/DOMAIN.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "transform/cells/number.h"

typedef struct number_case {
    const char *text;
    char decimal_mark;
    const char *header_unit; /* NULL: none */
    transform_number_status status;
    double value;
    const char *unit;   /* canonical name expected when OK */
    const char *reason; /* a piece of the reason expected when ERROR */
} number_case;

static const number_case cases[] = {
    /* Every example in DOMAIN.md. */
    { "2,6", ',', NULL, TRANSFORM_NUMBER_OK, 2.6, "", NULL },
    { "8.0", ',', NULL, TRANSFORM_NUMBER_OK, 8.0, "", NULL },
    { "94 129", ',', NULL, TRANSFORM_NUMBER_OK, 94129, "", NULL },
    { "1431", ',', NULL, TRANSFORM_NUMBER_OK, 1431, "", NULL },
    { "-2 118", ',', NULL, TRANSFORM_NUMBER_OK, -2118, "", NULL },
    { "\xE2\x88\x92"
      "30,1",
      ',', NULL, TRANSFORM_NUMBER_OK, -30.1, "", NULL },
    { "3 500kr/dygn", ',', NULL, TRANSFORM_NUMBER_OK, 3500, "kr/dygn", NULL },
    { "52,5 %", ',', NULL, TRANSFORM_NUMBER_OK, 52.5, "%", NULL },
    /* Grouping by no-break and narrow no-break spaces. */
    { "94\xC2\xA0"
      "129",
      ',', NULL, TRANSFORM_NUMBER_OK, 94129, "", NULL },
    { "1\xE2\x80\xAF"
      "234\xE2\x80\xAF"
      "567,25",
      ',', NULL, TRANSFORM_NUMBER_OK, 1234567.25, "", NULL },
    { "\xE2\x88\x92"
      "2\xC2\xA0"
      "118",
      ',', NULL, TRANSFORM_NUMBER_OK, -2118, "", NULL },
    { "  12 345  ", ',', NULL, TRANSFORM_NUMBER_OK, 12345, "", NULL },
    { "\xC2\xA0"
      "7\xC2\xA0",
      ',', NULL, TRANSFORM_NUMBER_OK, 7, "", NULL },
    { "+5", ',', NULL, TRANSFORM_NUMBER_OK, 5, "", NULL },
    { "-0", ',', NULL, TRANSFORM_NUMBER_OK, 0, "", NULL },
    { ",5", ',', NULL, TRANSFORM_NUMBER_OK, 0.5, "", NULL },
    /* Units glued or apart. */
    { "12 tkr", ',', NULL, TRANSFORM_NUMBER_OK, 12, "tkr", NULL },
    { "1,5mnkr", ',', NULL, TRANSFORM_NUMBER_OK, 1.5, "mnkr", NULL },
    { "1,5 MKR", ',', NULL, TRANSFORM_NUMBER_OK, 1.5, "mnkr", NULL },
    { "350 kr", ',', NULL, TRANSFORM_NUMBER_OK, 350, "kr", NULL },
    { "36 procent", ',', NULL, TRANSFORM_NUMBER_OK, 36, "%", NULL },
    { "52,5%", ',', NULL, TRANSFORM_NUMBER_OK, 52.5, "%", NULL },
    { "210 kr/tim", ',', NULL, TRANSFORM_NUMBER_OK, 210, "kr/tim", NULL },
    /* The header's unit, and a cell that agrees with it. */
    { "1 200", ',', "tkr", TRANSFORM_NUMBER_OK, 1200, "tkr", NULL },
    { "1 200 tkr", ',', "tkr", TRANSFORM_NUMBER_OK, 1200, "tkr", NULL },
    { "40,1", ',', "%", TRANSFORM_NUMBER_OK, 40.1, "%", NULL },
    /* Decimal point files. */
    { "1.234", '.', NULL, TRANSFORM_NUMBER_OK, 1.234, "", NULL },
    { "2,6", '.', NULL, TRANSFORM_NUMBER_OK, 2.6, "", NULL },
    { "12 345.5", '.', NULL, TRANSFORM_NUMBER_OK, 12345.5, "", NULL },
    /* The other mark where it cannot be a thousands separator. */
    { "0.123", ',', NULL, TRANSFORM_NUMBER_OK, 0.123, "", NULL },
    { "1234.567", ',', NULL, TRANSFORM_NUMBER_OK, 1234.567, "", NULL },
    { "1 234.5", ',', NULL, TRANSFORM_NUMBER_OK, 1234.5, "", NULL },
    /* Missing, never zero. */
    { "", ',', NULL, TRANSFORM_NUMBER_MISSING, 0, NULL, NULL },
    { "   ", ',', NULL, TRANSFORM_NUMBER_MISSING, 0, NULL, NULL },
    { "-", ',', NULL, TRANSFORM_NUMBER_MISSING, 0, NULL, NULL },
    { " - ", ',', NULL, TRANSFORM_NUMBER_MISSING, 0, NULL, NULL },
    { "..", ',', NULL, TRANSFORM_NUMBER_MISSING, 0, NULL, NULL },
    { "x", ',', NULL, TRANSFORM_NUMBER_MISSING, 0, NULL, NULL },
    { "X", ',', NULL, TRANSFORM_NUMBER_MISSING, 0, NULL, NULL },
    { "\xE2\x80\x93", ',', NULL, TRANSFORM_NUMBER_MISSING, 0, NULL, NULL },
    /* Ambiguous or broken: errors with reasons. */
    { "1.234", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "thousands separator?" },
    { "-1.234", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "thousands separator?" },
    { "1,234", '.', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "thousands separator?" },
    { "1,234,5", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "occurs twice" },
    { "1.234.567", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "occurs twice" },
    { "1.234,5", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "both ',' and '.'" },
    { "5 tkr kr", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "two units" },
    { "5 mnkr", ',', "tkr", TRANSFORM_NUMBER_ERROR, 0, NULL, "cell says mnkr, header says tkr" },
    { "5 %", ',', "tkr", TRANSFORM_NUMBER_ERROR, 0, NULL, "two units" },
    { "12 34", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "grouped wrongly" },
    { "1234 567", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "grouped wrongly" },
    { "1,2 34", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "space among the decimals" },
    { "5,", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "digits after the decimal mark" },
    { "abc", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "expected a number" },
    { "tkr", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "expected a number" },
    { "12 st", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "unexpected text after the number" },
    { "12 kronor", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "unexpected text after the number" },
    { "3 500kr/", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "after '/'" },
    { "5 % extra", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "unexpected text after the unit" },
    { "\xE2\x80\x93"
      "5",
      ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "expected a number" },
    { "--5", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "expected a number" },
    { "1234567890123456", ',', NULL, TRANSFORM_NUMBER_ERROR, 0, NULL, "15 significant" },
};

static void test_number_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const number_case *c = &cases[i];
        transform_unit header, *header_unit = NULL;
        transform_number n;
        char name[32];

        if (c->header_unit) {
            assert_int_equal(transform_unit_parse(c->header_unit, &header), 0);
            header_unit = &header;
        }
        print_message("case %zu: \"%s\"\n", i, c->text);
        assert_int_equal(transform_number_parse(c->text, strlen(c->text), c->decimal_mark,
                                                header_unit, &n),
                         c->status);
        assert_int_equal(n.status, c->status);
        if (c->status == TRANSFORM_NUMBER_OK) {
            assert_true(n.value == c->value);
            transform_unit_name(&n.unit, name, sizeof name);
            assert_string_equal(name, c->unit);
        }
        if (c->status == TRANSFORM_NUMBER_ERROR)
            assert_non_null(strstr(n.reason, c->reason));
    }
}

/* Only the given bytes are read: a cell inside a larger buffer. */
static void test_number_reads_only_length(void **state)
{
    transform_number n;
    (void)state;
    assert_int_equal(transform_number_parse("12,5;99", 4, ',', NULL, &n), TRANSFORM_NUMBER_OK);
    assert_true(n.value == 12.5);
}

typedef struct header_case {
    const char *header;
    int found;
    const char *unit;
} header_case;

static const header_case headers[] = {
    { "Belopp (tkr)", 1, "tkr" },        { "Andel %", 1, "%" },
    { "Kostnad kr/dygn", 1, "kr/dygn" }, { "Utfall MNKR", 1, "mnkr" },
    { "Andel procent", 1, "%" },         { "Budget tkr (tkr)", 1, "tkr" },
    { "Antal placeringar", 0, "" },      { "Kronor", 0, "" },
    { "Procentenheter", 0, "" },         { "Belopp tkr eller kr", -1, "" },
};

static void test_unit_in_header(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        transform_unit unit;
        char reason[TRANSFORM_REASON_MAX] = "", name[32];
        print_message("header %zu: \"%s\"\n", i, headers[i].header);
        assert_int_equal(transform_unit_in_header(headers[i].header, &unit, reason),
                         headers[i].found);
        if (headers[i].found == 1) {
            transform_unit_name(&unit, name, sizeof name);
            assert_string_equal(name, headers[i].unit);
        }
        if (headers[i].found < 0)
            assert_non_null(strstr(reason, "two units: tkr and kr"));
    }
}

typedef struct convert_case {
    double value;
    const char *from, *to;
    int status;
    double expected;
} convert_case;

static const convert_case conversions[] = {
    { 1.5, "mnkr", "tkr", 0, 1500 },
    { 2.6, "mnkr", "tkr", 0, 2600 },
    { 1500, "kr", "tkr", 0, 1.5 },
    { 12, "tkr", "tkr", 0, 12 },
    { 3500, "kr/dygn", "tkr/dygn", 0, 3.5 },
    { 40, "%", "procent", 0, 40 },
    { 40, "%", "tkr", -1, 0 },
    { 3500, "kr/dygn", "kr", -1, 0 },
    { 3500, "kr/dygn", "kr/tim", -1, 0 },
};

static void test_unit_convert(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof conversions / sizeof conversions[0]; i++) {
        const convert_case *c = &conversions[i];
        transform_unit from, to;
        char reason[TRANSFORM_REASON_MAX] = "";
        double out = -1;
        assert_int_equal(transform_unit_parse(c->from, &from), 0);
        assert_int_equal(transform_unit_parse(c->to, &to), 0);
        assert_int_equal(transform_unit_convert(c->value, &from, &to, &out, reason), c->status);
        if (c->status == 0)
            assert_true(out == c->expected);
        else
            assert_non_null(strstr(reason, "cannot convert"));
    }
}

static void test_unit_without_unit_takes_target(void **state)
{
    transform_unit none = { TRANSFORM_UNIT_NONE, 1, "" }, tkr;
    char reason[TRANSFORM_REASON_MAX];
    double out;
    (void)state;
    assert_int_equal(transform_unit_parse("tkr", &tkr), 0);
    assert_int_equal(transform_unit_convert(7, &none, &tkr, &out, reason), 0);
    assert_true(out == 7);
    assert_int_equal(transform_unit_parse("kronor", &tkr), -1);
    assert_int_equal(transform_unit_parse("tkr extra", &tkr), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_cases),
        cmocka_unit_test(test_number_reads_only_length),
        cmocka_unit_test(test_unit_in_header),
        cmocka_unit_test(test_unit_convert),
        cmocka_unit_test(test_unit_without_unit_takes_target),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
