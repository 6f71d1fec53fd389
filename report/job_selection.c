/*
 * job_selection.c: what a job file tells the report: the KPIs its Kolada
 * API sources select (kpis, operating_areas, kpi_groups) and the warehouse
 * it loads.  A KPI group is resolved from mart.kpi_group_member, which
 * every kolada-api run fills from Kolada's whole group list.
 */
#include <string.h>

#include "report/job_selection.h"

static int add_list(const json_t *source, const char *key, report_item kind,
                    report_options *options, nk_error *err)
{
    size_t i;
    json_t *item;

    json_array_foreach (json_object_get(source, key), i, item)
        if (report_options_add(options, kind, json_string_value(item), err) < 0)
            return -1;
    return 0;
}

static int add_source(const json_t *source, report_options *options, nk_error *err)
{
    const char *type = json_string_value(json_object_get(source, "type"));

    if (type == NULL || strcmp(type, "kolada-api") != 0)
        return 0;
    return add_list(source, "kpis", REPORT_ITEM_KPI, options, err) < 0 ||
                   add_list(source, "operating_areas", REPORT_ITEM_OPERATING_AREA, options, err) <
                       0 ||
                   add_list(source, "kpi_groups", REPORT_ITEM_KPI_GROUP, options, err) < 0
               ? -1
               : 0;
}

int report_job_selection(const nk_job *job, report_options *options, const char **conninfo,
                         nk_error *err)
{
    const json_t *warehouse = nk_job_section(job, "warehouse");
    size_t index;
    json_t *source;

    *conninfo = json_string_value(json_object_get(warehouse, "conninfo"));
    if (options->kpis || options->operating_areas || options->kpi_groups)
        return 0;
    json_array_foreach (nk_job_section(job, "extract"), index, source)
        if (add_source(source, options, err) < 0)
            return -1;
    return 0;
}
