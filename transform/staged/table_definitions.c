/*
 * table_definitions.c: the staged tables and their columns, in the order the
 * COPY files hold them.  This list is the contract with nyckel-load and is
 * mirrored in docs/architecture.md; change both together.
 */
#include "transform/staged/table_definitions.h"

#include <string.h>

#define COLUMNS(...)      \
    (const char *const[]) \
    {                     \
        __VA_ARGS__, NULL \
    }

static const transform_table_definition definitions[] = {
    { "source", COLUMNS("source_ref", "uri", "sha256", "size", "fetched_at") },
    { "dim_kpi", COLUMNS("kpi_id", "title", "description", "operating_area", "is_divided_by_gender",
                         "municipality_type", "has_ou_data", "publication_date", "auspices",
                         "perspective", "missing_fields") },
    { "dim_area", COLUMNS("area_id", "title", "area_type", "municipality_type", "county_code",
                          "county_region_id") },
    { "area_group_member", COLUMNS("group_id", "member_id") },
    { "dim_kpi_group", COLUMNS("kpi_group_id", "title") },
    { "kpi_group_member", COLUMNS("kpi_group_id", "kpi_id", "member_title") },
    { "dim_period", COLUMNS("period_id", "granularity", "year", "start_date", "end_date") },
    { "dim_ou", COLUMNS("ou_id", "municipality_id", "title", "parent_ou_id", "ou_kind") },
    { "fact_kpi_value", COLUMNS("kpi_id", "area_id", "period_id", "gender", "value", "value_count",
                                "status", "source_ref") },
    { "fact_kpi_value_deleted", COLUMNS("kpi_id", "area_id", "period_id", "gender", "source_ref") },
    { "fact_ou_value", COLUMNS("kpi_id", "ou_id", "period_id", "gender", "value", "value_count",
                               "status", "source_ref") },
    { "fact_ou_value_deleted", COLUMNS("kpi_id", "ou_id", "period_id", "gender", "source_ref") },
    { "dim_measure", COLUMNS("measure_id", "title", "unit") },
    { "dim_breakdown", COLUMNS("breakdown_id", "breakdown_kind", "title") },
    { "fact_internal_value", COLUMNS("measure_id", "ou_id", "period_id", "scenario", "value",
                                     "source_ref", "breakdown_id", "is_small_count") },
};

size_t transform_table_count(void)
{
    return sizeof definitions / sizeof definitions[0];
}

const transform_table_definition *transform_table_at(size_t index)
{
    return &definitions[index];
}

const transform_table_definition *transform_table_find(const char *name)
{
    for (size_t i = 0; i < transform_table_count(); i++)
        if (strcmp(definitions[i].name, name) == 0)
            return &definitions[i];
    return NULL;
}

size_t transform_table_width(const char *name)
{
    const transform_table_definition *definition = transform_table_find(name);
    size_t width = 0;

    if (definition)
        while (definition->columns[width])
            width++;
    return width;
}
