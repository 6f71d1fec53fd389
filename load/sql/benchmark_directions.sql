-- Each KPI's direction in use, for benchmark.c to rank its slices by.
-- load/marts/marts.c.
COPY (SELECT kpi_id, higher_is_better FROM nyckel.kpi_direction_used) TO STDOUT
