-- The values of the KPIs to recompute, in primary-key order (see
-- marts_all_facts.sql).
-- load/marts.c, in the load's transaction.
COPY (SELECT kpi_id, area_id, period_id, gender, value FROM nyckel.fact_kpi_value
 WHERE kpi_id IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)
 ORDER BY kpi_id, area_id, period_id, gender) TO STDOUT
