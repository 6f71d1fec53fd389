/*
 * kolada_keys.c: the keys nyckel knows in each kind of Kolada object, and a
 * warning for any other, once per kind and key in a run (see kolada_page.h).
 *
 * Kolada's fields drift between versions and over the years; an unknown key
 * is how the next drift shows, so it is reported the night it first comes,
 * but only once, not for each of six thousand KPIs.  Keys listed here that
 * nyckel does not store (prel_publication_date, publ_period, v2's
 * ou_publication_date, and member_title of a municipality group) are known and
 * left out on purpose.
 */
#include <stdio.h>
#include <string.h>

#include "transform/kolada/kolada_page.h"
#include "lib/base/log.h"

#define KEYS(...)         \
    (const char *const[]) \
    {                     \
        __VA_ARGS__, NULL \
    }

static const struct {
    const char *what;
    const char *const *keys;
} known[] = {
    { "page", KEYS("count", "values", "next_url", "next_page", "previous_url", "previous_page") },
    { "KPI", KEYS("id", "title", "description", "operating_area", "is_divided_by_gender",
                  "municipality_type", "has_ou_data", "publication_date", "prel_publication_date",
                  "publ_period", "auspice", "auspices", "perspective", "ou_publication_date") },
    { "area", KEYS("id", "title", "type") },
    { "group", KEYS("id", "title", "members") },
    { "group member", KEYS("member_id", "member_title") },
    { "unit", KEYS("id", "municipality", "title") },
    { "data row", KEYS("kpi", "municipality", "ou", "period", "values") },
    { "data value", KEYS("gender", "value", "count", "status", "isdeleted", "is_deleted") },
};

static const char *const *known_keys(const char *what)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i].what, what) == 0)
            return known[i].keys;
    return NULL;
}

static int is_known(const char *const *keys, const char *key)
{
    for (; keys && *keys; keys++)
        if (strcmp(*keys, key) == 0)
            return 1;
    return 0;
}

void transform_kolada_check_key(transform_context *context, const transform_source *source,
                                const char *what, const char *key)
{
    char seen[256];

    if (is_known(known_keys(what), key))
        return;
    snprintf(seen, sizeof seen, "%s\t%s", what, key);
    if (json_object_get(context->unknown_keys, seen))
        return;
    json_object_set_new(context->unknown_keys, seen, json_true());
    nk_warn("%s: a Kolada %s with the key \"%s\", which nyckel does not know: not loaded "
            "(first seen in this run here)",
            source->path, what, key);
}

void transform_kolada_check_keys(transform_context *context, const transform_source *source,
                                 const char *what, const json_t *object)
{
    const char *key;
    const json_t *member;

    json_object_foreach ((json_t *)object, key, member)
        transform_kolada_check_key(context, source, what, key);
}
