-- The job's load.pairings, one at a time: the stored rollup when it differs
-- ($1: measure_id, $2: kpi_id, $3: rollup, $4: the run key).  load/settings.c.
UPDATE nyckel.measure_kpi_pairing SET rollup = $3, run_key = $4::bigint
 WHERE measure_id = $1 AND kpi_id = $2 AND rollup IS DISTINCT FROM $3
