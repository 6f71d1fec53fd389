-- The stored slices of the KPIs recomputed, and their pending edits, before
-- their new ones are copied in.
-- load/marts/marts.c.
WITH edits AS (
   DELETE FROM mart.benchmark_slice_edit
   WHERE kpi_id IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)
 )
 DELETE FROM mart.benchmark_slice
 WHERE kpi_id IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)
