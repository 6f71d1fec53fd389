-- Merge step 31 of 43, dim_measure: adds as inferred rows the ids that facts or bridges use and no file delivered
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_measure (measure_id, is_inferred, run_key)
 SELECT DISTINCT measure_id, true, $1::bigint FROM staging.fact_internal_value s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_measure d WHERE d.measure_id = s.measure_id)
