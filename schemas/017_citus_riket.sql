-- 017_citus_riket.sql: mart.kpi_vs_riket reads Riket's values in a
-- subquery.  With load.citus the values are distributed by area, so
-- Riket's (area 0000) live in another shard than a municipality's, and
-- Citus refuses to join two shards of one table on anything but the area;
-- a subquery it computes first (one shard, Riket's few rows) and then joins
-- everywhere.  Plain PostgreSQL folds the subquery into the join: the plan
-- is the one it had.  Same columns, so comments and grants stay.
CREATE OR REPLACE VIEW mart.kpi_vs_riket AS
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
LEFT JOIN (SELECT kpi_id, period_id, gender, value FROM nyckel.fact_kpi_value
           WHERE area_id = '0000') r
       ON r.kpi_id = f.kpi_id AND r.period_id = f.period_id AND r.gender = f.gender;
