-- The KPIs, areas and periods of the staged values that the warehouse does
-- not know yet (a publication's new year).  No value in the fact table can
-- have one: the merge adds every id its values use to the dimension before
-- it writes them (the inferred steps, first loads too) and no dimension
-- row is ever deleted.  So a staged value with one is new, and the noted
-- forms of merge steps 33 and 34 neither look it up to update it nor to
-- see that it is not there.  Taken before the merge adds them, from the
-- ids noted as the values were staged (pg_temp.nyckel_fact_id).
-- load/marts/marts.c.
CREATE TEMPORARY TABLE nyckel_benchmark_unknown_id ON COMMIT DROP AS
 SELECT f.column_name, f.id FROM pg_temp.nyckel_fact_id f
 WHERE (f.column_name = 'kpi_id'
        AND NOT EXISTS (SELECT 1 FROM nyckel.dim_kpi d WHERE d.kpi_id = f.id))
    OR (f.column_name = 'area_id'
        AND NOT EXISTS (SELECT 1 FROM nyckel.dim_area d WHERE d.area_id = f.id))
    OR (f.column_name = 'period_id'
        AND NOT EXISTS (SELECT 1 FROM nyckel.dim_period d WHERE d.period_id = f.id))
