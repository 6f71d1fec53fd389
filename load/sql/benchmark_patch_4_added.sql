-- The slices the load gave their first values, with the delta's added
-- values, sorted.  After the first edits
-- (benchmark_patch_3_edits_new.sql), which go to slices stored before
-- this load only.
-- load/marts/marts.c.
INSERT INTO mart.benchmark_slice
 SELECT d.kpi_id, d.year, d.gender, d.higher_is_better, d.facts, d.ranked, d.added
 FROM pg_temp.nyckel_benchmark_delta d
 WHERE d.facts > 0 AND NOT EXISTS (SELECT 1 FROM mart.benchmark_slice s
   WHERE s.kpi_id = d.kpi_id AND s.year = d.year AND s.gender = d.gender)
