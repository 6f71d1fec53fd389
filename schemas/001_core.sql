-- 001_core.sql: the star schema for Kolada values: schemas, the audit and
-- source tables, the KPI, area, period and gender dimensions, the fact table,
-- and the staging tables nyckel-load copies the run directory into.
--
-- nyckel-load itself creates the schema "nyckel" and the table
-- nyckel.schema_migration before it applies this file, so that it can record
-- which migrations it has applied; their comments are set here.
-- Every comment is Swedish first, then English, because BI tools show them.

COMMENT ON SCHEMA nyckel IS
    'Kärntabeller: dimensioner, fakta och revision. / Core tables: dimensions, facts and audit.';
COMMENT ON TABLE nyckel.schema_migration IS
    'Migreringar som nyckel-load har kört. / Migrations applied by nyckel-load.';
COMMENT ON COLUMN nyckel.schema_migration.version IS
    'Migreringsfilens namn, t.ex. 001_core.sql. / File name of the migration, e.g. 001_core.sql.';
COMMENT ON COLUMN nyckel.schema_migration.sha256 IS
    'SHA-256 för migreringens SQL när den kördes. / SHA-256 of the migration''s SQL when applied.';
COMMENT ON COLUMN nyckel.schema_migration.applied_at IS
    'När migreringen kördes. / When the migration was applied.';
COMMENT ON COLUMN nyckel.schema_migration.nyckel_version IS
    'Version av nyckel som körde den. / Version of nyckel that applied it.';

CREATE SCHEMA staging;
COMMENT ON SCHEMA staging IS
    'Mellanlagring för nyckel-load, töms vid varje laddning. / Load staging area, emptied by every load.';
CREATE SCHEMA mart;
COMMENT ON SCHEMA mart IS
    'Vyer för BI-verktyg. / Views for BI tools.';

-- Audit -------------------------------------------------------------------

CREATE TABLE nyckel.run (
    run_key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id text NOT NULL,
    job text NOT NULL,
    status text NOT NULL CHECK (status IN ('running', 'committed')),
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    duration_seconds double precision,
    transform_manifest_sha256 text NOT NULL,
    extract_manifest_sha256 text,
    sources jsonb NOT NULL,
    tables jsonb,
    nyckel_version text NOT NULL
);
CREATE INDEX run_run_id ON nyckel.run (run_id);
COMMENT ON TABLE nyckel.run IS
    'En rad per genomförd laddning (revision). / One row per committed load (audit).';
COMMENT ON COLUMN nyckel.run.run_key IS
    'Laddningens nummer i lagret. / Number of the load in this warehouse.';
COMMENT ON COLUMN nyckel.run.run_id IS
    'Körningens id (körkatalogens namn). / Run id (the run directory''s name).';
COMMENT ON COLUMN nyckel.run.job IS
    'Jobbets namn. / Name of the job.';
COMMENT ON COLUMN nyckel.run.status IS
    'running under transaktionen, committed när den är klar. / running inside the transaction, committed once done.';
COMMENT ON COLUMN nyckel.run.started_at IS
    'När laddningen startade. / When the load started.';
COMMENT ON COLUMN nyckel.run.finished_at IS
    'När laddningen blev klar. / When the load finished.';
COMMENT ON COLUMN nyckel.run.duration_seconds IS
    'Laddningens längd i sekunder. / Duration of the load in seconds.';
COMMENT ON COLUMN nyckel.run.transform_manifest_sha256 IS
    'SHA-256 för transform/manifest.json. / SHA-256 of transform/manifest.json.';
COMMENT ON COLUMN nyckel.run.extract_manifest_sha256 IS
    'SHA-256 för extract/manifest.json. / SHA-256 of extract/manifest.json.';
COMMENT ON COLUMN nyckel.run.sources IS
    'Källfilerna med adress och kontrollsumma (JSON). / Source files with address and checksum (JSON).';
COMMENT ON COLUMN nyckel.run.tables IS
    'Per tabell: tillagda, ändrade, borttagna, oförändrade rader (JSON). / Per table: rows inserted, updated, deleted, unchanged (JSON).';
COMMENT ON COLUMN nyckel.run.nyckel_version IS
    'Version av nyckel-load. / Version of nyckel-load.';

CREATE TABLE nyckel.run_table (
    run_key bigint NOT NULL REFERENCES nyckel.run,
    table_name text NOT NULL,
    inserted bigint NOT NULL,
    updated bigint NOT NULL,
    deleted bigint NOT NULL,
    unchanged bigint NOT NULL,
    PRIMARY KEY (run_key, table_name)
);
COMMENT ON TABLE nyckel.run_table IS
    'Radantal per tabell och laddning. / Row counts per table and load.';
