-- Merge step 34 of 43, fact_kpi_value: inserts the new fact rows (bulk.c may run it in slices)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
--
-- A staged row's source_ref becomes the warehouse's source_key through dim_source.
INSERT INTO nyckel.fact_kpi_value (kpi_id, area_id, period_id, gender, value,
 value_count, status, source_key, run_key)
 SELECT s.kpi_id, s.area_id, s.period_id, s.gender, s.value, s.value_count, s.status,
 ds.source_key, $1::bigint FROM staging.fact_kpi_value s JOIN staging.source src ON src.source_ref = s.source_ref
 JOIN nyckel.dim_source ds ON ds.uri = src.uri AND ds.sha256 = src.sha256
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.fact_kpi_value f
   WHERE f.kpi_id = s.kpi_id AND f.area_id = s.area_id AND f.period_id = s.period_id
   AND f.gender = s.gender)
