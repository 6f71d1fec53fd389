-- Merge step 7 of 43, dim_kpi: adds as inferred rows the ids that facts or bridges use and no file delivered
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
--
-- The ids a staged fact table lacks are filtered per table before the UNION,
-- which leaves a handful of rows to deduplicate instead of every staged value.
-- The Kolada values' distinct ids were noted as they streamed (fact_stream.c,
-- pg_temp.nyckel_fact_id), and in a first load they are not staged at all.
INSERT INTO nyckel.dim_kpi (kpi_id, is_inferred, run_key)
 SELECT kpi_id, true, $1::bigint
 FROM ( SELECT f.id AS kpi_id FROM pg_temp.nyckel_fact_id f
 WHERE f.column_name = 'kpi_id' AND NOT EXISTS
 (SELECT 1 FROM nyckel.dim_kpi d WHERE d.kpi_id = f.id)
 UNION SELECT kpi_id FROM staging.fact_ou_value f WHERE NOT EXISTS
 (SELECT 1 FROM nyckel.dim_kpi d WHERE d.kpi_id = f.kpi_id)) ids
