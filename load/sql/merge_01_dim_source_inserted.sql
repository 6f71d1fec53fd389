-- Merge step 1 of 43, dim_source: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
INSERT INTO nyckel.dim_source (uri, sha256, size, fetched_at, run_key)
 SELECT DISTINCT ON (uri, sha256) uri, sha256, size, fetched_at, $1::bigint
 FROM staging.source ORDER BY uri, sha256, fetched_at
 ON CONFLICT (uri, sha256) DO NOTHING
