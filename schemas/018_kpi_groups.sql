-- 018_kpi_groups.sql: Kolada's KPI groups and their members, so that a
-- report (or a BI user) can select KPIs by group.  Kolada publishes the
-- groups at /kpi_groups: an id (G2KPI…), a title, and members
-- {"member_id", "member_title"}; extract fetches the whole list on every
-- kolada-api run.  The group keeps its title's history as the other
-- dimensions do; a delivered group's member list replaces the one kept.
-- A member is not made an inferred KPI: a group lists KPIs the warehouse
-- may never load, and every KPI in dim_kpi is one the report offers, so the
-- member's own title is kept beside it instead.

CREATE TABLE nyckel.dim_kpi_group (
    kpi_group_id text COLLATE "C" PRIMARY KEY,
    title text COLLATE "sv-SE-x-icu" NOT NULL,
    run_key bigint NOT NULL REFERENCES nyckel.run
);
COMMENT ON TABLE nyckel.dim_kpi_group IS
    'Koladas nyckeltalsgrupper. / Kolada''s KPI groups.';
COMMENT ON COLUMN nyckel.dim_kpi_group.kpi_group_id IS
    'Koladas id, t.ex. G2KPI110013. / Kolada id, e.g. G2KPI110013.';
COMMENT ON COLUMN nyckel.dim_kpi_group.title IS 'Aktuellt namn. / Current name.';
COMMENT ON COLUMN nyckel.dim_kpi_group.run_key IS
    'Laddningen som senast ändrade raden. / Load that last changed the row.';

CREATE TABLE nyckel.dim_kpi_group_history (
    kpi_group_id text COLLATE "C" NOT NULL REFERENCES nyckel.dim_kpi_group,
    title text COLLATE "sv-SE-x-icu",
    valid_from timestamptz NOT NULL,
    valid_to timestamptz,
    is_current boolean NOT NULL,
    run_key bigint NOT NULL REFERENCES nyckel.run,
    PRIMARY KEY (kpi_group_id, valid_from)
);
CREATE UNIQUE INDEX dim_kpi_group_history_current ON nyckel.dim_kpi_group_history (kpi_group_id)
    WHERE is_current;
COMMENT ON TABLE nyckel.dim_kpi_group_history IS
    'Nyckeltalsgruppernas namn över tid (typ 2). / KPI group names over time (type 2).';
COMMENT ON COLUMN nyckel.dim_kpi_group_history.kpi_group_id IS 'Gruppen. / The group.';
COMMENT ON COLUMN nyckel.dim_kpi_group_history.title IS
    'Namnet under perioden. / Name during the period.';
COMMENT ON COLUMN nyckel.dim_kpi_group_history.valid_from IS
    'Giltig från (laddningens tid). / Valid from (time of the load).';
COMMENT ON COLUMN nyckel.dim_kpi_group_history.valid_to IS
    'Giltig till; tomt för gällande. / Valid to; NULL while current.';
COMMENT ON COLUMN nyckel.dim_kpi_group_history.is_current IS
    'Sant för gällande namn. / True for the current name.';
COMMENT ON COLUMN nyckel.dim_kpi_group_history.run_key IS
    'Laddningen som lade till raden. / Load that added the row.';

CREATE TABLE nyckel.kpi_group_member (
    kpi_group_id text COLLATE "C" NOT NULL REFERENCES nyckel.dim_kpi_group,
    kpi_id text COLLATE "C" NOT NULL,
    member_title text COLLATE "sv-SE-x-icu",
    run_key bigint NOT NULL REFERENCES nyckel.run,
    PRIMARY KEY (kpi_group_id, kpi_id)
);
CREATE INDEX kpi_group_member_kpi ON nyckel.kpi_group_member (kpi_id);
COMMENT ON TABLE nyckel.kpi_group_member IS
    'Vilka nyckeltal som ingår i varje nyckeltalsgrupp (brygga). / Which KPIs belong to each KPI group (bridge).';
COMMENT ON COLUMN nyckel.kpi_group_member.kpi_group_id IS 'Gruppen. / The group.';
COMMENT ON COLUMN nyckel.kpi_group_member.kpi_id IS
    'Nyckeltalet; behöver inte finnas i dim_kpi. / The KPI; need not be in dim_kpi.';
COMMENT ON COLUMN nyckel.kpi_group_member.member_title IS
    'Nyckeltalets titel som gruppen anger den. / The KPI''s title as the group gives it.';
