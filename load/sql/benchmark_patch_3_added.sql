-- The slices the load gave their first values, sorted at once rather than
-- put in one by one.
-- load/marts/marts.c.
INSERT INTO mart.benchmark_slice
 SELECT d.kpi_id, d.year, d.gender, d.higher_is_better, d.facts, d.ranked,
 (SELECT coalesce(array_agg(v ORDER BY v), '{}') FROM unnest(d.added) v)
 FROM pg_temp.nyckel_benchmark_delta d
 WHERE d.facts > 0 AND NOT EXISTS (SELECT 1 FROM mart.benchmark_slice s
   WHERE s.kpi_id = d.kpi_id AND s.year = d.year AND s.gender = d.gender)
