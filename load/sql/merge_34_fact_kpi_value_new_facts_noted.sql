-- Merge step 34 of 43, fact_kpi_value, when the values a load replaces were
-- noted before the merge (load/marts/marts.c): step 34's condition for a
-- new row, which load/merge.c puts in place of the one in
-- merge_34_fact_kpi_value_new_facts.sql.  A staged value's key is looked
-- up among the noted ones instead of in the fact table's primary key, once
-- per staged value; a noted key is still in the fact table unless step 32
-- deleted it.
 WHERE NOT EXISTS (SELECT 1 FROM pg_temp.nyckel_benchmark_old o
   WHERE o.kpi_id = s.kpi_id AND o.area_id = s.area_id AND o.period_id = s.period_id
   AND o.gender = s.gender
   AND NOT EXISTS (SELECT 1 FROM staging.fact_kpi_value_deleted d
     WHERE d.kpi_id = o.kpi_id AND d.area_id = o.area_id AND d.period_id = o.period_id
     AND d.gender = o.gender))
