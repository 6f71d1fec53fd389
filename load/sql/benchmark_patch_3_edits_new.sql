-- The stored slices the load changed that had no edits pending: their
-- first, from what the load removed and added.  Slices stored before this
-- load only: those it gives their first values come after
-- (benchmark_patch_4_added.sql).  The slices with edits are a NOT IN,
-- which PostgreSQL reads once into a hash before the first row goes in:
-- as a NOT EXISTS, with the edit table analysed while it was empty, the
-- planner read it again for every slice while this insert grew it
-- (4.4 s for 29 000 slices after a vacuumdb --analyze).
-- load/marts/marts.c.
INSERT INTO mart.benchmark_slice_edit
 SELECT d.kpi_id, d.year, d.gender, d.facts, d.ranked, d.removed, d.added
 FROM pg_temp.nyckel_benchmark_delta d
 WHERE EXISTS (SELECT 1 FROM mart.benchmark_slice s
               WHERE s.kpi_id = d.kpi_id AND s.year = d.year AND s.gender = d.gender)
 AND (d.kpi_id, d.year, d.gender) NOT IN (SELECT e.kpi_id, e.year, e.gender
                                          FROM mart.benchmark_slice_edit e)
