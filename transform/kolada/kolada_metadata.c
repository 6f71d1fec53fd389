/*
 * kolada_metadata.c: Kolada KPI, area, KPI group, municipality group and
 * unit pages into dimension rows (see kolada_page.h).
 *
 * Kolada does not say which county a municipality lies in, but the Swedish
 * municipality code does: its first two digits are the county code, and the
 * county's region is "00" followed by them (0180 Stockholm → county 01 →
 * region 0001).  Riket is 0000.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transform/staged/dimensions.h"
#include "transform/cells/ids.h"
#include "transform/kolada/kolada_fields.h"
#include "transform/kolada/kolada_guard.h"
#include "transform/kolada/kolada_page.h"
#include "transform/staged/rejects.h"

static int reject_value(transform_context *context, transform_source *source, size_t index,
                        const json_t *value, const char *why, nk_error *err)
{
    char reason[512];
    char *raw = value ? transform_kolada_raw(value) : NULL;
    int rc;

    snprintf(reason, sizeof reason, "values[%zu]: %s", index, why);
    rc = transform_reject(context->rejects, source, 0, 0, raw, reason, err);
    free(raw);
    return rc;
}

static void written(transform_source *source)
{
    source->counts.rows_read++;
    source->counts.rows_written++;
}

static const char *member_text(const json_t *value, const char *key, char *buffer, size_t size)
{
    return transform_kolada_text(json_object_get(value, key), buffer, size);
}

static int read_kpi(transform_context *context, transform_source *source, size_t index,
                    const json_t *value, unsigned *lacking, nk_error *err)
{
    char buffer[32];
    const char *id = json_string_value(json_object_get(value, "id"));
    const char *title;

    if (id == NULL || *id == '\0')
        return reject_value(context, source, index, value, "a KPI without a string \"id\"", err);
    title = member_text(value, "title", buffer, sizeof buffer);
    if (title == NULL)
        return reject_value(context, source, index, value, "a KPI without a \"title\"", err);
    transform_kolada_check_keys(context, source, "KPI", value);
    transform_kolada_read_kpi(context, id, title, value, lacking);
    written(source);
    return 0;
}

static int read_area(transform_context *context, transform_source *source, size_t index,
                     const json_t *value, nk_error *err)
{
    const char *id = json_string_value(json_object_get(value, "id"));
    const char *title = json_string_value(json_object_get(value, "title"));
    const char *type = json_string_value(json_object_get(value, "type"));
    char county[3], region[5];

    if (id == NULL || strlen(id) != 4 || strspn(id, "0123456789") != 4)
        return reject_value(context, source, index, value,
                            "expected a four-digit area \"id\" like \"0180\"", err);
    if (title == NULL || type == NULL || (strcmp(type, "K") != 0 && strcmp(type, "L") != 0))
        return reject_value(context, source, index, value,
                            "expected a \"title\" and a \"type\" of \"K\" or \"L\"", err);
    transform_kolada_check_keys(context, source, "area", value);
    if (strcmp(id, "0000") == 0) {
        transform_dimension_put(context, "dim_area", id,
                                (const char *const[]){ id, title, "country", type, NULL, NULL });
    } else if (strcmp(type, "L") == 0) {
        snprintf(county, sizeof county, "%s", id + 2);
        transform_dimension_put(context, "dim_area", id,
                                (const char *const[]){ id, title, "region", type, county, NULL });
    } else {
        snprintf(county, sizeof county, "%.2s", id);
        snprintf(region, sizeof region, "00%s", county);
        transform_dimension_put(context, "dim_area", id,
                                (const char *const[]){ id, title, "municipality", type, county,
                                                       region });
    }
    written(source);
    return 0;
}

/*
 * A member's problem, said of the member itself; NULL when it can be loaded.
 * A member need not be among this run's areas or KPIs: the group lists are
 * fetched whole, and load infers an area it has not yet met from its code
 * (a KPI member is kept with its own title instead, see 018_kpi_groups.sql).
 */
static const char *member_problem(const json_t *member, const char *id, int of_kpis,
                                  char why[TRANSFORM_ID_REASON_MAX])
{
    if (!json_is_object(member))
        return "expected a member object with \"member_id\"";
    if (id == NULL)
        return json_object_get(member, "member_id") ? "expected \"member_id\" to be a string"
                                                    : "a member without \"member_id\"";
    if (of_kpis)
        return transform_id_check(TRANSFORM_ID_KOLADA, "KPI", id, why) < 0 ? why : NULL;
    if (strlen(id) != 4 || strspn(id, "0123456789") != 4) {
        snprintf(why, TRANSFORM_ID_REASON_MAX,
                 "\"member_id\" \"%.16s\" is not an area code"
                 " (four digits like \"0682\")",
                 id);
        return why;
    }
    return NULL;
}

static void put_member(transform_context *context, int of_kpis, const char *group, const char *id,
                       const json_t *member)
{
    char key[160], buffer[32];

    snprintf(key, sizeof key, "%s\t%s", group, id);
    if (of_kpis)
        transform_dimension_put(context, "kpi_group_member", key,
                                (const char *const[]){
                                    group, id,
                                    member_text(member, "member_title", buffer, sizeof buffer) });
    else
        transform_dimension_put(context, "area_group_member", key,
                                (const char *const[]){ group, id });
}

