-- Merge step 32 of 43, fact_kpi_value: deletes the rows a delivery withdrew
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
DELETE FROM nyckel.fact_kpi_value f USING staging.fact_kpi_value_deleted s
 WHERE f.kpi_id = s.kpi_id AND f.area_id = s.area_id AND f.period_id = s.period_id
 AND f.gender = s.gender