COMMENT ON COLUMN nyckel.run_table.run_key IS
    'Laddningen. / The load.';
COMMENT ON COLUMN nyckel.run_table.table_name IS
    'Tabellen i lagret. / Warehouse table.';
COMMENT ON COLUMN nyckel.run_table.inserted IS
    'Tillagda rader. / Rows inserted.';
COMMENT ON COLUMN nyckel.run_table.updated IS
    'Ändrade rader. / Rows updated.';
COMMENT ON COLUMN nyckel.run_table.deleted IS
    'Borttagna rader. / Rows deleted.';
COMMENT ON COLUMN nyckel.run_table.unchanged IS
    'Levererade men oförändrade rader. / Rows delivered but unchanged.';

CREATE TABLE nyckel.dim_source (
    source_key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uri text NOT NULL,
    sha256 text NOT NULL,
    size bigint,
    fetched_at timestamptz,
    run_key bigint NOT NULL REFERENCES nyckel.run,
    UNIQUE (uri, sha256)
);
COMMENT ON TABLE nyckel.dim_source IS
    'Källfiler och API-svar som värden kommer från. / Source files and API responses values come from.';
COMMENT ON COLUMN nyckel.dim_source.source_key IS
    'Källans nyckel. / Key of the source.';
COMMENT ON COLUMN nyckel.dim_source.uri IS
    'Adress (URL eller file://). / Address (URL or file://).';
COMMENT ON COLUMN nyckel.dim_source.sha256 IS
    'SHA-256 för innehållet. / SHA-256 of the content.';
COMMENT ON COLUMN nyckel.dim_source.size IS
    'Storlek i byte. / Size in bytes.';
COMMENT ON COLUMN nyckel.dim_source.fetched_at IS
    'När den hämtades. / When it was fetched.';
COMMENT ON COLUMN nyckel.dim_source.run_key IS
    'Laddningen som först såg källan. / Load that first saw the source.';

-- Dimensions ----------------------------------------------------------------

CREATE TABLE nyckel.dim_kpi (
    kpi_id text PRIMARY KEY,
    title text,
    description text,
    operating_area text,
    is_divided_by_gender boolean,
    municipality_type text,
    has_ou_data boolean,
    publication_date date,
    auspices text,
    perspective text,
    is_inferred boolean NOT NULL DEFAULT false,
    run_key bigint NOT NULL REFERENCES nyckel.run
);
COMMENT ON TABLE nyckel.dim_kpi IS
    'Nyckeltal (KPI), aktuella uppgifter. / Key performance indicators, current attributes.';
COMMENT ON COLUMN nyckel.dim_kpi.kpi_id IS
    'Koladas id, t.ex. N00945. / Kolada id, e.g. N00945.';
COMMENT ON COLUMN nyckel.dim_kpi.title IS
    'Aktuell titel. / Current title.';
COMMENT ON COLUMN nyckel.dim_kpi.description IS
    'Beskrivning. / Description.';
COMMENT ON COLUMN nyckel.dim_kpi.operating_area IS
    'Verksamhetsområde. / Operating area.';
COMMENT ON COLUMN nyckel.dim_kpi.is_divided_by_gender IS
    'Finns uppdelat på kön. / Available by gender.';
COMMENT ON COLUMN nyckel.dim_kpi.municipality_type IS
    'K kommun, L region. / K municipality, L region.';
COMMENT ON COLUMN nyckel.dim_kpi.has_ou_data IS
    'Finns per organisatorisk enhet. / Available per organisational unit.';
COMMENT ON COLUMN nyckel.dim_kpi.publication_date IS
    'Publiceringsdatum. / Publication date.';
COMMENT ON COLUMN nyckel.dim_kpi.auspices IS
    'Huvudman. / Auspices.';
COMMENT ON COLUMN nyckel.dim_kpi.perspective IS
    'Perspektiv. / Perspective.';
COMMENT ON COLUMN nyckel.dim_kpi.is_inferred IS
    'Sant när bara värden har setts, inga metadata. / True when only values were seen, no metadata.';
COMMENT ON COLUMN nyckel.dim_kpi.run_key IS
    'Laddningen som senast ändrade raden. / Load that last changed the row.';

