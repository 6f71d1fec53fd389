-- Merge step 34 of 43, fact_kpi_value, when the merge notes what it changes
-- (load_benchmark_note_changes): merge_34_fact_kpi_value_new_facts.sql,
-- noting each key it inserts with its value ($1: the run key).  load/merge.c runs it in
-- that one's place.
--
-- A staged key step 33 updated is in the fact table: it is found among the
-- noted ones, and only the others are looked up in the fact table's
-- primary key.  NOT IN (keys are never NULL) is hashed, as the noted keys
-- fit in the load's work_mem (marts.c notes at most a million): the
-- planner has no statistics of the noted table, and given NOT EXISTS it
-- read the noted keys once per staged value (a publication's insert took
-- 28 s).
WITH added AS (
 INSERT INTO nyckel.fact_kpi_value (kpi_id, area_id, period_id, gender, value,
 value_count, status, source_key, run_key)
 SELECT s.kpi_id, s.area_id, s.period_id, s.gender, s.value, s.value_count, s.status,
 ds.source_key, $1::bigint FROM staging.fact_kpi_value s JOIN staging.source src ON src.source_ref = s.source_ref
 JOIN nyckel.dim_source ds ON ds.uri = src.uri AND ds.sha256 = src.sha256
 WHERE (s.kpi_id, s.area_id, s.period_id, s.gender) NOT IN (SELECT c.kpi_id, c.area_id,
   c.period_id, c.gender FROM pg_temp.nyckel_benchmark_changed c WHERE c.change = 'updated')
 AND NOT EXISTS (SELECT 1 FROM nyckel.fact_kpi_value f
   WHERE f.kpi_id = s.kpi_id AND f.area_id = s.area_id AND f.period_id = s.period_id
   AND f.gender = s.gender)
 RETURNING kpi_id, area_id, period_id, gender, value)
 INSERT INTO pg_temp.nyckel_benchmark_changed (kpi_id, area_id, period_id, gender, value_after,
 change)
 SELECT kpi_id, area_id, period_id, gender, value, 'inserted' FROM added
