-- Merge step 2 of 43, dim_period: updates the rows delivered that differ from the warehouse's
-- (IS DISTINCT FROM, so NULLs compare as values)
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
UPDATE nyckel.dim_period d SET granularity = s.granularity, year = s.year,
 start_date = s.start_date, end_date = s.end_date
 FROM staging.dim_period s WHERE d.period_id = s.period_id
 AND (d.granularity, d.year, d.start_date, d.end_date)
 IS DISTINCT FROM (s.granularity, s.year, s.start_date, s.end_date)
