-- Merge step 20 of 43, dim_kpi_group_history: opens a current title for a group that has none
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_kpi_group_history (kpi_group_id, title, valid_from, is_current,
 run_key)
 SELECT kpi_group_id, title, now(), true, $1::bigint FROM staging.dim_kpi_group s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_kpi_group_history h
                   WHERE h.kpi_group_id = s.kpi_group_id AND h.is_current)
