-- Merge step 21 of 43, kpi_group_member: a delivered group's member list replaces the kept one: removes members it no longer lists
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
DELETE FROM nyckel.kpi_group_member m
 WHERE m.kpi_group_id IN (SELECT kpi_group_id FROM staging.dim_kpi_group)
 AND NOT EXISTS (SELECT 1 FROM staging.kpi_group_member s
                 WHERE s.kpi_group_id = m.kpi_group_id AND s.kpi_id = m.kpi_id)
