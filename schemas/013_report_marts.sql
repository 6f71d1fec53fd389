-- 013_report_marts.sql: the marts read right for a report a committee reads.
--
-- * Names and titles sort the Swedish way (… Y, Z, Å, Ä, Ö) whatever the
--   database's default collation (C.UTF-8 sorts Ä before Å): their columns
--   take the ICU collation "sv-SE-x-icu", so every view over them does too.
-- * Which way is better is known per warehouse, not per job only:
--   nyckel.kpi_direction holds a direction and its reason per KPI, with a
--   reviewed list for the demo's social-services KPIs.  A job's
--   load.kpi_direction still wins for the KPIs it names.  A KPI in neither
--   has an unknown direction: mart.benchmark ranks it by value, highest
--   first, and says so (direction 'unknown', higher_is_better NULL), so
--   nothing calls its highest value the best.
-- * Differences are numeric, computed from the values as they were sent
--   (15 significant digits), so 52.5 - 51.6 shows as 0.9, not 0.9000000000000057;
--   the percentage is rounded to at most two decimals.
-- * mart.benchmark_peer_group ranks within each group beside the national rank.

-- Columns under views change only with the views set aside: their
-- definitions, comments and grants are kept, the views dropped, the
-- statements run, and the views made again in their old order.
CREATE FUNCTION nyckel.alter_under_views(statements text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    saved jsonb := '[]';
    item jsonb;
    statement text;
    col record;
    acl record;
BEGIN
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'name', format('%I.%I', n.nspname, c.relname),
               'definition', pg_get_viewdef(c.oid),
               'comment', obj_description(c.oid, 'pg_class'),
               'columns', (SELECT jsonb_object_agg(a.attname, col_description(c.oid, a.attnum))
                           FROM pg_attribute a
                           WHERE a.attrelid = c.oid AND a.attnum > 0
                             AND col_description(c.oid, a.attnum) IS NOT NULL),
               'grants', (SELECT jsonb_agg(jsonb_build_object(
                                     'privilege', x.privilege_type,
                                     'grantee', CASE WHEN x.grantee = 0 THEN 'PUBLIC'
                                                     ELSE quote_ident(r.rolname) END))
                          FROM aclexplode(c.relacl) x
                          LEFT JOIN pg_roles r ON r.oid = x.grantee
                          WHERE x.grantee <> x.grantor)) ORDER BY c.oid), '[]')
    INTO saved
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'v' AND n.nspname IN ('nyckel', 'staging', 'mart');

    FOR item IN SELECT value FROM jsonb_array_elements(saved) WITH ORDINALITY
                ORDER BY ordinality DESC LOOP
        EXECUTE format('DROP VIEW %s', item->>'name');
    END LOOP;
    FOREACH statement IN ARRAY statements LOOP
        EXECUTE statement;
    END LOOP;
    FOR item IN SELECT value FROM jsonb_array_elements(saved) WITH ORDINALITY
                ORDER BY ordinality LOOP
        EXECUTE format('CREATE VIEW %s AS %s', item->>'name', item->>'definition');
        EXECUTE format('COMMENT ON VIEW %s IS %L', item->>'name', item->>'comment');
        FOR col IN SELECT key, value FROM jsonb_each_text(coalesce(item->'columns', '{}')) LOOP
            EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', item->>'name', col.key, col.value);
        END LOOP;
        FOR acl IN SELECT value->>'privilege' AS privilege, value->>'grantee' AS grantee
                   FROM jsonb_array_elements(coalesce(item->'grants', '[]')) LOOP
            EXECUTE format('GRANT %s ON %s TO %s', acl.privilege, item->>'name', acl.grantee);
        END LOOP;
    END LOOP;
END
$$;
COMMENT ON FUNCTION nyckel.alter_under_views(text[]) IS
    'Kör ändringar av kolumner som vyer bygger på och återskapar vyerna. / Runs changes to columns views depend on and makes the views again.';

-- Swedish order for names and titles ---------------------------------------

SELECT nyckel.alter_under_views(ARRAY(
    SELECT format('ALTER TABLE nyckel.%I ALTER COLUMN %I TYPE text COLLATE "sv-SE-x-icu"',
                  c.table_name, c.column_name)
    FROM information_schema.columns c
    JOIN information_schema.tables t
      ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'nyckel' AND t.table_type = 'BASE TABLE' AND c.data_type = 'text'
      AND c.column_name IN ('title', 'label_sv', 'label_en')
    ORDER BY c.table_name, c.column_name));

