-- 015_delivery_scope.sql: which job and which of its sources delivered a
-- source file, so that a later delivery of the same source can replace
-- what it covers (extract[].covers in docs/jobs.md): internal figures that
-- an earlier delivery of that source gave and the new one no longer holds
-- are deleted.  Rows loaded before this migration have neither and are
-- never replaced: nothing is deleted on a guess.
ALTER TABLE nyckel.dim_source ADD COLUMN job text, ADD COLUMN source_name text;
CREATE INDEX dim_source_delivery ON nyckel.dim_source (job, source_name);
COMMENT ON COLUMN nyckel.dim_source.job IS
    'Jobbet som levererade filen. / Job that delivered the file.';
COMMENT ON COLUMN nyckel.dim_source.source_name IS
    'Jobbets källa (extract[].name) som levererade filen. / The job''s source (extract[].name) that delivered the file.';
