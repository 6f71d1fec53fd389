-- Merge step 6 of 43, dim_kpi: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_kpi (kpi_id, title, description, operating_area,
 is_divided_by_gender, municipality_type, has_ou_data, publication_date, auspices,
 perspective, run_key)
 SELECT kpi_id, title, description, operating_area, is_divided_by_gender,
 municipality_type, has_ou_data, publication_date, auspices, perspective, $1::bigint
 FROM staging.dim_kpi s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_kpi d WHERE d.kpi_id = s.kpi_id)