COMMENT ON COLUMN nyckel.kpi_group_member.run_key IS
    'Laddningen som senast ändrade raden. / Load that last changed the row.';

CREATE UNLOGGED TABLE staging.dim_kpi_group (kpi_group_id text COLLATE "C", title text);
COMMENT ON TABLE staging.dim_kpi_group IS
    'Mellanlager för transform/dim_kpi_group.copy. / Staging for transform/dim_kpi_group.copy.';
COMMENT ON COLUMN staging.dim_kpi_group.kpi_group_id IS 'Gruppens id. / Group id.';
COMMENT ON COLUMN staging.dim_kpi_group.title IS 'Namn. / Name.';

CREATE UNLOGGED TABLE staging.kpi_group_member (
    kpi_group_id text COLLATE "C", kpi_id text COLLATE "C", member_title text);
COMMENT ON TABLE staging.kpi_group_member IS
    'Mellanlager för transform/kpi_group_member.copy. / Staging for transform/kpi_group_member.copy.';
COMMENT ON COLUMN staging.kpi_group_member.kpi_group_id IS 'Gruppen. / The group.';
COMMENT ON COLUMN staging.kpi_group_member.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN staging.kpi_group_member.member_title IS
    'Nyckeltalets titel i gruppen. / The KPI''s title in the group.';

-- As BI sees them ----------------------------------------------------------

CREATE VIEW mart.kpi_group AS
SELECT g.kpi_group_id, g.title,
       (SELECT count(*) FROM nyckel.kpi_group_member m
        WHERE m.kpi_group_id = g.kpi_group_id) AS member_count
FROM nyckel.dim_kpi_group g;
COMMENT ON VIEW mart.kpi_group IS
    'Koladas nyckeltalsgrupper. / Kolada''s KPI groups.';
COMMENT ON COLUMN mart.kpi_group.kpi_group_id IS 'Koladas id, t.ex. G2KPI110013. / Kolada id.';
COMMENT ON COLUMN mart.kpi_group.title IS 'Namn. / Name.';
COMMENT ON COLUMN mart.kpi_group.member_count IS
    'Antal nyckeltal i gruppen. / Number of KPIs in the group.';

CREATE VIEW mart.kpi_group_member AS
SELECT m.kpi_group_id, g.title AS group_title, m.kpi_id,
       coalesce(k.title, m.member_title) AS kpi_title,
       k.kpi_id IS NOT NULL AND NOT k.is_inferred AS in_warehouse,
       -- Not a correlated EXISTS: Citus refuses one beside reference tables.
       m.kpi_id IN (SELECT f.kpi_id FROM nyckel.fact_kpi_value f) AS has_values
FROM nyckel.kpi_group_member m
JOIN nyckel.dim_kpi_group g ON g.kpi_group_id = m.kpi_group_id
LEFT JOIN nyckel.dim_kpi k ON k.kpi_id = m.kpi_id;
COMMENT ON VIEW mart.kpi_group_member IS
    'Nyckeltalsgruppernas medlemmar, även de lagret saknar värden för. / Members of the KPI groups, also those the warehouse has no values for.';
COMMENT ON COLUMN mart.kpi_group_member.kpi_group_id IS 'Gruppen. / The group.';
COMMENT ON COLUMN mart.kpi_group_member.group_title IS 'Gruppens namn. / The group''s name.';
COMMENT ON COLUMN mart.kpi_group_member.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN mart.kpi_group_member.kpi_title IS
    'Nyckeltalets titel: lagrets, annars gruppens. / The KPI''s title: the warehouse''s, else the group''s.';
COMMENT ON COLUMN mart.kpi_group_member.in_warehouse IS
    'Sant när lagret har nyckeltalets metadata. / True when the warehouse has the KPI''s metadata.';
COMMENT ON COLUMN mart.kpi_group_member.has_values IS
    'Sant när lagret har något värde för nyckeltalet. / True when the warehouse has any value of the KPI.';

CREATE VIEW mart.dim_kpi_group_history AS SELECT * FROM nyckel.dim_kpi_group_history;
SELECT nyckel.copy_column_comments('mart.dim_kpi_group_history'::regclass,
                                   'nyckel.dim_kpi_group_history'::regclass);
COMMENT ON VIEW mart.dim_kpi_group_history IS
    'Nyckeltalsgruppernas namn över tid. / KPI group names over time.';

GRANT SELECT ON mart.kpi_group, mart.kpi_group_member, mart.dim_kpi_group_history TO nyckel_bi;
