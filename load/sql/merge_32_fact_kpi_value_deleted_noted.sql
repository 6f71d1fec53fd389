-- Merge step 32 of 43, fact_kpi_value, when the merge notes what it changes
-- (load_benchmark_note_changes): merge_32_fact_kpi_value_deleted.sql, noting
-- each key it deletes with the value it had.  load/merge.c runs it in that
-- one's place.
WITH gone AS (
 DELETE FROM nyckel.fact_kpi_value f USING staging.fact_kpi_value_deleted s
 WHERE f.kpi_id = s.kpi_id AND f.area_id = s.area_id AND f.period_id = s.period_id
 AND f.gender = s.gender
 RETURNING f.kpi_id, f.area_id, f.period_id, f.gender, f.value)
 INSERT INTO pg_temp.nyckel_benchmark_changed
 SELECT kpi_id, area_id, period_id, gender, value, NULL, 'deleted' FROM gone
