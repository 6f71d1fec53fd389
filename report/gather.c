/*
 * gather.c: reading what the report shows from the mart schema: the
 * municipality and its region, the KPIs selected (by id, operating area or
 * KPI group), the budget follow-up and
 * the sources with their load times (gather_kpi.c reads each KPI's figures).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "report/figure.h"
#include "report/report.h"

static const char area_sql[] =
    "SELECT a.area_id, a.title, a.county_region_id,"
    " (SELECT r.title FROM mart.dim_area r WHERE r.area_id = a.county_region_id),"
    " to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'"
    " FROM mart.dim_area a"
    " WHERE a.area_type = 'municipality' AND (a.area_id = $1 OR lower(a.title) = lower($1))"
    " ORDER BY a.area_id";

/*
 * The KPIs asked for, in the order of their operating area and title, with
 * their direction and whether the municipality has any value of theirs;
 * $2 the ids, $3 the operating areas (each matched against any of a KPI's
 * comma-separated areas), $4 the KPI group ids, all NULL for every KPI.  A
 * group member the warehouse has no metadata of comes with the group's
 * title for it and no values, so that the page names it.
 */
static const char kpis_sql[] =
    "SELECT kpi_id, title, operating_area, direction, reason, has_values FROM ("
    " SELECT k.kpi_id, k.title, k.operating_area, d.direction, d.reason,"
    " EXISTS (SELECT 1 FROM mart.benchmark b"
    "         WHERE b.kpi_id = k.kpi_id AND b.area_id = $1 AND b.value IS NOT NULL) AS has_values"
    " FROM mart.dim_kpi k JOIN mart.kpi_direction d ON d.kpi_id = k.kpi_id"
    " WHERE ($2::text[] IS NULL AND $3::text[] IS NULL AND $4::text[] IS NULL)"
    "    OR k.kpi_id = ANY ($2::text[])"
    "    OR EXISTS (SELECT 1 FROM unnest(string_to_array(k.operating_area, ',')) o"
    "               WHERE lower(trim(o)) = ANY (SELECT lower(x) FROM unnest($3::text[]) x))"
    "    OR k.kpi_id IN (SELECT m.kpi_id FROM mart.kpi_group_member m"
    "                    WHERE m.kpi_group_id = ANY ($4::text[]))"
    " UNION ALL"
    " SELECT m.kpi_id, min(m.kpi_title), NULL, 'unknown', NULL, false"
    " FROM mart.kpi_group_member m WHERE m.kpi_group_id = ANY ($4::text[])"
    " AND NOT EXISTS (SELECT 1 FROM mart.dim_kpi k WHERE k.kpi_id = m.kpi_id)"
    " GROUP BY m.kpi_id) selected"
    " ORDER BY operating_area, title, kpi_id";

/* A KPI group by its id or its exact title. */
static const char group_sql[] =
    "SELECT kpi_group_id FROM mart.kpi_group WHERE kpi_group_id = $1 OR title = $1"
    " ORDER BY kpi_group_id";

/* Ids asked for that the warehouse does not know. */
static const char unknown_kpis_sql[] =
    "SELECT string_agg(x, ', ' ORDER BY x) FROM unnest($1::text[]) x"
    " WHERE NOT EXISTS (SELECT 1 FROM mart.dim_kpi k WHERE k.kpi_id = x)";

/* Yearly rows of the latest year that has a budget. */
static const char budget_sql[] =
    "SELECT f.measure_title, f.unit, f.ou_title, f.budget::numeric, f.forecast::numeric,"
    " f.outcome::numeric, f.year"
    " FROM mart.budget_follow_up f"
    " WHERE f.area_id = $1 AND f.granularity = 'year' AND f.year = ("
    "   SELECT max(y.year) FROM mart.budget_follow_up y"
    "   WHERE y.area_id = $1 AND y.granularity = 'year' AND y.budget IS NOT NULL)"
    " ORDER BY f.measure_title, f.ou_title, f.ou_id";

/* The newest sources of the figures shown (the municipality, its region, Riket). */
static const char sources_sql[] =
    "SELECT v.source_uri,"
    " to_char(max(v.loaded_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC', count(*),"
    " count(*) OVER ()"
    " FROM mart.kpi_value v"
    " WHERE v.kpi_id = ANY ($1::text[]) AND v.area_id = ANY ($2::text[])"
    " GROUP BY v.source_uri ORDER BY max(v.loaded_at) DESC, v.source_uri LIMIT 12";

