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
    const char **kpi_groups;      /* likewise: ids or titles */
    size_t kpi_count, area_count, group_count;
    size_t kpi_room, area_room, group_room; /* entries allocated, the NULL's too */
    int help, version;
} report_options;

extern const char report_usage[];

int report_options_parse(int argc, char **argv, report_options *options, nk_error *err);
/* What report_options_add adds to the selection. */
typedef enum report_item {
    REPORT_ITEM_KPI,
    REPORT_ITEM_OPERATING_AREA,
    REPORT_ITEM_KPI_GROUP
} report_item;

/* Add a KPI id, an operating area or a KPI group to the selection. */
int report_options_add(report_options *options, report_item kind, const char *item, nk_error *err);

void report_options_free(report_options *options);

#endif
