-- Merge step 28 of 43, dim_ou_history: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_ou_history (ou_id, title, area_id, parent_ou_id, valid_from,
 is_current, run_key)
 SELECT ou_id, title, municipality_id, parent_ou_id, now(), true, $1::bigint
 FROM staging.dim_ou s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_ou_history h
                   WHERE h.ou_id = s.ou_id AND h.is_current)
