-- Those KPIs are taken: the notes go.
-- load/marts.c, in the load's transaction.
DELETE FROM nyckel.kpi_direction_pending