static int read_group_members(transform_context *context, transform_source *source, size_t index,
                              const char *group, const json_t *members, int of_kpis, nk_error *err)
{
    char why[TRANSFORM_ID_REASON_MAX], reason[TRANSFORM_ID_REASON_MAX + 96];
    size_t i;
    json_t *member;

    json_array_foreach (members, i, member) {
        const char *id = json_string_value(json_object_get(member, "member_id"));
        const char *problem = member_problem(member, id, of_kpis, why);
        if (problem) {
            snprintf(reason, sizeof reason, "group %.32s, members[%zu]: %s", group, i, problem);
            if (reject_value(context, source, index, member, reason, err) < 0)
                return -1;
            continue;
        }
        transform_kolada_check_keys(context, source, "group member", member);
        put_member(context, of_kpis, group, id, member);
        written(source);
    }
    return 0;
}

/* A municipality group is an area of type group; a KPI group a row of dim_kpi_group. */
static int read_group(transform_context *context, transform_source *source, size_t index,
                      const json_t *value, int of_kpis, nk_error *err)
{
    const char *id = json_string_value(json_object_get(value, "id"));
    const char *title = json_string_value(json_object_get(value, "title"));
    const json_t *members = json_object_get(value, "members");

    if (id == NULL || title == NULL || !json_is_array(members))
        return reject_value(context, source, index, value,
                            "expected a group with \"id\", \"title\" and a \"members\" list", err);
    transform_kolada_check_keys(context, source, "group", value);
    if (of_kpis)
        transform_dimension_put(context, "dim_kpi_group", id, (const char *const[]){ id, title });
    else
        transform_dimension_put(context, "dim_area", id,
                                (const char *const[]){ id, title, "group", NULL, NULL, NULL });
    written(source);
    return read_group_members(context, source, index, id, members, of_kpis, err);
}

static int read_ou(transform_context *context, transform_source *source, size_t index,
                   const json_t *value, nk_error *err)
{
    const char *id = json_string_value(json_object_get(value, "id"));
    const char *municipality = json_string_value(json_object_get(value, "municipality"));
    const char *title = json_string_value(json_object_get(value, "title"));
    char why[128];

    if (id == NULL || title == NULL || municipality == NULL)
        return reject_value(context, source, index, value,
                            "expected a unit with \"id\", \"municipality\" and \"title\"", err);
    if (!transform_dimension_has(context, "dim_area", municipality)) {
        snprintf(why, sizeof why, "the unit's \"municipality\" \"%.16s\" is no area of this run",
                 municipality);
        return reject_value(context, source, index, value, why, err);
    }
    transform_kolada_check_keys(context, source, "unit", value);
    transform_dimension_put(context, "dim_ou", id,
                            (const char *const[]){ id, municipality, title, NULL, "kolada" });
    written(source);
    return 0;
}

static int is_group(transform_kolada_kind kind)
{
    return kind == KOLADA_KPI_GROUPS || kind == KOLADA_MUNICIPALITY_GROUPS;
}

/* A value of another kind than its page's, or of none, is rejected for what it is. */
static int reject_stranger(transform_context *context, transform_source *source, size_t index,
                           const json_t *value, transform_kolada_kind kind, nk_error *err)
{
    transform_kolada_kind shape;
    char why[160];

    if (transform_kolada_shape(value, &shape) < 0)
        snprintf(why, sizeof why,
                 "expected %s (what this page holds), found a value whose"
                 " keys match no Kolada shape",
                 transform_kolada_kind_name(kind));
    else
        snprintf(why, sizeof why, "expected %s (what this page holds), found %s",
                 transform_kolada_kind_name(kind), transform_kolada_kind_name(shape));
    return reject_value(context, source, index, value, why, err);
}

static int read_value(transform_context *context, transform_source *source, size_t index,
                      const json_t *value, transform_kolada_kind kind, unsigned *lacking,
                      nk_error *err)
{
    transform_kolada_kind shape;
    char why[TRANSFORM_ID_REASON_MAX];
    int keep_raw;

    if (transform_kolada_guard(value, &keep_raw, why))
        return reject_value(context, source, index, keep_raw ? value : NULL, why, err);
    /* Areas, groups and units name their own missing fields; a KPI has only id and title. */
    if (json_is_object(value)) {
        int known = transform_kolada_shape(value, &shape) == 0;
        if (known && is_group(shape) && is_group(kind) &&
            json_array_size(json_object_get(value, "members")) == 0)
            shape = kind; /* a group without members is of either kind: its page's */
        if (known ? shape != kind : kind == KOLADA_KPI)
            return reject_stranger(context, source, index, value, kind, err);
    }
    switch (kind) {
    case KOLADA_KPI:
        return read_kpi(context, source, index, value, lacking, err);
    case KOLADA_MUNICIPALITY:
        return read_area(context, source, index, value, err);
    case KOLADA_MUNICIPALITY_GROUPS:
    case KOLADA_KPI_GROUPS:
        return read_group(context, source, index, value, kind == KOLADA_KPI_GROUPS, err);
    default:
        return read_ou(context, source, index, value, err);
    }
}

int transform_kolada_read_metadata(transform_context *context, transform_source *source,
                                   const json_t *page, transform_kolada_kind kind, nk_error *err)
{
    unsigned lacking[TRANSFORM_KOLADA_KPI_ATTRIBUTES] = { 0 };
    const json_t *values = json_object_get(page, "values");
    size_t i;
    json_t *value;

    transform_kolada_check_keys(context, source, "page", page);
    json_array_foreach (values, i, value) {
        if (read_value(context, source, i, value, kind, lacking, err) < 0)
            return -1;
    }
    transform_kolada_report_lacking(source, lacking);
    return transform_kolada_check_yield(source, json_array_size(values), err);
}
