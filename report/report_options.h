/*
 * report_options.h: the nyckel-report command line.
 */
#ifndef NYCKEL_REPORT_OPTIONS_H
#define NYCKEL_REPORT_OPTIONS_H

#include "report/report.h"

typedef struct report_options {
    const char *area;
    const char *job_path;
    const char *output;
    report_lang lang;
    const char **kpis;            /* NULL-terminated, NULL when none given */
    const char **operating_areas; /* likewise */
    size_t kpi_count, area_count;
    int help, version;
} report_options;

extern const char report_usage[];

int report_options_parse(int argc, char **argv, report_options *options, nk_error *err);
/* Add a KPI id (is_kpi) or an operating area to the selection. */
int report_options_add(report_options *options, int is_kpi, const char *item, nk_error *err);

void report_options_free(report_options *options);

#endif
