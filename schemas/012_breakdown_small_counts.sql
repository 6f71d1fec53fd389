-- 012_breakdown_small_counts.sql: a breakdown of internal figures by a kind
-- or category (placement form, decision type, age band), and small counts
-- of people.  Case systems export one row per placement or decision; the
-- figures nyckel-transform makes from them are per unit, period and kind,
-- and also for all kinds together (breakdown 'all'), because a count of
-- distinct people cannot be added up over kinds.  A count of people below
-- the job's threshold (1–4 by default) could identify someone: it is kept
-- true in the core table, flagged, and masked in mart.internal_value_published.
-- Identifier columns compare byte by byte (COLLATE "C", as 008 set them).

-- The dimension -----------------------------------------------------------

CREATE TABLE nyckel.dim_breakdown (
    breakdown_id text COLLATE "C" PRIMARY KEY,
    breakdown_kind text,
    title text,
    is_inferred boolean NOT NULL DEFAULT false,
    run_key bigint REFERENCES nyckel.run
);
INSERT INTO nyckel.dim_breakdown (breakdown_id, breakdown_kind, title)
VALUES ('all', NULL, 'Alla / All');
COMMENT ON TABLE nyckel.dim_breakdown IS
    'Uppdelning av egna mått på slag eller kategori, t.ex. placeringsform (HVB, familjehem). / Breakdown of internal measures by kind or category, e.g. placement form (HVB, family home).';
COMMENT ON COLUMN nyckel.dim_breakdown.breakdown_id IS
    'Id: slag och värde, t.ex. placeringsform/hvb; all för alla tillsammans. / Id: kind and value, e.g. placeringsform/hvb; all for everything together.';
COMMENT ON COLUMN nyckel.dim_breakdown.breakdown_kind IS
    'Vad som delas upp på, t.ex. placeringsform, åldersgrupp; tomt för all. / What is broken down by, e.g. placement form, age band; NULL for all.';
COMMENT ON COLUMN nyckel.dim_breakdown.title IS
    'Benämning som i exporten, t.ex. HVB. / Label as in the export, e.g. HVB.';
COMMENT ON COLUMN nyckel.dim_breakdown.is_inferred IS
    'Sant när bara värden har setts, inga metadata. / True when only values were seen, no metadata.';
COMMENT ON COLUMN nyckel.dim_breakdown.run_key IS
    'Laddningen som senast ändrade raden; tomt för all. / Load that last changed the row; NULL for all.';

-- The facts ---------------------------------------------------------------

ALTER TABLE nyckel.fact_internal_value
    ADD COLUMN breakdown_id text COLLATE "C" NOT NULL DEFAULT 'all' REFERENCES nyckel.dim_breakdown,
    ADD COLUMN is_small_count boolean NOT NULL DEFAULT false;
ALTER TABLE nyckel.fact_internal_value DROP CONSTRAINT fact_internal_value_pkey;
ALTER TABLE nyckel.fact_internal_value
    ADD PRIMARY KEY (measure_id, ou_id, period_id, scenario, breakdown_id);
COMMENT ON COLUMN nyckel.fact_internal_value.breakdown_id IS
    'Uppdelningen (slag, kategori); all när värdet gäller alla. / The breakdown (kind, category); all when the value covers everything.';
COMMENT ON COLUMN nyckel.fact_internal_value.is_small_count IS
    'Sant för ett antal personer under jobbets gräns (1–4 som standard): maskeras vid publicering. / True for a count of people below the job''s threshold (1–4 by default): masked for publication.';

CREATE UNLOGGED TABLE staging.dim_breakdown (
    breakdown_id text COLLATE "C", breakdown_kind text, title text);
COMMENT ON TABLE staging.dim_breakdown IS
    'Mellanlager för transform/dim_breakdown.copy. / Staging for transform/dim_breakdown.copy.';
COMMENT ON COLUMN staging.dim_breakdown.breakdown_id IS 'Uppdelningens id. / Breakdown id.';
COMMENT ON COLUMN staging.dim_breakdown.breakdown_kind IS
    'Vad som delas upp på. / What is broken down by.';
COMMENT ON COLUMN staging.dim_breakdown.title IS 'Benämning. / Label.';

