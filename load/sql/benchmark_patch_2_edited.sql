-- The stored slices the load changed: what it removed and added, and the
-- changes to their counts, added to the edits pending beside them
-- (mart.benchmark_slice_edit, schemas/024), each array kept sorted.
-- load/marts/marts.c.
INSERT INTO mart.benchmark_slice_edit AS e
 SELECT d.kpi_id, d.year, d.gender, d.facts, d.ranked, d.removed, d.added
 FROM pg_temp.nyckel_benchmark_delta d
 WHERE EXISTS (SELECT 1 FROM mart.benchmark_slice s
               WHERE s.kpi_id = d.kpi_id AND s.year = d.year AND s.gender = d.gender)
 ON CONFLICT (kpi_id, year, gender) DO UPDATE
 SET fact_count = e.fact_count + excluded.fact_count,
     ranked_count = e.ranked_count + excluded.ranked_count,
     removed = ARRAY(SELECT v FROM unnest(e.removed || excluded.removed) v ORDER BY v),
     added = ARRAY(SELECT v FROM unnest(e.added || excluded.added) v ORDER BY v)
