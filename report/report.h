/*
 * report.h: what nyckel-report shows, as gathered from the mart schema.
 *
 * Every figure is kept as the text PostgreSQL sent for it (numbers cast to
 * numeric, so 52.5 stays "52.5" and a difference carries no floating-point
 * noise); the page formats that text and the charts parse it.  The strings
 * point into the query results, which the report keeps until it is freed.
 */
#ifndef NYCKEL_REPORT_H
#define NYCKEL_REPORT_H

#include <libpq-fe.h>
#include <stddef.h>

#include "lib/base/error.h"

typedef enum report_lang { REPORT_SV, REPORT_EN } report_lang;

/* What a series is, which decides its colour and line in the chart. */
typedef enum series_kind {
    SERIES_AREA,  /* the municipality, total */
    SERIES_WOMEN, /* the municipality, women */
    SERIES_MEN,   /* the municipality, men */
    SERIES_RIKET,
    SERIES_REGION,
    SERIES_GROUP /* a peer group's mean */
} series_kind;

typedef struct report_point {
    int year;
    const char *value; /* numeric text */
} report_point;

typedef struct report_series {
    series_kind kind;
    const char *label;
    report_point *points; /* by year, ascending */
    size_t count;
} report_series;

/* A row of "where we stand": one gender of the KPI's latest year. */
typedef struct report_standing {
    const char *gender, *year, *value, *riket, *difference, *rank, *ranked_count, *quartile,
        *change;
} report_standing;

/* The municipality against one of its peer groups, latest year. */
typedef struct report_peer {
    const char *title, *mean, *difference, *rank, *ranked_count;
} report_peer;

/* An internal measure's yearly figure beside the Kolada KPI it pairs with. */
typedef struct report_internal {
    const char *measure, *unit, *unit_title, *year, *value, *kolada, *kolada_unit;
} report_internal;

typedef struct report_kpi {
    const char *id, *title, *operating_area, *direction, *reason;
    char *unit;   /* from the title: "%" for "andel (%)", else after its last comma */
    int is_count; /* counts people: 1-4 are suppressed */
    int has_values;
    const char *latest_year;
    report_series *series;
    size_t series_count, series_capacity;
    report_standing *standing;
    size_t standing_count;
    report_peer *peers;
    size_t peer_count;
    report_internal *internal;
    size_t internal_count;
} report_kpi;

/* Budget, forecast and outcome of one unit in the latest year with a budget. */
typedef struct report_budget {
    const char *measure, *unit, *unit_title, *budget, *forecast, *outcome;
} report_budget;

typedef struct report_source {
    const char *uri, *loaded_at, *values;
} report_source;

typedef struct report {
    report_lang lang;
    const char *area_id, *area_title, *region_id, *region_title;
    report_kpi *kpis;
    size_t kpi_count;
    const char *budget_year;
    report_budget *budget;
    size_t budget_count;
    report_source *sources;
    size_t source_count;
    const char *source_total; /* how many sources in all, when more than shown */
    const char *generated_at;
    PGresult **results; /* kept for the strings above */
    size_t result_count, result_capacity;
} report;

/* What to report on: a municipality (id or name) and a selection of KPIs. */
typedef struct report_selection {
    const char *area;
    const char **kpis; /* ids; NULL-terminated, or NULL for no ids */
    const char **operating_areas;
    const char **kpi_groups; /* ids or titles; all three NULL: every KPI in the warehouse */
} report_selection;

/* Read everything the page shows; the error names what was missing. */
int report_gather(PGconn *conn, const report_selection *selection, report *rep, nk_error *err);

/* Parts of report_gather (gather_kpi.c): each KPI's series, standing, peers, internals. */
int report_gather_kpi(PGconn *conn, report *rep, report_kpi *kpi, nk_error *err);

void report_free(report *rep);

/* A query's result, kept in rep; NULL (err set) when it failed. */
PGresult *report_query(PGconn *conn, report *rep, const char *what, const char *sql, int nparams,
                       const char *const *params, nk_error *err);

/* A cell's text, or NULL for SQL NULL. */
const char *report_cell(const PGresult *res, int row, int column);

/* calloc that records an out-of-memory error. */
void *report_alloc(size_t count, size_t size, nk_error *err);

#endif
