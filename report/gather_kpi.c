/*
 * gather_kpi.c: one KPI's figures for the report: its series over the
 * years (the municipality by gender, Riket, the region, each peer group's
 * mean), where it stands in the latest year, its peer groups then, and the
 * internal figures paired with it.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "report/report.h"

/* The municipality's values by gender, Riket's and the region's beside them. */
static const char series_sql[] =
    "SELECT gender, year, value::numeric, riket_value::numeric, region_value::numeric"
    " FROM mart.benchmark WHERE area_id = $1 AND kpi_id = $2"
    " ORDER BY CASE gender WHEN 'T' THEN 0 WHEN 'K' THEN 1 ELSE 2 END, year";

/* Group means rounded to the decimals the KPI's own values carry. */
static const char groups_sql[] =
    "WITH places AS ("
    "  SELECT coalesce(max(scale(value::numeric)), 0) AS scale FROM mart.benchmark"
    "  WHERE kpi_id = $2 AND area_id = $1)"
    " SELECT g.group_title, g.year, round(g.group_mean::numeric, places.scale),"
    " round(g.difference_to_group_mean, places.scale), g.group_rank, g.group_ranked_count"
    " FROM mart.benchmark_peer_group g, places"
    " WHERE g.area_id = $1 AND g.kpi_id = $2 AND g.gender = 'T'"
    " ORDER BY g.group_title, g.group_id, g.year";

static const char standing_sql[] =
    "SELECT gender, year, value::numeric, riket_value::numeric, difference_to_riket, rank,"
    " ranked_count, quartile, change_since_previous_year"
    " FROM mart.benchmark b"
    " WHERE area_id = $1 AND kpi_id = $2 AND value IS NOT NULL AND year = ("
    "   SELECT max(year) FROM mart.benchmark"
    "   WHERE area_id = $1 AND kpi_id = $2 AND value IS NOT NULL)"
    " ORDER BY CASE gender WHEN 'T' THEN 0 WHEN 'K' THEN 1 ELSE 2 END";

static const char internal_sql[] =
    "SELECT measure_title, unit, ou_title, year, internal_value::numeric,"
    " kolada_value::numeric, kolada_ou_value::numeric"
    " FROM mart.internal_vs_kolada WHERE area_id = $1 AND kpi_id = $2"
    " ORDER BY measure_title, ou_title, ou_id, year";

/* A new series at the end of the KPI's, with room for count points. */
static report_series *add_series(report_kpi *kpi, series_kind kind, const char *label, size_t count,
                                 nk_error *err)
{
    if (nk_grow_array(&kpi->series, sizeof *kpi->series, kpi->series_count + 1,
                      &kpi->series_capacity, 4) < 0) {
        nk_fail(err, NK_EXIT_SOFTWARE, "out of memory gathering the report");
        return NULL;
    }
    report_series *s = &kpi->series[kpi->series_count];
    *s = (report_series){ kind, label, report_alloc(count, sizeof *s->points, err), 0 };
    if (s->points == NULL)
        return NULL;
    kpi->series_count++;
    return s;
}

static void add_point(report_series *s, const char *year, const char *value)
{
    if (value)
        s->points[s->count++] = (report_point){ atoi(year), value };
}

static series_kind gender_kind(const char *gender)
{
    return gender[0] == 'K' ? SERIES_WOMEN : gender[0] == 'M' ? SERIES_MEN : SERIES_AREA;
}

/*
 * Rows come by gender, total first: a series per gender, and Riket's and
 * the region's beside the total.  Series are found again by index, as
 * adding one may move them all.
 */
static int gather_series(PGconn *conn, report *rep, report_kpi *kpi, nk_error *err)
{
    const char *params[] = { rep->area_id, kpi->id };
    PGresult *res = report_query(conn, rep, "a KPI's years", series_sql, 2, params, err);
    size_t rows = res ? (size_t)PQntuples(res) : 0, own = 0, riket = 0;

    if (res == NULL)
        return -1;
    for (size_t i = 0; i < rows; i++) {
        const char *year = PQgetvalue(res, (int)i, 1);
        series_kind kind = gender_kind(PQgetvalue(res, (int)i, 0));
        if (kpi->series_count == 0 || kpi->series[own].kind != kind) {
            if (add_series(kpi, kind, NULL, rows, err) == NULL)
                return -1;
            own = kpi->series_count - 1;
            if (kind == SERIES_AREA &&
                (add_series(kpi, SERIES_RIKET, "Riket", rows, err) == NULL ||
                 add_series(kpi, SERIES_REGION, rep->region_title, rows, err) == NULL))
                return -1;
            riket = kind == SERIES_AREA ? own + 1 : riket;
        }
        add_point(&kpi->series[own], year, report_cell(res, (int)i, 2));
        if (kind == SERIES_AREA) {
            add_point(&kpi->series[riket], year, report_cell(res, (int)i, 3));
            add_point(&kpi->series[riket + 1], year, report_cell(res, (int)i, 4));
        }
    }
    return 0;
}

