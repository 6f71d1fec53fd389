-- The slices benchmark.c computed, back into the warehouse.
-- load/marts/marts.c.
COPY mart.benchmark_slice (kpi_id, year, gender, higher_is_better, fact_count,
 ranked_count, better) FROM STDIN