-- Directions per warehouse ------------------------------------------------

CREATE TABLE nyckel.kpi_direction (
    kpi_id text COLLATE "C" PRIMARY KEY,
    higher_is_better boolean NOT NULL,
    reason text NOT NULL CHECK (reason <> ''),
    set_by text NOT NULL DEFAULT current_user,
    set_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE nyckel.kpi_direction IS
    'Vilket håll som är bättre per nyckeltal, för hela lagret, med skäl. Jobbets load.kpi_direction går före. / Which way is better per KPI, for the whole warehouse, with the reason. The job''s load.kpi_direction comes first.';
COMMENT ON COLUMN nyckel.kpi_direction.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN nyckel.kpi_direction.higher_is_better IS
    'Sant när högre är bättre, falskt när lägre är bättre. / True when higher is better, false when lower is.';
COMMENT ON COLUMN nyckel.kpi_direction.reason IS
    'Varför: vad ett högre värde betyder för brukarna. / Why: what a higher value means for the people served.';
COMMENT ON COLUMN nyckel.kpi_direction.set_by IS 'Vem som satte riktningen. / Who set the direction.';
COMMENT ON COLUMN nyckel.kpi_direction.set_at IS 'När den sattes. / When it was set.';

-- KPIs whose direction changed since the benchmark was computed; nyckel-load
-- recomputes them at its next load and empties this.
CREATE TABLE nyckel.kpi_direction_pending (kpi_id text COLLATE "C" PRIMARY KEY);
COMMENT ON TABLE nyckel.kpi_direction_pending IS
    'Nyckeltal vars riktning ändrats sedan jämförelsen räknades; nästa laddning räknar om dem. / KPIs whose direction changed since the benchmark was computed; the next load recomputes them.';
COMMENT ON COLUMN nyckel.kpi_direction_pending.kpi_id IS 'Nyckeltalet. / The KPI.';

CREATE FUNCTION nyckel.note_kpi_direction_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO nyckel.kpi_direction_pending
    SELECT kpi_id FROM (SELECT NEW.kpi_id WHERE TG_OP <> 'DELETE'
                        UNION SELECT OLD.kpi_id WHERE TG_OP <> 'INSERT') k (kpi_id)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION nyckel.note_kpi_direction_change() IS
    'Noterar nyckeltal vars riktning ändrats. / Notes KPIs whose direction changed.';
CREATE TRIGGER kpi_direction_changed AFTER INSERT OR UPDATE OR DELETE ON nyckel.kpi_direction
    FOR EACH ROW EXECUTE FUNCTION nyckel.note_kpi_direction_change();

-- The reviewed list: the demo's social-services KPIs whose direction is
-- clear from what they measure.  N23890 (residents 80+ in special housing)
-- is left out on purpose: more places can mean better access or fewer
-- people helped to live at home, so its direction stays unknown.
INSERT INTO nyckel.kpi_direction (kpi_id, higher_is_better, reason, set_by) VALUES
    ('N00945', false,
     'Kostnad per invånare 80+: lägre kostnad för samma insatser är effektivare; läs bredvid kvalitetsmåtten. / Cost per resident 80+: a lower cost for the same services is more efficient; read beside the quality KPIs.',
     'nyckel'),
    ('N31807', true,
     'Andel brukare i hemtjänsten som är nöjda med hemtjänsten som helhet. / Share of home-care users satisfied with home care as a whole.',
     'nyckel'),
    ('N31820', true,
     'Andel vuxna med missbruksproblem som inte återkommer inom ett år efter avslutad insats. / Share of adults with substance abuse who do not return within a year of the closed intervention.',
     'nyckel'),
    ('N02314', false,
     'Andel invånare med ekonomiskt bistånd: färre som behöver försörjningsstöd; speglar också arbetsmarknaden. / Share of residents on social assistance: fewer needing it; it also reflects the labour market.',
     'nyckel'),
    ('N31842', true,
     'Andel deltagare i arbetsmarknadsinsatser som gått vidare till arbete eller studier. / Share of participants in labour-market programmes who went on to work or studies.',
     'nyckel');

CREATE VIEW nyckel.kpi_direction_used AS
SELECT s.kpi_id, s.higher_is_better, 'job'::text AS direction_source, NULL::text AS reason
FROM nyckel.kpi_setting s
UNION ALL
SELECT d.kpi_id, d.higher_is_better, 'warehouse', d.reason
FROM nyckel.kpi_direction d
WHERE NOT EXISTS (SELECT 1 FROM nyckel.kpi_setting s WHERE s.kpi_id = d.kpi_id);
COMMENT ON VIEW nyckel.kpi_direction_used IS
    'Riktningen jämförelsen använder: jobbets, annars lagrets. / The direction the benchmark uses: the job''s, else the warehouse''s.';
COMMENT ON COLUMN nyckel.kpi_direction_used.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN nyckel.kpi_direction_used.higher_is_better IS
    'Sant när högre är bättre. / True when higher is better.';
COMMENT ON COLUMN nyckel.kpi_direction_used.direction_source IS
    'job (load.kpi_direction) eller warehouse (nyckel.kpi_direction). / job (load.kpi_direction) or warehouse (nyckel.kpi_direction).';
COMMENT ON COLUMN nyckel.kpi_direction_used.reason IS
    'Skälet, för lagrets riktningar. / The reason, for the warehouse''s directions.';

CREATE VIEW mart.kpi_direction AS
SELECT k.kpi_id, k.title AS kpi_title,
       CASE u.higher_is_better WHEN true THEN 'higher' WHEN false THEN 'lower'
                               ELSE 'unknown' END AS direction,
       u.direction_source, u.reason
FROM nyckel.dim_kpi k
LEFT JOIN nyckel.kpi_direction_used u ON u.kpi_id = k.kpi_id;
COMMENT ON VIEW mart.kpi_direction IS
    'Vilket håll som är bättre per nyckeltal, och varifrån det kommer. / Which way is better per KPI, and where that comes from.';
COMMENT ON COLUMN mart.kpi_direction.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN mart.kpi_direction.kpi_title IS 'Nyckeltalets titel. / KPI title.';
COMMENT ON COLUMN mart.kpi_direction.direction IS
    'higher, lower eller unknown (okänd: rangordnas efter värde utan bra/dåligt). / higher, lower or unknown (ranked by value with no good or bad).';
COMMENT ON COLUMN mart.kpi_direction.direction_source IS
    'job, warehouse eller tomt när okänd. / job, warehouse or NULL when unknown.';
COMMENT ON COLUMN mart.kpi_direction.reason IS 'Skälet. / The reason.';

-- The shipped list changes ranks an existing warehouse computed already.
INSERT INTO nyckel.kpi_direction_pending
SELECT DISTINCT b.kpi_id FROM mart.benchmark_value b
JOIN nyckel.kpi_direction_used u ON u.kpi_id = b.kpi_id
WHERE u.higher_is_better IS DISTINCT FROM b.higher_is_better
ON CONFLICT DO NOTHING;

-- The benchmark, numeric and with its direction ---------------------------

ALTER VIEW mart.benchmark RENAME TO benchmark_012;
ALTER VIEW mart.benchmark_peer_group RENAME TO benchmark_peer_group_012;

-- Unknown directions are stored ranked highest first (higher_is_better
-- true); the view says they are unknown.
CREATE VIEW mart.benchmark AS
SELECT b.kpi_id, (SELECT k.title FROM nyckel.dim_kpi k WHERE k.kpi_id = b.kpi_id) AS kpi_title,
       b.area_id, (SELECT a.title FROM nyckel.dim_area a WHERE a.area_id = b.area_id) AS area_title,
       b.period_id, b.year, b.gender, b.value, b.riket_value, b.region_id, b.region_value,
       b.value::numeric - b.riket_value::numeric AS difference_to_riket,
       CASE WHEN b.riket_value <> 0
            THEN trim_scale(round(100 * (b.value::numeric - b.riket_value::numeric)
                                  / b.riket_value::numeric, 2)) END AS difference_to_riket_percent,
       CASE WHEN d.source IS NOT NULL THEN b.higher_is_better END AS higher_is_better,
       b.rank, b.ranked_count,
       CASE WHEN b.rank IS NOT NULL
            THEN least(4, 1 + (4 * (b.rank - 1)) / b.ranked_count)::smallint END AS quartile,
       b.previous_year_value,
       b.value::numeric - b.previous_year_value::numeric AS change_since_previous_year,
       CASE WHEN d.source IS NULL THEN 'unknown' WHEN b.higher_is_better THEN 'higher'
            ELSE 'lower' END AS direction,
       d.source AS direction_source
FROM mart.benchmark_value b
-- Joined on their keys rather than through nyckel.kpi_direction_used, so
-- that a query not asking for the direction does not join them at all.
LEFT JOIN nyckel.kpi_setting js ON js.kpi_id = b.kpi_id
LEFT JOIN nyckel.kpi_direction wd ON wd.kpi_id = b.kpi_id
CROSS JOIN LATERAL (
    SELECT CASE WHEN js.kpi_id IS NOT NULL THEN 'job'
                WHEN wd.kpi_id IS NOT NULL THEN 'warehouse' END AS source) d;

CREATE VIEW mart.benchmark_peer_group AS
SELECT b.kpi_id, b.area_id, b.period_id, b.year, b.gender, b.value,
       m.group_id, g.title AS group_title, g.group_origin,
       gm.group_mean, gm.members_with_value,
       b.value::numeric - gm.group_mean::numeric AS difference_to_group_mean,
       b.rank AS national_rank,
       CASE WHEN b.rank IS NOT NULL THEN 1 + peers.better END::integer AS group_rank,
       peers.ranked::integer AS group_ranked_count
FROM mart.benchmark_value b
JOIN nyckel.area_group_member m ON m.member_id = b.area_id
JOIN nyckel.dim_area g ON g.area_id = m.group_id
JOIN mart.benchmark_group_mean gm ON gm.group_id = m.group_id AND gm.kpi_id = b.kpi_id
                                 AND gm.period_id = b.period_id AND gm.gender = b.gender
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE o.rank < b.rank) AS better, count(o.rank) AS ranked
    FROM nyckel.area_group_member om
    JOIN mart.benchmark_value o
      ON o.kpi_id = b.kpi_id AND o.area_id = om.member_id
     AND o.period_id = b.period_id AND o.gender = b.gender
    WHERE om.group_id = m.group_id) peers;

