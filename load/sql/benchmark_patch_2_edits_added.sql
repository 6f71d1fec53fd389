-- The stored slices the load changed that have edits pending: what it
-- removed and added, and the changes to their counts, added to those edits
-- (mart.benchmark_slice_edit, schemas/024), each array kept sorted.  An
-- UPDATE, not an upsert: an upsert locks each row it finds before it
-- updates it, one more write of the row (a publication's 7 400 slices
-- with edits took 0.10 s that way).
-- load/marts/marts.c.
UPDATE mart.benchmark_slice_edit e
 SET fact_count = e.fact_count + d.facts,
     ranked_count = e.ranked_count + d.ranked,
     removed = ARRAY(SELECT v FROM unnest(e.removed || d.removed) v ORDER BY v),
     added = ARRAY(SELECT v FROM unnest(e.added || d.added) v ORDER BY v)
 FROM pg_temp.nyckel_benchmark_delta d
 WHERE e.kpi_id = d.kpi_id AND e.year = d.year AND e.gender = d.gender
