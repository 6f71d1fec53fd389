-- 009_benchmark_by_load.sql: nyckel-load computes the stored benchmark
-- itself (load/benchmark.c) and writes it with COPY; the SQL that computed
-- it in 007 goes.  At ten million values the window sorts and hash joins of
-- nyckel.refresh_benchmark took 96 s of a 170 s first load; reading the
-- facts out in KPI order and the rows back in, indexes rebuilt, about 45 s.
-- The tables, their keys, views, comments and grants stay as 007 made them;
-- what is stored is the same, row for row.
DROP FUNCTION nyckel.refresh_benchmark(text[]);
DROP FUNCTION nyckel.benchmark_rows(text[]);
DROP FUNCTION nyckel.benchmark_group_means(text[]);
COMMENT ON TABLE mart.benchmark_value IS
    'Det som mart.benchmark räknar över alla kommuner: rang, rikets, regionens och föregående års värde; skrivs av nyckel-load. Läs mart.benchmark. / What mart.benchmark computes across all municipalities: rank, Riket''s, the region''s and the previous year''s value; written by nyckel-load. Read mart.benchmark.';
