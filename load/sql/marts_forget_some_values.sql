-- The benchmark values of the KPIs to recompute go before they are computed again.
-- load/marts.c, in the load's transaction.
DELETE FROM mart.benchmark_value
 WHERE kpi_id IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)
