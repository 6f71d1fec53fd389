-- 008_identifier_collation.sql: identifiers compare byte by byte.
--
-- Every code the warehouse joins and sorts on (KPI N00001, area 0580,
-- period 2024, gender T, units, groups, measures, scenarios, run ids) is
-- plain ASCII, so its order is the same in any collation.  Under the
-- database's own collation (C.UTF-8, or sv_SE.UTF-8 on many municipal
-- servers) each comparison still goes through strcoll, and PostgreSQL sorts
-- such text without abbreviated keys; index builds, the merge and the
-- benchmark refresh spent much of their time there.  COLLATE "C" compares
-- bytes.  Names and titles keep the database's collation, so that Swedish
-- names still sort the Swedish way.
--
-- The columns are the text columns named *_id, gender or scenario of every
-- table in nyckel, staging and mart.  A later migration that adds such a
-- column declares COLLATE "C" itself.
--
-- A column's type cannot change under a view, so the views over these
-- tables are set aside (definition, comments and grants), and put back as
-- they were once the columns have changed.  The collation changes no stored
-- byte: the tables are not rewritten, only their indexes rebuilt.

CREATE TEMPORARY TABLE set_aside_view ON COMMIT DROP AS
SELECT c.oid AS old_oid, format('%I.%I', n.nspname, c.relname) AS name,
       pg_get_viewdef(c.oid) AS definition, obj_description(c.oid, 'pg_class') AS comment,
       (SELECT jsonb_object_agg(a.attname, col_description(c.oid, a.attnum))
        FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND col_description(c.oid, a.attnum) IS NOT NULL)
           AS column_comments,
       c.relacl AS grants
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'v' AND n.nspname IN ('nyckel', 'staging', 'mart');

DO $$
DECLARE
    v record;
    t record;
    g record;
BEGIN
    FOR v IN SELECT name FROM set_aside_view ORDER BY old_oid DESC LOOP
        EXECUTE format('DROP VIEW %s', v.name);
    END LOOP;

    -- One ALTER TABLE per table, so that each index is rebuilt once.
    FOR t IN
        SELECT format('%I.%I', c.table_schema, c.table_name) AS name,
               string_agg(format('ALTER COLUMN %I TYPE text COLLATE "C"', c.column_name), ', ')
                   AS changes
        FROM information_schema.columns c
        JOIN information_schema.tables b
          ON b.table_schema = c.table_schema AND b.table_name = c.table_name
        WHERE b.table_type = 'BASE TABLE' AND c.table_schema IN ('nyckel', 'staging', 'mart')
          AND c.data_type = 'text'
          AND (c.column_name LIKE '%\_id' OR c.column_name IN ('gender', 'scenario'))
        GROUP BY c.table_schema, c.table_name
    LOOP
        EXECUTE format('ALTER TABLE %s %s', t.name, t.changes);
    END LOOP;

    FOR v IN SELECT * FROM set_aside_view ORDER BY old_oid LOOP
        EXECUTE format('CREATE VIEW %s AS %s', v.name, v.definition);
        EXECUTE format('COMMENT ON VIEW %s IS %L', v.name, v.comment);
        FOR t IN SELECT key, value FROM jsonb_each_text(v.column_comments) LOOP
            EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', v.name, t.key, t.value);
        END LOOP;
        FOR g IN
            SELECT a.privilege_type,
                   CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee
            FROM aclexplode(v.grants) a
            LEFT JOIN pg_roles r ON r.oid = a.grantee
            WHERE a.grantee <> a.grantor
        LOOP
            EXECUTE format('GRANT %s ON %s TO %s', g.privilege_type, v.name, g.grantee);
        END LOOP;
    END LOOP;
END
$$;
