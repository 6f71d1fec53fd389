-- One row per table the load wrote, from the same JSON as the audit row's
-- tables ($1: the run key, $2: {"table": {"inserted": n, ...}, ...}).
-- load/audit.c.
INSERT INTO nyckel.run_table (run_key, table_name, inserted, updated,
 deleted, unchanged)
 SELECT $1::bigint, key, (value->>'inserted')::bigint,
 (value->>'updated')::bigint, (value->>'deleted')::bigint,
 (value->>'unchanged')::bigint FROM jsonb_each($2::jsonb)
