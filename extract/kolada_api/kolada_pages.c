/*
 * kolada_pages.c: what the Kolada reader learns from each page it fetched:
 * the members of the groups it selected, the KPIs of an operating area, the
 * municipalities and regions, the units of each municipality, and every id
 * the data mentions (collected while each data page streams in, see
 * kolada_paging.c), so that their metadata can be fetched too.
 */
#include <string.h>

#include "extract/kolada_api/kolada_source.h"

void extract_id_add(json_t *set, const char *id)
{
    if (id && *id && json_object_get(set, id) == NULL)
        json_object_set_new(set, id, json_true());
}

json_t *extract_id_list(const json_t *set)
{
    json_t *list = json_array(), *value;
    const char *id;

    json_object_foreach ((json_t *)set, id, value)
        json_array_append_new(list, json_string(id));
    return list;
}

json_t *extract_id_missing(const json_t *set, const json_t *other)
{
    json_t *list = json_array(), *value;
    const char *id;

    json_object_foreach ((json_t *)set, id, value)
        if (json_object_get(other, id) == NULL)
            json_array_append_new(list, json_string(id));
    return list;
}

/* An id member that may be written as a string or, in old mirrors, a number. */
static const char *id_of(const json_t *row, const char *key, char *buffer, size_t size)
{
    const json_t *id = json_object_get(row, key);

    if (json_is_integer(id)) {
        snprintf(buffer, size, "%lld", (long long)json_integer_value(id));
        return buffer;
    }
    return json_string_value(id);
}

#define EACH_ROW(page, i, row) json_array_foreach (json_object_get((page), "values"), (i), (row))

/* Add the members of every selected group in page to members. */
static void collect_members(json_t *wanted, json_t *members, const json_t *page)
{
    char buffer[32];
    size_t i, j;
    json_t *group, *member;

    EACH_ROW (page, i, group) {
        const char *id = id_of(group, "id", buffer, sizeof buffer);
        if (id == NULL || json_object_get(wanted, id) == NULL)
            continue;
        json_object_set_new(wanted, id, json_true());
        json_array_foreach (json_object_get(group, "members"), j, member) {
            /* Both kinds of group list members as {"member_id", "member_title"}. */
            extract_id_add(members, id_of(member, "member_id", buffer, sizeof buffer));
        }
    }
}

int extract_kolada_on_kpi_groups(void *user, const json_t *page, nk_error *err)
{
    kolada_source *s = user;

    (void)err;
    collect_members(s->kpi_groups, s->kpis, page);
    return 0;
}

int extract_kolada_on_area_groups(void *user, const json_t *page, nk_error *err)
{
    kolada_source *s = user;

    (void)err;
    collect_members(s->area_groups, s->areas, page);
    return 0;
}

/* Does a KPI's operating_area ("Äldreomsorg, Kostnader") name one of the wanted ones? */
static int in_operating_area(kolada_source *s, const char *areas)
{
    char part[256];

    while (areas && *areas) {
        size_t length = strcspn(areas, ",");
        const char *start = areas;
        while (length && (*start == ' ')) {
            start++;
            length--;
        }
        while (length && start[length - 1] == ' ')
            length--;
        snprintf(part, sizeof part, "%.*s", (int)length, start);
        if (json_object_get(s->operating_areas, part)) {
            json_object_set_new(s->operating_areas, part, json_true());
            return 1;
        }
        areas += strcspn(areas, ",");
        if (*areas == ',')
            areas++;
    }
    return 0;
}

int extract_kolada_on_kpis(void *user, const json_t *page, nk_error *err)
{
    kolada_source *s = user;
    size_t i;
    json_t *kpi;

    (void)err;
    EACH_ROW (page, i, kpi) {
        const char *id = json_string_value(json_object_get(kpi, "id"));
        if (id == NULL)
            continue;
        extract_id_add(s->known_kpis, id);
        json_object_set_new(s->kpi_has_ou, id,
                            json_boolean(json_is_true(json_object_get(kpi, "has_ou_data"))));
        if (json_object_size(s->operating_areas) &&
            in_operating_area(s, json_string_value(json_object_get(kpi, "operating_area"))))
            extract_id_add(s->kpis, id);
    }
    return 0;
}

int extract_kolada_on_areas(void *user, const json_t *page, nk_error *err)
{
    kolada_source *s = user;
    char buffer[32];
    size_t i;
    json_t *area;

    (void)err;
    EACH_ROW (page, i, area) {
        const char *id = id_of(area, "id", buffer, sizeof buffer);
        const char *type = json_string_value(json_object_get(area, "type"));
        if (id == NULL)
            continue;
        extract_id_add(s->known_areas, id);
        if (type && ((s->all_municipalities && strcmp(type, "K") == 0) ||
                     (s->all_regions && strcmp(type, "L") == 0)))
            extract_id_add(s->areas, id);
    }
    return 0;
}

int extract_kolada_on_ous(void *user, const json_t *page, nk_error *err)
{
    kolada_source *s = user;
    char buffer[32];
    size_t i;
    json_t *ou;

    (void)err;
    EACH_ROW (page, i, ou) {
        extract_id_add(s->ous, json_string_value(json_object_get(ou, "id")));
        extract_id_add(s->mentioned_areas, id_of(ou, "municipality", buffer, sizeof buffer));
    }
    return 0;
}

static void add_all(json_t *set, const json_t *ids)
{
    const char *id;
    json_t *value;

    json_object_foreach ((json_t *)ids, id, value)
        extract_id_add(set, id);
}

int extract_kolada_on_data(void *user, const extract_kolada_mentions *mentions, nk_error *err)
{
    kolada_source *s = user;

    (void)err;
    add_all(s->mentioned_kpis, mentions->kpis);
    add_all(s->mentioned_areas, mentions->places);
    return 0;
}

int extract_kolada_on_oudata(void *user, const extract_kolada_mentions *mentions, nk_error *err)
{
    kolada_source *s = user;

    (void)err;
    add_all(s->mentioned_kpis, mentions->kpis);
    add_all(s->mentioned_ous, mentions->places);
    return 0;
}
