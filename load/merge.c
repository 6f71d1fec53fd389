/*
 * merge.c: the set-based merge of the staging tables into the star schema.
 *
 * It runs inside the load's one transaction.  Each step is one statement
 * over whole tables (no row-by-row work): dimensions are upserted and their
 * names and titles keep type-2 history, ids that facts use but no dimension
 * file delivered become "inferred" dimension rows, and facts are merged by
 * natural key: deletions first (Kolada's, and internal figures a corrected
 * delivery no longer holds, see delivery.c), then changed rows updated (IS
 * DISTINCT FROM, so NULLs compare as values), then new rows inserted.  Rows that did not
 * change are not touched, which keeps a repeated load at zero changes.
 * Many new fact rows go in by the bulk path of bulk.c; the Kolada values
 * of a first load are not staged at all but copied straight into the
 * empty fact table between the source and dimension steps (first_load.c),
 * and their own steps skipped.  The staging tables are analysed once they
 * are filled (stage_copy.c), so every step gets a hash join or aggregate
 * instead of a plan made for an empty table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"

/* The keys a staged table must have, non-NULL and unique. */
typedef struct merge_key {
    const char *staged;
    const char *columns;
    int is_fact;     /* the warehouse table of the same name has this key as its primary key */
    int is_streamed; /* fact_stream.c found every row's key whole */
} merge_key;

static const merge_key keys[] = {
    { "source", "source_ref", 0, 0 },
    { "dim_period", "period_id", 0, 0 },
    { "dim_kpi", "kpi_id", 0, 0 },
    { "dim_area", "area_id", 0, 0 },
    { "area_group_member", "group_id, member_id", 0, 0 },
    { "dim_ou", "ou_id", 0, 0 },
    { "dim_measure", "measure_id", 0, 0 },
    { "dim_breakdown", "breakdown_id", 0, 0 },
    { "fact_kpi_value", "kpi_id, area_id, period_id, gender", 1, 1 },
    { "fact_kpi_value_deleted", "kpi_id, area_id, period_id, gender", 0, 0 },
    { "fact_ou_value", "kpi_id, ou_id, period_id, gender", 1, 0 },
    { "fact_ou_value_deleted", "kpi_id, ou_id, period_id, gender", 0, 0 },
    { "fact_internal_value", "measure_id, ou_id, period_id, scenario, breakdown_id", 1, 0 },
};

#define KEY_COUNT (sizeof keys / sizeof keys[0])

/*
 * Fact tables whose source_ref must name a row of the source table, and
 * where their source_refs are: the Kolada values' were noted as they
 * streamed (fact_stream.c).
 */
typedef struct merge_sourced {
    const char *staged;
    const char *refs;
} merge_sourced;

static const merge_sourced sourced[] = {
    { "fact_kpi_value", "(SELECT id AS source_ref FROM pg_temp.nyckel_fact_id"
                        " WHERE column_name = 'source_ref')" },
    { "fact_kpi_value_deleted", "staging.fact_kpi_value_deleted" },
    { "fact_ou_value", "staging.fact_ou_value" },
    { "fact_ou_value_deleted", "staging.fact_ou_value_deleted" },
    { "fact_internal_value", "staging.fact_internal_value" },
};

/*
 * A warehouse table and how to count the rows delivered for it; NULL: the
 * rows of its staged file, which the staging COPY checked against the
 * manifest (the values of a first load are never staged).
 */
typedef struct merge_delivery {
    const char *target;
    const char *count_sql;
} merge_delivery;

static const merge_delivery deliveries[] = {
    { "dim_source", "SELECT count(DISTINCT (uri, sha256)) FROM staging.source" },
    { "dim_period", "SELECT count(*) FROM staging.dim_period" },
    { "dim_kpi", "SELECT count(*) FROM staging.dim_kpi" },
    { "dim_kpi_history", "SELECT 0" },
    { "dim_area", "SELECT count(*) FROM staging.dim_area" },
    { "dim_area_history", "SELECT 0" },
    { "area_group_member", "SELECT count(*) FROM staging.area_group_member" },
    { "dim_ou", "SELECT count(*) FROM staging.dim_ou" },
    { "dim_ou_history", "SELECT 0" },
    { "dim_measure", "SELECT count(*) FROM staging.dim_measure" },
    { "dim_breakdown", "SELECT count(*) FROM staging.dim_breakdown" },
    { "fact_kpi_value", NULL },
    { "fact_ou_value", NULL },
    { "fact_internal_value", NULL },
};

enum step_kind {
    STEP_INSERTED, /* new rows delivered in staging */
    STEP_INFERRED, /* new rows nobody delivered: ids that facts or bridges use */
    STEP_UPDATED,
    STEP_DELETED,
    STEP_NEW_FACTS /* INSERT INTO nyckel.fact_… (columns) SELECT the new rows */
};

