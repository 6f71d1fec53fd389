/*
 * kolada_page.c: parsing a Kolada response and telling what it holds (see
 * kolada_page.h).
 */
#include "transform/kolada/kolada_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/job/json_locate.h"

/* Enough of a page to hold its first value in all but freak cases. */
#define SNIFF_BYTES (64 * 1024)

static json_t *parse_text(const char *path, const char *text, size_t length, nk_error *err)
{
    json_error_t parse_error;
    /* A key given twice (hand-edited or damaged) leaves no way to know which one is meant. */
    json_t *page = json_loadb(text, length, JSON_REJECT_DUPLICATES, &parse_error);

    /* jansson gives no text only when it could not even start for want of memory */
    if (page == NULL && (json_error_code(&parse_error) == json_error_out_of_memory ||
                         parse_error.text[0] == '\0')) {
        nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", path);
        return NULL;
    }
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

/*
 * Both kinds of group list their members as {"member_id", "member_title"}:
 * a KPI group's members are KPIs ("N00945"), a municipality group's areas
 * ("0682"; any other member is rejected on its own when read).  -1 when the
 * value has no members list, or its first member has no "member_id".
 */
static int group_kind(const json_t *value, transform_kolada_kind *kind)
{
    const json_t *members = json_object_get(value, "members");
    const json_t *first = json_array_get(members, 0);
    const json_t *member_id = json_object_get(first, "member_id");
    const char *id = json_string_value(member_id);

    if (!json_is_array(members) || (first && member_id == NULL))
        return -1;
    *kind = id && (*id < '0' || *id > '9') ? KOLADA_KPI_GROUPS : KOLADA_MUNICIPALITY_GROUPS;
    return 0;
}

int transform_kolada_shape(const json_t *value, transform_kolada_kind *kind)
{
    if (has(value, "kpi") && has(value, "period") && has(value, "values"))
        *kind = has(value, "ou") ? KOLADA_OUDATA : KOLADA_DATA;
    else if (has(value, "operating_area") || has(value, "is_divided_by_gender"))
        *kind = KOLADA_KPI;
    else if (has(value, "members"))
        return group_kind(value, kind);
    else if (has(value, "municipality") && has(value, "title"))
        *kind = KOLADA_OU;
    else if (has(value, "type") && has(value, "title"))
        *kind = KOLADA_MUNICIPALITY;
    else
        return -1;
    return 0;
}

/* What values[0] has, for an error about a file whose kind cannot be told. */
static int unknown_shape(const json_t *page, const char *path, nk_error *err)
{
    const json_t *first = json_array_get(json_object_get(page, "values"), 0);
    char keys[160] = "";
    const char *key;
    const json_t *member;

    json_object_foreach ((json_t *)first, key, member) {
        size_t used = strlen(keys);
        snprintf(keys + used, sizeof keys - used, "%s\"%s\"", used ? ", " : "", key);
    }
    if (json_object_get(first, "members"))
        return nk_fail(err, NK_EXIT_DATA,
                       "%s: values[0]: a group whose first member has no \"member_id\""
                       " (Kolada's groups list members as {\"member_id\", \"member_title\"})",
                       path);
    return nk_fail(err, NK_EXIT_DATA,
                   "%s: values[0]: not a Kolada KPI, area, group, unit or data value (keys: %s)",
                   path, json_is_object(first) ? keys : "none, not an object");
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
    if (transform_kolada_shape(json_array_get(values, 0), kind) < 0)
        return unknown_shape(page, path, err);
    return 0;
}

/*
 * Whether values[0] has the keys of a data row, found without parsing it:
 * jansson refuses a number no double holds, which the page's stream rejects
 * with its value alone.
 */
static int data_row_keys(const char *text, size_t length, transform_kolada_kind *kind)
{
    static const char *const keys[] = { "values[0].kpi", "values[0].period", "values[0].values" };
    size_t start, end;

    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (nk_json_span(text, length, keys[i], &start, &end) < 0)
            return -1;
    *kind = nk_json_span(text, length, "values[0].ou", &start, &end) == 0 ? KOLADA_OUDATA
                                                                          : KOLADA_DATA;
    return 0;
}

/*
 * What values[0] of text (the file's first bytes, or all of it) says the
 * page holds: 0, or -1 when it is not there whole or says nothing.
 */
static int kind_of_first(const char *text, size_t length, transform_kolada_kind *kind)
{
    json_error_t error = { .text = "" };
    json_t *first = NULL;
    size_t start, end;
    int rc = -1;

    if (nk_json_span(text, length, "values[0]", &start, &end) == 0)
        /* Only the keys matter here: an integer past 64 bits is judged by its reader. */
        first = json_loadb(text + start, end - start, JSON_DECODE_INT_AS_REAL, &error);
    if (first)
        rc = transform_kolada_shape(first, kind);
    else if (json_error_code(&error) == json_error_numeric_overflow)
        rc = data_row_keys(text, length, kind);
    json_decref(first);
    return rc;
}

int transform_kolada_sniff(const char *path, const char *endpoint, transform_kolada_kind *kind,
                           nk_error *err)
{
    size_t length;
    json_t *page;
    char *text;
    int rc;

    /* The endpoint decides: a data page is then parsed once, when its values are read. */
    if (endpoint)
        return kind_of_endpoint(endpoint, kind) < 0 ? unknown_endpoint(path, endpoint, err) : 0;
    text = nk_read_file(path, "raw file", SNIFF_BYTES, &length, NK_EXIT_NOINPUT, err);
    if (text == NULL)
        return -1;
    rc = kind_of_first(text, length, kind);
    /* A first value longer than that (a number of a hundred thousand digits): all of it. */
    if (rc < 0 && length == SNIFF_BYTES) {
        free(text);
        text = nk_read_file(path, "raw file", 0, &length, NK_EXIT_NOINPUT, err);
        if (text == NULL)
            return -1;
        rc = kind_of_first(text, length, kind);
    }
    free(text);
    if (rc == 0)
        return 0;
    page = transform_kolada_parse(path, err);
    rc = page ? transform_kolada_kind_of(page, NULL, path, kind, err) : -1;
    json_decref(page);
    return rc;
}

const char *transform_kolada_kind_name(transform_kolada_kind kind)
{
    static const char *const names[] = {
        [KOLADA_EMPTY] = "nothing",
        [KOLADA_KPI] = "a KPI",
        [KOLADA_KPI_GROUPS] = "a KPI group",
        [KOLADA_MUNICIPALITY] = "an area",
        [KOLADA_MUNICIPALITY_GROUPS] = "a municipality group",
        [KOLADA_OU] = "a unit",
        [KOLADA_DATA] = "a data row",
        [KOLADA_OUDATA] = "a unit data row",
    };

    return names[kind];
}

int transform_kolada_is_metadata(transform_kolada_kind kind)
{
    return kind != KOLADA_DATA && kind != KOLADA_OUDATA && kind != KOLADA_EMPTY;
}

int transform_kolada_check_yield(const transform_source *source, size_t values, nk_error *err)
{
    if (values == 0 || source->counts.rows_read > 0)
        return 0;
    return nk_fail(err, NK_EXIT_DATA,
                   "%s: %zu value(s) in the page but not one row read from them: nothing in it"
                   " is a KPI, area, group, unit or data value nyckel loads",
                   source->path, values);
}
