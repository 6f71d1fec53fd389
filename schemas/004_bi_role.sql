-- 004_bi_role.sql: the read-only role for BI tools.  It may read the mart
-- schema and nothing else: no core tables, no staging, no audit, no writes.
-- Roles belong to the whole cluster, so the role is created only when no
-- other warehouse on the same server made it already.  Give it to a login
-- role with: CREATE ROLE metabase LOGIN IN ROLE nyckel_bi;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nyckel_bi') THEN
        CREATE ROLE nyckel_bi NOLOGIN;
    END IF;
END
$$;
COMMENT ON ROLE nyckel_bi IS
    'Läsrätt till schemat mart för BI-verktyg. / Read access to the mart schema for BI tools.';

REVOKE ALL ON SCHEMA nyckel, staging FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA nyckel, staging FROM PUBLIC;
GRANT USAGE ON SCHEMA mart TO nyckel_bi;
GRANT SELECT ON ALL TABLES IN SCHEMA mart TO nyckel_bi;
ALTER DEFAULT PRIVILEGES IN SCHEMA mart GRANT SELECT ON TABLES TO nyckel_bi;
