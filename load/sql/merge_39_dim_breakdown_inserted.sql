-- Merge step 39 of 43, dim_breakdown: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_breakdown (breakdown_id, breakdown_kind, title, run_key)
 SELECT breakdown_id, breakdown_kind, title, $1::bigint FROM staging.dim_breakdown s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_breakdown d
                   WHERE d.breakdown_id = s.breakdown_id)
