-- Merge step 26 of 43, dim_ou: adds as inferred rows the ids that facts or bridges use and no file delivered
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
--
-- The ids a staged fact table lacks are filtered per table before the UNION,
-- which leaves a handful of rows to deduplicate instead of every staged value.
-- The Kolada values' distinct ids were noted as they streamed (fact_stream.c,
-- pg_temp.nyckel_fact_id), and in a first load they are not staged at all.
INSERT INTO nyckel.dim_ou (ou_id, ou_kind, is_inferred, run_key)
 SELECT ou_id, min(kind), true, $1::bigint
 FROM (SELECT ou_id, 'kolada' AS kind FROM ( SELECT ou_id FROM staging.fact_ou_value f WHERE NOT EXISTS
 (SELECT 1 FROM nyckel.dim_ou d WHERE d.ou_id = f.ou_id)) k
       UNION SELECT ou_id, 'internal' FROM ( SELECT ou_id FROM staging.fact_internal_value f WHERE NOT EXISTS
 (SELECT 1 FROM nyckel.dim_ou d WHERE d.ou_id = f.ou_id)) i) ids
 GROUP BY ou_id
