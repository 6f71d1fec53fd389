/*
 * kolada_page.c: parsing a Kolada response and telling what it holds (see
 * kolada_page.h).
 */
#include "kolada_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "files.h"
#include "json_locate.h"

/* Enough of a page to hold its first value in all but freak cases. */
#define SNIFF_BYTES (64 * 1024)

static json_t *parse_text(const char *path, const char *text, size_t length, nk_error *err)
{
    json_error_t parse_error;
    /* A key given twice (hand-edited or damaged) leaves no way to know which one is meant. */
    json_t *page = json_loadb(text, length, JSON_REJECT_DUPLICATES, &parse_error);

    if (page == NULL) {
        nk_fail(err, NK_EXIT_DATA, "%s:%d:%d: not a Kolada response: invalid JSON: %s", path,
                parse_error.line, parse_error.column > 0 ? parse_error.column : 1,
                parse_error.text);
        return NULL;
    }
    if (!json_is_object(page) || !json_is_array(json_object_get(page, "values"))) {
        json_decref(page);
        nk_fail(err, NK_EXIT_DATA,
                "%s: not a Kolada response: expected an object with a \"values\" list", path);
        return NULL;
    }
    return page;
}

json_t *transform_kolada_parse(const char *path, nk_error *err)
{
    size_t length;
    char *text = nk_read_file(path, "raw file", 0, &length, NK_EXIT_NOINPUT, err);
    json_t *page = text ? parse_text(path, text, length, err) : NULL;

    free(text);
    return page;
}

static const struct {
    const char *endpoint;
    transform_kolada_kind kind;
} endpoints[] = {
    { "kpi", KOLADA_KPI },
    { "kpi_groups", KOLADA_KPI_GROUPS },
    { "municipality", KOLADA_MUNICIPALITY },
    { "municipality_groups", KOLADA_MUNICIPALITY_GROUPS },
    { "ou", KOLADA_OU },
    { "data", KOLADA_DATA },
    { "oudata", KOLADA_OUDATA },
};

static int has(const json_t *value, const char *key)
{
    return json_object_get(value, key) != NULL;
}

/* Recognise a value by the keys only its endpoint uses. */
static int kind_from_shape(const json_t *value, transform_kolada_kind *kind)
{
    const json_t *first_member = json_array_get(json_object_get(value, "members"), 0);

    if (has(value, "kpi") && has(value, "period") && has(value, "values"))
        *kind = has(value, "ou") ? KOLADA_OUDATA : KOLADA_DATA;
    else if (has(value, "operating_area") || has(value, "is_divided_by_gender"))
        *kind = KOLADA_KPI;
    else if (has(value, "members"))
        *kind = has(first_member, "member_id") ? KOLADA_KPI_GROUPS : KOLADA_MUNICIPALITY_GROUPS;
    else if (has(value, "municipality") && has(value, "title"))
        *kind = KOLADA_OU;
    else if (has(value, "type") && has(value, "title"))
        *kind = KOLADA_MUNICIPALITY;
    else
        return -1;
    return 0;
}

/* The kind of value an endpoint serves; -1 for an endpoint nyckel does not know. */
static int kind_of_endpoint(const char *endpoint, transform_kolada_kind *kind)
{
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
        if (strcmp(endpoints[i].endpoint, endpoint) == 0) {
            *kind = endpoints[i].kind;
            return 0;
        }
    }
    return -1;
}

static int unknown_endpoint(const char *path, const char *endpoint, nk_error *err)
{
    return nk_fail(err, NK_EXIT_DATA, "%s: unknown Kolada endpoint \"%s\" in the extract manifest",
                   path, endpoint);
}

int transform_kolada_kind_of(const json_t *page, const char *endpoint, const char *path,
                             transform_kolada_kind *kind, nk_error *err)
{
    const json_t *values = json_object_get(page, "values");

    if (endpoint) {
        if (kind_of_endpoint(endpoint, kind) < 0)
            return unknown_endpoint(path, endpoint, err);
        if (json_array_size(values) == 0)
            *kind = KOLADA_EMPTY;
        return 0;
    }
    if (json_array_size(values) == 0) {
        *kind = KOLADA_EMPTY;
        return 0;
    }
    if (kind_from_shape(json_array_get(values, 0), kind) < 0)
        return nk_fail(err, NK_EXIT_DATA,
                       "%s: values[0]: not a Kolada KPI, area, group, unit or data value", path);
    return 0;
}

int transform_kolada_sniff(const char *path, const char *endpoint,
                           transform_kolada_kind *kind, nk_error *err)
{
    size_t length, start, end;
    json_t *first = NULL;
    char *text;
    int rc;

    /* The endpoint decides: a data page is then parsed once, when its values are read. */
    if (endpoint)
        return kind_of_endpoint(endpoint, kind) < 0 ? unknown_endpoint(path, endpoint, err) : 0;
    text = nk_read_file(path, "raw file", SNIFF_BYTES, &length, NK_EXIT_NOINPUT, err);
    if (text == NULL)
        return -1;
    if (nk_json_span(text, length, "values[0]", &start, &end) == 0)
        first = json_loadb(text + start, end - start, 0, NULL);
    if (first && kind_from_shape(first, kind) == 0) {
        rc = 0;
    } else {
        json_t *page = transform_kolada_parse(path, err);
        rc = page ? transform_kolada_kind_of(page, NULL, path, kind, err) : -1;
        json_decref(page);
    }
    json_decref(first);
    free(text);
    return rc;
}

int transform_kolada_is_metadata(transform_kolada_kind kind)
{
    return kind != KOLADA_DATA && kind != KOLADA_OUDATA && kind != KOLADA_EMPTY;
}
