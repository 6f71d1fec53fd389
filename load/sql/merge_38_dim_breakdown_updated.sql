-- Merge step 38 of 43, dim_breakdown: updates the rows delivered that differ from the warehouse's
-- (IS DISTINCT FROM, so NULLs compare as values)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
UPDATE nyckel.dim_breakdown d SET breakdown_kind = s.breakdown_kind, title = s.title,
 is_inferred = false, run_key = $1::bigint
 FROM staging.dim_breakdown s WHERE d.breakdown_id = s.breakdown_id
 AND (d.breakdown_kind, d.title, d.is_inferred)
 IS DISTINCT FROM (s.breakdown_kind, s.title, false)
