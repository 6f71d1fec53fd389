-- Merge step 41 of 43, fact_internal_value: deletes the rows a delivery withdrew
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
--
-- Corrections: pg_temp.nyckel_gone holds the figures a corrected delivery
-- no longer has (delivery.c).
DELETE FROM nyckel.fact_internal_value f USING pg_temp.nyckel_gone g
 WHERE f.measure_id = g.measure_id AND f.ou_id = g.ou_id
 AND f.period_id = g.period_id AND f.scenario = g.scenario
 AND f.breakdown_id = g.breakdown_id
