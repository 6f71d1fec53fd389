-- The slices the load gave their first values, with the delta's added
-- values, sorted.  After the first edits
-- (benchmark_patch_3_edits_new.sql), which go to slices stored before
-- this load only.  The stored slices are a NOT IN, read once into a hash
-- before the first row goes in, for the reason given there.
-- load/marts/marts.c.
INSERT INTO mart.benchmark_slice
 SELECT d.kpi_id, d.year, d.gender, d.higher_is_better, d.facts, d.ranked, d.added
 FROM pg_temp.nyckel_benchmark_delta d
 WHERE d.facts > 0 AND (d.kpi_id, d.year, d.gender) NOT IN (SELECT s.kpi_id, s.year, s.gender
                                                            FROM mart.benchmark_slice s)
