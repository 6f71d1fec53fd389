-- Merge step 24 of 43, dim_ou: updates the rows delivered that differ from the warehouse's
-- (IS DISTINCT FROM, so NULLs compare as values)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
UPDATE nyckel.dim_ou d SET title = s.title, area_id = s.municipality_id,
 parent_ou_id = s.parent_ou_id, ou_kind = s.ou_kind, is_inferred = false,
 run_key = $1::bigint
 FROM staging.dim_ou s WHERE d.ou_id = s.ou_id
 AND (d.title, d.area_id, d.parent_ou_id, d.ou_kind, d.is_inferred)
 IS DISTINCT FROM (s.title, s.municipality_id, s.parent_ou_id, s.ou_kind, false)
