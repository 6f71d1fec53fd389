-- How many KPIs are to recompute, and whether they are more than half of all.
-- load/marts.c, in the load's transaction.
SELECT count(*) * 2 > (SELECT count(*) FROM nyckel.dim_kpi), count(*)
 FROM pg_temp.nyckel_benchmark_kpi
