-- How many values are staged (delivered or withdrawn), and how many the
-- warehouse holds (a warehouse never analysed is counted): with few, the
-- merge notes what it changes, for the slices to be patched; otherwise
-- their KPIs are recomputed, as cheap as that join.
-- load/marts/marts.c.
SELECT (SELECT count(*) FROM staging.fact_kpi_value)
       + (SELECT count(*) FROM staging.fact_kpi_value_deleted),
 (SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples
              ELSE (SELECT count(*) FROM nyckel.fact_kpi_value) END
  FROM pg_class c WHERE c.oid = 'nyckel.fact_kpi_value'::regclass)
