/*
 * transform_names_test.c: names as people type them (transform/names.c),
 * municipality names to codes (transform/area_names.c) and unit names
 * through mergers (transform/org_units.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "transform/cells/area_names.h"
#include "transform/cells/names.h"
#include "transform/exports/org_units.h"

static void test_name_keys(void **state)
{
    static const char *const pairs[][2] = {
        { "  Hemtjänst\xC2\xA0 Norr ", "hemtjänst norr" },
        { "HEMTJÄNST NORR", "hemtjänst norr" },
        { "ÅÄÖÉ", "åäöé" },
        { "", "" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char *key = transform_name_key(pairs[i][0], strlen(pairs[i][0]));
        assert_string_equal(key, pairs[i][1]);
        free(key);
    }
    assert_true(transform_name_equal("Bistånd ", "BISTÅND"));
    assert_false(transform_name_equal("Bistånd", "Bistand"));
}

/* transform_name_equal compares keys without making them: it must agree with the keys made. */
static void test_name_equal_agrees_with_keys(void **state)
{
    static const char *const names[] = {
        "",
        " ",
        "a",
        "A",
        "a ",
        " a",
        "a  b",
        "a b",
        "ab",
        ("A\xC2\xA0"
         "B"),
        "\xC3\x84",
        "\xC3\xA4",
        "\xC3\x97",
        "\xC3\xB7",
        "\xC3",
        "\xC3\x9E",
        "\xC3\xBE",
        "Malå",
        "MALÅ ",
        "Mal\xC3",
    };
    size_t count = sizeof names / sizeof names[0];
    (void)state;
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < count; k++) {
            char *a = transform_name_key(names[i], strlen(names[i]));
            char *b = transform_name_key(names[k], strlen(names[k]));
            assert_int_equal(transform_name_equal(names[i], names[k]), strcmp(a, b) == 0);
            free(a);
            free(b);
        }
}

static const char municipalities[] =
    "municipality_code,municipality_name,municipality_name_short,county_code\n"
    "0580,Linköpings kommun,Linköping,05\n"
    "0581,Norrköpings kommun,Norrköping,05\n"
    "2418,Malå kommun,Malå,24\n"
    "2460,Vännäs kommun,Vännäs,24\n"
    "9998,Test Å kommun,Testå,99\n"
    "9999,Test Ä kommun,Testä,99\n";

typedef struct area_case {
    const char *text;
    int rc;
    const char *code;
    const char *reason;
} area_case;

static const area_case areas[] = {
    { "Linköping", 1, "0580", NULL },
    { "LINKÖPINGS KOMMUN", 1, "0580", NULL },
    { " linköping ", 1, "0580", NULL },
    { "0581", 1, "0581", NULL },
    { "Linkdping", 1, "0580", NULL },
    { "Link6ping", 1, "0580", NULL },
    { "Linkoping", 1, "0580", NULL },
    { "Link\xC3\x83\xC2\xB6ping", 1, "0580", NULL }, /* UTF-8 read as Windows-1252 */
    { "Link\xEF\xBF\xBDping", 1, "0580", NULL },     /* a replacement character */
    { "Mala", 1, "2418", NULL },
    { "Linkping", 1, "0580", NULL }, /* an alias from the job */
    { "Testa", -1, NULL, "fits both" },
    { "Ankeborg", 0, NULL, "unknown municipality" },
    { "Linkdpingg", 0, NULL, "unknown municipality" },
    { "1234", 0, NULL, "unknown municipality \"1234\": not in the test list" },
};

static void test_area_names(void **state)
{
    char reason[TRANSFORM_AREA_REASON_MAX];
    transform_areas *a = transform_areas_new("the test list");
    json_t *aliases = json_pack("{s:s}", "Linkping", "0580");
    (void)state;

    assert_int_equal(transform_areas_load_csv(a, municipalities, sizeof municipalities - 1, reason),
                     0);
    assert_int_equal(transform_areas_add_aliases(a, aliases), 0);
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
        char code[5] = "";
        print_message("case %zu: %s\n", i, areas[i].text);
        assert_int_equal(transform_area_resolve(a, areas[i].text, code, reason), areas[i].rc);
        if (areas[i].code)
            assert_string_equal(code, areas[i].code);
        else
            assert_non_null(strstr(reason, areas[i].reason));
    }
    json_decref(aliases);
    transform_areas_free(a);
}

static void test_area_list_broken(void **state)
{
    char reason[TRANSFORM_AREA_REASON_MAX];
    transform_areas *a = transform_areas_new("the test list");
    const char text[] = "code,name,short,county\n0580,Linköping\n";
    (void)state;
    assert_int_equal(transform_areas_load_csv(a, text, sizeof text - 1, reason), -1);
    assert_non_null(strstr(reason, "line 2"));
    transform_areas_free(a);
}

