-- Merge step 40 of 43, dim_breakdown: adds as inferred rows the ids that facts or bridges use and no file delivered
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_breakdown (breakdown_id, is_inferred, run_key)
 SELECT DISTINCT breakdown_id, true, $1::bigint FROM (
 SELECT breakdown_id FROM staging.fact_internal_value f WHERE NOT EXISTS
 (SELECT 1 FROM nyckel.dim_breakdown d WHERE d.breakdown_id = f.breakdown_id)) ids
