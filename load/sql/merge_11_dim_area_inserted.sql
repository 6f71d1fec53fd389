-- Merge step 11 of 43, dim_area: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_area (area_id, title, area_type, municipality_type, county_code,
 county_region_id, group_origin, run_key)
 SELECT area_id, title, area_type, municipality_type, county_code, county_region_id,
 CASE WHEN area_type = 'group' THEN group_origin END, $1::bigint FROM staging.dim_area s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_area d WHERE d.area_id = s.area_id)
