-- 019_refresh_cost.sql: a refresh that changes a few values writes little
-- more than those values.
--
-- A scattered refresh (1 % of ten million values changed) updates rows on
-- most pages of nyckel.fact_kpi_value.  With every page full, each updated
-- row moved to another page and took a new entry in both of the table's
-- indexes; a tenth of each page kept free lets the new version stay on its
-- page (a HOT update, no index written).  About a third of the fact
-- UPDATE's time at ten million values.
ALTER TABLE nyckel.fact_kpi_value SET (fillfactor = 90);

-- A slice holds at most 332 doubles (under 2.7 kB): below the default
-- threshold PostgreSQL still tries to compress every such row it writes,
-- and sorted doubles do not compress.  With the threshold at a page, a
-- slice is stored as it is; the first load's COPY of the slices took
-- about half the time.
ALTER TABLE mart.benchmark_slice SET (toast_tuple_target = 8160);

-- source_key and run_key of a Kolada value are its lineage, written by
-- nyckel-load alone: source_key from a join with nyckel.dim_source, run_key
-- the load's own run, whose row is written before any value.  As foreign
-- keys each was checked again per row on every insert and on every update
-- (a refreshed value always has a new source and run): over a second of a
-- scattered refresh at ten million values, and two of the six checks of a
-- first load's foreign keys, about 3 s.  No nyckel step deletes a run or
-- a source.  The dimensions BI tools join on (KPI, area, period, gender)
-- keep their foreign keys; the smaller fact tables keep all of theirs.
ALTER TABLE nyckel.fact_kpi_value DROP CONSTRAINT fact_kpi_value_source_key_fkey,
    DROP CONSTRAINT fact_kpi_value_run_key_fkey;
