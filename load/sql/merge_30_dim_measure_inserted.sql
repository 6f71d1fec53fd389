-- Merge step 30 of 43, dim_measure: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_measure (measure_id, title, unit, description, run_key)
 SELECT measure_id, title, unit, description, $1::bigint FROM staging.dim_measure s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_measure d WHERE d.measure_id = s.measure_id)
