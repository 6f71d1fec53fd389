-- Merge step 17 of 43, dim_kpi_group: changes the rows whose delivered title differs
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
UPDATE nyckel.dim_kpi_group d SET title = s.title, run_key = $1::bigint
 FROM staging.dim_kpi_group s WHERE d.kpi_group_id = s.kpi_group_id
 AND d.title IS DISTINCT FROM s.title
