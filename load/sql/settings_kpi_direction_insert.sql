-- The job's load.kpi_direction, one KPI at a time: a KPI not stored yet
-- ($1: kpi_id, $2: higher_is_better, $3: the run key).  load/settings.c.
INSERT INTO nyckel.kpi_setting (kpi_id, higher_is_better, run_key)
 SELECT $1, $2, $3::bigint WHERE NOT EXISTS
 (SELECT 1 FROM nyckel.kpi_setting WHERE kpi_id = $1)
