-- Merge step 1 of 43, dim_source: adds the rows delivered in staging that the warehouse lacks
-- ($1: the run key).  load/merge.c runs the steps in order, in the load's transaction.
-- An anti-join rather than ON CONFLICT DO NOTHING, whose row count Citus gives as the rows
-- offered, not the rows inserted, and rather than NOT EXISTS, which Citus cannot run beside
-- DISTINCT ON.
INSERT INTO nyckel.dim_source (uri, sha256, size, fetched_at, run_key)
 SELECT DISTINCT ON (s.uri, s.sha256) s.uri, s.sha256, s.size, s.fetched_at, $1::bigint
 FROM staging.source s LEFT JOIN nyckel.dim_source d
 ON d.uri = s.uri AND d.sha256 = s.sha256 WHERE d.source_key IS NULL
 ORDER BY s.uri, s.sha256, s.fetched_at
