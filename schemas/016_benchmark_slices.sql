-- 016_benchmark_slices.sql: the stored benchmark becomes one row per slice
-- (KPI × year × gender, the municipalities a rank is computed among)
-- instead of one row per value, and the rest is read from the facts.
--
-- mart.benchmark_value held every municipal value again with its rank and
-- Riket's, the region's and the previous year's value: a first load wrote
-- every value twice with two sets of keys, and a refresh that changed 1 %
-- of the values, scattered, touched nearly every KPI and rewrote most of
-- it (61 % of a full load at three million values).  Ranks are all it
-- needs every municipality for, and a rank only depends on the values of
-- its slice: mart.benchmark_slice keeps each slice's values sorted in an
-- array, and a rank is found in it at read time by binary search
-- (width_bucket).  Riket's, the region's and the previous year's value,
-- and group means, are looked up in the facts by their primary key when a
-- row is read.  A refresh rewrites the slices whose values changed, from
-- the old and new values (load/marts.c), and nothing else.
--
-- mart.benchmark_value and mart.benchmark_group_mean stay, as views with
-- their columns and meaning; mart.benchmark and mart.benchmark_peer_group
-- keep their columns, meaning, comments and grants.

CREATE TABLE mart.benchmark_slice (
    kpi_id text COLLATE "C" NOT NULL,
    year integer NOT NULL,
    gender text COLLATE "C" NOT NULL,
    higher_is_better boolean NOT NULL,
    fact_count integer NOT NULL CHECK (fact_count > 0),
    ranked_count integer NOT NULL CHECK (ranked_count >= 0),
    better double precision[] NOT NULL,
    PRIMARY KEY (kpi_id, year, gender)
);
-- At most 290 values: kept in the row (compressed if need be) rather than
-- TOASTed, so that a rank reads one heap tuple.
ALTER TABLE mart.benchmark_slice ALTER COLUMN better SET STORAGE MAIN;
COMMENT ON TABLE mart.benchmark_slice IS
    'Varje nyckeltals, års och köns kommunvärden i rangordning; skrivs av nyckel-load. Läs mart.benchmark. / Each KPI''s, year''s and gender''s municipal values in ranking order; written by nyckel-load. Read mart.benchmark.';
COMMENT ON COLUMN mart.benchmark_slice.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN mart.benchmark_slice.year IS 'Året. / The year.';
COMMENT ON COLUMN mart.benchmark_slice.gender IS 'Kön: T, K eller M. / Gender: T, K or M.';
COMMENT ON COLUMN mart.benchmark_slice.higher_is_better IS
    'Riktningen rangen räknades med (okänd: högre). / The direction the ranks were computed with (unknown: higher).';
COMMENT ON COLUMN mart.benchmark_slice.fact_count IS
    'Kommunvärden, tomma medräknade. / Municipal values, empty ones included.';
COMMENT ON COLUMN mart.benchmark_slice.ranked_count IS
    'Kommunvärden som rangordnas (ej tomma). / Municipal values ranked (not empty).';
COMMENT ON COLUMN mart.benchmark_slice.better IS
    'Värdena, med ombytt tecken där lägre är bättre, stigande, utan NaN: rangen är 1 + antalet större. / The values, negated where lower is better, ascending, without NaN: a rank is 1 + the number greater.';

-- A slice's values after a refresh removed and added some (load/marts.c),
-- each found by binary search and cut out or put in place: a slice gains
-- or loses a few values at a time, so this costs microseconds where
-- sorting the slice again in SQL cost a millisecond.  A removed value the
-- slice does not hold means the slice was not what the facts were: that
-- stops the load rather than leave wrong ranks.
CREATE FUNCTION nyckel.benchmark_patch(better double precision[], removed double precision[],
                                       added double precision[])
