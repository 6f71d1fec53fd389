-- Merge step 27 of 43, dim_ou_history: updates the rows delivered that differ from the warehouse's
-- (IS DISTINCT FROM, so NULLs compare as values)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
UPDATE nyckel.dim_ou_history h SET valid_to = now(), is_current = false
 FROM staging.dim_ou s WHERE h.ou_id = s.ou_id AND h.is_current
 AND (h.title, h.area_id, h.parent_ou_id)
 IS DISTINCT FROM (s.title, s.municipality_id, s.parent_ou_id)
