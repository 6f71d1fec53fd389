-- The computed benchmark values, sent as COPY text.
-- load/marts.c, in the load's transaction.
COPY mart.benchmark_value (kpi_id, area_id, period_id, year, gender, value, riket_value,
 region_id, region_value, higher_is_better, rank, ranked_count, previous_year_value)
 FROM STDIN
