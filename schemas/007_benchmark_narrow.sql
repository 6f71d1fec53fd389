-- 007_benchmark_narrow.sql: the benchmark marts keep their names, columns
-- and comments, but what is materialised shrinks to what needs every
-- municipality at once: the rank, Riket's, the region's and the previous
-- year's value (mart.benchmark_value), and each group's mean
-- (mart.benchmark_group_mean).  Titles, differences and quartiles are read
-- through views over them.  At one million values 005's refresh spent about
-- 15 s of every changing load writing wide rows (titles repeated per row,
-- each benchmark row again per group) and sorting twice; here the previous
-- year is a hash join, not a second window sort, and the region is matched
-- on all four keys instead of being filtered out of every region's rows.

-- The old marts stay, renamed, until the new ones have their comments.
ALTER MATERIALIZED VIEW mart.benchmark RENAME TO benchmark_005;
ALTER MATERIALIZED VIEW mart.benchmark_peer_group RENAME TO benchmark_peer_group_005;

CREATE MATERIALIZED VIEW mart.benchmark_value AS
WITH municipal AS (
    SELECT f.kpi_id, f.area_id, a.county_region_id, f.period_id, p.year, f.gender, f.value,
           coalesce(s.higher_is_better, true) AS higher_is_better
    FROM nyckel.fact_kpi_value f
    JOIN nyckel.dim_area a ON a.area_id = f.area_id AND a.area_type = 'municipality'
    JOIN nyckel.dim_period p ON p.period_id = f.period_id AND p.granularity = 'year'
    LEFT JOIN nyckel.kpi_setting s ON s.kpi_id = f.kpi_id
), ranked AS (
    SELECT m.*,
           CASE WHEN m.value IS NOT NULL THEN rank() OVER w END AS rank,
           count(m.value) OVER (PARTITION BY m.kpi_id, m.year, m.gender) AS ranked_count
    FROM municipal m
    WINDOW w AS (PARTITION BY m.kpi_id, m.year, m.gender
                 ORDER BY CASE WHEN m.higher_is_better THEN -m.value ELSE m.value END NULLS LAST)
)
SELECT r.kpi_id, r.area_id, r.period_id, r.year, r.gender, r.value,
       riket.value AS riket_value,
       r.county_region_id AS region_id, region.value AS region_value,
       r.higher_is_better, r.rank::integer AS rank, r.ranked_count::integer AS ranked_count,
       previous.value AS previous_year_value
FROM ranked r
LEFT JOIN nyckel.fact_kpi_value riket
       ON riket.kpi_id = r.kpi_id AND riket.area_id = '0000'
      AND riket.period_id = r.period_id AND riket.gender = r.gender
LEFT JOIN nyckel.fact_kpi_value region
       ON region.kpi_id = r.kpi_id AND region.area_id = r.county_region_id
      AND region.period_id = r.period_id AND region.gender = r.gender
LEFT JOIN nyckel.dim_period previous_period
       ON previous_period.granularity = 'year' AND previous_period.year = r.year - 1
LEFT JOIN nyckel.fact_kpi_value previous
       ON previous.kpi_id = r.kpi_id AND previous.area_id = r.area_id
      AND previous.period_id = previous_period.period_id AND previous.gender = r.gender;
CREATE UNIQUE INDEX benchmark_value_key ON mart.benchmark_value (kpi_id, area_id, period_id, gender);
CREATE INDEX benchmark_value_area_year ON mart.benchmark_value (area_id, year);
COMMENT ON MATERIALIZED VIEW mart.benchmark_value IS
    'Det som mart.benchmark räknar över alla kommuner: rang, rikets, regionens och föregående års värde. Läs mart.benchmark. / What mart.benchmark computes across all municipalities: rank, Riket''s, the region''s and the previous year''s value. Read mart.benchmark.';

CREATE MATERIALIZED VIEW mart.benchmark_group_mean AS
SELECT m.group_id, f.kpi_id, f.period_id, f.gender, avg(f.value) AS group_mean,
       count(f.value)::integer AS members_with_value
FROM nyckel.area_group_member m
JOIN nyckel.fact_kpi_value f ON f.area_id = m.member_id
GROUP BY m.group_id, f.kpi_id, f.period_id, f.gender;
CREATE UNIQUE INDEX benchmark_group_mean_key
    ON mart.benchmark_group_mean (group_id, kpi_id, period_id, gender);
COMMENT ON MATERIALIZED VIEW mart.benchmark_group_mean IS
    'Medelvärde per grupp, nyckeltal, period och kön. Läs mart.benchmark_peer_group. / Mean per group, KPI, period and gender. Read mart.benchmark_peer_group.';

-- The titles are looked up per row read rather than joined, so that the
-- view stays a single-table query: the planner then answers max(year) for
-- one municipality from the (area_id, year) index alone.
CREATE VIEW mart.benchmark AS
SELECT b.kpi_id, (SELECT k.title FROM nyckel.dim_kpi k WHERE k.kpi_id = b.kpi_id) AS kpi_title,
       b.area_id, (SELECT a.title FROM nyckel.dim_area a WHERE a.area_id = b.area_id) AS area_title,
       b.period_id, b.year, b.gender, b.value, b.riket_value, b.region_id, b.region_value,
       b.value - b.riket_value AS difference_to_riket,
       CASE WHEN b.riket_value <> 0
            THEN 100 * (b.value - b.riket_value) / b.riket_value END AS difference_to_riket_percent,
       b.higher_is_better, b.rank, b.ranked_count,
       CASE WHEN b.rank IS NOT NULL
            THEN least(4, 1 + (4 * (b.rank - 1)) / b.ranked_count)::smallint END AS quartile,
       b.previous_year_value,
       b.value - b.previous_year_value AS change_since_previous_year
FROM mart.benchmark_value b;

CREATE VIEW mart.benchmark_peer_group AS
SELECT b.kpi_id, b.area_id, b.period_id, b.year, b.gender, b.value,
       m.group_id, g.title AS group_title, g.group_origin,
       gm.group_mean, gm.members_with_value,
       b.value - gm.group_mean AS difference_to_group_mean
FROM mart.benchmark_value b
JOIN nyckel.area_group_member m ON m.member_id = b.area_id
JOIN nyckel.dim_area g ON g.area_id = m.group_id
JOIN mart.benchmark_group_mean gm ON gm.group_id = m.group_id AND gm.kpi_id = b.kpi_id
                                 AND gm.period_id = b.period_id AND gm.gender = b.gender;

SELECT nyckel.copy_column_comments('mart.benchmark', 'mart.benchmark_005');
SELECT nyckel.copy_column_comments('mart.benchmark_peer_group', 'mart.benchmark_peer_group_005');
SELECT nyckel.copy_column_comments('mart.benchmark_value', 'mart.benchmark_005');
SELECT nyckel.copy_column_comments('mart.benchmark_group_mean', 'mart.benchmark_peer_group_005');
DO $$
BEGIN
    EXECUTE format('COMMENT ON VIEW mart.benchmark IS %L',
                   obj_description('mart.benchmark_005'::regclass, 'pg_class'));
    EXECUTE format('COMMENT ON VIEW mart.benchmark_peer_group IS %L',
                   obj_description('mart.benchmark_peer_group_005'::regclass, 'pg_class'));
END
$$;
DROP MATERIALIZED VIEW mart.benchmark_005 CASCADE;
GRANT SELECT ON mart.benchmark, mart.benchmark_peer_group,
                mart.benchmark_value, mart.benchmark_group_mean TO nyckel_bi;