ALTER TABLE staging.fact_internal_value
    ADD COLUMN breakdown_id text COLLATE "C" DEFAULT 'all',
    ADD COLUMN is_small_count boolean DEFAULT false;
COMMENT ON COLUMN staging.fact_internal_value.breakdown_id IS 'Uppdelningen. / The breakdown.';
COMMENT ON COLUMN staging.fact_internal_value.is_small_count IS
    'Litet antal personer. / Small count of people.';

-- The marts ---------------------------------------------------------------

CREATE VIEW mart.dim_breakdown AS SELECT * FROM nyckel.dim_breakdown;
SELECT nyckel.copy_column_comments('mart.dim_breakdown', 'nyckel.dim_breakdown');
COMMENT ON VIEW mart.dim_breakdown IS
    'Uppdelningar av egna mått. / Breakdowns of internal measures.';

-- New columns go at the end, as CREATE OR REPLACE VIEW requires.
CREATE OR REPLACE VIEW mart.fact_internal_value AS
SELECT measure_id, ou_id, period_id, scenario, value, source_key, run_key, breakdown_id,
       is_small_count
FROM nyckel.fact_internal_value;
SELECT nyckel.copy_column_comments('mart.fact_internal_value', 'nyckel.fact_internal_value');

CREATE VIEW mart.internal_value_published AS
SELECT f.measure_id, ms.title AS measure_title, ms.unit, f.ou_id, o.title AS ou_title,
       o.area_id, f.period_id, p.granularity, p.year, f.scenario, f.breakdown_id,
       b.breakdown_kind, b.title AS breakdown_title,
       CASE WHEN f.is_small_count THEN NULL ELSE f.value END AS value,
       f.is_small_count AS is_masked
FROM nyckel.fact_internal_value f
JOIN nyckel.dim_measure ms ON ms.measure_id = f.measure_id
JOIN nyckel.dim_ou o ON o.ou_id = f.ou_id
JOIN nyckel.dim_period p ON p.period_id = f.period_id
JOIN nyckel.dim_breakdown b ON b.breakdown_id = f.breakdown_id;
SELECT nyckel.copy_column_comments('mart.internal_value_published', 'nyckel.fact_internal_value');
COMMENT ON VIEW mart.internal_value_published IS
    'Egna mått för publicering: små antal personer är maskerade. / Internal measures for publication: small counts of people are masked.';
COMMENT ON COLUMN mart.internal_value_published.measure_title IS 'Måttets benämning. / Measure title.';
COMMENT ON COLUMN mart.internal_value_published.unit IS 'Måttets enhet. / Unit of the measure.';
COMMENT ON COLUMN mart.internal_value_published.ou_title IS 'Enhetens namn. / Unit name.';
COMMENT ON COLUMN mart.internal_value_published.area_id IS 'Kommunen. / The municipality.';
COMMENT ON COLUMN mart.internal_value_published.granularity IS 'Periodens längd. / Length of the period.';
COMMENT ON COLUMN mart.internal_value_published.year IS 'År. / Year.';
COMMENT ON COLUMN mart.internal_value_published.breakdown_kind IS
    'Vad som delas upp på. / What is broken down by.';
COMMENT ON COLUMN mart.internal_value_published.breakdown_title IS
    'Uppdelningens benämning. / Breakdown label.';
COMMENT ON COLUMN mart.internal_value_published.value IS
    'Värdet; tomt när det är ett litet antal personer. / The value; NULL when it is a small count of people.';
COMMENT ON COLUMN mart.internal_value_published.is_masked IS
    'Sant när värdet är maskerat. / True when the value is masked.';

