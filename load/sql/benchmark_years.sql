-- The years of the periods, for benchmark.c to sort each value into its slice.
-- load/marts/marts.c.
COPY (SELECT period_id, year FROM nyckel.dim_period WHERE granularity = 'year') TO STDOUT
