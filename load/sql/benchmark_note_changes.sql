-- What the merge changes in the Kolada values, noted by the merge itself as
-- it changes them (the noted forms of steps 32-34, load/merge.c): each key
-- it deleted, updated or inserted, with its value before and after.
-- The benchmark's changed slices are patched from it (benchmark_delta.sql);
-- no staged key is looked up in the fact table only to be noted.
-- load/marts/marts.c.
CREATE TEMPORARY TABLE nyckel_benchmark_changed ON COMMIT DROP AS
 SELECT kpi_id, area_id, period_id, gender, value, value AS value_after, ''::text AS change
 FROM nyckel.fact_kpi_value WITH NO DATA