-- A year counted over its own records (distinct people) is taken as it is;
-- only a year without such a figure is rolled up from its months.
CREATE OR REPLACE VIEW mart.internal_vs_kolada AS
WITH monthly AS (
    SELECT pr.measure_id, pr.kpi_id, pr.rollup, v.ou_id, v.breakdown_id, p.year,
           CASE pr.rollup WHEN 'sum' THEN sum(v.value)
                          WHEN 'avg' THEN avg(v.value)
                          ELSE (array_agg(v.value ORDER BY p.start_date DESC))[1] END
               AS internal_value,
           count(*) AS months_with_data
    FROM nyckel.measure_kpi_pairing pr
    JOIN nyckel.fact_internal_value v ON v.measure_id = pr.measure_id AND v.scenario = 'outcome'
    JOIN nyckel.dim_period p ON p.period_id = v.period_id AND p.granularity = 'month'
    GROUP BY pr.measure_id, pr.kpi_id, pr.rollup, v.ou_id, v.breakdown_id, p.year
), yearly AS (
    SELECT m.measure_id, m.kpi_id, m.rollup, m.ou_id, m.breakdown_id, m.year,
           coalesce(yv.value, m.internal_value) AS internal_value, m.months_with_data
    FROM monthly m
    LEFT JOIN nyckel.fact_internal_value yv
           ON yv.measure_id = m.measure_id AND yv.ou_id = m.ou_id AND yv.scenario = 'outcome'
          AND yv.breakdown_id = m.breakdown_id AND yv.period_id = m.year::text
)
SELECT y.measure_id, ms.title AS measure_title, ms.unit, y.kpi_id, k.title AS kpi_title,
       y.ou_id, o.title AS ou_title, o.area_id, a.title AS area_title, y.year, y.rollup,
       y.internal_value, y.months_with_data::integer AS months_with_data,
       kv.value AS kolada_value, ov.value AS kolada_ou_value, y.breakdown_id
FROM yearly y
JOIN nyckel.dim_measure ms ON ms.measure_id = y.measure_id
JOIN nyckel.dim_ou o ON o.ou_id = y.ou_id
LEFT JOIN nyckel.dim_kpi k ON k.kpi_id = y.kpi_id
LEFT JOIN nyckel.dim_area a ON a.area_id = o.area_id
LEFT JOIN nyckel.fact_kpi_value kv
       ON kv.kpi_id = y.kpi_id AND kv.area_id = o.area_id
      AND kv.period_id = y.year::text AND kv.gender = 'T'
LEFT JOIN nyckel.fact_ou_value ov
       ON ov.kpi_id = y.kpi_id AND ov.ou_id = y.ou_id
      AND ov.period_id = y.year::text AND ov.gender = 'T';
COMMENT ON COLUMN mart.internal_vs_kolada.internal_value IS
    'Eget värde för året (utfall): årets eget värde när det finns (t.ex. antal personer), annars månaderna sammanslagna. / Internal value for the year (outcome): the year''s own figure when there is one (e.g. a count of people), else the months rolled up.';
COMMENT ON COLUMN mart.internal_vs_kolada.breakdown_id IS
    'Uppdelningen; all för alla tillsammans, den som motsvarar Kolada. / The breakdown; all for everything together, the one that matches Kolada.';

CREATE OR REPLACE VIEW mart.budget_follow_up AS
WITH pivot AS (
    SELECT v.measure_id, v.ou_id, v.period_id, v.breakdown_id,
           max(v.value) FILTER (WHERE v.scenario = 'budget') AS budget,
           max(v.value) FILTER (WHERE v.scenario = 'forecast') AS forecast,
           max(v.value) FILTER (WHERE v.scenario = 'outcome') AS outcome
    FROM nyckel.fact_internal_value v
    GROUP BY v.measure_id, v.ou_id, v.period_id, v.breakdown_id
)
SELECT pv.measure_id, ms.title AS measure_title, ms.unit, pv.ou_id, o.title AS ou_title,
       o.parent_ou_id, o.area_id, pv.period_id, p.granularity, p.year, p.month,
       pv.budget, pv.forecast, pv.outcome,
       pv.outcome - pv.budget AS outcome_minus_budget,
       pv.forecast - pv.budget AS forecast_minus_budget,
       pv.outcome - pv.forecast AS outcome_minus_forecast,
       CASE WHEN pv.budget <> 0 THEN 100 * pv.outcome / pv.budget END AS outcome_percent_of_budget,
       pv.breakdown_id
FROM pivot pv
JOIN nyckel.dim_measure ms ON ms.measure_id = pv.measure_id
JOIN nyckel.dim_ou o ON o.ou_id = pv.ou_id
JOIN nyckel.dim_period p ON p.period_id = pv.period_id;
COMMENT ON COLUMN mart.budget_follow_up.breakdown_id IS
    'Uppdelningen; all när värdet gäller alla. / The breakdown; all when the value covers everything.';

GRANT SELECT ON mart.dim_breakdown, mart.internal_value_published TO nyckel_bi;
