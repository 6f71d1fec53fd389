-- Merge step 16 of 43, area_group_member: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.area_group_member (group_id, member_id, run_key)
 SELECT group_id, member_id, $1::bigint FROM staging.area_group_member s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.area_group_member m
                   WHERE m.group_id = s.group_id AND m.member_id = s.member_id)
