-- The staged values' keys that are in the warehouse already, with their
-- values before the merge.  Each key is looked up by the fact table's
-- primary key (a lateral subquery, kept apart by OFFSET 0): the planner
-- otherwise hashes the whole fact table, a pass over every value where a
-- quarter of them at most is wanted.  In key order, so that the lookups
-- walk the index (and a table loaded in key order) forwards.
-- load/marts/marts.c.
CREATE TEMPORARY TABLE nyckel_benchmark_old ON COMMIT DROP AS
 WITH staged AS (
   SELECT kpi_id, area_id, period_id, gender FROM staging.fact_kpi_value
   UNION SELECT kpi_id, area_id, period_id, gender FROM staging.fact_kpi_value_deleted
 )
 SELECT s.kpi_id, s.area_id, s.period_id, s.gender, f.value
 FROM (SELECT * FROM staged ORDER BY kpi_id, area_id, period_id, gender) s
 CROSS JOIN LATERAL (
   SELECT f.value FROM nyckel.fact_kpi_value f
   WHERE f.kpi_id = s.kpi_id AND f.area_id = s.area_id AND f.period_id = s.period_id
     AND f.gender = s.gender OFFSET 0) f
