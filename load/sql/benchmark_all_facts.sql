-- In primary-key order, read along the key itself: each KPI's values together, no sort.
-- load/marts/marts.c.
COPY (SELECT kpi_id, area_id, period_id, gender, value FROM nyckel.fact_kpi_value
 ORDER BY kpi_id, area_id, period_id, gender) TO STDOUT
