-- 002_history_units_internal.sql: type-2 history for KPI titles, area and
-- unit names; organisational units (Kolada's and internal ones, with their
-- hierarchy); internal measures by unit, period and scenario; the settings
-- a job keeps in the warehouse; and the functions load uses to fill in
-- dimension rows for ids that only facts mention.

-- Functions ---------------------------------------------------------------

-- A period id as load writes it: 2023, 2023-H1, 2023-Q2 or 2023-03.
-- No row for anything else, so that an unknown id fails the fact's key.
CREATE FUNCTION nyckel.parse_period(id text)
RETURNS TABLE (period_id text, granularity text, year integer, start_date date,
               end_date date)
LANGUAGE sql IMMUTABLE AS $$
    SELECT id, g, y, s, (s + step)::date - 1
    FROM (SELECT CASE WHEN id ~ '^[0-9]{4}$' THEN 'year'
                      WHEN id ~ '^[0-9]{4}-H[12]$' THEN 'half_year'
                      WHEN id ~ '^[0-9]{4}-Q[1-4]$' THEN 'quarter'
                      WHEN id ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN 'month' END AS g,
                 substr(id, 1, 4)::integer AS y
          WHERE id ~ '^[0-9]{4}') parsed
    CROSS JOIN LATERAL (
        SELECT CASE g WHEN 'year' THEN make_date(y, 1, 1)
                      WHEN 'half_year' THEN make_date(y, substr(id, 7, 1)::integer * 6 - 5, 1)
                      WHEN 'quarter' THEN make_date(y, substr(id, 7, 1)::integer * 3 - 2, 1)
                      WHEN 'month' THEN make_date(y, substr(id, 6, 2)::integer, 1) END AS s,
               CASE g WHEN 'year' THEN interval '1 year'
                      WHEN 'half_year' THEN interval '6 months'
                      WHEN 'quarter' THEN interval '3 months'
                      ELSE interval '1 month' END AS step) bounds
    WHERE g IS NOT NULL
$$;
COMMENT ON FUNCTION nyckel.parse_period(text) IS
    'Tolkar ett period-id (2023, 2023-H1, 2023-Q2, 2023-03). / Parses a period id (2023, 2023-H1, 2023-Q2, 2023-03).';

