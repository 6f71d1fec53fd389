-- The audit row, in the load's transaction just before its commit ($1: the
-- run key, $2: seconds the load took, $3: rows per table as JSON).
-- load/audit.c.
UPDATE nyckel.run SET status = 'committed', finished_at = statement_timestamp(),
 duration_seconds = $2::double precision, tables = $3::jsonb
 WHERE run_key = $1::bigint
