-- Merge step 36 of 43, fact_ou_value: updates the rows delivered that differ from the warehouse's
-- (IS DISTINCT FROM, so NULLs compare as values)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
--
-- A staged row's source_ref becomes the warehouse's source_key through dim_source.
UPDATE nyckel.fact_ou_value f SET value = s.value, value_count = s.value_count,
 status = s.status, source_key = ds.source_key, run_key = $1::bigint
 FROM staging.fact_ou_value s JOIN staging.source src ON src.source_ref = s.source_ref
 JOIN nyckel.dim_source ds ON ds.uri = src.uri AND ds.sha256 = src.sha256
 WHERE f.kpi_id = s.kpi_id AND f.ou_id = s.ou_id AND f.period_id = s.period_id
 AND f.gender = s.gender
 AND (f.value, f.value_count, f.status) IS DISTINCT FROM (s.value, s.value_count, s.status)
