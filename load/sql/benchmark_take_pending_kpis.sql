-- KPIs whose direction changed in nyckel.kpi_direction since their ranks
-- were computed (a trigger notes them), taken for this load to recompute.
-- load/marts/marts.c.
CREATE TEMPORARY TABLE nyckel_benchmark_kpi ON COMMIT DROP AS
 SELECT kpi_id FROM nyckel.kpi_direction_pending
