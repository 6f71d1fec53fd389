-- The slices left without a value row go, the others have their edits
-- noted beside them (and are folded once those grow), new ones are added.
-- Row by row: BI readers are not blocked, and what did not change is not
-- written.
-- This one: the slices left without a value row, with their pending edits;
-- only a slice that lost values can be, so only those are looked up.
-- load/marts/marts.c.
WITH emptied AS (
   SELECT d.kpi_id, d.year, d.gender
   FROM pg_temp.nyckel_benchmark_delta d
   JOIN mart.benchmark_slice s ON s.kpi_id = d.kpi_id AND s.year = d.year AND s.gender = d.gender
   LEFT JOIN mart.benchmark_slice_edit e
     ON e.kpi_id = d.kpi_id AND e.year = d.year AND e.gender = d.gender
   WHERE d.facts < 0 AND s.fact_count + coalesce(e.fact_count, 0) + d.facts = 0
 ), edits AS (
   DELETE FROM mart.benchmark_slice_edit e USING emptied g
   WHERE e.kpi_id = g.kpi_id AND e.year = g.year AND e.gender = g.gender
 )
 DELETE FROM mart.benchmark_slice s USING emptied g
 WHERE s.kpi_id = g.kpi_id AND s.year = g.year AND s.gender = g.gender
