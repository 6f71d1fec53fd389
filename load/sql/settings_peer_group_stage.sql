-- One of the job's load.peer_groups, staged as a group area to merge with the delivered ones
-- ($1: "job:" and its id, $2: its title).  load/settings.c.
INSERT INTO staging.dim_area (area_id, title, area_type, group_origin)
 VALUES ($1, $2, 'group', 'job')
