-- 022_fact_dimensions_by_merge.sql: the KPI, area and period of a Kolada
-- value are no longer foreign keys; nyckel-load's merge guarantees them.
--
-- Every id a value uses is in its dimension before the value is written:
-- nyckel-load notes the distinct ids as the values stream in and adds the
-- ones no dimension has as inferred rows (merge steps 4, 7 and 12), also in
-- a first load, and nothing in nyckel deletes a dimension row.  As foreign
-- keys they were checked again: by a lookup per row for each new value
-- (1.3 s of a publication's 1.8 s insert of 49 000 values at national
-- scale, with a lock on each dimension row), and by a scan of every value
-- per key after a first load (about 1.3 s each of a 30 s load).  The
-- smaller fact tables keep theirs.  Migrations 019 and 020 did the same for
-- source_key, run_key and gender.
ALTER TABLE nyckel.fact_kpi_value DROP CONSTRAINT fact_kpi_value_kpi_id_fkey,
    DROP CONSTRAINT fact_kpi_value_area_id_fkey,
    DROP CONSTRAINT fact_kpi_value_period_id_fkey;
