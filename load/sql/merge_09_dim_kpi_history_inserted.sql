-- Merge step 9 of 43, dim_kpi_history: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_kpi_history (kpi_id, title, valid_from, is_current, run_key)
 SELECT kpi_id, title, now(), true, $1::bigint FROM staging.dim_kpi s
 WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_kpi_history h
                   WHERE h.kpi_id = s.kpi_id AND h.is_current)