static const char org_file[] =
    "\xEF\xBB\xBFunit_id;title;parent_id;level;valid_from;valid_to;successor_id;names\n"
    "SOC;Socialförvaltningen;;administration;;;;\n"
    "SOC-BIS;Bistånd;SOC;unit;;2018-12-31;SOC-BHS;Biståndsenheten\n"
    "SOC-HS;Hälsa och sjukvård;SOC;unit;;2018-12-31;SOC-BHS;HSL\n"
    "SOC-BHS;Bistånd och hälsa;SOC;unit;2019-01-01;;;\n"
    "SOC-NY;Nystart;SOC;unit;2020-01-01;;;\n"
    "SOC-X1;Stöd;SOC;unit;;;;\n"
    "SOC-X2;Stöd;SOC;unit;;;;\n";

typedef struct org_case {
    const char *name, *first, *last;
    const char *unit; /* NULL: an error is expected */
    const char *reason;
} org_case;

static const org_case orgs[] = {
    { "Bistånd", "2018-12-01", "2018-12-31", "SOC-BIS", NULL },
    { "bistånd", "2019-01-01", "2019-01-31", "SOC-BHS", NULL },
    { "Biståndsenheten", "2019-03-01", "2019-03-31", "SOC-BHS", NULL },
    { "HSL", "2018-01-01", "2018-12-31", "SOC-HS", NULL },
    { "HSL", "2019-01-01", "2019-12-31", "SOC-BHS", NULL },
    { "SOC-BIS", "2019-05-01", "2019-05-31", "SOC-BHS", NULL },
    { "Bistånd och hälsa", "2019-01-01", "2019-01-31", "SOC-BHS", NULL },
    { "Bistånd och hälsa", "2018-01-01", "2018-12-31", NULL, "did not exist" },
    { "Nystart", "2019-01-01", "2019-12-31", NULL, "did not exist" },
    { "Stöd", "2019-01-01", "2019-12-31", NULL, "means both" },
    { "Okänd", "2019-01-01", "2019-12-31", NULL, "not in the org-unit file" },
};

static void test_org_units(void **state)
{
    char reason[TRANSFORM_ORG_REASON_MAX];
    transform_org_units org;
    (void)state;

    assert_int_equal(transform_org_units_parse(&org, org_file, sizeof org_file - 1, reason), 0);
    assert_int_equal(org.count, 7);
    assert_string_equal(org.units[1].successor_id, "SOC-BHS");
    assert_null(org.units[0].parent_id);
    for (size_t i = 0; i < sizeof orgs / sizeof orgs[0]; i++) {
        const transform_org_unit *unit;
        print_message("case %zu: %s\n", i, orgs[i].name);
        unit = transform_org_unit_resolve(&org, orgs[i].name, orgs[i].first, orgs[i].last, reason);
        if (orgs[i].unit) {
            assert_non_null(unit);
            assert_string_equal(unit->unit_id, orgs[i].unit);
        } else {
            assert_null(unit);
            assert_non_null(strstr(reason, orgs[i].reason));
        }
    }
    transform_org_units_free(&org);
}

static void test_org_file_errors(void **state)
{
    static const char *const files[][2] = {
        { "id;title\nA;B\n", "unit_id and title" },
        { "unit_id;title\nA;\n", "line 2: unit_id and title must not be empty" },
        { "unit_id;title\n\"A;B\n", "never ends" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char reason[TRANSFORM_ORG_REASON_MAX] = "";
        transform_org_units org;
        assert_int_equal(transform_org_units_parse(&org, files[i][0], strlen(files[i][0]), reason),
                         -1);
        assert_non_null(strstr(reason, files[i][1]));
        transform_org_units_free(&org);
    }
}

/* Typing slips are near, other words far; case and spacing do not count. */
static void test_name_distance(void **state)
{
    (void)state;
    assert_int_equal(transform_name_distance("Enhett", "Enhet", 2), 1);
    assert_int_equal(transform_name_distance("ENHET ", "enhet", 2), 0);
    assert_int_equal(transform_name_distance("Enhte", "Enhet", 2), 2);
    assert_int_equal(transform_name_distance("Period", "Enhet", 2), 3);
    assert_int_equal(transform_name_distance("Förvaltning", "Forvaltning", 2), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_distance),
        cmocka_unit_test(test_name_keys),
        cmocka_unit_test(test_name_equal_agrees_with_keys),
        cmocka_unit_test(test_area_names),
        cmocka_unit_test(test_area_list_broken),
        cmocka_unit_test(test_org_units),
        cmocka_unit_test(test_org_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