/* {a,b,c} for a text[] parameter; NULL for no list. */
static char *array_literal(const char *const *items, nk_error *err)
{
    size_t size = 3;
    char *out, *p;

    if (items == NULL)
        return NULL;
    for (size_t i = 0; items[i]; i++)
        size += 2 * strlen(items[i]) + 3;
    if ((out = p = report_alloc(size, 1, err)) == NULL)
        return NULL;
    *p++ = '{';
    for (size_t i = 0; items[i]; i++) {
        if (i)
            *p++ = ',';
        *p++ = '"';
        for (const char *c = items[i]; *c; c++) {
            if (*c == '"' || *c == '\\')
                *p++ = '\\';
            *p++ = *c;
        }
        *p++ = '"';
    }
    *p++ = '}';
    *p = '\0';
    return out;
}

static int gather_area(PGconn *conn, const char *area, report *rep, nk_error *err)
{
    const char *params[] = { area };
    PGresult *res = report_query(conn, rep, "the municipality", area_sql, 1, params, err);

    if (res == NULL)
        return -1;
    if (PQntuples(res) != 1)
        return nk_fail(err, NK_EXIT_USAGE,
                       PQntuples(res) ? "--area %s: more than one municipality has that name; "
                                        "give its id"
                                      : "--area %s: no municipality in mart.dim_area has that "
                                        "id or name",
                       area);
    rep->area_id = report_cell(res, 0, 0);
    rep->area_title = report_cell(res, 0, 1);
    rep->region_id = report_cell(res, 0, 2);
    rep->region_title = report_cell(res, 0, 3);
    rep->generated_at = report_cell(res, 0, 4);
    return 0;
}

static int check_kpis_known(PGconn *conn, report *rep, const char *ids, nk_error *err)
{
    const char *params[] = { ids };
    PGresult *res;

    if (ids == NULL)
        return 0;
    if ((res = report_query(conn, rep, "the KPIs", unknown_kpis_sql, 1, params, err)) == NULL)
        return -1;
    if (report_cell(res, 0, 0))
        return nk_fail(err, NK_EXIT_USAGE, "--kpi: not in the warehouse (mart.dim_kpi): %s",
                       report_cell(res, 0, 0));
    return 0;
}

/* "%" for "..., andel (%)"; otherwise what follows the title's last comma. */
static char *unit_of(const char *title)
{
    const char *comma = title ? strrchr(title, ',') : NULL;

    if (title && strstr(title, "(%)"))
        return strdup("%");
    if (comma == NULL)
        return strdup("");
    while (*++comma == ' ')
        ;
    return strdup(comma);
}