SELECT nyckel.copy_column_comments('mart.benchmark', 'mart.benchmark_012');
SELECT nyckel.copy_column_comments('mart.benchmark_peer_group', 'mart.benchmark_peer_group_012');
DO $$
BEGIN
    EXECUTE format('COMMENT ON VIEW mart.benchmark IS %L',
                   obj_description('mart.benchmark_012'::regclass, 'pg_class'));
    EXECUTE format('COMMENT ON VIEW mart.benchmark_peer_group IS %L',
                   obj_description('mart.benchmark_peer_group_012'::regclass, 'pg_class'));
END
$$;
DROP VIEW mart.benchmark_012, mart.benchmark_peer_group_012;
COMMENT ON COLUMN mart.benchmark.difference_to_riket_percent IS
    'Skillnaden mot riket i procent av rikets värde, högst två decimaler. / Difference to Riket as a percentage of Riket''s value, at most two decimals.';
COMMENT ON COLUMN mart.benchmark.higher_is_better IS
    'Sant när högre är bättre, falskt när lägre; tomt när riktningen är okänd. / True when higher is better, false when lower; NULL when the direction is unknown.';
COMMENT ON COLUMN mart.benchmark.rank IS
    'Rang bland kommunerna med värde: 1 är bäst, eller högst när riktningen är okänd. / Rank among the municipalities with a value: 1 is best, or highest when the direction is unknown.';
