-- The job's load.pairings, one at a time: a pairing not stored yet
-- ($1: measure_id, $2: kpi_id, $3: rollup, $4: the run key).  load/settings.c.
INSERT INTO nyckel.measure_kpi_pairing (measure_id, kpi_id, rollup, run_key)
 SELECT $1, $2, $3, $4::bigint WHERE NOT EXISTS
 (SELECT 1 FROM nyckel.measure_kpi_pairing WHERE measure_id = $1 AND kpi_id = $2)
