-- Merge step 25 of 43, dim_ou: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_ou (ou_id, title, area_id, parent_ou_id, ou_kind, run_key)
 SELECT ou_id, title, municipality_id, parent_ou_id, ou_kind, $1::bigint
 FROM staging.dim_ou s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_ou d WHERE d.ou_id = s.ou_id)
