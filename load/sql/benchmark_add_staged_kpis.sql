-- The KPIs the staged facts touch: the values' were noted as they streamed (fact_stream.c).
-- load/marts/marts.c.
INSERT INTO nyckel_benchmark_kpi
 SELECT id FROM pg_temp.nyckel_fact_id WHERE column_name = 'kpi_id'
 UNION SELECT kpi_id FROM staging.fact_kpi_value_deleted
 EXCEPT SELECT kpi_id FROM nyckel_benchmark_kpi
