-- Merge step 42 of 43, fact_internal_value: updates the rows delivered that differ from the warehouse's
-- (IS DISTINCT FROM, so NULLs compare as values)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
--
-- A staged row's source_ref becomes the warehouse's source_key through dim_source.
UPDATE nyckel.fact_internal_value f SET value = s.value,
 is_small_count = s.is_small_count, source_key = ds.source_key, run_key = $1::bigint
 FROM staging.fact_internal_value s JOIN staging.source src ON src.source_ref = s.source_ref
 JOIN nyckel.dim_source ds ON ds.uri = src.uri AND ds.sha256 = src.sha256
 WHERE f.measure_id = s.measure_id AND f.ou_id = s.ou_id AND f.period_id = s.period_id
 AND f.scenario = s.scenario AND f.breakdown_id = s.breakdown_id
 AND (f.value, f.is_small_count) IS DISTINCT FROM (s.value, s.is_small_count)
