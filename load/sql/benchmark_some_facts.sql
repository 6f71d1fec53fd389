-- The facts of the KPIs to recompute (nyckel_benchmark_kpi), in key order as all_facts.
-- load/marts/marts.c.
COPY (SELECT kpi_id, area_id, period_id, gender, value FROM nyckel.fact_kpi_value
 WHERE kpi_id IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)
 ORDER BY kpi_id, area_id, period_id, gender) TO STDOUT
