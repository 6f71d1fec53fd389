-- Merge step 19 of 43, dim_kpi_group_history: closes the current title of a group whose title changed
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
UPDATE nyckel.dim_kpi_group_history h SET valid_to = now(), is_current = false
 FROM staging.dim_kpi_group s WHERE h.kpi_group_id = s.kpi_group_id AND h.is_current
 AND h.title IS DISTINCT FROM s.title
