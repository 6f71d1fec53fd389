-- Merge step 23 of 43, kpi_group_member: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.kpi_group_member (kpi_group_id, kpi_id, member_title, run_key)
 SELECT kpi_group_id, kpi_id, member_title, $1::bigint FROM staging.kpi_group_member s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.kpi_group_member m
                   WHERE m.kpi_group_id = s.kpi_group_id AND m.kpi_id = s.kpi_id)
