-- A failed load, recorded in its own transaction after the load's rolled
-- back ($1: run id, $2: job, $3: when it started, $4: exit code, $5: the
-- step, $6: the message, $7: whether it was a dry run, $8: the transform
-- manifest's sha256, $9: nyckel's version).  load/audit.c.
INSERT INTO nyckel.run_failure (run_id, job, started_at, exit_code, step,
 message, dry_run, transform_manifest_sha256, nyckel_version)
 VALUES ($1, $2, $3, $4::integer, $5, $6, $7::boolean, $8, $9)
