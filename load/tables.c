/*
 * tables.c: the staged tables nyckel-load accepts and their columns.  This
 * is load's side of the contract in docs/architecture.md; the staging
 * tables in schemas/ have the same columns.  The order is the order they are
 * copied and merged in: sources and dimensions before the facts that use them.
 */
#include <string.h>

#include "load/load.h"

#define COLUMNS(...)      \
    (const char *const[]) \
    {                     \
        __VA_ARGS__, NULL \
    }
#define NONE              \
    (const char *const[]) \
    {                     \
        NULL              \
    }

static const load_table_spec specs[] = {
    { "source", COLUMNS("source_ref", "uri", "sha256", "size", "fetched_at"), NONE },
    { "dim_period", COLUMNS("period_id", "granularity", "year", "start_date", "end_date"), NONE },
    { "dim_kpi",
      COLUMNS("kpi_id", "title", "description", "operating_area", "is_divided_by_gender",
              "municipality_type", "has_ou_data", "publication_date", "auspices", "perspective"),
      COLUMNS("missing_fields") },
    { "dim_area",
      COLUMNS("area_id", "title", "area_type", "municipality_type", "county_code",
              "county_region_id"),
      NONE },
    { "area_group_member", COLUMNS("group_id", "member_id"), NONE },
    { "dim_kpi_group", COLUMNS("kpi_group_id", "title"), NONE },
    { "kpi_group_member", COLUMNS("kpi_group_id", "kpi_id", "member_title"), NONE },
    { "dim_ou", COLUMNS("ou_id", "municipality_id", "title"), COLUMNS("parent_ou_id", "ou_kind") },
    { "dim_measure", COLUMNS("measure_id", "title"), COLUMNS("unit", "description") },
    { "dim_breakdown", COLUMNS("breakdown_id", "breakdown_kind", "title"), NONE },
    { "fact_kpi_value",
      COLUMNS("kpi_id", "area_id", "period_id", "gender", "value", "value_count", "status",
              "source_ref"),
      NONE },
    { "fact_kpi_value_deleted", COLUMNS("kpi_id", "area_id", "period_id", "gender", "source_ref"),
      NONE },
    { "fact_ou_value",
      COLUMNS("kpi_id", "ou_id", "period_id", "gender", "value", "value_count", "status",
              "source_ref"),
      NONE },
    { "fact_ou_value_deleted", COLUMNS("kpi_id", "ou_id", "period_id", "gender", "source_ref"),
      NONE },
    { "fact_internal_value",
      COLUMNS("measure_id", "ou_id", "period_id", "scenario", "value", "source_ref"),
      COLUMNS("breakdown_id", "is_small_count") },
};

size_t load_table_spec_count(void)
{
    return sizeof specs / sizeof specs[0];
}

const load_table_spec *load_table_spec_at(size_t index)
{
    return index < load_table_spec_count() ? &specs[index] : NULL;
}

const load_table_spec *load_table_spec_find(const char *name)
{
    for (size_t i = 0; i < load_table_spec_count(); i++)
        if (strcmp(specs[i].name, name) == 0)
            return &specs[i];
    return NULL;
}
