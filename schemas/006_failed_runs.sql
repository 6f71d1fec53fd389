-- 006_failed_runs.sql: a record of loads that failed.  A failed load's own
-- transaction is rolled back, so nyckel.run only ever holds committed
-- loads; after the rollback nyckel-load writes one row here in a separate
-- short transaction (when it still can: not when the server went away).
-- It touches no data table and nothing refers to it.  Like the rest of the
-- audit it is for the loader only: the BI role of 004 gets no grant.

CREATE TABLE nyckel.run_failure (
    failure_key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id text NOT NULL,
    job text NOT NULL,
    started_at timestamptz NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    exit_code integer NOT NULL,
    step text NOT NULL,
    message text NOT NULL,
    dry_run boolean NOT NULL,
    transform_manifest_sha256 text NOT NULL,
    nyckel_version text NOT NULL
);
CREATE INDEX run_failure_run_id ON nyckel.run_failure (run_id);
REVOKE ALL ON nyckel.run_failure FROM PUBLIC;

COMMENT ON TABLE nyckel.run_failure IS
    'En rad per misslyckad laddning; den ändrade inga data (revision). / One row per failed load; it changed no data (audit).';
COMMENT ON COLUMN nyckel.run_failure.failure_key IS
    'Radens nummer. / Number of the row.';
COMMENT ON COLUMN nyckel.run_failure.run_id IS
    'Körningens id (körkatalogens namn). / Run id (the run directory''s name).';
COMMENT ON COLUMN nyckel.run_failure.job IS
    'Jobbets namn. / Name of the job.';
COMMENT ON COLUMN nyckel.run_failure.started_at IS
    'När laddningen startade. / When the load started.';
COMMENT ON COLUMN nyckel.run_failure.failed_at IS
    'När felet registrerades, efter återställningen. / When the failure was recorded, after the rollback.';
COMMENT ON COLUMN nyckel.run_failure.exit_code IS
    'Slutstatus för nyckel-load (se docs/operations.md), t.ex. 65 data, 79 låst, 130 avbruten. / Exit status of nyckel-load (see docs/operations.md), e.g. 65 data, 79 locked, 130 interrupted.';
COMMENT ON COLUMN nyckel.run_failure.step IS
    'Steget som misslyckades, t.ex. waiting for the warehouse lock. / The step that failed, e.g. waiting for the warehouse lock.';
COMMENT ON COLUMN nyckel.run_failure.message IS
    'Felmeddelandet, samma rad som i loggen. / The error message, the same line as in the log.';
COMMENT ON COLUMN nyckel.run_failure.dry_run IS
    'Sant för en provkörning (--dry-run). / True for a dry run (--dry-run).';
COMMENT ON COLUMN nyckel.run_failure.transform_manifest_sha256 IS
    'SHA-256 för transform/manifest.json. / SHA-256 of transform/manifest.json.';
COMMENT ON COLUMN nyckel.run_failure.nyckel_version IS
    'Version av nyckel-load. / Version of nyckel-load.';
