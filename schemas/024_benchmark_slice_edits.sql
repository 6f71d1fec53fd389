-- 024_benchmark_slice_edits.sql: a refresh writes what it changed in a
-- slice beside the slice, and the slice itself is rewritten only once
-- enough has gathered.
--
-- A scattered 1 % change touches 29 000 slices at national scale.  Each
-- was patched in place (nyckel.benchmark_patch, 016/021): its sorted
-- array of about 2.3 kB copied a few times for each value removed and
-- added (0.73 s), then written again, most pages whole to the WAL (0.4 s):
-- a third of the refresh, for a few values per slice.  Now the load keeps,
-- per slice, the values it removed and added since the slice was last
-- written, each sorted, and the changes to its counts, in
-- mart.benchmark_slice_edit: about a hundred bytes a slice, upserted.  A
-- rank is 1 + the values better than this one among the slice's and the
-- added ones, less the removed ones: three binary searches (width_bucket)
-- where there was one, each over a short array but the slice's.
--
-- Once a slice's pending edits hold more than 64 values they are folded
-- into it by nyckel.benchmark_fold, with one sort of the whole slice,
-- which costs about what patching a few values one by one did: the
-- slice's upkeep per changed value is several times cheaper, not merely
-- later.
-- A removed value the slice does not hold still stops the load, when it
-- is folded, rather than leave wrong ranks; nyckel.benchmark_slice_folded
-- folds every slice at once, to compare with the facts (make bench, the
-- tests).
--
-- With the slices rewritten only when folded or recomputed, 023's half
-- empty pages cost more (240 MB to copy in on a first load instead of 80)
-- than they save: full pages again.  Existing slices move to full pages
-- when next recomputed.

CREATE TABLE mart.benchmark_slice_edit (
    kpi_id text COLLATE "C" NOT NULL,
    year integer NOT NULL,
    gender text COLLATE "C" NOT NULL,
    fact_count integer NOT NULL,
    ranked_count integer NOT NULL,
    removed double precision[] NOT NULL,
    added double precision[] NOT NULL,
    PRIMARY KEY (kpi_id, year, gender)
);
COMMENT ON TABLE mart.benchmark_slice_edit IS
    'Det laddningar ändrat i en skiva i mart.benchmark_slice sedan den skrevs; skrivs av nyckel-load. Läs mart.benchmark. / What loads changed in a slice of mart.benchmark_slice since it was written; written by nyckel-load. Read mart.benchmark.';
COMMENT ON COLUMN mart.benchmark_slice_edit.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN mart.benchmark_slice_edit.year IS 'Året. / The year.';
COMMENT ON COLUMN mart.benchmark_slice_edit.gender IS 'Kön: T, K eller M. / Gender: T, K or M.';
COMMENT ON COLUMN mart.benchmark_slice_edit.fact_count IS
    'Ändringen av skivans fact_count. / The change to the slice''s fact_count.';
COMMENT ON COLUMN mart.benchmark_slice_edit.ranked_count IS
    'Ändringen av skivans ranked_count. / The change to the slice''s ranked_count.';
COMMENT ON COLUMN mart.benchmark_slice_edit.removed IS
    'Värden (som i better) borttagna ur skivan, stigande. / Values (as in better) removed from the slice, ascending.';
COMMENT ON COLUMN mart.benchmark_slice_edit.added IS
    'Värden (som i better) tillagda i skivan, stigande. / Values (as in better) added to the slice, ascending.';
GRANT SELECT ON mart.benchmark_slice_edit TO nyckel_bi;

ALTER TABLE mart.benchmark_slice SET (fillfactor = 100);

-- The slice's values with the removed taken out and the added put in, in
-- order: one sort, whatever the number of edits.  EXCEPT ALL takes out one
-- occurrence per removed value; PostgreSQL's float8 equality counts -0 as
-- 0, as the slice's order does.
CREATE FUNCTION nyckel.benchmark_fold(better double precision[], removed double precision[],
                                      added double precision[])