COMMENT ON COLUMN mart.benchmark.quartile IS
    'Kvartil 1–4 efter rangen: 1 är bästa fjärdedelen, eller den högsta när riktningen är okänd. / Quartile 1–4 by the rank: 1 is the best quarter, or the highest when the direction is unknown.';
COMMENT ON COLUMN mart.benchmark.direction IS
    'higher, lower eller unknown: okänd rangordnas efter värde, utan bra eller dåligt. / higher, lower or unknown: unknown is ranked by value, with no good or bad.';
COMMENT ON COLUMN mart.benchmark.direction_source IS
    'job (load.kpi_direction), warehouse (nyckel.kpi_direction) eller tomt när okänd. / job (load.kpi_direction), warehouse (nyckel.kpi_direction) or NULL when unknown.';
COMMENT ON COLUMN mart.benchmark_peer_group.national_rank IS
    'Rangen bland alla kommuner (som mart.benchmark.rank). / Rank among all municipalities (as mart.benchmark.rank).';
COMMENT ON COLUMN mart.benchmark_peer_group.group_rank IS
    'Rangen bland gruppens medlemmar med värde, i samma ordning. / Rank among the group''s members with a value, in the same order.';
COMMENT ON COLUMN mart.benchmark_peer_group.group_ranked_count IS
    'Antal medlemmar som rangordnats. / Number of members ranked.';
GRANT SELECT ON mart.benchmark, mart.benchmark_peer_group, mart.kpi_direction TO nyckel_bi;
