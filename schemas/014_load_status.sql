-- 014_load_status.sql: freshness and lineage for BI readers.  The BI role of
-- 004 reads mart only, so the run tables were out of its reach: it could not
-- tell how fresh a report's data are, nor resolve the source_key and run_key
-- of mart.fact_internal_value.  These views give it exactly that and no
-- more: no failure messages (they may quote rows), no run-directory paths.

CREATE VIEW mart.load AS
SELECT run_key, run_id, job, started_at, finished_at, duration_seconds
FROM nyckel.run
WHERE status = 'committed';
SELECT nyckel.copy_column_comments('mart.load', 'nyckel.run');
COMMENT ON VIEW mart.load IS
    'Genomförda laddningar; run_key i faktatabellerna pekar hit. / Committed loads; run_key in the fact tables points here.';

CREATE VIEW mart.source AS
SELECT source_key, uri,
       CASE WHEN uri LIKE 'file:%' THEN regexp_replace(uri, '^.*[/#]', '') END AS file_name,
       sha256, size, fetched_at, run_key
FROM nyckel.dim_source;
SELECT nyckel.copy_column_comments('mart.source', 'nyckel.dim_source');
COMMENT ON VIEW mart.source IS
    'Källfiler och API-svar; source_key i faktatabellerna pekar hit. / Source files and API responses; source_key in the fact tables points here.';
COMMENT ON COLUMN mart.source.file_name IS
    'Filens namn (arkivmedlemmens för ett arkiv), för file-källor. / File name (the archive member''s for an archive), for file sources.';

CREATE VIEW mart.internal_value AS
SELECT f.measure_id, f.ou_id, f.breakdown_id, f.period_id, f.scenario, f.value, f.is_small_count,
       r.run_id AS loaded_run_id, r.finished_at AS loaded_at, s.uri AS source_uri,
       s.file_name AS source_file, s.sha256 AS source_sha256
FROM nyckel.fact_internal_value f
JOIN nyckel.run r ON r.run_key = f.run_key
JOIN mart.source s ON s.source_key = f.source_key;
SELECT nyckel.copy_column_comments('mart.internal_value', 'nyckel.fact_internal_value');
COMMENT ON VIEW mart.internal_value IS
    'Egna mått med härkomst: källfil och laddningstid för varje värde. / Internal measures with lineage: source file and load time of every value.';
COMMENT ON COLUMN mart.internal_value.loaded_run_id IS
    'Körningen som senast laddade värdet. / Run that last loaded the value.';
COMMENT ON COLUMN mart.internal_value.loaded_at IS
    'När värdet laddades. / When the value was loaded.';
COMMENT ON COLUMN mart.internal_value.source_uri IS 'Källans adress. / Address of the source.';
COMMENT ON COLUMN mart.internal_value.source_file IS
    'Källfilens namn. / Name of the source file.';
COMMENT ON COLUMN mart.internal_value.source_sha256 IS 'Källans SHA-256. / SHA-256 of the source.';

-- A job's source is the raw-zone folder its files came through:
-- raw/<source>/<n>.<ext> in the transform manifest the audit row keeps.
CREATE VIEW mart.load_status AS
WITH source_load AS (
    SELECT r.job, split_part(e->>'path', '/', 2) AS source, r.run_key, r.run_id,
           r.finished_at, count(*) AS files, sum((e->>'rows_rejected')::bigint) AS rows_rejected
    FROM nyckel.run r, jsonb_array_elements(r.sources) e
    WHERE r.status = 'committed'
    GROUP BY r.job, split_part(e->>'path', '/', 2), r.run_key, r.run_id, r.finished_at
), latest AS (
    SELECT DISTINCT ON (job, source) *
    FROM source_load
    ORDER BY job, source, run_key DESC
), changed AS (
    SELECT run_key, sum(inserted) AS inserted, sum(updated) AS updated, sum(deleted) AS deleted
    FROM nyckel.run_table
    GROUP BY run_key
), failure AS (
    SELECT DISTINCT ON (job) job, failed_at, exit_code, step
    FROM nyckel.run_failure
    WHERE NOT dry_run
    ORDER BY job, failed_at DESC
)
SELECT coalesce(l.job, f.job) AS job, l.source,
       CASE WHEN l.job IS NULL OR f.failed_at > l.finished_at THEN 'failed' ELSE 'ok' END
           AS status,
       l.run_id AS last_success_run_id, l.finished_at AS last_success_at,
       now() - l.finished_at AS age,
       extract(epoch FROM now() - l.finished_at) / 3600 AS age_hours,
       l.files, c.inserted AS rows_inserted, c.updated AS rows_updated,
       c.deleted AS rows_deleted, l.rows_rejected,
       f.failed_at AS last_failure_at, f.exit_code AS last_failure_exit_code,
       f.step AS last_failure_step
FROM latest l
LEFT JOIN changed c ON c.run_key = l.run_key
FULL JOIN failure f ON f.job = l.job;
COMMENT ON VIEW mart.load_status IS
    'Hur färska data är: per jobb och källa den senaste lyckade laddningen, dess ålder och radantal, och senaste misslyckade laddning. / How fresh the data are: per job and source the last successful load, its age and row counts, and the last failed load.';
COMMENT ON COLUMN mart.load_status.job IS 'Jobbets namn. / Name of the job.';
COMMENT ON COLUMN mart.load_status.source IS
    'Källans namn i jobbet; tomt för ett jobb som aldrig lyckats. / Name of the source in the job; empty for a job that never succeeded.';
COMMENT ON COLUMN mart.load_status.status IS
    'ok, eller failed när en laddning misslyckats efter den senaste lyckade. / ok, or failed when a load failed after the last successful one.';
COMMENT ON COLUMN mart.load_status.last_success_run_id IS
    'Körningen som senast laddade källan. / Run that last loaded the source.';
COMMENT ON COLUMN mart.load_status.last_success_at IS
    'När källan senast laddades. / When the source was last loaded.';
COMMENT ON COLUMN mart.load_status.age IS
    'Tid sedan den senaste lyckade laddningen. / Time since the last successful load.';
COMMENT ON COLUMN mart.load_status.age_hours IS
    'Samma ålder i timmar. / The same age in hours.';
COMMENT ON COLUMN mart.load_status.files IS
    'Filer och API-svar från källan i den laddningen. / Files and API responses from the source in that load.';
COMMENT ON COLUMN mart.load_status.rows_inserted IS
    'Tillagda rader i den laddningen, alla tabeller. / Rows inserted by that load, all tables.';
COMMENT ON COLUMN mart.load_status.rows_updated IS
    'Ändrade rader i den laddningen, alla tabeller. / Rows updated by that load, all tables.';
COMMENT ON COLUMN mart.load_status.rows_deleted IS
    'Borttagna rader i den laddningen, alla tabeller. / Rows deleted by that load, all tables.';
COMMENT ON COLUMN mart.load_status.rows_rejected IS
    'Avvisade rader från källan i den laddningen. / Rows from the source that load rejected.';
COMMENT ON COLUMN mart.load_status.last_failure_at IS
    'När jobbets senaste laddning misslyckades. / When the job''s last load failed.';
COMMENT ON COLUMN mart.load_status.last_failure_exit_code IS
    'Slutstatus för den misslyckade laddningen (se docs/operations.md). / Exit status of the failed load (see docs/operations.md).';
COMMENT ON COLUMN mart.load_status.last_failure_step IS
    'Steget som misslyckades; meddelandet finns i loggen. / The step that failed; the message is in the log.';

GRANT SELECT ON mart.load, mart.source, mart.internal_value, mart.load_status TO nyckel_bi;
