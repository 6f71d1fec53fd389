-- Merge step 5 of 43, dim_kpi: updates the rows delivered that differ from the warehouse's
-- (IS DISTINCT FROM, so NULLs compare as values)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
--
-- An attribute the delivery lacked (missing_fields) keeps the warehouse's value.
UPDATE nyckel.dim_kpi d SET title = s.title, description = CASE WHEN 'description' = ANY (s.missing_fields) THEN d.description ELSE s.description END,
 operating_area = CASE WHEN 'operating_area' = ANY (s.missing_fields) THEN d.operating_area ELSE s.operating_area END,
 is_divided_by_gender = CASE WHEN 'is_divided_by_gender' = ANY (s.missing_fields) THEN d.is_divided_by_gender ELSE s.is_divided_by_gender END,
 municipality_type = CASE WHEN 'municipality_type' = ANY (s.missing_fields) THEN d.municipality_type ELSE s.municipality_type END, has_ou_data = CASE WHEN 'has_ou_data' = ANY (s.missing_fields) THEN d.has_ou_data ELSE s.has_ou_data END,
 publication_date = CASE WHEN 'publication_date' = ANY (s.missing_fields) THEN d.publication_date ELSE s.publication_date END, auspices = CASE WHEN 'auspices' = ANY (s.missing_fields) THEN d.auspices ELSE s.auspices END,
 perspective = CASE WHEN 'perspective' = ANY (s.missing_fields) THEN d.perspective ELSE s.perspective END, is_inferred = false, run_key = $1::bigint
 FROM staging.dim_kpi s WHERE d.kpi_id = s.kpi_id
 AND (d.title, d.description, d.operating_area, d.is_divided_by_gender,
      d.municipality_type, d.has_ou_data, d.publication_date, d.auspices,
      d.perspective, d.is_inferred)
 IS DISTINCT FROM (s.title, CASE WHEN 'description' = ANY (s.missing_fields) THEN d.description ELSE s.description END, CASE WHEN 'operating_area' = ANY (s.missing_fields) THEN d.operating_area ELSE s.operating_area END,
      CASE WHEN 'is_divided_by_gender' = ANY (s.missing_fields) THEN d.is_divided_by_gender ELSE s.is_divided_by_gender END, CASE WHEN 'municipality_type' = ANY (s.missing_fields) THEN d.municipality_type ELSE s.municipality_type END,
      CASE WHEN 'has_ou_data' = ANY (s.missing_fields) THEN d.has_ou_data ELSE s.has_ou_data END, CASE WHEN 'publication_date' = ANY (s.missing_fields) THEN d.publication_date ELSE s.publication_date END, CASE WHEN 'auspices' = ANY (s.missing_fields) THEN d.auspices ELSE s.auspices END,
      CASE WHEN 'perspective' = ANY (s.missing_fields) THEN d.perspective ELSE s.perspective END, false)
