-- Merge step 12 of 43, dim_area: adds as inferred rows the ids that facts or bridges use and no file delivered
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
--
-- The ids a staged fact table lacks are filtered per table before the UNION,
-- which leaves a handful of rows to deduplicate instead of every staged value.
-- The Kolada values' distinct ids were noted as they streamed (fact_stream.c,
-- pg_temp.nyckel_fact_id), and in a first load they are not staged at all.
INSERT INTO nyckel.dim_area (area_id, area_type, is_inferred, run_key)
 SELECT area_id, nyckel.area_type_of(area_id), true, $1::bigint
 FROM ( SELECT f.id AS area_id FROM pg_temp.nyckel_fact_id f
 WHERE f.column_name = 'area_id' AND NOT EXISTS
 (SELECT 1 FROM nyckel.dim_area d WHERE d.area_id = f.id)
       UNION SELECT group_id FROM staging.area_group_member
       UNION SELECT member_id FROM staging.area_group_member
       UNION SELECT municipality_id FROM staging.dim_ou
             WHERE municipality_id IS NOT NULL) ids
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_area d WHERE d.area_id = ids.area_id)