CREATE TABLE nyckel.dim_area (
    area_id text PRIMARY KEY,
    title text,
    area_type text NOT NULL
        CHECK (area_type IN ('municipality', 'region', 'country', 'group', 'unknown')),
    municipality_type text,
    county_code text,
    county_region_id text,
    group_origin text CHECK (group_origin IN ('kolada', 'job')),
    is_inferred boolean NOT NULL DEFAULT false,
    run_key bigint NOT NULL REFERENCES nyckel.run
);
CREATE INDEX dim_area_type ON nyckel.dim_area (area_type);
COMMENT ON TABLE nyckel.dim_area IS
    'Områden: kommuner, regioner, riket och kommungrupper. / Areas: municipalities, regions, the whole country and municipality groups.';
COMMENT ON COLUMN nyckel.dim_area.area_id IS
    'Koladas id, t.ex. 0180; 0000 är riket; job:NAMN för jobbets grupper. / Kolada id, e.g. 0180; 0000 is Riket; job:NAME for groups from the job.';
COMMENT ON COLUMN nyckel.dim_area.title IS
    'Aktuellt namn. / Current name.';
COMMENT ON COLUMN nyckel.dim_area.area_type IS
    'municipality, region, country, group eller unknown. / municipality, region, country, group or unknown.';
COMMENT ON COLUMN nyckel.dim_area.municipality_type IS
    'K kommun, L region. / K municipality, L region.';
COMMENT ON COLUMN nyckel.dim_area.county_code IS
    'Länskod, t.ex. 01. / County code, e.g. 01.';
COMMENT ON COLUMN nyckel.dim_area.county_region_id IS
    'Id för kommunens region (länets). / Id of the municipality''s county region.';
COMMENT ON COLUMN nyckel.dim_area.group_origin IS
    'För grupper: kolada eller job (definierad i jobbfilen). / For groups: kolada or job (defined in the job file).';
COMMENT ON COLUMN nyckel.dim_area.is_inferred IS
    'Sant när bara värden har setts, inga metadata. / True when only values were seen, no metadata.';
COMMENT ON COLUMN nyckel.dim_area.run_key IS
    'Laddningen som senast ändrade raden. / Load that last changed the row.';

