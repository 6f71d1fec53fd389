/*
 * job_selection.h: the report's selection and warehouse from a job file.
 */
#ifndef NYCKEL_REPORT_JOB_SELECTION_H
#define NYCKEL_REPORT_JOB_SELECTION_H

#include "lib/job/job.h"
#include "report/report_options.h"

/*
 * *conninfo: the job's warehouse.conninfo or NULL.  Unless options already
 * select KPIs, the job's kolada-api sources' kpis, operating_areas and
 * kpi_groups are added to them; none at all (files only) leaves every KPI selected.
 */
int report_job_selection(const nk_job *job, report_options *options, const char **conninfo,
                         nk_error *err);

#endif
