-- Merge step 34 of 43, fact_kpi_value, when the merge notes what it changes
-- (load_benchmark_note_changes): merge_34_fact_kpi_value_new_facts.sql,
-- noting each key it inserts with its value ($1: the run key).  load/merge.c runs it in
-- that one's place.
--
-- A staged value with a KPI, area or period the warehouse does not know
-- yet (benchmark_note_unknown_ids.sql) is new without a look: a
-- publication's new year.  Of the others, a staged key step 33 updated is
-- in the fact table: it is found among the noted ones, and only the rest
-- are looked up in the fact table's primary key.  The two kinds are
-- inserted as the two halves of a UNION ALL: as one condition with OR,
-- the planner took the staged values for a handful and read them once per
-- source (12 s).  NOT IN (keys are never NULL) is hashed, as the noted
-- keys fit in the load's work_mem (marts.c notes at most a million): the
-- planner has no statistics of the noted table, and given NOT EXISTS it
-- read the noted keys once per staged value (a publication's insert took
-- 28 s).
WITH staged AS NOT MATERIALIZED (
 SELECT s.kpi_id, s.area_id, s.period_id, s.gender, s.value, s.value_count, s.status,
 ds.source_key,
 s.kpi_id IN (SELECT u.id FROM pg_temp.nyckel_benchmark_unknown_id u
   WHERE u.column_name = 'kpi_id')
 OR s.area_id IN (SELECT u.id FROM pg_temp.nyckel_benchmark_unknown_id u
   WHERE u.column_name = 'area_id')
 OR s.period_id IN (SELECT u.id FROM pg_temp.nyckel_benchmark_unknown_id u
   WHERE u.column_name = 'period_id') AS unknown_id
 FROM staging.fact_kpi_value s JOIN staging.source src ON src.source_ref = s.source_ref
 JOIN nyckel.dim_source ds ON ds.uri = src.uri AND ds.sha256 = src.sha256
 ), added AS (
 INSERT INTO nyckel.fact_kpi_value (kpi_id, area_id, period_id, gender, value,
 value_count, status, source_key, run_key)
 SELECT kpi_id, area_id, period_id, gender, value, value_count, status, source_key,
 $1::bigint FROM staged WHERE unknown_id
 UNION ALL
 SELECT s.kpi_id, s.area_id, s.period_id, s.gender, s.value, s.value_count, s.status,
 s.source_key, $1::bigint FROM staged s
 WHERE NOT s.unknown_id
 AND (s.kpi_id, s.area_id, s.period_id, s.gender) NOT IN (SELECT c.kpi_id, c.area_id,
   c.period_id, c.gender FROM pg_temp.nyckel_benchmark_changed c WHERE c.change = 'updated')
 AND NOT EXISTS (SELECT 1 FROM nyckel.fact_kpi_value f
   WHERE f.kpi_id = s.kpi_id AND f.area_id = s.area_id AND f.period_id = s.period_id
   AND f.gender = s.gender)
 RETURNING kpi_id, area_id, period_id, gender, value)
 INSERT INTO pg_temp.nyckel_benchmark_changed (kpi_id, area_id, period_id, gender, value_after,
 change)
 SELECT kpi_id, area_id, period_id, gender, value, 'inserted' FROM added
