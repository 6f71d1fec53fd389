-- Merge step 15 of 43, area_group_member: deletes the rows a delivery withdrew
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
--
-- A delivered group's member list replaces the one in the warehouse.
DELETE FROM nyckel.area_group_member m
 WHERE m.group_id IN (SELECT group_id FROM staging.area_group_member)
 AND NOT EXISTS (SELECT 1 FROM staging.area_group_member s
                 WHERE s.group_id = m.group_id AND s.member_id = m.member_id)