static int fill_kpi(report_kpi *kpi, const PGresult *res, int row, nk_error *err)
{
    kpi->id = report_cell(res, row, 0);
    kpi->title = report_cell(res, row, 1) ? report_cell(res, row, 1) : kpi->id;
    kpi->operating_area = report_cell(res, row, 2);
    kpi->direction = report_cell(res, row, 3);
    kpi->reason = report_cell(res, row, 4);
    kpi->has_values = report_cell(res, row, 5)[0] == 't';
    if ((kpi->unit = unit_of(report_cell(res, row, 1))) == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory gathering the report");
    kpi->is_count = report_is_count_unit(kpi->unit);
    return 0;
}

/* The ids of the groups asked for, each named by its id or its exact title. */
static char *group_ids(PGconn *conn, report *rep, const char *const *groups, nk_error *err)
{
    size_t count = 0;

    if (groups == NULL)
        return NULL;
    while (groups[count])
        count++;
    const char *ids[count + 1];
    for (size_t i = 0; i < count; i++) {
        const char *params[] = { groups[i] };
        PGresult *res = report_query(conn, rep, "the KPI groups", group_sql, 1, params, err);
        if (res == NULL)
            return NULL;
        if (PQntuples(res) != 1) {
            nk_fail(err, NK_EXIT_USAGE,
                    PQntuples(res) ? "KPI group \"%s\": more than one KPI group has that "
                                     "title; give its id"
                                   : "KPI group \"%s\": no KPI group in mart.kpi_group has "
                                     "that id or title (every kolada-api run loads Kolada's)",
                    groups[i]);
            return NULL;
        }
        ids[i] = report_cell(res, 0, 0);
    }
    ids[count] = NULL;
    return array_literal(ids, err);
}

static int gather_kpis(PGconn *conn, const report_selection *sel, report *rep, nk_error *err)
{
    char *ids = array_literal(sel->kpis, err);
    char *areas = array_literal(sel->operating_areas, err);
    char *groups = NULL;
    const char *params[4] = { rep->area_id, ids, areas, NULL };
    PGresult *res = NULL;
    int rc = -1;

    if ((sel->kpis && ids == NULL) || (sel->operating_areas && areas == NULL) ||
        (sel->kpi_groups && (groups = group_ids(conn, rep, sel->kpi_groups, err)) == NULL) ||
        check_kpis_known(conn, rep, ids, err) < 0)
        goto done;
    params[3] = groups;
    if ((res = report_query(conn, rep, "the KPIs", kpis_sql, 4, params, err)) == NULL)
        goto done;
    if (PQntuples(res) == 0) {
        nk_fail(err, NK_EXIT_USAGE, "no KPI in the warehouse matches the selection");
        goto done;
    }
    rep->kpi_count = (size_t)PQntuples(res);
    if ((rep->kpis = report_alloc(rep->kpi_count, sizeof *rep->kpis, err)) == NULL)
        goto done;
    for (int i = 0; i < PQntuples(res); i++)
        if (fill_kpi(&rep->kpis[i], res, i, err) < 0)
            goto done;
    rc = 0;
done:
    free(ids);
    free(areas);
    free(groups);
    return rc;
}

static int gather_budget(PGconn *conn, report *rep, nk_error *err)
{
    const char *params[] = { rep->area_id };
    PGresult *res = report_query(conn, rep, "the budget follow-up", budget_sql, 1, params, err);
    int rows = res ? PQntuples(res) : 0;

    if (res == NULL ||
        (rows && (rep->budget = report_alloc((size_t)rows, sizeof *rep->budget, err)) == NULL))
        return -1;
    for (int i = 0; i < rows; i++)
        rep->budget[i] = (report_budget){ report_cell(res, i, 0), report_cell(res, i, 1),
                                          report_cell(res, i, 2), report_cell(res, i, 3),
                                          report_cell(res, i, 4), report_cell(res, i, 5) };
    rep->budget_count = (size_t)rows;
    rep->budget_year = rows ? report_cell(res, 0, 6) : NULL;
    return 0;
}

static int gather_sources(PGconn *conn, report *rep, nk_error *err)
{
    const char *ids[rep->kpi_count + 1];
    const char *areas[] = { rep->area_id, "0000", rep->region_id, NULL };
    char *id_list, *area_list;
    PGresult *res;

    for (size_t i = 0; i <= rep->kpi_count; i++)
        ids[i] = i < rep->kpi_count ? rep->kpis[i].id : NULL;
    id_list = array_literal(ids, err);
    area_list = array_literal(areas, err);
    const char *params[] = { id_list, area_list };
    res = id_list && area_list ? report_query(conn, rep, "the sources", sources_sql, 2, params, err)
                               : NULL;
    free(id_list);
    free(area_list);
    if (res == NULL)
        return -1;
    rep->source_count = (size_t)PQntuples(res);
    if ((rep->sources = report_alloc(rep->source_count, sizeof *rep->sources, err)) == NULL)
        return -1;
    for (int i = 0; i < PQntuples(res); i++)
        rep->sources[i] = (report_source){ report_cell(res, i, 0), report_cell(res, i, 1),
                                           report_cell(res, i, 2) };
    rep->source_total = rep->source_count ? report_cell(res, 0, 3) : "0";
    return 0;
}

int report_gather(PGconn *conn, const report_selection *selection, report *rep, nk_error *err)
{
    if (gather_area(conn, selection->area, rep, err) < 0 ||
        gather_kpis(conn, selection, rep, err) < 0)
        return -1;
    for (size_t i = 0; i < rep->kpi_count; i++)
        if (rep->kpis[i].has_values && report_gather_kpi(conn, rep, &rep->kpis[i], err) < 0)
            return -1;
    return gather_budget(conn, rep, err) < 0 || gather_sources(conn, rep, err) < 0 ? -1 : 0;
}
