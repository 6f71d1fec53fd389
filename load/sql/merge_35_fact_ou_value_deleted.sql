-- Merge step 35 of 43, fact_ou_value: deletes the rows a delivery withdrew
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
DELETE FROM nyckel.fact_ou_value f USING staging.fact_ou_value_deleted s
 WHERE f.kpi_id = s.kpi_id AND f.ou_id = s.ou_id AND f.period_id = s.period_id
 AND f.gender = s.gender
