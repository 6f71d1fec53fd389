-- The area groups' members benchmark.c needs, as COPY text like the facts.
-- load/marts.c, in the load's transaction.
COPY (SELECT group_id, member_id FROM nyckel.area_group_member) TO STDOUT
