/*
 * kolada_years.c: expanding a Kolada source's "years" (see kolada_years.h).
 */
#include "lib/kolada/kolada_years.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int valid_year(long long year)
{
    return year >= NK_KOLADA_FIRST_YEAR && year <= NK_KOLADA_LAST_YEAR;
}

static void add_year(json_t *years, long long year)
{
    size_t i, at = json_array_size(years);
    json_t *existing;

    json_array_foreach (years, i, existing) {
        if (json_integer_value(existing) == year)
            return;
        if (json_integer_value(existing) > year && at == json_array_size(years))
            at = i;
    }
    json_array_insert_new(years, at, json_integer(year));
}

/* "2015..2024" (or "2015") into first and last; -1 when malformed. */
static int parse_range(const char *text, long long *first, long long *last)
{
    int used = 0;

    if (sscanf(text, "%4lld..%4lld%n", first, last, &used) == 2 && text[used] == '\0' &&
        strlen(text) == 10)
        return valid_year(*first) && valid_year(*last) && *first <= *last ? 0 : -1;
    if (strlen(text) == 4 && strspn(text, "0123456789") == 4) {
        *first = *last = strtoll(text, NULL, 10);
        return valid_year(*first) ? 0 : -1;
    }
    return -1;
}

static int add_one(const json_t *spec, json_t *years)
{
    long long first, last;

    if (json_is_integer(spec) && valid_year(json_integer_value(spec))) {
        add_year(years, json_integer_value(spec));
        return 0;
    }
    if (json_is_string(spec) && parse_range(json_string_value(spec), &first, &last) == 0) {
        for (long long year = first; year <= last; year++)
            add_year(years, year);
        return 0;
    }
    return -1;
}

static int add_latest(const json_t *spec, int this_year, json_t *years, const json_t **bad)
{
    const json_t *latest = json_object_get(spec, "latest");

    if (json_object_size(spec) != 1 || latest == NULL) {
        *bad = spec;
        return -1;
    }
    if (!json_is_integer(latest) || json_integer_value(latest) < 1 ||
        json_integer_value(latest) > NK_KOLADA_MAX_LATEST) {
        *bad = latest;
        return -1;
    }
    for (long long n = json_integer_value(latest); n >= 1; n--)
        add_year(years, this_year - n);
    return 0;
}

int nk_kolada_years(const json_t *spec, int this_year, json_t *years, const json_t **bad)
{
    size_t i;
    json_t *item;

    *bad = spec;
    if (json_is_object(spec))
        return add_latest(spec, this_year, years, bad);
    if (!json_is_array(spec))
        return add_one(spec, years);
    if (json_array_size(spec) == 0)
        return -1;
    json_array_foreach (spec, i, item) {
        if (add_one(item, years) < 0) {
            *bad = item;
            return -1;
        }
    }
    return 0;
}
