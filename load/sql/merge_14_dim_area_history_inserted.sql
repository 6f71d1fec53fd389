-- Merge step 14 of 43, dim_area_history: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_area_history (area_id, title, valid_from, is_current, run_key)
 SELECT area_id, title, now(), true, $1::bigint FROM staging.dim_area s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_area_history h
                   WHERE h.area_id = s.area_id AND h.is_current)
