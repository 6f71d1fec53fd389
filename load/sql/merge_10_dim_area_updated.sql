-- Merge step 10 of 43, dim_area: updates the rows delivered that differ from the warehouse's
-- (IS DISTINCT FROM, so NULLs compare as values)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
UPDATE nyckel.dim_area d SET title = s.title, area_type = s.area_type,
 municipality_type = s.municipality_type, county_code = s.county_code,
 county_region_id = s.county_region_id,
 group_origin = CASE WHEN s.area_type = 'group' THEN s.group_origin END,
 is_inferred = false, run_key = $1::bigint
 FROM staging.dim_area s WHERE d.area_id = s.area_id
 AND (d.title, d.area_type, d.municipality_type, d.county_code, d.county_region_id,
      d.group_origin, d.is_inferred)
 IS DISTINCT FROM (s.title, s.area_type, s.municipality_type, s.county_code,
      s.county_region_id, CASE WHEN s.area_type = 'group' THEN s.group_origin END, false)
