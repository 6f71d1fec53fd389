-- The slices the load changed that keep values: counts and ranked values patched
-- (nyckel.benchmark_patch, schemas/016) from the delta.
-- load/marts/marts.c.
UPDATE mart.benchmark_slice s SET fact_count = s.fact_count + d.facts,
 ranked_count = s.ranked_count + d.ranked,
 better = nyckel.benchmark_patch(s.better, d.removed, d.added)
 FROM pg_temp.nyckel_benchmark_delta d
 WHERE s.kpi_id = d.kpi_id AND s.year = d.year AND s.gender = d.gender
