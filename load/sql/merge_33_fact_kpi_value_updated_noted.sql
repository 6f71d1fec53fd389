-- Merge step 33 of 43, fact_kpi_value, when the merge notes what it changes
-- (load_benchmark_note_changes): merge_33_fact_kpi_value_updated.sql, noting
-- each key it updates with the value it had and has ($1: the run key).  load/merge.c
-- runs it in that one's place.
--
-- The value before is read by a join (o) on the primary key; the row to
-- update is then the one at o's ctid, on the page o just read.  A subquery
-- in RETURNING looking the old row up again cost half as much as the
-- update itself; noting every staged key before the merge, as much again.
-- A staged value with a KPI, area or period the warehouse does not know
-- yet is not looked for (benchmark_note_unknown_ids.sql).
WITH changed AS (
 UPDATE nyckel.fact_kpi_value f SET value = s.value, value_count = s.value_count,
 status = s.status, source_key = ds.source_key, run_key = $1::bigint
 FROM staging.fact_kpi_value s JOIN staging.source src ON src.source_ref = s.source_ref
 JOIN nyckel.dim_source ds ON ds.uri = src.uri AND ds.sha256 = src.sha256
 JOIN nyckel.fact_kpi_value o ON o.kpi_id = s.kpi_id AND o.area_id = s.area_id
 AND o.period_id = s.period_id AND o.gender = s.gender
 WHERE f.ctid = o.ctid
 AND s.kpi_id NOT IN (SELECT u.id FROM pg_temp.nyckel_benchmark_unknown_id u
   WHERE u.column_name = 'kpi_id')
 AND s.area_id NOT IN (SELECT u.id FROM pg_temp.nyckel_benchmark_unknown_id u
   WHERE u.column_name = 'area_id')
 AND s.period_id NOT IN (SELECT u.id FROM pg_temp.nyckel_benchmark_unknown_id u
   WHERE u.column_name = 'period_id')
 AND (o.value, o.value_count, o.status) IS DISTINCT FROM (s.value, s.value_count, s.status)
 RETURNING f.kpi_id, f.area_id, f.period_id, f.gender, o.value AS value_before,
 f.value AS value_after)
 INSERT INTO pg_temp.nyckel_benchmark_changed
 SELECT kpi_id, area_id, period_id, gender, value_before, value_after, 'updated' FROM changed