typedef struct merge_step {
    const char *target;
    enum step_kind kind;
    const char *sql; /* $1 is the run key */
} merge_step;

#define FACT_SOURCE(alias)                                                                   \
    " JOIN staging.source src ON src.source_ref = " alias ".source_ref"                      \
    " JOIN nyckel.dim_source ds ON ds.uri = src.uri AND ds.sha256 = src.sha256"

/*
 * The ids of a staged fact column that a dimension lacks.  Filtering each
 * fact table before the UNION leaves it a handful of rows to deduplicate
 * instead of every staged value: half the time at a million values.  A
 * union of nothing else needs no check of its own.  The Kolada values'
 * distinct ids were noted as they streamed (fact_stream.c), so no scan of
 * them is needed, and in a first load they are not staged at all.
 */
#define UNKNOWN(column, staged, dim)                                                         \
    " SELECT " column " FROM staging." staged " f WHERE NOT EXISTS"                         \
    " (SELECT 1 FROM nyckel." dim " d WHERE d." column " = f." column ")"
#define UNKNOWN_VALUE_ID(column, dim)                                                        \
    " SELECT f.id AS " column " FROM pg_temp.nyckel_fact_id f"                              \
    " WHERE f.column_name = '" column "' AND NOT EXISTS"                                    \
    " (SELECT 1 FROM nyckel." dim " d WHERE d." column " = f.id)"

/* A KPI attribute as delivered, or the warehouse's own when the delivery lacked it. */
#define KEPT(column)                                                                         \
    "CASE WHEN '" column "' = ANY (s.missing_fields) THEN d." column " ELSE s." column " END"

