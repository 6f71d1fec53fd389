-- Merge step 4 of 43, dim_period: adds as inferred rows the ids that facts or bridges use and no file delivered
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
--
-- OFFSET 0 keeps the planner from pushing parse_period's regular expressions
-- down into the scans of every staged value (10 s at ten million): only the
-- few unknown ids are parsed.
--
-- The ids a staged fact table lacks are filtered per table before the UNION,
-- which leaves a handful of rows to deduplicate instead of every staged value.
-- The Kolada values' distinct ids were noted as they streamed (fact_stream.c,
-- pg_temp.nyckel_fact_id), and in a first load they are not staged at all.
INSERT INTO nyckel.dim_period (period_id, granularity, year, start_date, end_date)
 SELECT p.period_id, p.granularity, p.year, p.start_date, p.end_date
 FROM ( SELECT f.id AS period_id FROM pg_temp.nyckel_fact_id f
 WHERE f.column_name = 'period_id' AND NOT EXISTS
 (SELECT 1 FROM nyckel.dim_period d WHERE d.period_id = f.id)
 UNION SELECT period_id FROM staging.fact_ou_value f WHERE NOT EXISTS
 (SELECT 1 FROM nyckel.dim_period d WHERE d.period_id = f.period_id)
 UNION SELECT period_id FROM staging.fact_internal_value f WHERE NOT EXISTS
 (SELECT 1 FROM nyckel.dim_period d WHERE d.period_id = f.period_id) OFFSET 0) ids
 CROSS JOIN LATERAL nyckel.parse_period(ids.period_id) p
