-- 025_staged_value_statistics.sql: the staged Kolada values are analysed
-- from a sample of 3 000 rows instead of 30 000.
--
-- nyckel-load analyses what it staged before the merge, so that the
-- planner knows how many values there are.  At the default statistics
-- target that read 30 000 rows and took 80-90 ms of a refresh staging
-- 100 000 values, about a twentieth of a scattered 1 % change at national
-- scale; at a target of 10 it reads 3 000 rows and takes 10 ms.  The row
-- count comes from the table's size either way, and what else the merge's
-- plans use of these tables is how many KPIs, areas, periods, genders and
-- sources there are: a few hundred at most, which a sample of 3 000 finds
-- as well.  The values themselves are never a condition the planner has
-- to weigh.
--
-- Not on Citus, where nyckel-load analyses no staging table (each worker's
-- autovacuum sizes its shards) and a distributed table's column options
-- would have to reach every node.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    ALTER TABLE staging.fact_kpi_value
        ALTER COLUMN kpi_id SET STATISTICS 10, ALTER COLUMN area_id SET STATISTICS 10,
        ALTER COLUMN period_id SET STATISTICS 10, ALTER COLUMN gender SET STATISTICS 10,
        ALTER COLUMN value SET STATISTICS 10, ALTER COLUMN value_count SET STATISTICS 10,
        ALTER COLUMN status SET STATISTICS 10, ALTER COLUMN source_ref SET STATISTICS 10;
    ALTER TABLE staging.fact_kpi_value_deleted
        ALTER COLUMN kpi_id SET STATISTICS 10, ALTER COLUMN area_id SET STATISTICS 10,
        ALTER COLUMN period_id SET STATISTICS 10, ALTER COLUMN gender SET STATISTICS 10,
        ALTER COLUMN source_ref SET STATISTICS 10;
END
$$;
