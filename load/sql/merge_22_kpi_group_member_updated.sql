-- Merge step 22 of 43, kpi_group_member: changes the member titles that differ
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
UPDATE nyckel.kpi_group_member m SET member_title = s.member_title, run_key = $1::bigint
 FROM staging.kpi_group_member s
 WHERE m.kpi_group_id = s.kpi_group_id AND m.kpi_id = s.kpi_id
 AND m.member_title IS DISTINCT FROM s.member_title
