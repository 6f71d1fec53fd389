-- The dimensions benchmark.c needs, as COPY text like the facts.
-- load/marts/marts.c.
COPY (SELECT area_id, area_type FROM nyckel.dim_area) TO STDOUT
