-- Per slice, what the merge changed in it: the municipal values of a year
-- it deleted, updated or inserted (noted by the merge, with the value
-- before and after: benchmark_note_changes.sql).  Each noted row counts on
-- its own: a key deleted and delivered again is noted twice, deleted with
-- its value before and inserted with its value after, which changes the
-- slice as an update would.  An update that kept the value (another
-- column changed) changes no slice.  The KPIs recomputed whole (a changed
-- direction) are left out.  A slice's values go in as their goodness: the
-- value where higher is better, its negation where lower, sorted.
-- load/marts/marts.c.
CREATE TEMPORARY TABLE nyckel_benchmark_delta ON COMMIT DROP AS
 WITH changed AS (
   SELECT c.kpi_id, p.year, c.gender, h.higher,
          c.change <> 'inserted' AS had, c.change <> 'deleted' AS has,
          c.value AS old_value, c.value_after AS new_value,
          CASE WHEN h.higher THEN c.value ELSE -c.value END AS old_goodness,
          CASE WHEN h.higher THEN c.value_after ELSE -c.value_after END AS new_goodness
   FROM pg_temp.nyckel_benchmark_changed c
   JOIN nyckel.dim_area a ON a.area_id = c.area_id AND a.area_type = 'municipality'
   JOIN nyckel.dim_period p ON p.period_id = c.period_id AND p.granularity = 'year'
   LEFT JOIN nyckel.kpi_direction_used u ON u.kpi_id = c.kpi_id
   CROSS JOIN LATERAL (SELECT coalesce(u.higher_is_better, true) AS higher) h
   WHERE c.kpi_id NOT IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)
     AND (c.change <> 'updated' OR c.value IS DISTINCT FROM c.value_after)
 )
 SELECT kpi_id, year, gender, bool_and(higher) AS higher_is_better,
        sum(has::integer - had::integer)::integer AS facts,
        (count(new_value) - count(old_value))::integer AS ranked,
        coalesce(array_agg(old_goodness ORDER BY old_goodness)
                     FILTER (WHERE old_value <> 'NaN'), '{}') AS removed,
        coalesce(array_agg(new_goodness ORDER BY new_goodness)
                     FILTER (WHERE new_value <> 'NaN'), '{}') AS added
 FROM changed GROUP BY kpi_id, year, gender
