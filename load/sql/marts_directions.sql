-- The KPIs' directions benchmark.c needs, as COPY text like the facts.
-- load/marts.c, in the load's transaction.
COPY (SELECT kpi_id, higher_is_better FROM nyckel.kpi_direction_used) TO STDOUT
