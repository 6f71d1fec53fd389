-- The slices left without a value row go, the others are patched, new
-- ones added.  Row by row: BI readers are not blocked, and what did not
-- change is not written.
-- This one: the slices left without a value row; only a slice that lost
-- values can be, so only those are looked up.  load/marts/marts.c.
DELETE FROM mart.benchmark_slice s USING pg_temp.nyckel_benchmark_delta d
 WHERE d.facts < 0 AND s.kpi_id = d.kpi_id AND s.year = d.year AND s.gender = d.gender
 AND s.fact_count + d.facts = 0
