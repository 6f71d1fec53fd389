-- 005_benchmark_speed.sql: the same benchmark marts, computed in a way that
-- scales to national data (about ten million values).  003 looked up
-- Riket's, the region's and the previous year's value once per
-- municipality row, three index probes per row; here the previous year
-- comes from a window over the municipality's own years, and Riket and the
-- regions (a few per cent of the facts) are picked out once and hash-joined.
-- Columns, their meaning and their comments are those of 003.

-- The comments are kept across the drop, so that they are written once (003).
CREATE TEMP TABLE mart_comment ON COMMIT DROP AS
SELECT c.relname, a.attname, col_description(c.oid, a.attnum) AS comment,
       obj_description(c.oid, 'pg_class') AS view_comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'mart'
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relname IN ('benchmark', 'benchmark_peer_group');

DROP MATERIALIZED VIEW mart.benchmark CASCADE;

CREATE MATERIALIZED VIEW mart.benchmark AS
WITH municipal AS (
    SELECT f.kpi_id, f.area_id, a.title AS area_title, a.county_region_id, f.period_id,
           p.year, f.gender, f.value, coalesce(s.higher_is_better, true) AS higher_is_better
    FROM nyckel.fact_kpi_value f
    JOIN nyckel.dim_area a ON a.area_id = f.area_id AND a.area_type = 'municipality'
    JOIN nyckel.dim_period p ON p.period_id = f.period_id AND p.granularity = 'year'
    LEFT JOIN nyckel.kpi_setting s ON s.kpi_id = f.kpi_id
), compared AS (
    -- Riket and every region some municipality belongs to.
    SELECT f.kpi_id, f.area_id, f.period_id, f.gender, f.value
    FROM nyckel.fact_kpi_value f
    WHERE f.area_id = '0000'
       OR f.area_id IN (SELECT county_region_id FROM nyckel.dim_area
                        WHERE area_type = 'municipality')
), ranked AS (
    SELECT m.*,
           CASE WHEN m.value IS NOT NULL THEN rank() OVER w END AS rank,
           count(m.value) OVER (PARTITION BY m.kpi_id, m.year, m.gender) AS ranked_count,
           -- The row exactly one year earlier, NULL when that year is missing.
           first_value(m.value) OVER (PARTITION BY m.kpi_id, m.area_id, m.gender ORDER BY m.year
                                      RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING)
               AS previous_year_value
    FROM municipal m
    WINDOW w AS (PARTITION BY m.kpi_id, m.year, m.gender
                 ORDER BY CASE WHEN m.higher_is_better THEN -m.value ELSE m.value END NULLS LAST)
)
SELECT r.kpi_id, k.title AS kpi_title, r.area_id, r.area_title, r.period_id, r.year,
       r.gender, r.value,
       riket.value AS riket_value,
       r.county_region_id AS region_id,
       region.value AS region_value,
       r.value - riket.value AS difference_to_riket,
       CASE WHEN riket.value <> 0
            THEN 100 * (r.value - riket.value) / riket.value END AS difference_to_riket_percent,
       r.higher_is_better,
       r.rank::integer AS rank,
       r.ranked_count::integer AS ranked_count,
       CASE WHEN r.rank IS NOT NULL
            THEN least(4, 1 + (4 * (r.rank - 1)) / r.ranked_count)::smallint END AS quartile,
       r.previous_year_value,
       r.value - r.previous_year_value AS change_since_previous_year
FROM ranked r
JOIN nyckel.dim_kpi k ON k.kpi_id = r.kpi_id
LEFT JOIN compared riket
       ON riket.kpi_id = r.kpi_id AND riket.area_id = '0000'
      AND riket.period_id = r.period_id AND riket.gender = r.gender
LEFT JOIN compared region
       ON region.kpi_id = r.kpi_id AND region.area_id = r.county_region_id
      AND region.period_id = r.period_id AND region.gender = r.gender;
-- "All KPIs for one municipality in the latest year" reads one area's rows.
CREATE UNIQUE INDEX benchmark_key ON mart.benchmark (kpi_id, area_id, period_id, gender);
CREATE INDEX benchmark_area_year ON mart.benchmark (area_id, year);

-- Dropped with mart.benchmark; unchanged from 003.
CREATE MATERIALIZED VIEW mart.benchmark_peer_group AS
WITH group_mean AS (
    SELECT m.group_id, f.kpi_id, f.period_id, f.gender, avg(f.value) AS mean,
           count(f.value) AS members_with_value
    FROM nyckel.area_group_member m
    JOIN nyckel.fact_kpi_value f ON f.area_id = m.member_id
    GROUP BY m.group_id, f.kpi_id, f.period_id, f.gender
)
SELECT b.kpi_id, b.area_id, b.period_id, b.year, b.gender, b.value,
       m.group_id, g.title AS group_title, g.group_origin,
       gm.mean AS group_mean, gm.members_with_value::integer AS members_with_value,
       b.value - gm.mean AS difference_to_group_mean
FROM mart.benchmark b
JOIN nyckel.area_group_member m ON m.member_id = b.area_id
JOIN nyckel.dim_area g ON g.area_id = m.group_id
JOIN group_mean gm ON gm.group_id = m.group_id AND gm.kpi_id = b.kpi_id
                  AND gm.period_id = b.period_id AND gm.gender = b.gender;
CREATE UNIQUE INDEX benchmark_peer_group_key
    ON mart.benchmark_peer_group (kpi_id, area_id, period_id, gender, group_id);
CREATE INDEX benchmark_peer_group_area_year ON mart.benchmark_peer_group (area_id, year);

DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT DISTINCT relname, view_comment FROM mart_comment LOOP
        EXECUTE format('COMMENT ON MATERIALIZED VIEW mart.%I IS %L', c.relname, c.view_comment);
    END LOOP;
    FOR c IN SELECT relname, attname, comment FROM mart_comment LOOP
        EXECUTE format('COMMENT ON COLUMN mart.%I.%I IS %L', c.relname, c.attname, c.comment);
    END LOOP;
END
$$;
GRANT SELECT ON mart.benchmark, mart.benchmark_peer_group TO nyckel_bi;