CREATE TABLE nyckel.area_group_member (
    group_id text NOT NULL REFERENCES nyckel.dim_area,
    member_id text NOT NULL REFERENCES nyckel.dim_area,
    run_key bigint NOT NULL REFERENCES nyckel.run,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX area_group_member_member ON nyckel.area_group_member (member_id);
COMMENT ON TABLE nyckel.area_group_member IS
    'Vilka kommuner som ingår i varje grupp (brygga). / Which municipalities belong to each group (bridge).';
COMMENT ON COLUMN nyckel.area_group_member.group_id IS
    'Gruppen. / The group.';
COMMENT ON COLUMN nyckel.area_group_member.member_id IS
    'Medlemmen. / The member.';
COMMENT ON COLUMN nyckel.area_group_member.run_key IS
    'Laddningen som lade till raden. / Load that added the row.';

CREATE TABLE nyckel.dim_period (
    period_id text PRIMARY KEY,
    granularity text NOT NULL CHECK (granularity IN ('year', 'half_year', 'quarter', 'month')),
    year integer NOT NULL,
    start_date date NOT NULL,
    end_date date NOT NULL,
    half_year smallint GENERATED ALWAYS AS
        (CASE WHEN granularity <> 'year'
              THEN (extract(month FROM start_date)::integer - 1) / 6 + 1 END) STORED,
    quarter smallint GENERATED ALWAYS AS
        (CASE WHEN granularity IN ('quarter', 'month')
              THEN (extract(month FROM start_date)::integer - 1) / 3 + 1 END) STORED,
    month smallint GENERATED ALWAYS AS
        (CASE WHEN granularity = 'month' THEN extract(month FROM start_date)::integer END) STORED,
    CHECK (start_date <= end_date)
);
CREATE INDEX dim_period_year ON nyckel.dim_period (year, granularity);
COMMENT ON TABLE nyckel.dim_period IS
    'Perioder: år, halvår, kvartal och månad. / Periods: year, half-year, quarter and month.';
COMMENT ON COLUMN nyckel.dim_period.period_id IS
    '2023, 2023-H1, 2023-Q2 eller 2023-03. / 2023, 2023-H1, 2023-Q2 or 2023-03.';
COMMENT ON COLUMN nyckel.dim_period.granularity IS
    'year, half_year, quarter eller month. / year, half_year, quarter or month.';
COMMENT ON COLUMN nyckel.dim_period.year IS
    'År. / Year.';
COMMENT ON COLUMN nyckel.dim_period.start_date IS
    'Första dagen. / First day.';
COMMENT ON COLUMN nyckel.dim_period.end_date IS
    'Sista dagen. / Last day.';
COMMENT ON COLUMN nyckel.dim_period.half_year IS
    'Halvår 1–2 för perioder kortare än ett år. / Half-year 1–2 for periods shorter than a year.';
COMMENT ON COLUMN nyckel.dim_period.quarter IS
    'Kvartal 1–4 för kvartal och månader. / Quarter 1–4 for quarters and months.';
COMMENT ON COLUMN nyckel.dim_period.month IS
    'Månad 1–12 för månader. / Month 1–12 for months.';

CREATE TABLE nyckel.dim_gender (
    gender text PRIMARY KEY,
    label_sv text NOT NULL,
    label_en text NOT NULL
);
INSERT INTO nyckel.dim_gender VALUES
    ('T', 'Totalt', 'Total'),
    ('K', 'Kvinnor', 'Women'),
    ('M', 'Män', 'Men');
COMMENT ON TABLE nyckel.dim_gender IS
    'Kön: T totalt, K kvinnor, M män. / Gender: T total, K women, M men.';
COMMENT ON COLUMN nyckel.dim_gender.gender IS
    'Koladas kod T, K eller M. / Kolada code T, K or M.';
COMMENT ON COLUMN nyckel.dim_gender.label_sv IS
    'Benämning på svenska. / Swedish label.';
COMMENT ON COLUMN nyckel.dim_gender.label_en IS
    'Benämning på engelska. / English label.';

-- Facts ---------------------------------------------------------------------

CREATE TABLE nyckel.fact_kpi_value (
    kpi_id text NOT NULL REFERENCES nyckel.dim_kpi,
    area_id text NOT NULL REFERENCES nyckel.dim_area,
    period_id text NOT NULL REFERENCES nyckel.dim_period,
    gender text NOT NULL REFERENCES nyckel.dim_gender,
    value double precision,
    value_count integer,
    status text,
    source_key bigint NOT NULL REFERENCES nyckel.dim_source,
    run_key bigint NOT NULL REFERENCES nyckel.run,
    PRIMARY KEY (kpi_id, area_id, period_id, gender)
);
CREATE INDEX fact_kpi_value_area ON nyckel.fact_kpi_value (area_id, period_id);
COMMENT ON TABLE nyckel.fact_kpi_value IS
    'Koladas värden per nyckeltal, område, period och kön. / Kolada values per KPI, area, period and gender.';
COMMENT ON COLUMN nyckel.fact_kpi_value.kpi_id IS
    'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN nyckel.fact_kpi_value.area_id IS
    'Området. / The area.';
COMMENT ON COLUMN nyckel.fact_kpi_value.period_id IS
    'Perioden. / The period.';
COMMENT ON COLUMN nyckel.fact_kpi_value.gender IS
    'Kön. / Gender.';
COMMENT ON COLUMN nyckel.fact_kpi_value.value IS
    'Värdet; tomt när Kolada saknar värde. / The value; NULL when Kolada has none.';
COMMENT ON COLUMN nyckel.fact_kpi_value.value_count IS
    'Koladas count (antal underlag). / Kolada count (number of underlying records).';
COMMENT ON COLUMN nyckel.fact_kpi_value.status IS
    'Koladas statusmarkering. / Kolada status marker.';
COMMENT ON COLUMN nyckel.fact_kpi_value.source_key IS
    'Källan värdet kom från. / Source the value came from.';
COMMENT ON COLUMN nyckel.fact_kpi_value.run_key IS
    'Laddningen som senast lade till eller ändrade värdet. / Load that last inserted or changed the value.';

-- Staging: unlogged, no indexes, emptied by every load -----------------------

CREATE UNLOGGED TABLE staging.source (
    source_ref text, uri text, sha256 text, size bigint, fetched_at timestamptz);
CREATE UNLOGGED TABLE staging.dim_kpi (
    kpi_id text, title text, description text, operating_area text,
    is_divided_by_gender boolean, municipality_type text, has_ou_data boolean,
    publication_date date, auspices text, perspective text);
CREATE UNLOGGED TABLE staging.dim_area (
    area_id text, title text, area_type text, municipality_type text, county_code text,
    county_region_id text, group_origin text DEFAULT 'kolada');
CREATE UNLOGGED TABLE staging.area_group_member (group_id text, member_id text);
CREATE UNLOGGED TABLE staging.dim_period (
    period_id text, granularity text, year integer, start_date date, end_date date);
CREATE UNLOGGED TABLE staging.fact_kpi_value (
    kpi_id text, area_id text, period_id text, gender text, value double precision,
    value_count integer, status text, source_ref text);
CREATE UNLOGGED TABLE staging.fact_kpi_value_deleted (
    kpi_id text, area_id text, period_id text, gender text, source_ref text);

COMMENT ON TABLE staging.source IS
    'Mellanlager för transform/source.copy. / Staging for transform/source.copy.';
COMMENT ON COLUMN staging.source.source_ref IS 'Källans id inom körningen. / Source id within the run.';
COMMENT ON COLUMN staging.source.uri IS 'Adress. / Address.';
COMMENT ON COLUMN staging.source.sha256 IS 'SHA-256. / SHA-256.';
COMMENT ON COLUMN staging.source.size IS 'Storlek i byte. / Size in bytes.';
COMMENT ON COLUMN staging.source.fetched_at IS 'Hämtad. / Fetched at.';
COMMENT ON TABLE staging.dim_kpi IS
    'Mellanlager för transform/dim_kpi.copy. / Staging for transform/dim_kpi.copy.';
COMMENT ON COLUMN staging.dim_kpi.kpi_id IS 'Se nyckel.dim_kpi. / See nyckel.dim_kpi.';
COMMENT ON COLUMN staging.dim_kpi.title IS 'Se nyckel.dim_kpi. / See nyckel.dim_kpi.';
COMMENT ON COLUMN staging.dim_kpi.description IS 'Se nyckel.dim_kpi. / See nyckel.dim_kpi.';
COMMENT ON COLUMN staging.dim_kpi.operating_area IS 'Se nyckel.dim_kpi. / See nyckel.dim_kpi.';
COMMENT ON COLUMN staging.dim_kpi.is_divided_by_gender IS 'Se nyckel.dim_kpi. / See nyckel.dim_kpi.';
COMMENT ON COLUMN staging.dim_kpi.municipality_type IS 'Se nyckel.dim_kpi. / See nyckel.dim_kpi.';
COMMENT ON COLUMN staging.dim_kpi.has_ou_data IS 'Se nyckel.dim_kpi. / See nyckel.dim_kpi.';
COMMENT ON COLUMN staging.dim_kpi.publication_date IS 'Se nyckel.dim_kpi. / See nyckel.dim_kpi.';
COMMENT ON COLUMN staging.dim_kpi.auspices IS 'Se nyckel.dim_kpi. / See nyckel.dim_kpi.';
COMMENT ON COLUMN staging.dim_kpi.perspective IS 'Se nyckel.dim_kpi. / See nyckel.dim_kpi.';
COMMENT ON TABLE staging.dim_area IS
    'Mellanlager för transform/dim_area.copy och jobbets grupper. / Staging for transform/dim_area.copy and the job''s groups.';
COMMENT ON COLUMN staging.dim_area.area_id IS 'Se nyckel.dim_area. / See nyckel.dim_area.';
COMMENT ON COLUMN staging.dim_area.title IS 'Se nyckel.dim_area. / See nyckel.dim_area.';
COMMENT ON COLUMN staging.dim_area.area_type IS 'Se nyckel.dim_area. / See nyckel.dim_area.';
COMMENT ON COLUMN staging.dim_area.municipality_type IS 'Se nyckel.dim_area. / See nyckel.dim_area.';
COMMENT ON COLUMN staging.dim_area.county_code IS 'Se nyckel.dim_area. / See nyckel.dim_area.';
COMMENT ON COLUMN staging.dim_area.county_region_id IS 'Se nyckel.dim_area. / See nyckel.dim_area.';
COMMENT ON COLUMN staging.dim_area.group_origin IS 'Se nyckel.dim_area. / See nyckel.dim_area.';
COMMENT ON TABLE staging.area_group_member IS
    'Mellanlager för transform/area_group_member.copy. / Staging for transform/area_group_member.copy.';
COMMENT ON COLUMN staging.area_group_member.group_id IS 'Gruppen. / The group.';
COMMENT ON COLUMN staging.area_group_member.member_id IS 'Medlemmen. / The member.';
COMMENT ON TABLE staging.dim_period IS
    'Mellanlager för transform/dim_period.copy. / Staging for transform/dim_period.copy.';
COMMENT ON COLUMN staging.dim_period.period_id IS 'Se nyckel.dim_period. / See nyckel.dim_period.';
COMMENT ON COLUMN staging.dim_period.granularity IS 'Se nyckel.dim_period. / See nyckel.dim_period.';
COMMENT ON COLUMN staging.dim_period.year IS 'Se nyckel.dim_period. / See nyckel.dim_period.';
COMMENT ON COLUMN staging.dim_period.start_date IS 'Se nyckel.dim_period. / See nyckel.dim_period.';
COMMENT ON COLUMN staging.dim_period.end_date IS 'Se nyckel.dim_period. / See nyckel.dim_period.';
COMMENT ON TABLE staging.fact_kpi_value IS
    'Mellanlager för transform/fact_kpi_value.copy. / Staging for transform/fact_kpi_value.copy.';
COMMENT ON COLUMN staging.fact_kpi_value.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN staging.fact_kpi_value.area_id IS 'Området. / The area.';
COMMENT ON COLUMN staging.fact_kpi_value.period_id IS 'Perioden. / The period.';
COMMENT ON COLUMN staging.fact_kpi_value.gender IS 'Kön. / Gender.';
COMMENT ON COLUMN staging.fact_kpi_value.value IS 'Värdet. / The value.';
COMMENT ON COLUMN staging.fact_kpi_value.value_count IS 'Koladas count. / Kolada count.';
COMMENT ON COLUMN staging.fact_kpi_value.status IS 'Koladas status. / Kolada status.';
COMMENT ON COLUMN staging.fact_kpi_value.source_ref IS 'Källans id inom körningen. / Source id within the run.';
COMMENT ON TABLE staging.fact_kpi_value_deleted IS
    'Mellanlager för värden Kolada har tagit bort. / Staging for values Kolada has deleted.';
COMMENT ON COLUMN staging.fact_kpi_value_deleted.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN staging.fact_kpi_value_deleted.area_id IS 'Området. / The area.';
COMMENT ON COLUMN staging.fact_kpi_value_deleted.period_id IS 'Perioden. / The period.';
COMMENT ON COLUMN staging.fact_kpi_value_deleted.gender IS 'Kön. / Gender.';
COMMENT ON COLUMN staging.fact_kpi_value_deleted.source_ref IS 'Källans id inom körningen. / Source id within the run.';

-- Mart: a municipality beside Riket ----------------------------------------

CREATE VIEW mart.kpi_vs_riket AS
SELECT f.kpi_id,
       k.title AS kpi_title,
       f.area_id,
       a.title AS area_title,
       f.period_id,
       p.year,
       f.gender,
       f.value,
       r.value AS riket_value,
       f.value - r.value AS difference_to_riket
FROM nyckel.fact_kpi_value f
JOIN nyckel.dim_area a ON a.area_id = f.area_id AND a.area_type = 'municipality'
JOIN nyckel.dim_kpi k ON k.kpi_id = f.kpi_id
JOIN nyckel.dim_period p ON p.period_id = f.period_id
LEFT JOIN nyckel.fact_kpi_value r
       ON r.kpi_id = f.kpi_id AND r.area_id = '0000'
      AND r.period_id = f.period_id AND r.gender = f.gender;
COMMENT ON VIEW mart.kpi_vs_riket IS
    'Kommunens värde bredvid rikets. / A municipality''s value beside Riket''s.';
COMMENT ON COLUMN mart.kpi_vs_riket.kpi_id IS 'Nyckeltalets id. / KPI id.';
COMMENT ON COLUMN mart.kpi_vs_riket.kpi_title IS 'Nyckeltalets titel. / KPI title.';
COMMENT ON COLUMN mart.kpi_vs_riket.area_id IS 'Kommunens id. / Municipality id.';
COMMENT ON COLUMN mart.kpi_vs_riket.area_title IS 'Kommunens namn. / Municipality name.';
COMMENT ON COLUMN mart.kpi_vs_riket.period_id IS 'Perioden. / The period.';
COMMENT ON COLUMN mart.kpi_vs_riket.year IS 'År. / Year.';
COMMENT ON COLUMN mart.kpi_vs_riket.gender IS 'Kön: T, K, M. / Gender: T, K, M.';
COMMENT ON COLUMN mart.kpi_vs_riket.value IS 'Kommunens värde. / The municipality''s value.';
COMMENT ON COLUMN mart.kpi_vs_riket.riket_value IS 'Rikets värde (0000). / Riket''s value (0000).';
COMMENT ON COLUMN mart.kpi_vs_riket.difference_to_riket IS
    'Kommunens värde minus rikets. / The municipality''s value minus Riket''s.';
