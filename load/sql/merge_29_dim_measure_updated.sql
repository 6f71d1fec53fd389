-- Merge step 29 of 43, dim_measure: updates the rows delivered that differ from the warehouse's
-- (IS DISTINCT FROM, so NULLs compare as values)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
UPDATE nyckel.dim_measure d SET title = s.title, unit = s.unit,
 description = s.description, is_inferred = false, run_key = $1::bigint
 FROM staging.dim_measure s WHERE d.measure_id = s.measure_id
 AND (d.title, d.unit, d.description, d.is_inferred)
 IS DISTINCT FROM (s.title, s.unit, s.description, false)
