-- 010_kpi_missing_fields.sql: a KPI delivery that lacks an attribute (a field
-- Kolada renamed between versions, such as v2's "auspices", v3's "auspice")
-- no longer turns the warehouse's value into NULL.  nyckel-transform names
-- the attributes a KPI lacked under every name in missing_fields; the merge
-- keeps the warehouse's value for those.  A field sent as null still sets NULL.
ALTER TABLE staging.dim_kpi ADD COLUMN missing_fields text[];
COMMENT ON COLUMN staging.dim_kpi.missing_fields IS
    'Attribut som leveransen saknade; lagret behåller sitt värde för dem. / Attributes the delivery lacked; the warehouse keeps its value for them.';
