-- Merge step 18 of 43, dim_kpi_group: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_kpi_group (kpi_group_id, title, run_key)
 SELECT kpi_group_id, title, $1::bigint FROM staging.dim_kpi_group s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_kpi_group d
                   WHERE d.kpi_group_id = s.kpi_group_id)
