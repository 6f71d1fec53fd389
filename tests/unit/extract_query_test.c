/*
 * extract_query_test.c: unit tests of Kolada URL building
 * (extract/kolada_api/kolada_query.c) and year selections (lib/kolada/kolada_years.c): the
 * 25-id split, the URL length limit, from_date, ranges and "latest".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/base/exit_codes.h"
#include "extract/kolada_api/kolada_query.h"
#include "lib/kolada/kolada_years.h"

static json_t *ids(const char *prefix, int count)
{
    json_t *list = json_array();
    char id[32];

    for (int i = 1; i <= count; i++) {
        snprintf(id, sizeof id, "%s%04d", prefix, i);
        json_array_append_new(list, json_string(id));
    }
    return list;
}

static size_t commas(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += *s == ',';
    return n;
}

static void test_split_at_25(void **state)
{
    (void)state;
    json_t *list = ids("K", 60);
    json_t *chunks = extract_kolada_chunks(list, 25);

    assert_int_equal(json_array_size(chunks), 3);
    assert_int_equal(commas(json_string_value(json_array_get(chunks, 0))), 24);
    assert_int_equal(commas(json_string_value(json_array_get(chunks, 2))), 9);
    assert_string_equal(json_string_value(json_array_get(chunks, 2)),
                        "K0051,K0052,K0053,K0054,K0055,K0056,K0057,K0058,K0059,K0060");
    json_decref(chunks);
    json_decref(list);
}

static void test_data_urls_cover_every_combination(void **state)
{
    (void)state;
    json_t *kpis = ids("N", 26), *areas = ids("", 3), *years = ids("Y", 1);
    extract_kolada_segment segments[] = { { "kpi", kpis },
                                          { "municipality", areas },
                                          { "year", years } };
    json_t *urls = json_array();
    nk_error err = { 0 };

    assert_int_equal(extract_kolada_path_urls("http://h/v3", "data", segments, 3, 2000, urls, &err),
                     0);
    assert_int_equal(json_array_size(urls), 2);
    assert_string_equal(json_string_value(json_array_get(urls, 1)),
                        "http://h/v3/data/kpi/N0026/municipality/0001,0002,0003/year/Y0001"
                        "?per_page=5000");
    json_decref(urls);
    json_decref(kpis);
    json_decref(areas);
    json_decref(years);
}

static void test_url_length_limit_splits_further(void **state)
{
    (void)state;
    json_t *kpis = ids("N", 25);
    extract_kolada_segment segment = { "kpi", kpis };
    json_t *urls = json_array();
    nk_error err = { 0 };
    size_t i;
    json_t *url;

    assert_int_equal(extract_kolada_path_urls("http://h/v3", "data", &segment, 1, 100, urls, &err),
                     0);
    assert_true(json_array_size(urls) > 1);
    json_array_foreach (urls, i, url)
        assert_true(json_string_length(url) <= 100);
    json_decref(urls);
    urls = json_array();
    assert_int_equal(extract_kolada_path_urls("http://h/v3", "data", &segment, 1, 30, urls, &err),
                     -1);
    assert_int_equal(err.exit_code, NK_EXIT_CONFIG);
    assert_non_null(strstr(err.message, "url_max_length"));
    json_decref(urls);
    json_decref(kpis);
}

static void test_ids_after_endpoint_and_params(void **state)
{
    (void)state;
    json_t *list = ids("", 27), *urls = json_array();
    extract_kolada_segment segment = { NULL, list };
    nk_error err = { 0 };

    assert_int_equal(extract_kolada_path_urls("http://h/v3", "kpi", &segment, 1, 2000, urls, &err),
                     0);
    assert_string_equal(json_string_value(json_array_get(urls, 1)),
                        "http://h/v3/kpi/0026,0027?per_page=5000");
    assert_int_equal(extract_kolada_param_urls("http://h/v3", "ou", "municipality", list, 2000,
                                               urls, &err),
                     0);
    assert_string_equal(json_string_value(json_array_get(urls, 3)),
                        "http://h/v3/ou?municipality=0026,0027&per_page=5000");
    char *dated = extract_kolada_with_from_date(json_string_value(json_array_get(urls, 3)),
                                                "2024-01-31");
    assert_string_equal(dated,
                        "http://h/v3/ou?municipality=0026,0027&per_page=5000&from_date=2024-01-31");
    free(dated);
    json_decref(urls);
    json_decref(list);
}

static void expect_years(const char *spec_text, int this_year, const char *expected)
{
    json_t *spec = json_loads(spec_text, JSON_DECODE_ANY, NULL), *years = json_array();
    const json_t *bad;

    assert_int_equal(nk_kolada_years(spec, this_year, years, &bad), 0);
    char *text = json_dumps(years, JSON_COMPACT);
    assert_string_equal(text, expected);
    free(text);
    json_decref(years);
    json_decref(spec);
}

static void test_years(void **state)
{
    (void)state;
    expect_years("2023", 2026, "[2023]");
    expect_years("\"2015..2018\"", 2026, "[2015,2016,2017,2018]");
    expect_years("[2020, \"2018..2019\", 2019]", 2026, "[2018,2019,2020]");
    expect_years("{\"latest\": 3}", 2026, "[2023,2024,2025]");
}

static void test_bad_years(void **state)
{
    (void)state;
    const char *bad_specs[] = { "true", "\"2019..2017\"",  "\"2015-2016\"", "1800",
                                "[]",   "{\"latest\": 0}", "{\"last\": 2}", "[2020, null]" };
    for (size_t i = 0; i < sizeof bad_specs / sizeof bad_specs[0]; i++) {
        json_t *spec = json_loads(bad_specs[i], JSON_DECODE_ANY, NULL), *years = json_array();
        const json_t *bad = NULL;
        assert_int_equal(nk_kolada_years(spec, 2026, years, &bad), -1);
        assert_non_null(bad);
        json_decref(years);
        json_decref(spec);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_at_25),
        cmocka_unit_test(test_data_urls_cover_every_combination),
        cmocka_unit_test(test_url_length_limit_splits_further),
        cmocka_unit_test(test_ids_after_endpoint_and_params),
        cmocka_unit_test(test_years),
        cmocka_unit_test(test_bad_years),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
