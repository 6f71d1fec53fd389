-- 007_benchmark_narrow.sql: the benchmark marts keep their names, columns
-- and comments, but what is stored shrinks to what needs every municipality
-- at once: the rank, Riket's, the region's and the previous year's value
-- (mart.benchmark_value), and each group's mean (mart.benchmark_group_mean).
-- Titles, differences and quartiles are read through views over them.
--
-- At one million values 005's refresh spent about 15 s of every changing
-- load writing wide rows (titles repeated per row, each benchmark row again
-- per group) and sorting twice; here the previous year is a hash join, not
-- a second window sort, and the region is matched on all four keys instead
-- of being filtered out of every region's rows.
--
-- The two are tables, not materialised views, so that a load that changed
-- a few KPIs recomputes those KPIs only (nyckel.refresh_benchmark): ranks,
-- Riket, regions, the previous year and group means never cross KPIs.

-- The old marts stay, renamed, until the new ones have their comments.
ALTER MATERIALIZED VIEW mart.benchmark RENAME TO benchmark_005;
ALTER MATERIALIZED VIEW mart.benchmark_peer_group RENAME TO benchmark_peer_group_005;

-- The benchmark rows of some KPIs, or of all when kpis is NULL.
CREATE FUNCTION nyckel.benchmark_rows(kpis text[])
RETURNS TABLE (kpi_id text, area_id text, period_id text, year integer, gender text,
               value double precision, riket_value double precision, region_id text,
               region_value double precision, higher_is_better boolean, rank integer,
               ranked_count integer, previous_year_value double precision)
LANGUAGE sql STABLE AS $$
    -- The facts of those KPIs, for the ranks and for every value looked up
    -- beside them: hashing all facts for a few KPIs took seconds.
    WITH selected AS NOT MATERIALIZED (
        SELECT v.* FROM nyckel.fact_kpi_value v WHERE kpis IS NULL OR v.kpi_id = ANY (kpis)
    ), municipal AS (
        SELECT f.kpi_id, f.area_id, a.county_region_id, f.period_id, p.year, f.gender, f.value,
               coalesce(s.higher_is_better, true) AS higher_is_better
        FROM selected f
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
    LEFT JOIN selected riket
           ON riket.kpi_id = r.kpi_id AND riket.area_id = '0000'
          AND riket.period_id = r.period_id AND riket.gender = r.gender
    LEFT JOIN selected region
           ON region.kpi_id = r.kpi_id AND region.area_id = r.county_region_id
          AND region.period_id = r.period_id AND region.gender = r.gender
    LEFT JOIN nyckel.dim_period previous_period
           ON previous_period.granularity = 'year' AND previous_period.year = r.year - 1
    LEFT JOIN selected previous
           ON previous.kpi_id = r.kpi_id AND previous.area_id = r.area_id
          AND previous.period_id = previous_period.period_id AND previous.gender = r.gender;
$$;
COMMENT ON FUNCTION nyckel.benchmark_rows(text[]) IS
    'Jämförelseraderna för några nyckeltal (NULL: alla). / The benchmark rows of some KPIs (NULL: all).';

-- Filled, and given its keys, by nyckel.refresh_benchmark below.
CREATE TABLE mart.benchmark_value AS SELECT * FROM nyckel.benchmark_rows(NULL) WITH NO DATA;
COMMENT ON TABLE mart.benchmark_value IS
    'Det som mart.benchmark räknar över alla kommuner: rang, rikets, regionens och föregående års värde. Läs mart.benchmark. / What mart.benchmark computes across all municipalities: rank, Riket''s, the region''s and the previous year''s value. Read mart.benchmark.';

-- The group means of some KPIs, or of all when kpis is NULL.
CREATE FUNCTION nyckel.benchmark_group_means(kpis text[])
RETURNS TABLE (group_id text, kpi_id text, period_id text, gender text,
               group_mean double precision, members_with_value integer)
LANGUAGE sql STABLE AS $$
    SELECT m.group_id, f.kpi_id, f.period_id, f.gender, avg(f.value),
           count(f.value)::integer
    FROM nyckel.area_group_member m
    JOIN nyckel.fact_kpi_value f ON f.area_id = m.member_id
    WHERE kpis IS NULL OR f.kpi_id = ANY (kpis)
    GROUP BY m.group_id, f.kpi_id, f.period_id, f.gender;
$$;
COMMENT ON FUNCTION nyckel.benchmark_group_means(text[]) IS
    'Gruppernas medelvärden för några nyckeltal (NULL: alla). / The group means of some KPIs (NULL: all).';

CREATE TABLE mart.benchmark_group_mean AS SELECT * FROM nyckel.benchmark_group_means(NULL)
WITH NO DATA;
COMMENT ON TABLE mart.benchmark_group_mean IS
    'Medelvärde per grupp, nyckeltal, period och kön. Läs mart.benchmark_peer_group. / Mean per group, KPI, period and gender. Read mart.benchmark_peer_group.';

-- Recompute the benchmark of some KPIs, or all of it when kpis is NULL;
-- nyckel-load calls this in its transaction after the facts changed.  All
-- of it is written into tables without keys, which are then built in one
-- sort each: maintaining them row by row made the whole refresh a quarter
-- slower.  "One municipality, all KPIs, latest year" reads (area_id, year).
CREATE FUNCTION nyckel.refresh_benchmark(kpis text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF kpis IS NOT NULL THEN
        DELETE FROM mart.benchmark_value b WHERE b.kpi_id = ANY (kpis);
        DELETE FROM mart.benchmark_group_mean g WHERE g.kpi_id = ANY (kpis);
        INSERT INTO mart.benchmark_value SELECT * FROM nyckel.benchmark_rows(kpis);
        INSERT INTO mart.benchmark_group_mean SELECT * FROM nyckel.benchmark_group_means(kpis);
        RETURN;
    END IF;
    TRUNCATE mart.benchmark_value, mart.benchmark_group_mean;
    ALTER TABLE mart.benchmark_value DROP CONSTRAINT IF EXISTS benchmark_value_key;
    DROP INDEX IF EXISTS mart.benchmark_value_area_year;
    ALTER TABLE mart.benchmark_group_mean DROP CONSTRAINT IF EXISTS benchmark_group_mean_key;
    INSERT INTO mart.benchmark_value SELECT * FROM nyckel.benchmark_rows(NULL);
    INSERT INTO mart.benchmark_group_mean SELECT * FROM nyckel.benchmark_group_means(NULL);
    ALTER TABLE mart.benchmark_value
        ADD CONSTRAINT benchmark_value_key PRIMARY KEY (kpi_id, area_id, period_id, gender);
    CREATE INDEX benchmark_value_area_year ON mart.benchmark_value (area_id, year);
    ALTER TABLE mart.benchmark_group_mean
        ADD CONSTRAINT benchmark_group_mean_key PRIMARY KEY (group_id, kpi_id, period_id, gender);
END
$$;
COMMENT ON FUNCTION nyckel.refresh_benchmark(text[]) IS
    'Räknar om jämförelsen för några nyckeltal (NULL: alla). / Recomputes the benchmark of some KPIs (NULL: all).';

SELECT nyckel.refresh_benchmark(NULL);

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
