-- How many they are, and whether they are more than half of all.
-- load/marts/marts.c.
SELECT count(*) * 2 > (SELECT count(*) FROM nyckel.dim_kpi), count(*)
 FROM pg_temp.nyckel_benchmark_kpi