static const merge_step steps[] = {
    { "dim_source", STEP_INSERTED,
      "INSERT INTO nyckel.dim_source (uri, sha256, size, fetched_at, run_key)"
      " SELECT DISTINCT ON (uri, sha256) uri, sha256, size, fetched_at, $1::bigint"
      " FROM staging.source ORDER BY uri, sha256, fetched_at"
      " ON CONFLICT (uri, sha256) DO NOTHING" },

    /*
     * Periods: as delivered, then any id the facts use, parsed from the id.
     * OFFSET 0 keeps the planner from pushing parse_period's regular
     * expressions down into the scans of every staged value (10 s at ten
     * million): only the few unknown ids are parsed.
     */
    { "dim_period", STEP_UPDATED,
      "UPDATE nyckel.dim_period d SET granularity = s.granularity, year = s.year,"
      " start_date = s.start_date, end_date = s.end_date"
      " FROM staging.dim_period s WHERE d.period_id = s.period_id"
      " AND (d.granularity, d.year, d.start_date, d.end_date)"
      " IS DISTINCT FROM (s.granularity, s.year, s.start_date, s.end_date)" },
    { "dim_period", STEP_INSERTED,
      "INSERT INTO nyckel.dim_period (period_id, granularity, year, start_date, end_date)"
      " SELECT period_id, granularity, year, start_date, end_date FROM staging.dim_period s"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_period d WHERE d.period_id = s.period_id)" },
    { "dim_period", STEP_INFERRED,
      "INSERT INTO nyckel.dim_period (period_id, granularity, year, start_date, end_date)"
      " SELECT p.period_id, p.granularity, p.year, p.start_date, p.end_date"
      " FROM (" UNKNOWN_VALUE_ID("period_id", "dim_period")
      " UNION" UNKNOWN("period_id", "fact_ou_value", "dim_period")
      " UNION" UNKNOWN("period_id", "fact_internal_value", "dim_period") " OFFSET 0) ids"
      " CROSS JOIN LATERAL nyckel.parse_period(ids.period_id) p" },

    /* KPIs: an attribute the delivery lacked (missing_fields) keeps the warehouse's value. */
    { "dim_kpi", STEP_UPDATED,
      "UPDATE nyckel.dim_kpi d SET title = s.title, description = " KEPT("description") ","
      " operating_area = " KEPT("operating_area") ","
      " is_divided_by_gender = " KEPT("is_divided_by_gender") ","
      " municipality_type = " KEPT("municipality_type") ", has_ou_data = " KEPT("has_ou_data") ","
      " publication_date = " KEPT("publication_date") ", auspices = " KEPT("auspices") ","
      " perspective = " KEPT("perspective") ", is_inferred = false, run_key = $1::bigint"
      " FROM staging.dim_kpi s WHERE d.kpi_id = s.kpi_id"
      " AND (d.title, d.description, d.operating_area, d.is_divided_by_gender,"
      "      d.municipality_type, d.has_ou_data, d.publication_date, d.auspices,"
      "      d.perspective, d.is_inferred)"
      " IS DISTINCT FROM (s.title, " KEPT("description") ", " KEPT("operating_area") ","
      "      " KEPT("is_divided_by_gender") ", " KEPT("municipality_type") ","
      "      " KEPT("has_ou_data") ", " KEPT("publication_date") ", " KEPT("auspices") ","
      "      " KEPT("perspective") ", false)" },
    { "dim_kpi", STEP_INSERTED,
      "INSERT INTO nyckel.dim_kpi (kpi_id, title, description, operating_area,"
      " is_divided_by_gender, municipality_type, has_ou_data, publication_date, auspices,"
      " perspective, run_key)"
      " SELECT kpi_id, title, description, operating_area, is_divided_by_gender,"
      " municipality_type, has_ou_data, publication_date, auspices, perspective, $1::bigint"
      " FROM staging.dim_kpi s"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_kpi d WHERE d.kpi_id = s.kpi_id)" },
    { "dim_kpi", STEP_INFERRED,
      "INSERT INTO nyckel.dim_kpi (kpi_id, is_inferred, run_key)"
      " SELECT kpi_id, true, $1::bigint"
      " FROM (" UNKNOWN_VALUE_ID("kpi_id", "dim_kpi")
      " UNION" UNKNOWN("kpi_id", "fact_ou_value", "dim_kpi") ") ids" },
    { "dim_kpi_history", STEP_UPDATED,
      "UPDATE nyckel.dim_kpi_history h SET valid_to = now(), is_current = false"
      " FROM staging.dim_kpi s WHERE h.kpi_id = s.kpi_id AND h.is_current"
      " AND h.title IS DISTINCT FROM s.title" },
    { "dim_kpi_history", STEP_INSERTED,
      "INSERT INTO nyckel.dim_kpi_history (kpi_id, title, valid_from, is_current, run_key)"
      " SELECT kpi_id, title, now(), true, $1::bigint FROM staging.dim_kpi s"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_kpi_history h"
      "                   WHERE h.kpi_id = s.kpi_id AND h.is_current)" },

    /* Areas, the group bridge and area history. */
    { "dim_area", STEP_UPDATED,
      "UPDATE nyckel.dim_area d SET title = s.title, area_type = s.area_type,"
      " municipality_type = s.municipality_type, county_code = s.county_code,"
      " county_region_id = s.county_region_id,"
      " group_origin = CASE WHEN s.area_type = 'group' THEN s.group_origin END,"
      " is_inferred = false, run_key = $1::bigint"
      " FROM staging.dim_area s WHERE d.area_id = s.area_id"
      " AND (d.title, d.area_type, d.municipality_type, d.county_code, d.county_region_id,"
      "      d.group_origin, d.is_inferred)"
      " IS DISTINCT FROM (s.title, s.area_type, s.municipality_type, s.county_code,"
      "      s.county_region_id, CASE WHEN s.area_type = 'group' THEN s.group_origin END, false)" },
    { "dim_area", STEP_INSERTED,
      "INSERT INTO nyckel.dim_area (area_id, title, area_type, municipality_type, county_code,"
      " county_region_id, group_origin, run_key)"
      " SELECT area_id, title, area_type, municipality_type, county_code, county_region_id,"
      " CASE WHEN area_type = 'group' THEN group_origin END, $1::bigint FROM staging.dim_area s"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_area d WHERE d.area_id = s.area_id)" },
    { "dim_area", STEP_INFERRED,
      "INSERT INTO nyckel.dim_area (area_id, area_type, is_inferred, run_key)"
      " SELECT area_id, nyckel.area_type_of(area_id), true, $1::bigint"
      " FROM (" UNKNOWN_VALUE_ID("area_id", "dim_area")
      "       UNION SELECT group_id FROM staging.area_group_member"
      "       UNION SELECT member_id FROM staging.area_group_member"
      "       UNION SELECT municipality_id FROM staging.dim_ou"
      "             WHERE municipality_id IS NOT NULL) ids"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_area d WHERE d.area_id = ids.area_id)" },
    { "dim_area_history", STEP_UPDATED,
      "UPDATE nyckel.dim_area_history h SET valid_to = now(), is_current = false"
      " FROM staging.dim_area s WHERE h.area_id = s.area_id AND h.is_current"
      " AND h.title IS DISTINCT FROM s.title" },
    { "dim_area_history", STEP_INSERTED,
      "INSERT INTO nyckel.dim_area_history (area_id, title, valid_from, is_current, run_key)"
      " SELECT area_id, title, now(), true, $1::bigint FROM staging.dim_area s"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_area_history h"
      "                   WHERE h.area_id = s.area_id AND h.is_current)" },
    /* A delivered group's member list replaces the one in the warehouse. */
    { "area_group_member", STEP_DELETED,
      "DELETE FROM nyckel.area_group_member m"
      " WHERE m.group_id IN (SELECT group_id FROM staging.area_group_member)"
      " AND NOT EXISTS (SELECT 1 FROM staging.area_group_member s"
      "                 WHERE s.group_id = m.group_id AND s.member_id = m.member_id)" },
    { "area_group_member", STEP_INSERTED,
      "INSERT INTO nyckel.area_group_member (group_id, member_id, run_key)"
      " SELECT group_id, member_id, $1::bigint FROM staging.area_group_member s"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.area_group_member m"
      "                   WHERE m.group_id = s.group_id AND m.member_id = s.member_id)" },

    /* Organisational units and their history (name, parent, area). */
    { "dim_ou", STEP_UPDATED,
      "UPDATE nyckel.dim_ou d SET title = s.title, area_id = s.municipality_id,"
      " parent_ou_id = s.parent_ou_id, ou_kind = s.ou_kind, is_inferred = false,"
      " run_key = $1::bigint"
      " FROM staging.dim_ou s WHERE d.ou_id = s.ou_id"
      " AND (d.title, d.area_id, d.parent_ou_id, d.ou_kind, d.is_inferred)"
      " IS DISTINCT FROM (s.title, s.municipality_id, s.parent_ou_id, s.ou_kind, false)" },
    { "dim_ou", STEP_INSERTED,
      "INSERT INTO nyckel.dim_ou (ou_id, title, area_id, parent_ou_id, ou_kind, run_key)"
      " SELECT ou_id, title, municipality_id, parent_ou_id, ou_kind, $1::bigint"
      " FROM staging.dim_ou s"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_ou d WHERE d.ou_id = s.ou_id)" },
    { "dim_ou", STEP_INFERRED,
      "INSERT INTO nyckel.dim_ou (ou_id, ou_kind, is_inferred, run_key)"
      " SELECT ou_id, min(kind), true, $1::bigint"
      " FROM (SELECT ou_id, 'kolada' AS kind FROM (" UNKNOWN("ou_id", "fact_ou_value", "dim_ou") ") k"
      "       UNION SELECT ou_id, 'internal' FROM (" UNKNOWN("ou_id", "fact_internal_value", "dim_ou") ") i) ids"
      " GROUP BY ou_id" },
    { "dim_ou_history", STEP_UPDATED,
      "UPDATE nyckel.dim_ou_history h SET valid_to = now(), is_current = false"
      " FROM staging.dim_ou s WHERE h.ou_id = s.ou_id AND h.is_current"
      " AND (h.title, h.area_id, h.parent_ou_id)"
      " IS DISTINCT FROM (s.title, s.municipality_id, s.parent_ou_id)" },
    { "dim_ou_history", STEP_INSERTED,
      "INSERT INTO nyckel.dim_ou_history (ou_id, title, area_id, parent_ou_id, valid_from,"
      " is_current, run_key)"
      " SELECT ou_id, title, municipality_id, parent_ou_id, now(), true, $1::bigint"
      " FROM staging.dim_ou s"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_ou_history h"
      "                   WHERE h.ou_id = s.ou_id AND h.is_current)" },

    /* Internal measures. */
    { "dim_measure", STEP_UPDATED,
      "UPDATE nyckel.dim_measure d SET title = s.title, unit = s.unit,"
      " description = s.description, is_inferred = false, run_key = $1::bigint"
      " FROM staging.dim_measure s WHERE d.measure_id = s.measure_id"
      " AND (d.title, d.unit, d.description, d.is_inferred)"
      " IS DISTINCT FROM (s.title, s.unit, s.description, false)" },
    { "dim_measure", STEP_INSERTED,
      "INSERT INTO nyckel.dim_measure (measure_id, title, unit, description, run_key)"
      " SELECT measure_id, title, unit, description, $1::bigint FROM staging.dim_measure s"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_measure d WHERE d.measure_id = s.measure_id)" },
    { "dim_measure", STEP_INFERRED,
      "INSERT INTO nyckel.dim_measure (measure_id, is_inferred, run_key)"
      " SELECT DISTINCT measure_id, true, $1::bigint FROM staging.fact_internal_value s"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_measure d WHERE d.measure_id = s.measure_id)" },

    /* Kolada values per area. */
    { "fact_kpi_value", STEP_DELETED,
      "DELETE FROM nyckel.fact_kpi_value f USING staging.fact_kpi_value_deleted s"
      " WHERE f.kpi_id = s.kpi_id AND f.area_id = s.area_id AND f.period_id = s.period_id"
      " AND f.gender = s.gender" },
    { "fact_kpi_value", STEP_UPDATED,
      "UPDATE nyckel.fact_kpi_value f SET value = s.value, value_count = s.value_count,"
      " status = s.status, source_key = ds.source_key, run_key = $1::bigint"
      " FROM staging.fact_kpi_value s" FACT_SOURCE("s")
      " WHERE f.kpi_id = s.kpi_id AND f.area_id = s.area_id AND f.period_id = s.period_id"
      " AND f.gender = s.gender"
      " AND (f.value, f.value_count, f.status) IS DISTINCT FROM (s.value, s.value_count, s.status)" },
    { "fact_kpi_value", STEP_NEW_FACTS,
      "INSERT INTO nyckel.fact_kpi_value (kpi_id, area_id, period_id, gender, value,"
      " value_count, status, source_key, run_key)"
      " SELECT s.kpi_id, s.area_id, s.period_id, s.gender, s.value, s.value_count, s.status,"
      " ds.source_key, $1::bigint FROM staging.fact_kpi_value s" FACT_SOURCE("s")
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.fact_kpi_value f"
      "   WHERE f.kpi_id = s.kpi_id AND f.area_id = s.area_id AND f.period_id = s.period_id"
      "   AND f.gender = s.gender)" },

    /* Kolada values per organisational unit. */
    { "fact_ou_value", STEP_DELETED,
      "DELETE FROM nyckel.fact_ou_value f USING staging.fact_ou_value_deleted s"
      " WHERE f.kpi_id = s.kpi_id AND f.ou_id = s.ou_id AND f.period_id = s.period_id"
      " AND f.gender = s.gender" },
    { "fact_ou_value", STEP_UPDATED,
      "UPDATE nyckel.fact_ou_value f SET value = s.value, value_count = s.value_count,"
      " status = s.status, source_key = ds.source_key, run_key = $1::bigint"
      " FROM staging.fact_ou_value s" FACT_SOURCE("s")
      " WHERE f.kpi_id = s.kpi_id AND f.ou_id = s.ou_id AND f.period_id = s.period_id"
      " AND f.gender = s.gender"
      " AND (f.value, f.value_count, f.status) IS DISTINCT FROM (s.value, s.value_count, s.status)" },
    { "fact_ou_value", STEP_NEW_FACTS,
      "INSERT INTO nyckel.fact_ou_value (kpi_id, ou_id, period_id, gender, value, value_count,"
      " status, source_key, run_key)"
      " SELECT s.kpi_id, s.ou_id, s.period_id, s.gender, s.value, s.value_count, s.status,"
      " ds.source_key, $1::bigint FROM staging.fact_ou_value s" FACT_SOURCE("s")
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.fact_ou_value f"
      "   WHERE f.kpi_id = s.kpi_id AND f.ou_id = s.ou_id AND f.period_id = s.period_id"
      "   AND f.gender = s.gender)" },

    /* Breakdowns of internal figures (placement form, age band). */
    { "dim_breakdown", STEP_UPDATED,
      "UPDATE nyckel.dim_breakdown d SET breakdown_kind = s.breakdown_kind, title = s.title,"
      " is_inferred = false, run_key = $1::bigint"
      " FROM staging.dim_breakdown s WHERE d.breakdown_id = s.breakdown_id"
      " AND (d.breakdown_kind, d.title, d.is_inferred)"
      " IS DISTINCT FROM (s.breakdown_kind, s.title, false)" },
    { "dim_breakdown", STEP_INSERTED,
      "INSERT INTO nyckel.dim_breakdown (breakdown_id, breakdown_kind, title, run_key)"
      " SELECT breakdown_id, breakdown_kind, title, $1::bigint FROM staging.dim_breakdown s"
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_breakdown d"
      "                   WHERE d.breakdown_id = s.breakdown_id)" },
    { "dim_breakdown", STEP_INFERRED,
      "INSERT INTO nyckel.dim_breakdown (breakdown_id, is_inferred, run_key)"
      " SELECT DISTINCT breakdown_id, true, $1::bigint FROM ("
      UNKNOWN("breakdown_id", "fact_internal_value", "dim_breakdown") ") ids" },

    /*
     * Internal figures per unit, period, scenario and breakdown; corrections
     * first (delivery.c).
     */
    { "fact_internal_value", STEP_DELETED,
      "DELETE FROM nyckel.fact_internal_value f USING pg_temp.nyckel_gone g"
      " WHERE f.measure_id = g.measure_id AND f.ou_id = g.ou_id"
      " AND f.period_id = g.period_id AND f.scenario = g.scenario"
      " AND f.breakdown_id = g.breakdown_id" },
    { "fact_internal_value", STEP_UPDATED,
      "UPDATE nyckel.fact_internal_value f SET value = s.value,"
      " is_small_count = s.is_small_count, source_key = ds.source_key, run_key = $1::bigint"
      " FROM staging.fact_internal_value s" FACT_SOURCE("s")
      " WHERE f.measure_id = s.measure_id AND f.ou_id = s.ou_id AND f.period_id = s.period_id"
      " AND f.scenario = s.scenario AND f.breakdown_id = s.breakdown_id"
      " AND (f.value, f.is_small_count) IS DISTINCT FROM (s.value, s.is_small_count)" },
    { "fact_internal_value", STEP_NEW_FACTS,
      "INSERT INTO nyckel.fact_internal_value (measure_id, ou_id, period_id, scenario, value,"
      " breakdown_id, is_small_count, source_key, run_key)"
      " SELECT s.measure_id, s.ou_id, s.period_id, s.scenario, s.value, s.breakdown_id,"
      " s.is_small_count, ds.source_key, $1::bigint FROM staging.fact_internal_value s"
      FACT_SOURCE("s")
      " WHERE NOT EXISTS (SELECT 1 FROM nyckel.fact_internal_value f"
      "   WHERE f.measure_id = s.measure_id AND f.ou_id = s.ou_id"
      "   AND f.period_id = s.period_id AND f.scenario = s.scenario"
      "   AND f.breakdown_id = s.breakdown_id)" },
};

