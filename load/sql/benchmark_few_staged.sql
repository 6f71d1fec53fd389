-- Whether the staged values are a small part of the warehouse (a quarter
-- at most): then the values they replace are noted, for the slices to be
-- patched; otherwise their KPIs are recomputed, as cheap as that join.  A
-- warehouse never analysed is counted.
-- load/marts/marts.c.
SELECT ((SELECT count(*) FROM staging.fact_kpi_value)
        + (SELECT count(*) FROM staging.fact_kpi_value_deleted)) * 4
 <= (SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples
                 ELSE (SELECT count(*) FROM nyckel.fact_kpi_value) END
     FROM pg_class c WHERE c.oid = 'nyckel.fact_kpi_value'::regclass)
