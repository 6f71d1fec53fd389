-- The computed group means, sent as COPY text.
-- load/marts.c, in the load's transaction.
COPY mart.benchmark_group_mean (group_id, kpi_id, period_id, gender, group_mean,
 members_with_value) FROM STDIN
