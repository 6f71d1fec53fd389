-- Per slice, what the merge changed in it: the municipal values of a year
-- whose value or presence differs from before.  The merge noted every key
-- it deleted, updated or inserted (benchmark_note_changes.sql); after it a
-- noted key is in the warehouse exactly when it is staged, with the staged
-- value.  A key deleted and delivered again is noted twice, deleted (with
-- its value before) and inserted: it counts once, as one that was there.
-- The KPIs recomputed whole (a changed direction) are left out.  A slice's
-- values go in as their goodness: the value where higher is better, its
-- negation where lower, sorted.
-- load/marts/marts.c.
CREATE TEMPORARY TABLE nyckel_benchmark_delta ON COMMIT DROP AS
 WITH noted AS (
   SELECT kpi_id, area_id, period_id, gender, bool_or(change <> 'inserted') AS had,
          max(value) FILTER (WHERE change <> 'inserted') AS old_value
   FROM pg_temp.nyckel_benchmark_changed GROUP BY kpi_id, area_id, period_id, gender
 ), changed AS (
   SELECT c.kpi_id, p.year, c.gender, c.had, c.old_value,
          s.kpi_id IS NOT NULL AS has, s.value AS new_value,
          coalesce(u.higher_is_better, true) AS higher,
          CASE WHEN coalesce(u.higher_is_better, true) THEN c.old_value ELSE -c.old_value END
              AS old_goodness,
          CASE WHEN coalesce(u.higher_is_better, true) THEN s.value ELSE -s.value END
              AS new_goodness
   FROM noted c
   JOIN nyckel.dim_area a ON a.area_id = c.area_id AND a.area_type = 'municipality'
   JOIN nyckel.dim_period p ON p.period_id = c.period_id AND p.granularity = 'year'
   LEFT JOIN staging.fact_kpi_value s
     ON s.kpi_id = c.kpi_id AND s.area_id = c.area_id AND s.period_id = c.period_id
    AND s.gender = c.gender
   LEFT JOIN nyckel.kpi_direction_used u ON u.kpi_id = c.kpi_id
   WHERE c.kpi_id NOT IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)
     AND (c.had <> (s.kpi_id IS NOT NULL) OR c.old_value IS DISTINCT FROM s.value)
 )
 SELECT kpi_id, year, gender, bool_and(higher) AS higher_is_better,
        sum(has::integer - had::integer)::integer AS facts,
        (count(new_value) - count(old_value))::integer AS ranked,
        coalesce(array_agg(old_goodness ORDER BY old_goodness)
                     FILTER (WHERE old_value <> 'NaN'), '{}') AS removed,
        coalesce(array_agg(new_goodness ORDER BY new_goodness)
                     FILTER (WHERE new_value <> 'NaN'), '{}') AS added
 FROM changed GROUP BY kpi_id, year, gender