RETURNS double precision[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    g double precision;
    i integer;
BEGIN
    FOREACH g IN ARRAY coalesce(removed, '{}') LOOP
        i := width_bucket(g, better);
        IF i = 0 OR better[i] <> g THEN
            RAISE EXCEPTION 'mart.benchmark_slice: the value % to remove is not in the slice', g;
        END IF;
        better := better[:i - 1] || better[i + 1:];
    END LOOP;
    FOREACH g IN ARRAY coalesce(added, '{}') LOOP
        i := width_bucket(g, better);
        better := better[:i] || g || better[i + 1:];
    END LOOP;
    RETURN better;
END
$$;
COMMENT ON FUNCTION nyckel.benchmark_patch(double precision[], double precision[], double precision[]) IS
    'En skivas värden utan de borttagna och med de tillagda, i ordning. / A slice''s values without the removed and with the added ones, in order.';

-- The slices as the facts give them, computed in one pass over all of
-- them: what mart.benchmark_slice must hold after any load (make bench
-- checks it), and how a warehouse migrated with values gets its slices.
CREATE VIEW nyckel.benchmark_slice_computed AS
WITH municipal AS (
    SELECT f.kpi_id, p.year, f.gender, coalesce(u.higher_is_better, true) AS higher_is_better,
           f.value, CASE WHEN coalesce(u.higher_is_better, true) THEN f.value
                         ELSE -f.value END AS goodness
    FROM nyckel.fact_kpi_value f
    JOIN nyckel.dim_area a ON a.area_id = f.area_id AND a.area_type = 'municipality'
    JOIN nyckel.dim_period p ON p.period_id = f.period_id AND p.granularity = 'year'
    LEFT JOIN nyckel.kpi_direction_used u ON u.kpi_id = f.kpi_id
)
SELECT kpi_id, year, gender, higher_is_better, count(*)::integer AS fact_count,
       count(value)::integer AS ranked_count,
       coalesce(array_agg(goodness ORDER BY goodness) FILTER (WHERE value <> 'NaN'), '{}')
           AS better
FROM municipal
GROUP BY kpi_id, year, gender, higher_is_better;
COMMENT ON VIEW nyckel.benchmark_slice_computed IS
    'mart.benchmark_slice räknad ur alla fakta på en gång, att jämföra med. / mart.benchmark_slice computed from all facts at once, to compare with.';
SELECT nyckel.copy_column_comments('nyckel.benchmark_slice_computed', 'mart.benchmark_slice');

INSERT INTO mart.benchmark_slice SELECT * FROM nyckel.benchmark_slice_computed;

ALTER TABLE mart.benchmark_value RENAME TO benchmark_value_015;
ALTER TABLE mart.benchmark_group_mean RENAME TO benchmark_group_mean_015;

-- The rank: 1 + the slice's values better than this one.  NaN ranks after
-- every number (PostgreSQL's float8 order), tied with any other NaN.  The
-- slice is a left join on its key, so that a query not asking for a rank
-- (max(year) for one municipality) does not read it; every municipal value
-- of a year has one.  Riket's and the region's value are left joins on
-- the facts' key for the same reason, each on a subquery of the facts: with
-- load.citus the facts are distributed by area and Citus joins two shards
-- of them on the area only; a subquery it computes first, then joins
-- (PostgreSQL folds it into the join: the same plan).  The previous year is
-- a left join too, through the year's period, as Citus refuses a correlated
-- subquery beside a reference table; the period is no key, so PostgreSQL
-- keeps that join (to a few periods) when the value is not asked for.
CREATE VIEW mart.benchmark_value AS
SELECT f.kpi_id, f.area_id, f.period_id, p.year, f.gender, f.value,
       riket.value AS riket_value, a.county_region_id AS region_id,
       region.value AS region_value, s.higher_is_better,
       CASE WHEN f.value = 'NaN' THEN 1 + cardinality(s.better)
            WHEN f.value IS NOT NULL
            THEN 1 + cardinality(s.better)
                 - width_bucket(CASE WHEN s.higher_is_better THEN f.value ELSE -f.value END,
                                s.better) END AS rank,
       s.ranked_count,
       previous.value AS previous_year_value
FROM nyckel.fact_kpi_value f
JOIN nyckel.dim_area a ON a.area_id = f.area_id AND a.area_type = 'municipality'
JOIN nyckel.dim_period p ON p.period_id = f.period_id AND p.granularity = 'year'
LEFT JOIN mart.benchmark_slice s ON s.kpi_id = f.kpi_id AND s.year = p.year AND s.gender = f.gender
LEFT JOIN (SELECT kpi_id, period_id, gender, value FROM nyckel.fact_kpi_value
           WHERE area_id = '0000') riket
       ON riket.kpi_id = f.kpi_id AND riket.period_id = f.period_id AND riket.gender = f.gender
LEFT JOIN (SELECT kpi_id, area_id, period_id, gender, value FROM nyckel.fact_kpi_value) region
       ON region.kpi_id = f.kpi_id AND region.area_id = a.county_region_id
      AND region.period_id = f.period_id AND region.gender = f.gender
LEFT JOIN nyckel.dim_period pp ON pp.granularity = 'year' AND pp.year = p.year - 1
LEFT JOIN nyckel.fact_kpi_value previous
       ON previous.kpi_id = f.kpi_id AND previous.area_id = f.area_id
      AND previous.period_id = pp.period_id AND previous.gender = f.gender;

-- The mean in numeric, exact, then rounded once: a float mean depends on
-- the order of the sum, and with load.citus each shard sums its part.
CREATE VIEW mart.benchmark_group_mean AS
SELECT m.group_id, f.kpi_id, f.period_id, f.gender,
       avg(f.value::numeric)::double precision AS group_mean,
       count(f.value)::integer AS members_with_value
FROM nyckel.area_group_member m
JOIN nyckel.fact_kpi_value f ON f.area_id = m.member_id
GROUP BY m.group_id, f.kpi_id, f.period_id, f.gender;

-- 013's definition, unchanged, over the view now (it still names the
-- renamed table).
DO $$
BEGIN
    EXECUTE 'CREATE OR REPLACE VIEW mart.benchmark AS '
            || replace(pg_get_viewdef('mart.benchmark'::regclass),
                       'mart.benchmark_value_015', 'mart.benchmark_value');
END
$$;

-- The group's mean and the member's place among the group's municipalities,
-- from the members' facts of the row's KPI, period and gender (a group has
-- tens of members): "better" is what a smaller rank meant in 013.  A join
-- and a grouping, not a lateral subquery: with load.citus the members'
-- facts are in other shards than the row's, which Citus joins only as a
-- subquery it computes first.  The mean as in mart.benchmark_group_mean.
CREATE OR REPLACE VIEW mart.benchmark_peer_group AS
SELECT b.kpi_id, b.area_id, b.period_id, b.year, b.gender, b.value,
       m.group_id, g.title AS group_title, g.group_origin,
       avg(o.value::numeric)::double precision AS group_mean,
       count(o.value)::integer AS members_with_value,
       b.value::numeric - avg(o.value::numeric)::double precision::numeric
           AS difference_to_group_mean,
       b.rank AS national_rank,
       CASE WHEN b.rank IS NOT NULL
            THEN 1 + count(*) FILTER (WHERE o.area_type = 'municipality' AND o.value <> 'NaN'
                                        AND (b.value = 'NaN' OR CASE WHEN b.higher_is_better
                                                                     THEN o.value > b.value
                                                                     ELSE o.value < b.value END))
       END::integer AS group_rank,
       (count(o.value) FILTER (WHERE o.area_type = 'municipality'))::integer AS group_ranked_count
FROM mart.benchmark_value b
JOIN nyckel.area_group_member m ON m.member_id = b.area_id
JOIN nyckel.dim_area g ON g.area_id = m.group_id
LEFT JOIN (SELECT om.group_id, oa.area_type, o.kpi_id, o.period_id, o.gender, o.value
           FROM nyckel.area_group_member om
           JOIN nyckel.fact_kpi_value o ON o.area_id = om.member_id
           JOIN nyckel.dim_area oa ON oa.area_id = om.member_id) o
       ON o.group_id = m.group_id AND o.kpi_id = b.kpi_id AND o.period_id = b.period_id
      AND o.gender = b.gender
GROUP BY b.kpi_id, b.area_id, b.period_id, b.year, b.gender, b.value, b.rank, b.higher_is_better,
         m.group_id, g.title, g.group_origin;

SELECT nyckel.copy_column_comments('mart.benchmark_value', 'mart.benchmark_value_015');
SELECT nyckel.copy_column_comments('mart.benchmark_group_mean', 'mart.benchmark_group_mean_015');
DO $$
BEGIN
    EXECUTE format('COMMENT ON VIEW mart.benchmark_value IS %L',
                   'Det mart.benchmark läser per värde: rang (ur mart.benchmark_slice), rikets, regionens och föregående års värde (ur faktatabellen). Läs mart.benchmark. / What mart.benchmark reads per value: rank (from mart.benchmark_slice), Riket''s, the region''s and the previous year''s value (from the fact table). Read mart.benchmark.');
    EXECUTE format('COMMENT ON VIEW mart.benchmark_group_mean IS %L',
                   obj_description('mart.benchmark_group_mean_015'::regclass, 'pg_class'));
END
$$;
DROP TABLE mart.benchmark_value_015, mart.benchmark_group_mean_015;
GRANT SELECT ON mart.benchmark_slice, mart.benchmark_value, mart.benchmark_group_mean TO nyckel_bi;