/* One series per group; the latest year's mean, difference and rank beside the standing. */
static int gather_groups(PGconn *conn, report *rep, report_kpi *kpi, nk_error *err)
{
    const char *params[] = { rep->area_id, kpi->id };
    PGresult *res = report_query(conn, rep, "a KPI's peer groups", groups_sql, 2, params, err);
    size_t rows = res ? (size_t)PQntuples(res) : 0;
    size_t group = 0;

    if (res == NULL || (kpi->peers = report_alloc(rows, sizeof *kpi->peers, err)) == NULL)
        return -1;
    for (size_t i = 0; i < rows; i++) {
        const char *title = PQgetvalue(res, (int)i, 0), *year = PQgetvalue(res, (int)i, 1);
        if (i == 0 || strcmp(kpi->series[group].label, title) != 0) {
            if (add_series(kpi, SERIES_GROUP, title, rows, err) == NULL)
                return -1;
            group = kpi->series_count - 1;
        }
        add_point(&kpi->series[group], year, report_cell(res, (int)i, 2));
        if (kpi->latest_year && strcmp(year, kpi->latest_year) == 0)
            kpi->peers[kpi->peer_count++] = (report_peer){ title, report_cell(res, (int)i, 2),
                                                           report_cell(res, (int)i, 3),
                                                           report_cell(res, (int)i, 4),
                                                           report_cell(res, (int)i, 5) };
    }
    return 0;
}

static int gather_standing(PGconn *conn, report *rep, report_kpi *kpi, nk_error *err)
{
    const char *params[] = { rep->area_id, kpi->id };
    PGresult *res = report_query(conn, rep, "where a KPI stands", standing_sql, 2, params, err);
    int rows = res ? PQntuples(res) : 0;

    if (res == NULL ||
        (kpi->standing = report_alloc((size_t)rows, sizeof *kpi->standing, err)) == NULL)
        return -1;
    for (int i = 0; i < rows; i++)
        kpi->standing[i] = (report_standing){ report_cell(res, i, 0), report_cell(res, i, 1),
                                              report_cell(res, i, 2), report_cell(res, i, 3),
                                              report_cell(res, i, 4), report_cell(res, i, 5),
                                              report_cell(res, i, 6), report_cell(res, i, 7),
                                              report_cell(res, i, 8) };
    kpi->standing_count = (size_t)rows;
    kpi->latest_year = rows ? kpi->standing[0].year : NULL;
    return 0;
}

static int gather_internal(PGconn *conn, report *rep, report_kpi *kpi, nk_error *err)
{
    const char *params[] = { rep->area_id, kpi->id };
    PGresult *res = report_query(conn, rep, "internal figures", internal_sql, 2, params, err);
    int rows = res ? PQntuples(res) : 0;

    if (res == NULL ||
        (kpi->internal = report_alloc((size_t)rows, sizeof *kpi->internal, err)) == NULL)
        return -1;
    for (int i = 0; i < rows; i++)
        kpi->internal[i] = (report_internal){ report_cell(res, i, 0), report_cell(res, i, 1),
                                              report_cell(res, i, 2), report_cell(res, i, 3),
                                              report_cell(res, i, 4), report_cell(res, i, 5),
                                              report_cell(res, i, 6) };
    kpi->internal_count = (size_t)rows;
    return 0;
}

int report_gather_kpi(PGconn *conn, report *rep, report_kpi *kpi, nk_error *err)
{
    return gather_standing(conn, rep, kpi, err) < 0 || gather_series(conn, rep, kpi, err) < 0 ||
                   gather_groups(conn, rep, kpi, err) < 0 ||
                   gather_internal(conn, rep, kpi, err) < 0
               ? -1
               : 0;
}
