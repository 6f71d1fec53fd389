-- 003_marts.sql: the mart schema BI tools read: dimension views, all Kolada
-- values with their lineage, the benchmark (rank, quartile, Riket, region,
-- peer groups, change since the previous year), internal figures beside
-- Kolada, and budget follow-up.  The two benchmark marts are materialised
-- and refreshed by nyckel-load in its transaction, because ranking all 290
-- municipalities per query is too slow at national scale.

-- Column comments of a view whose columns share a table's names are that
-- table's column comments; the rest are written out below.
CREATE FUNCTION nyckel.copy_column_comments(target regclass, base regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT t.attname, col_description(base, b.attnum) AS comment
        FROM pg_attribute t
        JOIN pg_attribute b ON b.attrelid = base AND b.attname = t.attname AND b.attnum > 0
        WHERE t.attrelid = target AND t.attnum > 0 AND NOT t.attisdropped
    LOOP
        EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', target, col.attname, col.comment);
    END LOOP;
END
$$;
COMMENT ON FUNCTION nyckel.copy_column_comments(regclass, regclass) IS
    'Kopierar kolumnkommentarer från en tabell till en vy. / Copies column comments from a table to a view.';

-- Dimensions as BI sees them ---------------------------------------------

CREATE VIEW mart.dim_kpi AS SELECT * FROM nyckel.dim_kpi;
CREATE VIEW mart.dim_kpi_history AS SELECT * FROM nyckel.dim_kpi_history;
CREATE VIEW mart.dim_area AS SELECT * FROM nyckel.dim_area;
CREATE VIEW mart.dim_area_history AS SELECT * FROM nyckel.dim_area_history;
CREATE VIEW mart.area_group_member AS SELECT * FROM nyckel.area_group_member;
CREATE VIEW mart.dim_period AS SELECT * FROM nyckel.dim_period;
CREATE VIEW mart.dim_gender AS SELECT * FROM nyckel.dim_gender;
CREATE VIEW mart.dim_scenario AS SELECT * FROM nyckel.dim_scenario;
CREATE VIEW mart.dim_ou AS SELECT * FROM nyckel.dim_ou;
CREATE VIEW mart.dim_ou_history AS SELECT * FROM nyckel.dim_ou_history;
CREATE VIEW mart.dim_measure AS SELECT * FROM nyckel.dim_measure;
CREATE VIEW mart.fact_ou_value AS SELECT * FROM nyckel.fact_ou_value;
CREATE VIEW mart.fact_internal_value AS SELECT * FROM nyckel.fact_internal_value;
SELECT nyckel.copy_column_comments(('mart.' || t)::regclass, ('nyckel.' || t)::regclass)
FROM unnest(ARRAY['dim_kpi', 'dim_kpi_history', 'dim_area', 'dim_area_history',
                  'area_group_member', 'dim_period', 'dim_gender', 'dim_scenario', 'dim_ou',
                  'dim_ou_history', 'dim_measure', 'fact_ou_value', 'fact_internal_value']) t;
COMMENT ON VIEW mart.dim_kpi IS 'Nyckeltal. / KPIs.';
COMMENT ON VIEW mart.dim_kpi_history IS 'Nyckeltalens titlar över tid. / KPI titles over time.';
COMMENT ON VIEW mart.dim_area IS 'Områden. / Areas.';
COMMENT ON VIEW mart.dim_area_history IS 'Områdenas namn över tid. / Area names over time.';
COMMENT ON VIEW mart.area_group_member IS 'Gruppernas medlemmar. / Members of the groups.';
COMMENT ON VIEW mart.dim_period IS 'Perioder. / Periods.';
COMMENT ON VIEW mart.dim_gender IS 'Kön. / Gender.';
COMMENT ON VIEW mart.dim_scenario IS 'Scenarier. / Scenarios.';
COMMENT ON VIEW mart.dim_ou IS 'Organisatoriska enheter. / Organisational units.';
COMMENT ON VIEW mart.dim_ou_history IS 'Enheterna över tid. / Units over time.';
COMMENT ON VIEW mart.dim_measure IS 'Egna mått. / Internal measures.';
COMMENT ON VIEW mart.fact_ou_value IS 'Koladas värden per enhet. / Kolada values per unit.';
COMMENT ON VIEW mart.fact_internal_value IS 'Egna mått per enhet och period. / Internal measures per unit and period.';

-- All Kolada values, labelled, with where and when they were loaded ------

CREATE VIEW mart.kpi_value AS
SELECT f.kpi_id, k.title AS kpi_title, f.area_id, a.title AS area_title, a.area_type,
       f.period_id, p.year, f.gender, f.value, f.value_count, f.status,
       r.run_id AS loaded_run_id, r.finished_at AS loaded_at, s.uri AS source_uri,
       s.sha256 AS source_sha256
FROM nyckel.fact_kpi_value f
JOIN nyckel.dim_kpi k ON k.kpi_id = f.kpi_id
JOIN nyckel.dim_area a ON a.area_id = f.area_id
JOIN nyckel.dim_period p ON p.period_id = f.period_id
JOIN nyckel.run r ON r.run_key = f.run_key
JOIN nyckel.dim_source s ON s.source_key = f.source_key;
SELECT nyckel.copy_column_comments('mart.kpi_value', 'nyckel.fact_kpi_value');
COMMENT ON VIEW mart.kpi_value IS
    'Alla Kolada-värden med namn och härkomst. / All Kolada values with names and lineage.';
COMMENT ON COLUMN mart.kpi_value.kpi_title IS 'Nyckeltalets titel. / KPI title.';
COMMENT ON COLUMN mart.kpi_value.area_title IS 'Områdets namn. / Area name.';
COMMENT ON COLUMN mart.kpi_value.area_type IS 'Områdestyp. / Area type.';
COMMENT ON COLUMN mart.kpi_value.year IS 'År. / Year.';
COMMENT ON COLUMN mart.kpi_value.loaded_run_id IS
    'Körningen som laddade värdet. / Run that loaded the value.';
COMMENT ON COLUMN mart.kpi_value.loaded_at IS 'När värdet laddades. / When the value was loaded.';
COMMENT ON COLUMN mart.kpi_value.source_uri IS 'Källans adress. / Address of the source.';
COMMENT ON COLUMN mart.kpi_value.source_sha256 IS 'Källans SHA-256. / SHA-256 of the source.';

-- Benchmark ---------------------------------------------------------------

CREATE MATERIALIZED VIEW mart.benchmark AS
WITH municipal AS (
    SELECT f.kpi_id, f.area_id, a.county_region_id, f.period_id, p.year, f.gender, f.value,
           coalesce(s.higher_is_better, true) AS higher_is_better
    FROM nyckel.fact_kpi_value f
    JOIN nyckel.dim_area a ON a.area_id = f.area_id AND a.area_type = 'municipality'
    JOIN nyckel.dim_period p ON p.period_id = f.period_id AND p.granularity = 'year'
    LEFT JOIN nyckel.kpi_setting s ON s.kpi_id = f.kpi_id
), ranked AS (
    SELECT m.*,
           CASE WHEN m.value IS NOT NULL THEN rank() OVER w END AS rank,
           count(m.value) OVER (PARTITION BY m.kpi_id, m.year, m.gender) AS ranked_count
    FROM municipal m
    WINDOW w AS (PARTITION BY m.kpi_id, m.year, m.gender
                 ORDER BY CASE WHEN m.higher_is_better THEN -m.value ELSE m.value END NULLS LAST)
)
SELECT r.kpi_id, k.title AS kpi_title, r.area_id, a.title AS area_title, r.period_id, r.year,
       r.gender, r.value,
       riket.value AS riket_value,
       r.county_region_id AS region_id,
       region.value AS region_value,
       r.value - riket.value AS difference_to_riket,
       CASE WHEN riket.value <> 0
            THEN 100 * (r.value - riket.value) / riket.value END AS difference_to_riket_percent,
       r.higher_is_better,
       r.rank::integer AS rank,
       r.ranked_count::integer AS ranked_count,
       CASE WHEN r.rank IS NOT NULL
            THEN least(4, 1 + (4 * (r.rank - 1)) / r.ranked_count)::smallint END AS quartile,
       previous.value AS previous_year_value,
       r.value - previous.value AS change_since_previous_year
FROM ranked r
JOIN nyckel.dim_kpi k ON k.kpi_id = r.kpi_id
JOIN nyckel.dim_area a ON a.area_id = r.area_id
LEFT JOIN nyckel.fact_kpi_value riket
       ON riket.kpi_id = r.kpi_id AND riket.area_id = '0000'
      AND riket.period_id = r.period_id AND riket.gender = r.gender
LEFT JOIN nyckel.fact_kpi_value region
       ON region.kpi_id = r.kpi_id AND region.area_id = r.county_region_id
      AND region.period_id = r.period_id AND region.gender = r.gender
LEFT JOIN nyckel.fact_kpi_value previous
       ON previous.kpi_id = r.kpi_id AND previous.area_id = r.area_id
      AND previous.period_id = (r.year - 1)::text AND previous.gender = r.gender;
CREATE UNIQUE INDEX benchmark_key ON mart.benchmark (kpi_id, area_id, period_id, gender);
CREATE INDEX benchmark_area_year ON mart.benchmark (area_id, year);
COMMENT ON MATERIALIZED VIEW mart.benchmark IS
    'Jämförelse per nyckeltal, kommun, år och kön: riket, regionen, rang och kvartil. / Benchmark per KPI, municipality, year and gender: Riket, region, rank and quartile.';
COMMENT ON COLUMN mart.benchmark.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN mart.benchmark.kpi_title IS 'Nyckeltalets titel. / KPI title.';
COMMENT ON COLUMN mart.benchmark.area_id IS 'Kommunen. / The municipality.';
COMMENT ON COLUMN mart.benchmark.area_title IS 'Kommunens namn. / Municipality name.';
COMMENT ON COLUMN mart.benchmark.period_id IS 'Perioden (år). / The period (year).';
COMMENT ON COLUMN mart.benchmark.year IS 'År. / Year.';
COMMENT ON COLUMN mart.benchmark.gender IS 'Kön. / Gender.';
COMMENT ON COLUMN mart.benchmark.value IS 'Kommunens värde. / The municipality''s value.';
COMMENT ON COLUMN mart.benchmark.riket_value IS 'Rikets värde. / Riket''s value.';
COMMENT ON COLUMN mart.benchmark.region_id IS 'Kommunens region. / The municipality''s region.';
COMMENT ON COLUMN mart.benchmark.region_value IS 'Regionens värde. / The region''s value.';
COMMENT ON COLUMN mart.benchmark.difference_to_riket IS
    'Värdet minus rikets. / The value minus Riket''s.';
COMMENT ON COLUMN mart.benchmark.difference_to_riket_percent IS
    'Skillnaden mot riket i procent av rikets värde. / Difference to Riket as a percentage of Riket''s value.';
COMMENT ON COLUMN mart.benchmark.higher_is_better IS
    'Sant när högre är bättre (load.kpi_direction, annars sant). / True when higher is better (load.kpi_direction, else true).';
COMMENT ON COLUMN mart.benchmark.rank IS
    'Rang bland kommunerna med värde, 1 är bäst. / Rank among the municipalities with a value, 1 is best.';
COMMENT ON COLUMN mart.benchmark.ranked_count IS
    'Antal kommuner med värde. / Number of municipalities with a value.';
COMMENT ON COLUMN mart.benchmark.quartile IS
    'Kvartil 1–4, 1 är bästa fjärdedelen. / Quartile 1–4, 1 is the best quarter.';
COMMENT ON COLUMN mart.benchmark.previous_year_value IS 'Föregående års värde. / Previous year''s value.';
COMMENT ON COLUMN mart.benchmark.change_since_previous_year IS
    'Förändring sedan föregående år. / Change since the previous year.';

CREATE MATERIALIZED VIEW mart.benchmark_peer_group AS
WITH group_mean AS (
    SELECT m.group_id, f.kpi_id, f.period_id, f.gender, avg(f.value) AS mean,
           count(f.value) AS members_with_value
    FROM nyckel.area_group_member m
    JOIN nyckel.fact_kpi_value f ON f.area_id = m.member_id
    GROUP BY m.group_id, f.kpi_id, f.period_id, f.gender
)
SELECT b.kpi_id, b.area_id, b.period_id, b.year, b.gender, b.value,
       m.group_id, g.title AS group_title, g.group_origin,
       gm.mean AS group_mean, gm.members_with_value::integer AS members_with_value,
       b.value - gm.mean AS difference_to_group_mean
FROM mart.benchmark b
JOIN nyckel.area_group_member m ON m.member_id = b.area_id
JOIN nyckel.dim_area g ON g.area_id = m.group_id
JOIN group_mean gm ON gm.group_id = m.group_id AND gm.kpi_id = b.kpi_id
                  AND gm.period_id = b.period_id AND gm.gender = b.gender;
CREATE UNIQUE INDEX benchmark_peer_group_key
    ON mart.benchmark_peer_group (kpi_id, area_id, period_id, gender, group_id);
CREATE INDEX benchmark_peer_group_area_year ON mart.benchmark_peer_group (area_id, year);
COMMENT ON MATERIALIZED VIEW mart.benchmark_peer_group IS
    'Kommunens värde mot medelvärdet i varje grupp den tillhör. / The municipality''s value against the mean of each group it belongs to.';
COMMENT ON COLUMN mart.benchmark_peer_group.kpi_id IS 'Nyckeltalet. / The KPI.';
COMMENT ON COLUMN mart.benchmark_peer_group.area_id IS 'Kommunen. / The municipality.';
COMMENT ON COLUMN mart.benchmark_peer_group.period_id IS 'Perioden (år). / The period (year).';
COMMENT ON COLUMN mart.benchmark_peer_group.year IS 'År. / Year.';
COMMENT ON COLUMN mart.benchmark_peer_group.gender IS 'Kön. / Gender.';
COMMENT ON COLUMN mart.benchmark_peer_group.value IS 'Kommunens värde. / The municipality''s value.';
COMMENT ON COLUMN mart.benchmark_peer_group.group_id IS 'Gruppen. / The group.';
COMMENT ON COLUMN mart.benchmark_peer_group.group_title IS 'Gruppens namn. / Group name.';
COMMENT ON COLUMN mart.benchmark_peer_group.group_origin IS
    'kolada eller job (från jobbfilen). / kolada or job (from the job file).';
COMMENT ON COLUMN mart.benchmark_peer_group.group_mean IS
    'Medelvärdet för gruppens medlemmar med värde. / Mean of the group''s members with a value.';
COMMENT ON COLUMN mart.benchmark_peer_group.members_with_value IS
    'Antal medlemmar med värde. / Number of members with a value.';
COMMENT ON COLUMN mart.benchmark_peer_group.difference_to_group_mean IS
    'Värdet minus gruppens medelvärde. / The value minus the group mean.';

-- Internal figures beside Kolada ------------------------------------------

CREATE VIEW mart.internal_vs_kolada AS
WITH yearly AS (
    SELECT pr.measure_id, pr.kpi_id, pr.rollup, v.ou_id, p.year,
           CASE pr.rollup WHEN 'sum' THEN sum(v.value)
                          WHEN 'avg' THEN avg(v.value)
                          ELSE (array_agg(v.value ORDER BY p.start_date DESC))[1] END
               AS internal_value,
           count(*) AS months_with_data
    FROM nyckel.measure_kpi_pairing pr
    JOIN nyckel.fact_internal_value v ON v.measure_id = pr.measure_id AND v.scenario = 'outcome'
    JOIN nyckel.dim_period p ON p.period_id = v.period_id AND p.granularity = 'month'
    GROUP BY pr.measure_id, pr.kpi_id, pr.rollup, v.ou_id, p.year
)
SELECT y.measure_id, ms.title AS measure_title, ms.unit, y.kpi_id, k.title AS kpi_title,
       y.ou_id, o.title AS ou_title, o.area_id, a.title AS area_title, y.year, y.rollup,
       y.internal_value, y.months_with_data::integer AS months_with_data,
       kv.value AS kolada_value, ov.value AS kolada_ou_value
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
COMMENT ON VIEW mart.internal_vs_kolada IS
    'Egna månadsvärden summerade till år bredvid motsvarande Kolada-nyckeltal. / Internal monthly figures rolled up to the year beside the matching Kolada KPI.';
COMMENT ON COLUMN mart.internal_vs_kolada.measure_id IS 'Det egna måttet. / The internal measure.';
COMMENT ON COLUMN mart.internal_vs_kolada.measure_title IS 'Måttets benämning. / Measure title.';
COMMENT ON COLUMN mart.internal_vs_kolada.unit IS 'Måttets enhet. / Unit of the measure.';
COMMENT ON COLUMN mart.internal_vs_kolada.kpi_id IS 'Kolada-nyckeltalet. / The Kolada KPI.';
COMMENT ON COLUMN mart.internal_vs_kolada.kpi_title IS 'Nyckeltalets titel. / KPI title.';
COMMENT ON COLUMN mart.internal_vs_kolada.ou_id IS 'Enheten. / The unit.';
COMMENT ON COLUMN mart.internal_vs_kolada.ou_title IS 'Enhetens namn. / Unit name.';
COMMENT ON COLUMN mart.internal_vs_kolada.area_id IS 'Enhetens kommun. / The unit''s municipality.';
COMMENT ON COLUMN mart.internal_vs_kolada.area_title IS 'Kommunens namn. / Municipality name.';
COMMENT ON COLUMN mart.internal_vs_kolada.year IS 'År. / Year.';
COMMENT ON COLUMN mart.internal_vs_kolada.rollup IS
    'Hur månaderna slogs ihop: sum, avg, last. / How the months were rolled up: sum, avg, last.';
COMMENT ON COLUMN mart.internal_vs_kolada.internal_value IS
    'Eget värde för året (utfall). / Internal value for the year (outcome).';
COMMENT ON COLUMN mart.internal_vs_kolada.months_with_data IS
    'Antal månader med värde. / Number of months with a value.';
COMMENT ON COLUMN mart.internal_vs_kolada.kolada_value IS
    'Koladas värde för kommunen (T). / Kolada''s value for the municipality (T).';
COMMENT ON COLUMN mart.internal_vs_kolada.kolada_ou_value IS
    'Koladas värde för enheten (T), om Kolada har det. / Kolada''s value for the unit (T), when Kolada has one.';

-- Budget follow-up --------------------------------------------------------

CREATE VIEW mart.budget_follow_up AS
WITH pivot AS (
    SELECT v.measure_id, v.ou_id, v.period_id,
           max(v.value) FILTER (WHERE v.scenario = 'budget') AS budget,
           max(v.value) FILTER (WHERE v.scenario = 'forecast') AS forecast,
           max(v.value) FILTER (WHERE v.scenario = 'outcome') AS outcome
    FROM nyckel.fact_internal_value v
    GROUP BY v.measure_id, v.ou_id, v.period_id
)
SELECT pv.measure_id, ms.title AS measure_title, ms.unit, pv.ou_id, o.title AS ou_title,
       o.parent_ou_id, o.area_id, pv.period_id, p.granularity, p.year, p.month,
       pv.budget, pv.forecast, pv.outcome,
       pv.outcome - pv.budget AS outcome_minus_budget,
       pv.forecast - pv.budget AS forecast_minus_budget,
       pv.outcome - pv.forecast AS outcome_minus_forecast,
       CASE WHEN pv.budget <> 0 THEN 100 * pv.outcome / pv.budget END AS outcome_percent_of_budget
FROM pivot pv
JOIN nyckel.dim_measure ms ON ms.measure_id = pv.measure_id
JOIN nyckel.dim_ou o ON o.ou_id = pv.ou_id
JOIN nyckel.dim_period p ON p.period_id = pv.period_id;
COMMENT ON VIEW mart.budget_follow_up IS
    'Budget, prognos och utfall per enhet och period, med avvikelser. / Budget, forecast and outcome per unit and period, with deviations.';
COMMENT ON COLUMN mart.budget_follow_up.measure_id IS 'Måttet. / The measure.';
COMMENT ON COLUMN mart.budget_follow_up.measure_title IS 'Måttets benämning. / Measure title.';
COMMENT ON COLUMN mart.budget_follow_up.unit IS 'Enhet, t.ex. tkr. / Unit, e.g. tkr.';
COMMENT ON COLUMN mart.budget_follow_up.ou_id IS 'Enheten. / The unit.';
COMMENT ON COLUMN mart.budget_follow_up.ou_title IS 'Enhetens namn. / Unit name.';
COMMENT ON COLUMN mart.budget_follow_up.parent_ou_id IS 'Överordnad enhet. / Parent unit.';
COMMENT ON COLUMN mart.budget_follow_up.area_id IS 'Kommunen. / The municipality.';
COMMENT ON COLUMN mart.budget_follow_up.period_id IS 'Perioden. / The period.';
COMMENT ON COLUMN mart.budget_follow_up.granularity IS 'Periodens längd. / Length of the period.';
COMMENT ON COLUMN mart.budget_follow_up.year IS 'År. / Year.';
COMMENT ON COLUMN mart.budget_follow_up.month IS 'Månad, för månader. / Month, for months.';
COMMENT ON COLUMN mart.budget_follow_up.budget IS 'Budget. / Budget.';
COMMENT ON COLUMN mart.budget_follow_up.forecast IS 'Prognos. / Forecast.';
COMMENT ON COLUMN mart.budget_follow_up.outcome IS 'Utfall. / Outcome.';
COMMENT ON COLUMN mart.budget_follow_up.outcome_minus_budget IS
    'Utfall minus budget. / Outcome minus budget.';
COMMENT ON COLUMN mart.budget_follow_up.forecast_minus_budget IS
    'Prognos minus budget. / Forecast minus budget.';
COMMENT ON COLUMN mart.budget_follow_up.outcome_minus_forecast IS
    'Utfall minus prognos. / Outcome minus forecast.';
COMMENT ON COLUMN mart.budget_follow_up.outcome_percent_of_budget IS
    'Utfall i procent av budget. / Outcome as a percentage of budget.';
