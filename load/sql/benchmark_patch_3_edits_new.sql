-- The stored slices the load changed that had no edits pending: their
-- first, from what the load removed and added.  Slices stored before this
-- load only: those it gives their first values come after
-- (benchmark_patch_4_added.sql).
-- load/marts/marts.c.
INSERT INTO mart.benchmark_slice_edit
 SELECT d.kpi_id, d.year, d.gender, d.facts, d.ranked, d.removed, d.added
 FROM pg_temp.nyckel_benchmark_delta d
 WHERE EXISTS (SELECT 1 FROM mart.benchmark_slice s
               WHERE s.kpi_id = d.kpi_id AND s.year = d.year AND s.gender = d.gender)
 AND NOT EXISTS (SELECT 1 FROM mart.benchmark_slice_edit e
                 WHERE e.kpi_id = d.kpi_id AND e.year = d.year AND e.gender = d.gender)
