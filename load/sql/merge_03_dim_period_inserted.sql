-- Merge step 3 of 43, dim_period: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_period (period_id, granularity, year, start_date, end_date)
 SELECT period_id, granularity, year, start_date, end_date FROM staging.dim_period s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_period d WHERE d.period_id = s.period_id)
