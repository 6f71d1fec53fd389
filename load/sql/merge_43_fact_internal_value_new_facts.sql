-- Merge step 43 of 43, fact_internal_value: inserts the new fact rows (bulk.c may run it in slices)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
--
-- A staged row's source_ref becomes the warehouse's source_key through dim_source.
INSERT INTO nyckel.fact_internal_value (measure_id, ou_id, period_id, scenario, value,
 breakdown_id, is_small_count, source_key, run_key)
 SELECT s.measure_id, s.ou_id, s.period_id, s.scenario, s.value, s.breakdown_id,
 s.is_small_count, ds.source_key, $1::bigint FROM staging.fact_internal_value s
 JOIN staging.source src ON src.source_ref = s.source_ref
 JOIN nyckel.dim_source ds ON ds.uri = src.uri AND ds.sha256 = src.sha256
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.fact_internal_value f
   WHERE f.measure_id = s.measure_id AND f.ou_id = s.ou_id
   AND f.period_id = s.period_id AND f.scenario = s.scenario
   AND f.breakdown_id = s.breakdown_id)
