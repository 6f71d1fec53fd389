-- One member of one of the job's load.peer_groups, staged ($1: the group's area id,
-- $2: the member's).  load/settings.c.
INSERT INTO staging.area_group_member (group_id, member_id)
 VALUES ($1, $2)
