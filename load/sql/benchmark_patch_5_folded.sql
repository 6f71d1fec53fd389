-- The slices whose pending edits grew past 64 values, rewritten with them
-- (nyckel.benchmark_fold, one sort) and their edits gone: a fold costs
-- about a sort of the slice, whatever the number of edits, so a slice
-- gathers some before it is worth one.  Only a slice this load edited can
-- have grown past.
-- load/marts/marts.c.
WITH folded AS (
   DELETE FROM mart.benchmark_slice_edit e USING pg_temp.nyckel_benchmark_delta d
   WHERE e.kpi_id = d.kpi_id AND e.year = d.year AND e.gender = d.gender
     AND cardinality(e.removed) + cardinality(e.added) > 64
   RETURNING e.*
 )
 UPDATE mart.benchmark_slice s SET fact_count = s.fact_count + f.fact_count,
 ranked_count = s.ranked_count + f.ranked_count,
 better = nyckel.benchmark_fold(s.better, f.removed, f.added)
 FROM folded f
 WHERE s.kpi_id = f.kpi_id AND s.year = f.year AND s.gender = f.gender
