-- Every Kolada value, in primary-key order, read along the key itself: no sort
-- of all values, each KPI's values together, and the benchmark rows come out
-- in the order of their own key.
-- load/marts.c, in the load's transaction.
COPY (SELECT kpi_id, area_id, period_id, gender, value FROM nyckel.fact_kpi_value
 ORDER BY kpi_id, area_id, period_id, gender) TO STDOUT
