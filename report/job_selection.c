/*
 * job_selection.c: what a job file tells the report: the KPIs its Kolada
 * API sources select (kpis, operating_areas) and the warehouse it loads.
 * KPI groups are resolved by Kolada when the job extracts; the warehouse
 * keeps no KPI groups, so a job that selects by group is refused rather
 * than reported on some other selection.
 */
#include <string.h>

#include "lib/base/exit_codes.h"
#include "report/job_selection.h"

static int add_list(const json_t *source, const char *key, int is_kpi, report_options *options,
                    nk_error *err)
{
    size_t i;
    json_t *item;

    json_array_foreach (json_object_get(source, key), i, item)
        if (report_options_add(options, is_kpi, json_string_value(item), err) < 0)
            return -1;
    return 0;
}

static int add_source(const nk_job *job, const json_t *source, size_t index,
                      report_options *options, nk_error *err)
{
    const char *type = json_string_value(json_object_get(source, "type"));

    if (type == NULL || strcmp(type, "kolada-api") != 0)
        return 0;
    if (json_array_size(json_object_get(source, "kpi_groups")) > 0)
        return nk_fail(err, NK_EXIT_USAGE,
                       "%s: extract[%zu].kpi_groups: the warehouse keeps no KPI groups, so the "
                       "report cannot resolve them; give --kpi or --operating-area",
                       job->path, index);
    return add_list(source, "kpis", 1, options, err) < 0 ||
                   add_list(source, "operating_areas", 0, options, err) < 0
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
    if (options->kpis || options->operating_areas)
        return 0;
    json_array_foreach (nk_job_section(job, "extract"), index, source)
        if (add_source(job, source, index, options, err) < 0)
            return -1;
    return 0;
}
