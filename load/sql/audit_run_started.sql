-- The audit row of a load that has begun, with the sources of the run as
-- pg_temp.nyckel_run_sources holds them ($1: run id, $2: job, $3: when it
-- started, $4: the transform manifest's sha256, $5: the extract manifest's or
-- '', $6: nyckel's version); returns its run_key.  load/audit.c.
INSERT INTO nyckel.run (run_id, job, status, started_at,
 transform_manifest_sha256, extract_manifest_sha256, sources,
 nyckel_version)
 SELECT $1::text, $2::text, 'running', $3::timestamptz, $4::text,
 NULLIF($5::text, ''),
 coalesce(jsonb_agg(entry ORDER BY position), '[]'::jsonb), $6::text
 FROM pg_temp.nyckel_run_sources
 RETURNING run_key
