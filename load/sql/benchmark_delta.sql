-- Per slice, what the merge changed in it: the municipal values of a year
-- whose value or presence differs from before.  After the merge a staged
-- value is in the warehouse as staged, and a deleted key that was not
-- staged again is gone (deletions go first), so the values after need no
-- second look into the fact table.  The KPIs recomputed whole (a changed
-- direction) are left out.  A slice's values go in as their goodness: the
-- value where higher is better, its negation where lower.
-- load/marts/marts.c.
CREATE TEMPORARY TABLE nyckel_benchmark_delta ON COMMIT DROP AS
 WITH after AS (
   SELECT kpi_id, area_id, period_id, gender, true AS present, value
   FROM staging.fact_kpi_value
   UNION ALL SELECT d.kpi_id, d.area_id, d.period_id, d.gender, false, NULL
   FROM staging.fact_kpi_value_deleted d
   WHERE NOT EXISTS (SELECT 1 FROM staging.fact_kpi_value s
     WHERE s.kpi_id = d.kpi_id AND s.area_id = d.area_id AND s.period_id = d.period_id
       AND s.gender = d.gender)
 ), changed AS (
   SELECT n.kpi_id, p.year, n.gender, o.kpi_id IS NOT NULL AS had, o.value AS old_value,
          n.present AS has, n.value AS new_value,
          coalesce(u.higher_is_better, true) AS higher
   FROM after n
   JOIN nyckel.dim_area a ON a.area_id = n.area_id AND a.area_type = 'municipality'
   JOIN nyckel.dim_period p ON p.period_id = n.period_id AND p.granularity = 'year'
   LEFT JOIN pg_temp.nyckel_benchmark_old o
     ON o.kpi_id = n.kpi_id AND o.area_id = n.area_id AND o.period_id = n.period_id
    AND o.gender = n.gender
   LEFT JOIN nyckel.kpi_direction_used u ON u.kpi_id = n.kpi_id
   WHERE n.kpi_id NOT IN (SELECT kpi_id FROM pg_temp.nyckel_benchmark_kpi)
     AND ((o.kpi_id IS NOT NULL) <> n.present OR o.value IS DISTINCT FROM n.value)
 )
 SELECT kpi_id, year, gender, bool_and(higher) AS higher_is_better,
        sum(has::integer - had::integer)::integer AS facts,
        (count(new_value) - count(old_value))::integer AS ranked,
        array_agg(CASE WHEN higher THEN old_value ELSE -old_value END)
            FILTER (WHERE old_value <> 'NaN') AS removed,
        array_agg(CASE WHEN higher THEN new_value ELSE -new_value END)
            FILTER (WHERE new_value <> 'NaN') AS added
 FROM changed GROUP BY kpi_id, year, gender