RETURNS double precision[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    folded double precision[];
BEGIN
    folded := ARRAY(SELECT v FROM (SELECT unnest(better || added) AS v
                                   EXCEPT ALL SELECT unnest(removed)) kept
                    ORDER BY v);
    IF cardinality(folded) <> cardinality(better) + cardinality(added) - cardinality(removed) THEN
        RAISE EXCEPTION 'mart.benchmark_slice: values to remove (%) are not all in the slice',
            removed;
    END IF;
    RETURN folded;
END
$$;
COMMENT ON FUNCTION nyckel.benchmark_fold(double precision[], double precision[], double precision[]) IS
    'En skivas värden utan de borttagna och med de tillagda, i ordning. / A slice''s values without the removed and with the added ones, in order.';
DROP FUNCTION nyckel.benchmark_patch(double precision[], double precision[], double precision[]);

CREATE VIEW nyckel.benchmark_slice_folded AS
SELECT s.kpi_id, s.year, s.gender, s.higher_is_better,
       s.fact_count + coalesce(e.fact_count, 0) AS fact_count,
       s.ranked_count + coalesce(e.ranked_count, 0) AS ranked_count,
       CASE WHEN e.kpi_id IS NULL THEN s.better
            ELSE nyckel.benchmark_fold(s.better, e.removed, e.added) END AS better
FROM mart.benchmark_slice s
LEFT JOIN mart.benchmark_slice_edit e
       ON e.kpi_id = s.kpi_id AND e.year = s.year AND e.gender = s.gender;
COMMENT ON VIEW nyckel.benchmark_slice_folded IS
    'mart.benchmark_slice med väntande ändringar inräknade, att jämföra med nyckel.benchmark_slice_computed. / mart.benchmark_slice with pending edits folded in, to compare with nyckel.benchmark_slice_computed.';
SELECT nyckel.copy_column_comments('nyckel.benchmark_slice_folded', 'mart.benchmark_slice');

-- 016's view with the edits counted: the same columns, so the comments,
-- grants and the views over it stay.  An empty array's width_bucket is 0.
-- A value's goodness is spelled out each time rather than computed once in
-- a lateral subquery, which would keep the slice's join in queries that
-- ask for no rank.
CREATE OR REPLACE VIEW mart.benchmark_value AS
SELECT f.kpi_id, f.area_id, f.period_id, p.year, f.gender, f.value,
       riket.value AS riket_value, a.county_region_id AS region_id,
       region.value AS region_value, s.higher_is_better,
       CASE WHEN f.value = 'NaN'
            THEN 1 + cardinality(s.better)
                 + coalesce(cardinality(e.added) - cardinality(e.removed), 0)
            WHEN f.value IS NOT NULL
            THEN 1 + cardinality(s.better)
                 - width_bucket(CASE WHEN s.higher_is_better THEN f.value ELSE -f.value END,
                                s.better)
                 + coalesce(cardinality(e.added)
                            - width_bucket(CASE WHEN s.higher_is_better THEN f.value
                                                ELSE -f.value END, e.added)
                            - cardinality(e.removed)
                            + width_bucket(CASE WHEN s.higher_is_better THEN f.value
                                                ELSE -f.value END, e.removed), 0)
       END AS rank,
       s.ranked_count + coalesce(e.ranked_count, 0) AS ranked_count,
       previous.value AS previous_year_value
FROM nyckel.fact_kpi_value f
JOIN nyckel.dim_area a ON a.area_id = f.area_id AND a.area_type = 'municipality'
JOIN nyckel.dim_period p ON p.period_id = f.period_id AND p.granularity = 'year'
LEFT JOIN mart.benchmark_slice s ON s.kpi_id = f.kpi_id AND s.year = p.year AND s.gender = f.gender
LEFT JOIN mart.benchmark_slice_edit e
       ON e.kpi_id = f.kpi_id AND e.year = p.year AND e.gender = f.gender
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
