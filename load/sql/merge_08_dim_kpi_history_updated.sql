-- Merge step 8 of 43, dim_kpi_history: updates the rows delivered that differ from the warehouse's
-- (IS DISTINCT FROM, so NULLs compare as values)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
UPDATE nyckel.dim_kpi_history h SET valid_to = now(), is_current = false
 FROM staging.dim_kpi s WHERE h.kpi_id = s.kpi_id AND h.is_current
 AND h.title IS DISTINCT FROM s.title
