-- The year periods benchmark.c needs, as COPY text like the facts.
-- load/marts.c, in the load's transaction.
COPY (SELECT period_id, year FROM nyckel.dim_period WHERE granularity = 'year') TO STDOUT