static int first_value(PGconn *conn, const char *what, const char *sql, char *out, size_t size,
                       nk_error *err)
{
    PGresult *res = load_query(conn, what, sql, 0, NULL, err);

    if (res == NULL)
        return -1;
    snprintf(out, size, "%s", PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    return 0;
}

/*
 * A unique index on the staged key finds a repeated key with one sort, in
 * about half the time a GROUP BY over millions of rows takes, and the merge
 * can use it; drop_key_indexes removes it before the commit, so that the
 * next COPY into staging again writes to an unindexed table.
 */
static int check_unique(PGconn *conn, const merge_key *key, nk_error *err)
{
    char sql[512], what[128];

    snprintf(what, sizeof what, "checking staging.%s", key->staged);
    snprintf(sql, sizeof sql, "CREATE UNIQUE INDEX %s_key ON staging.%s (%s)", key->staged,
             key->staged, key->columns);
    return load_exec_unique(conn, what, sql, key->staged, err);
}

static int drop_key_indexes(PGconn *conn, nk_error *err)
{
    char sql[256];

    for (size_t i = 0; i < KEY_COUNT; i++) {
        snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS staging.%s_key", keys[i].staged);
        if (load_exec(conn, "dropping the staging keys", sql, 0, NULL, NULL, err) < 0)
            return -1;
    }
    return 0;
}

/*
 * Into an empty fact table every staged row is inserted, and its primary
 * key (built again by the bulk path, or checked row by row) finds a
 * repeated key on the way; building a unique index on staging first would
 * sort every staged value twice.  insert_new_facts names the key.
 */
static int check_by_warehouse(PGconn *conn, const merge_key *key, int *deferred, nk_error *err)
{
    char sql[256], found[8], what[128];

    *deferred = 0;
    if (!key->is_fact)
        return 0;
    snprintf(what, sizeof what, "checking staging.%s", key->staged);
    snprintf(sql, sizeof sql, "SELECT NOT EXISTS (SELECT 1 FROM nyckel.%s)", key->staged);
    if (first_value(conn, what, sql, found, sizeof found, err) < 0)
        return -1;
    *deferred = found[0] == 't';
    return 0;
}

static int check_whole_keys(PGconn *conn, const merge_key *key, nk_error *err)
{
    char sql[512], found[512], what[128];

    snprintf(what, sizeof what, "checking staging.%s", key->staged);
    snprintf(sql, sizeof sql,
             "SELECT row_to_json(t)::text FROM staging.%s t WHERE NOT (ROW(%s) IS NOT NULL) LIMIT 1",
             key->staged, key->columns);
    if (first_value(conn, what, sql, found, sizeof found, err) < 0)
        return -1;
    if (*found)
        return nk_fail(err, NK_EXIT_DATA, "transform/%s.copy: a row has an empty key (%s): %s",
                       key->staged, key->columns, found);
    return 0;
}

static int check_keys(PGconn *conn, const merge_key *key, int *deferred, nk_error *err)
{
    if (!key->is_streamed && check_whole_keys(conn, key, err) < 0)
        return -1;
    if (check_by_warehouse(conn, key, deferred, err) < 0)
        return -1;
    return *deferred ? 0 : check_unique(conn, key, err);
}

static int check_sources(PGconn *conn, const merge_sourced *facts, nk_error *err)
{
    char sql[512], found[512], what[128];

    snprintf(what, sizeof what, "checking staging.%s", facts->staged);
    snprintf(sql, sizeof sql,
             "SELECT coalesce(f.source_ref, '(empty)') FROM %s f"
             " LEFT JOIN staging.source s ON s.source_ref = f.source_ref"
             " WHERE s.source_ref IS NULL LIMIT 1",
             facts->refs);
    if (first_value(conn, what, sql, found, sizeof found, err) < 0)
        return -1;
    if (*found)
        return nk_fail(err, NK_EXIT_DATA,
                       "transform/%s.copy: source_ref \"%s\" is not in transform/source.copy",
                       facts->staged, found);
    return 0;
}

static int check_staging(PGconn *conn, int *deferred, nk_error *err)
{
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (check_keys(conn, &keys[i], &deferred[i], err) < 0)
            return -1;
    for (size_t i = 0; i < sizeof sourced / sizeof sourced[0]; i++)
        if (check_sources(conn, &sourced[i], err) < 0)
            return -1;
    return 0;
}

/*
 * The rows an inserting step would add, counted by its own SELECT.  A plain
 * SELECT may use parallel workers where INSERT ... SELECT may not: over
 * every staged value, counting ids no dimension knows took a third of the
 * time inserting them did, and there usually are none to insert.
 */
static int count_new_rows(PGconn *conn, const merge_step *step, const char *const *params,
                          long long *rows, nk_error *err)
{
    /* The step's own SELECT, after "INSERT INTO nyckel.… (columns)". */
    const char *select = strstr(step->sql, ") SELECT ") + 2;
    size_t size = strlen(select) + 64;
    char *sql = malloc(size), what[128];

    if (sql == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory merging %s", step->target);
    snprintf(what, sizeof what, "counting new rows for %s", step->target);
    snprintf(sql, size, "SELECT count(*) FROM (%s) new", select);
    PGresult *res = load_query(conn, what, sql, strstr(select, "$1") != NULL, params, err);
    free(sql);
    if (res == NULL)
        return -1;
    *rows = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

static int run_step(PGconn *conn, const merge_step *step, const char *const *params,
                    long long *rows, nk_error *err)
{
    char what[128];

    snprintf(what, sizeof what, "merging %s", step->target);
    return load_exec(conn, what, step->sql, strstr(step->sql, "$1") != NULL, params, rows, err);
}

/* An inserting step, skipped when it has nothing to insert. */
static int insert_rows(PGconn *conn, const merge_step *step, const char *const *params,
                       long long *rows, nk_error *err)
{
    if (count_new_rows(conn, step, params, rows, err) < 0)
        return -1;
    return *rows == 0 ? 0 : run_step(conn, step, params, rows, err);
}

static int insert_facts(PGconn *conn, const merge_step *step, const char *const *params,
                        int bulk, long long *rows, nk_error *err)
{
    return bulk ? load_bulk_insert(conn, step->target, step->sql, 1, params, rows, err)
                : run_step(conn, step, params, rows, err);
}

/*
 * The insert into an empty fact table, whose primary key stands in for the
 * staging check: when it fails, the insert is undone and the staging check
 * run after all, so that a repeated key is named as always.
 */
static int insert_checking_key(PGconn *conn, const merge_step *step, const merge_key *key,
                               const char *const *params, int bulk, long long *rows,
                               nk_error *err)
{
    const char *what = "merging facts into an empty table";
    nk_error failure;

    if (load_exec(conn, what, "SAVEPOINT nyckel_new_facts", 0, NULL, NULL, err) < 0)
        return -1;
    if (insert_facts(conn, step, params, bulk, rows, err) == 0)
        return load_exec(conn, what, "RELEASE SAVEPOINT nyckel_new_facts", 0, NULL, NULL, err);
    failure = *err;
    if (load_exec(conn, what, "ROLLBACK TO SAVEPOINT nyckel_new_facts", 0, NULL, NULL, err) < 0 ||
        check_unique(conn, key, err) == 0)
        *err = failure;
    return -1;
}

/* New fact rows: many of them take the bulk path (bulk.c). */
static int insert_new_facts(PGconn *conn, const merge_step *step, const int *deferred,
                            const char *const *params, long long *rows, nk_error *err)
{
    int bulk = 0;

    if (count_new_rows(conn, step, params, rows, err) < 0)
        return -1;
    if (*rows == 0)
        return 0;
    if (load_bulk_wanted(conn, step->target, *rows, &bulk, err) < 0)
        return -1;
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (deferred[i] && strcmp(keys[i].staged, step->target) == 0)
            return insert_checking_key(conn, step, &keys[i], params, bulk, rows, err);
    return insert_facts(conn, step, params, bulk, rows, err);
}

/* What one merge needs besides the connection. */
typedef struct merge_run {
    const load_plan *plan;
    const char *run_key;
    load_first_load *first;
    int deferred[KEY_COUNT];             /* keys[i] is left to the warehouse table's primary key */
    long long inferred[LOAD_MAX_TABLES]; /* by result table: rows nobody delivered */
    load_result *result;
} merge_run;

static void count_step(merge_run *run, const merge_step *step, long long rows)
{
    load_count *count = load_result_table(run->result, step->target);

    if (step->kind == STEP_INSERTED || step->kind == STEP_NEW_FACTS)
        count->inserted += rows;
    else if (step->kind == STEP_INFERRED) {
        count->inserted += rows;
        run->inferred[count - run->result->tables] += rows;
    } else if (step->kind == STEP_UPDATED)
        count->updated += rows;
    else
        count->deleted += rows;
}

/* A first load's values, once their sources are in dim_source. */
static int copy_first_values(PGconn *conn, merge_run *run, nk_error *err)
{
    long long rows = 0;

    if (load_first_load_copy(conn, run->plan, run->run_key, run->first, &rows, err) < 0)
        return -1;
    load_result_table(run->result, "fact_kpi_value")->inserted += rows;
    return 0;
}

static int run_steps(PGconn *conn, merge_run *run, nk_error *err)
{
    const char *params[] = { run->run_key };

    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        const merge_step *step = &steps[i];
        long long rows;
        /* Into the empty table there is nothing to delete, update or compare. */
        if (run->first->wanted && strcmp(step->target, "fact_kpi_value") == 0)
            continue;
        int rc = step->kind == STEP_NEW_FACTS  ? insert_new_facts(conn, step, run->deferred,
                                                                  params, &rows, err)
                 : step->kind == STEP_INFERRED ? insert_rows(conn, step, params, &rows, err)
                                               : run_step(conn, step, params, &rows, err);
        if (rc < 0)
            return -1;
        count_step(run, step, rows);
        if (run->first->wanted && strcmp(step->target, "dim_source") == 0 &&
            copy_first_values(conn, run, err) < 0)
            return -1;
    }
    return 0;
}

/* Unchanged: delivered rows that were neither new nor changed. */
static int count_unchanged(PGconn *conn, merge_run *run, nk_error *err)
{
    load_result *result = run->result;

    for (size_t i = 0; i < sizeof deliveries / sizeof deliveries[0]; i++) {
        const merge_delivery *delivery = &deliveries[i];
        const load_staged *staged = load_plan_find(run->plan, delivery->target);
        load_count *count = load_result_table(result, delivery->target);
        long long delivered = staged ? staged->rows : 0;
        char found[32], what[128];
        snprintf(what, sizeof what, "counting staged rows for %s", delivery->target);
        if (delivery->count_sql) {
            if (first_value(conn, what, delivery->count_sql, found, sizeof found, err) < 0)
                return -1;
            delivered = atoll(found);
        }
        long long from_staging = count->inserted - run->inferred[count - result->tables];
        count->unchanged = delivered - from_staging - count->updated;
        if (count->unchanged < 0)
            count->unchanged = 0;
    }
    return 0;
}

/* Tables nothing was delivered for and nothing changed in are not reported. */
static void drop_idle(load_result *result, const load_plan *plan)
{
    size_t kept = 0;

    for (size_t i = 0; i < result->count; i++) {
        const load_count *c = &result->tables[i];
        int delivered = load_plan_find(plan, c->table) != NULL ||
                        (strcmp(c->table, "dim_source") == 0 && load_plan_find(plan, "source"));
        if (delivered || c->inserted || c->updated || c->deleted || c->unchanged)
            result->tables[kept++] = *c;
    }
    result->count = kept;
}

/* What the merge is about to do, listed before it does it. */
static int list_changes(PGconn *conn, const load_merge_input *input, nk_error *err)
{
    if (input->changes == NULL)
        return 0;
    return load_changes_list(conn, input->changes, input->first->wanted, err);
}

int load_merge(PGconn *conn, const load_merge_input *input, load_result *result,
               nk_error *err)
{
    merge_run run = { .plan = input->plan, .run_key = input->run_key, .first = input->first,
                      .result = result };

    if (check_staging(conn, run.deferred, err) < 0 ||
        load_delivery_prepare(conn, input->delivery, err) < 0 ||
        list_changes(conn, input, err) < 0 || run_steps(conn, &run, err) < 0 ||
        load_delivery_tag(conn, input->delivery, err) < 0 ||
        count_unchanged(conn, &run, err) < 0 || drop_key_indexes(conn, err) < 0 ||
        load_analyze_changed(conn, result, err) < 0)
        return -1;
    drop_idle(result, input->plan);
    return 0;
}
