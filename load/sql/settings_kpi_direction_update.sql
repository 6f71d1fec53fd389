-- The job's load.kpi_direction, one KPI at a time: the stored direction when it differs
-- ($1: kpi_id, $2: higher_is_better, $3: the run key).  load/settings.c.
UPDATE nyckel.kpi_setting SET higher_is_better = $2, run_key = $3::bigint
 WHERE kpi_id = $1 AND higher_is_better IS DISTINCT FROM $2::boolean