-- The kind of area a Kolada id names: 0000 Riket, 00NN regions, NNNN
-- municipalities, G… groups.
CREATE FUNCTION nyckel.area_type_of(id text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN id = '0000' THEN 'country'
                WHEN id ~ '^00[0-9]{2}$' THEN 'region'
                WHEN id ~ '^[0-9]{4}$' THEN 'municipality'
                WHEN id ~ '^(G|job:)' THEN 'group'
                ELSE 'unknown' END
$$;
COMMENT ON FUNCTION nyckel.area_type_of(text) IS
    'Områdestyp utifrån Koladas id. / Area type from the Kolada id.';

-- History -----------------------------------------------------------------

CREATE TABLE nyckel.dim_kpi_history (
    kpi_id text NOT NULL REFERENCES nyckel.dim_kpi,
    title text,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz,
    is_current boolean NOT NULL,
    run_key bigint NOT NULL REFERENCES nyckel.run,
    PRIMARY KEY (kpi_id, valid_from)
);
CREATE UNIQUE INDEX dim_kpi_history_current ON nyckel.dim_kpi_history (kpi_id) WHERE is_current;
COMMENT ON TABLE nyckel.dim_kpi_history IS
    'Nyckeltalens titlar över tid (typ 2). / KPI titles over time (type 2).';
COMMENT ON COLUMN nyckel.dim_kpi_history.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN nyckel.dim_kpi_history.title IS 'Titeln under perioden. / Title during the period.';
COMMENT ON COLUMN nyckel.dim_kpi_history.valid_from IS
    'Giltig från (laddningens tid). / Valid from (time of the load).';
COMMENT ON COLUMN nyckel.dim_kpi_history.valid_to IS
    'Giltig till; tomt för den aktuella. / Valid to; NULL for the current one.';
COMMENT ON COLUMN nyckel.dim_kpi_history.is_current IS 'Aktuell rad. / Current row.';
COMMENT ON COLUMN nyckel.dim_kpi_history.run_key IS 'Laddningen som skrev raden. / Load that wrote the row.';

CREATE TABLE nyckel.dim_area_history (
    area_id text NOT NULL REFERENCES nyckel.dim_area,
    title text,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz,
    is_current boolean NOT NULL,
    run_key bigint NOT NULL REFERENCES nyckel.run,
    PRIMARY KEY (area_id, valid_from)
);
CREATE UNIQUE INDEX dim_area_history_current ON nyckel.dim_area_history (area_id) WHERE is_current;
COMMENT ON TABLE nyckel.dim_area_history IS
    'Områdenas namn över tid (typ 2). / Area names over time (type 2).';
COMMENT ON COLUMN nyckel.dim_area_history.area_id IS 'Området. / The area.';
COMMENT ON COLUMN nyckel.dim_area_history.title IS 'Namnet under perioden. / Name during the period.';
COMMENT ON COLUMN nyckel.dim_area_history.valid_from IS
    'Giltig från (laddningens tid). / Valid from (time of the load).';
COMMENT ON COLUMN nyckel.dim_area_history.valid_to IS
    'Giltig till; tomt för den aktuella. / Valid to; NULL for the current one.';
COMMENT ON COLUMN nyckel.dim_area_history.is_current IS 'Aktuell rad. / Current row.';
COMMENT ON COLUMN nyckel.dim_area_history.run_key IS 'Laddningen som skrev raden. / Load that wrote the row.';

-- Organisational units ----------------------------------------------------

CREATE TABLE nyckel.dim_ou (
    ou_id text PRIMARY KEY,
    title text,
    area_id text REFERENCES nyckel.dim_area,
    parent_ou_id text,
    ou_kind text NOT NULL CHECK (ou_kind IN ('kolada', 'internal')),
    is_inferred boolean NOT NULL DEFAULT false,
    run_key bigint NOT NULL REFERENCES nyckel.run
);
CREATE INDEX dim_ou_area ON nyckel.dim_ou (area_id);
CREATE INDEX dim_ou_parent ON nyckel.dim_ou (parent_ou_id);
COMMENT ON TABLE nyckel.dim_ou IS
    'Organisatoriska enheter: Koladas och egna. / Organisational units: Kolada''s and internal ones.';
COMMENT ON COLUMN nyckel.dim_ou.ou_id IS
    'Enhetens id, t.ex. V15E144001301. / Unit id, e.g. V15E144001301.';
COMMENT ON COLUMN nyckel.dim_ou.title IS 'Aktuellt namn. / Current name.';
COMMENT ON COLUMN nyckel.dim_ou.area_id IS 'Kommunen enheten hör till. / Municipality the unit belongs to.';
COMMENT ON COLUMN nyckel.dim_ou.parent_ou_id IS
    'Överordnad enhet (hierarki). / Parent unit (hierarchy).';
COMMENT ON COLUMN nyckel.dim_ou.ou_kind IS
    'kolada eller internal (egen enhet). / kolada or internal (own unit).';
COMMENT ON COLUMN nyckel.dim_ou.is_inferred IS
    'Sant när bara värden har setts, inga metadata. / True when only values were seen, no metadata.';
COMMENT ON COLUMN nyckel.dim_ou.run_key IS
    'Laddningen som senast ändrade raden. / Load that last changed the row.';

CREATE TABLE nyckel.dim_ou_history (
    ou_id text NOT NULL REFERENCES nyckel.dim_ou,
    title text,
    area_id text,
    parent_ou_id text,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz,
    is_current boolean NOT NULL,
    run_key bigint NOT NULL REFERENCES nyckel.run,
    PRIMARY KEY (ou_id, valid_from)
);
CREATE UNIQUE INDEX dim_ou_history_current ON nyckel.dim_ou_history (ou_id) WHERE is_current;
COMMENT ON TABLE nyckel.dim_ou_history IS
    'Enheternas namn och plats i hierarkin över tid (typ 2). / Unit names and place in the hierarchy over time (type 2).';
COMMENT ON COLUMN nyckel.dim_ou_history.ou_id IS 'Enheten. / The unit.';
COMMENT ON COLUMN nyckel.dim_ou_history.title IS 'Namnet under perioden. / Name during the period.';
COMMENT ON COLUMN nyckel.dim_ou_history.area_id IS 'Kommunen under perioden. / Municipality during the period.';
COMMENT ON COLUMN nyckel.dim_ou_history.parent_ou_id IS
    'Överordnad enhet under perioden. / Parent unit during the period.';
COMMENT ON COLUMN nyckel.dim_ou_history.valid_from IS
    'Giltig från (laddningens tid). / Valid from (time of the load).';
COMMENT ON COLUMN nyckel.dim_ou_history.valid_to IS
    'Giltig till; tomt för den aktuella. / Valid to; NULL for the current one.';
COMMENT ON COLUMN nyckel.dim_ou_history.is_current IS 'Aktuell rad. / Current row.';
COMMENT ON COLUMN nyckel.dim_ou_history.run_key IS 'Laddningen som skrev raden. / Load that wrote the row.';

-- Internal measures and scenarios -----------------------------------------

CREATE TABLE nyckel.dim_measure (
    measure_id text PRIMARY KEY,
    title text,
    unit text,
    description text,
    is_inferred boolean NOT NULL DEFAULT false,
    run_key bigint NOT NULL REFERENCES nyckel.run
);
COMMENT ON TABLE nyckel.dim_measure IS
    'Egna mått från verksamhetens system, t.ex. beviljade hemtjänsttimmar. / Internal measures from the municipality''s systems, e.g. home-care hours granted.';
COMMENT ON COLUMN nyckel.dim_measure.measure_id IS 'Måttets id. / Measure id.';
COMMENT ON COLUMN nyckel.dim_measure.title IS 'Benämning. / Title.';
COMMENT ON COLUMN nyckel.dim_measure.unit IS 'Enhet, t.ex. tkr, timmar, %. / Unit, e.g. tkr, hours, %.';
COMMENT ON COLUMN nyckel.dim_measure.description IS 'Beskrivning. / Description.';
COMMENT ON COLUMN nyckel.dim_measure.is_inferred IS
    'Sant när bara värden har setts, inga metadata. / True when only values were seen, no metadata.';
COMMENT ON COLUMN nyckel.dim_measure.run_key IS
    'Laddningen som senast ändrade raden. / Load that last changed the row.';

CREATE TABLE nyckel.dim_scenario (
    scenario text PRIMARY KEY,
    label_sv text NOT NULL,
    label_en text NOT NULL
);
INSERT INTO nyckel.dim_scenario VALUES
    ('outcome', 'Utfall', 'Outcome'),
    ('budget', 'Budget', 'Budget'),
    ('forecast', 'Prognos', 'Forecast');
COMMENT ON TABLE nyckel.dim_scenario IS
    'Scenario: utfall, budget, prognos. / Scenario: outcome, budget, forecast.';
COMMENT ON COLUMN nyckel.dim_scenario.scenario IS
    'outcome, budget eller forecast. / outcome, budget or forecast.';
COMMENT ON COLUMN nyckel.dim_scenario.label_sv IS 'Benämning på svenska. / Swedish label.';
COMMENT ON COLUMN nyckel.dim_scenario.label_en IS 'Benämning på engelska. / English label.';

-- Facts -------------------------------------------------------------------

CREATE TABLE nyckel.fact_ou_value (
    kpi_id text NOT NULL REFERENCES nyckel.dim_kpi,
    ou_id text NOT NULL REFERENCES nyckel.dim_ou,
    period_id text NOT NULL REFERENCES nyckel.dim_period,
    gender text NOT NULL REFERENCES nyckel.dim_gender,
    value double precision,
    value_count integer,
    status text,
    source_key bigint NOT NULL REFERENCES nyckel.dim_source,
    run_key bigint NOT NULL REFERENCES nyckel.run,
    PRIMARY KEY (kpi_id, ou_id, period_id, gender)
);
CREATE INDEX fact_ou_value_ou ON nyckel.fact_ou_value (ou_id, period_id);
COMMENT ON TABLE nyckel.fact_ou_value IS
    'Koladas värden per organisatorisk enhet. / Kolada values per organisational unit.';
COMMENT ON COLUMN nyckel.fact_ou_value.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN nyckel.fact_ou_value.ou_id IS 'Enheten. / The unit.';
COMMENT ON COLUMN nyckel.fact_ou_value.period_id IS 'Perioden. / The period.';
COMMENT ON COLUMN nyckel.fact_ou_value.gender IS 'Kön. / Gender.';
COMMENT ON COLUMN nyckel.fact_ou_value.value IS
    'Värdet; tomt när Kolada saknar värde. / The value; NULL when Kolada has none.';
COMMENT ON COLUMN nyckel.fact_ou_value.value_count IS 'Koladas count. / Kolada count.';
COMMENT ON COLUMN nyckel.fact_ou_value.status IS 'Koladas statusmarkering. / Kolada status marker.';
COMMENT ON COLUMN nyckel.fact_ou_value.source_key IS 'Källan värdet kom från. / Source the value came from.';
COMMENT ON COLUMN nyckel.fact_ou_value.run_key IS
    'Laddningen som senast lade till eller ändrade värdet. / Load that last inserted or changed the value.';

CREATE TABLE nyckel.fact_internal_value (
    measure_id text NOT NULL REFERENCES nyckel.dim_measure,
    ou_id text NOT NULL REFERENCES nyckel.dim_ou,
    period_id text NOT NULL REFERENCES nyckel.dim_period,
    scenario text NOT NULL REFERENCES nyckel.dim_scenario,
    value double precision,
    source_key bigint NOT NULL REFERENCES nyckel.dim_source,
    run_key bigint NOT NULL REFERENCES nyckel.run,
    PRIMARY KEY (measure_id, ou_id, period_id, scenario)
);
CREATE INDEX fact_internal_value_ou ON nyckel.fact_internal_value (ou_id, period_id);
COMMENT ON TABLE nyckel.fact_internal_value IS
    'Egna mått per enhet, period och scenario. / Internal measures per unit, period and scenario.';
COMMENT ON COLUMN nyckel.fact_internal_value.measure_id IS 'Måttet. / The measure.';
COMMENT ON COLUMN nyckel.fact_internal_value.ou_id IS 'Enheten. / The unit.';
COMMENT ON COLUMN nyckel.fact_internal_value.period_id IS
    'Perioden, oftast en månad. / The period, usually a month.';
COMMENT ON COLUMN nyckel.fact_internal_value.scenario IS
    'Utfall, budget eller prognos. / Outcome, budget or forecast.';
COMMENT ON COLUMN nyckel.fact_internal_value.value IS 'Värdet. / The value.';
COMMENT ON COLUMN nyckel.fact_internal_value.source_key IS 'Källan värdet kom från. / Source the value came from.';
COMMENT ON COLUMN nyckel.fact_internal_value.run_key IS
    'Laddningen som senast lade till eller ändrade värdet. / Load that last inserted or changed the value.';

-- Settings from job files -------------------------------------------------

CREATE TABLE nyckel.kpi_setting (
    kpi_id text PRIMARY KEY,
    higher_is_better boolean NOT NULL,
    run_key bigint NOT NULL REFERENCES nyckel.run
);
COMMENT ON TABLE nyckel.kpi_setting IS
    'Jobbets inställningar per nyckeltal (load.kpi_direction). / The job''s settings per KPI (load.kpi_direction).';
COMMENT ON COLUMN nyckel.kpi_setting.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN nyckel.kpi_setting.higher_is_better IS
    'Sant när högre värde är bättre (styr rang och kvartil). / True when a higher value is better (drives rank and quartile).';
COMMENT ON COLUMN nyckel.kpi_setting.run_key IS 'Laddningen som satte värdet. / Load that set it.';

CREATE TABLE nyckel.measure_kpi_pairing (
    measure_id text NOT NULL,
    kpi_id text NOT NULL,
    rollup text NOT NULL CHECK (rollup IN ('sum', 'avg', 'last')),
    run_key bigint NOT NULL REFERENCES nyckel.run,
    PRIMARY KEY (measure_id, kpi_id)
);
COMMENT ON TABLE nyckel.measure_kpi_pairing IS
    'Eget mått som motsvarar ett Kolada-nyckeltal (load.pairings). / Internal measure matching a Kolada KPI (load.pairings).';
COMMENT ON COLUMN nyckel.measure_kpi_pairing.measure_id IS 'Det egna måttet. / The internal measure.';
COMMENT ON COLUMN nyckel.measure_kpi_pairing.kpi_id IS 'Kolada-nyckeltalet. / The Kolada KPI.';
COMMENT ON COLUMN nyckel.measure_kpi_pairing.rollup IS
    'Hur månader blir år: sum, avg eller last. / How months roll up to the year: sum, avg or last.';
COMMENT ON COLUMN nyckel.measure_kpi_pairing.run_key IS 'Laddningen som satte värdet. / Load that set it.';

-- Staging -----------------------------------------------------------------

CREATE UNLOGGED TABLE staging.dim_ou (
    ou_id text, municipality_id text, title text, parent_ou_id text,
    ou_kind text DEFAULT 'kolada');
CREATE UNLOGGED TABLE staging.dim_measure (
    measure_id text, title text, unit text, description text);
CREATE UNLOGGED TABLE staging.fact_ou_value (
    kpi_id text, ou_id text, period_id text, gender text, value double precision,
    value_count integer, status text, source_ref text);
CREATE UNLOGGED TABLE staging.fact_ou_value_deleted (
    kpi_id text, ou_id text, period_id text, gender text, source_ref text);
CREATE UNLOGGED TABLE staging.fact_internal_value (
    measure_id text, ou_id text, period_id text, scenario text, value double precision,
    source_ref text);

COMMENT ON TABLE staging.dim_ou IS
    'Mellanlager för transform/dim_ou.copy. / Staging for transform/dim_ou.copy.';
COMMENT ON COLUMN staging.dim_ou.ou_id IS 'Enhetens id. / Unit id.';
COMMENT ON COLUMN staging.dim_ou.municipality_id IS 'Kommunen. / The municipality.';
COMMENT ON COLUMN staging.dim_ou.title IS 'Namn. / Name.';
COMMENT ON COLUMN staging.dim_ou.parent_ou_id IS 'Överordnad enhet. / Parent unit.';
COMMENT ON COLUMN staging.dim_ou.ou_kind IS 'kolada eller internal. / kolada or internal.';
COMMENT ON TABLE staging.dim_measure IS
    'Mellanlager för transform/dim_measure.copy. / Staging for transform/dim_measure.copy.';
COMMENT ON COLUMN staging.dim_measure.measure_id IS 'Måttets id. / Measure id.';
COMMENT ON COLUMN staging.dim_measure.title IS 'Benämning. / Title.';
COMMENT ON COLUMN staging.dim_measure.unit IS 'Enhet. / Unit.';
COMMENT ON COLUMN staging.dim_measure.description IS 'Beskrivning. / Description.';
COMMENT ON TABLE staging.fact_ou_value IS
    'Mellanlager för transform/fact_ou_value.copy. / Staging for transform/fact_ou_value.copy.';
COMMENT ON COLUMN staging.fact_ou_value.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN staging.fact_ou_value.ou_id IS 'Enheten. / The unit.';
COMMENT ON COLUMN staging.fact_ou_value.period_id IS 'Perioden. / The period.';
COMMENT ON COLUMN staging.fact_ou_value.gender IS 'Kön. / Gender.';
COMMENT ON COLUMN staging.fact_ou_value.value IS 'Värdet. / The value.';
COMMENT ON COLUMN staging.fact_ou_value.value_count IS 'Koladas count. / Kolada count.';
COMMENT ON COLUMN staging.fact_ou_value.status IS 'Koladas status. / Kolada status.';
COMMENT ON COLUMN staging.fact_ou_value.source_ref IS 'Källans id inom körningen. / Source id within the run.';
COMMENT ON TABLE staging.fact_ou_value_deleted IS
    'Mellanlager för enhetsvärden Kolada har tagit bort. / Staging for unit values Kolada has deleted.';
COMMENT ON COLUMN staging.fact_ou_value_deleted.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN staging.fact_ou_value_deleted.ou_id IS 'Enheten. / The unit.';
COMMENT ON COLUMN staging.fact_ou_value_deleted.period_id IS 'Perioden. / The period.';
COMMENT ON COLUMN staging.fact_ou_value_deleted.gender IS 'Kön. / Gender.';
COMMENT ON COLUMN staging.fact_ou_value_deleted.source_ref IS 'Källans id inom körningen. / Source id within the run.';
COMMENT ON TABLE staging.fact_internal_value IS
    'Mellanlager för transform/fact_internal_value.copy. / Staging for transform/fact_internal_value.copy.';
COMMENT ON COLUMN staging.fact_internal_value.measure_id IS 'Måttet. / The measure.';
COMMENT ON COLUMN staging.fact_internal_value.ou_id IS 'Enheten. / The unit.';
COMMENT ON COLUMN staging.fact_internal_value.period_id IS 'Perioden. / The period.';
COMMENT ON COLUMN staging.fact_internal_value.scenario IS 'Scenario. / Scenario.';
COMMENT ON COLUMN staging.fact_internal_value.value IS 'Värdet. / The value.';
COMMENT ON COLUMN staging.fact_internal_value.source_ref IS 'Källans id inom körningen. / Source id within the run.';
