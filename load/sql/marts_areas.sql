-- The areas benchmark.c needs, as COPY text like the facts.
-- load/marts.c, in the load's transaction.
COPY (SELECT area_id, area_type, county_region_id FROM nyckel.dim_area) TO STDOUT
