-- The pending directions, now taken by this load (benchmark_take_pending_kpis).
-- load/marts/marts.c.
DELETE FROM nyckel.kpi_direction_pending
