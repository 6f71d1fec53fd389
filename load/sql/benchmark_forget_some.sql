-- The stored slices of the KPIs recomputed, before their new ones are copied in.
-- load/marts/marts.c.
DELETE FROM mart.benchmark_slice
 WHERE kpi_id IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)
