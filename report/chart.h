/*
 * chart.h: a KPI's line chart over the years, as inline SVG.
 */
#ifndef NYCKEL_REPORT_CHART_H
#define NYCKEL_REPORT_CHART_H

#include <stdio.h>

#include "report/report.h"

/*
 * The chart of kpi: a line per series, the latest value of each labelled
 * at the right, the unit above the value axis.  It scales to its box
 * (viewBox, width 100 %), so it never overflows it.
 */
void chart_write(FILE *out, const report *rep, const report_kpi *kpi);

/* A series' colour and dash pattern (NULL: solid), for the chart and its legend. */
const char *chart_colour(const report_kpi *kpi, size_t series);
const char *chart_dash(const report_kpi *kpi, size_t series);

#endif
