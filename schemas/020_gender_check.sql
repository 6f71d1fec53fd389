-- 020_gender_check.sql: a Kolada value's gender is checked against
-- Kolada's three (T, K, M) in the row itself instead of by a foreign key
-- to nyckel.dim_gender.
--
-- nyckel.dim_gender is a fixed list: its three rows come with migration
-- 001, and nothing in nyckel adds to it.  As a foreign key, the gender of
-- nyckel.fact_kpi_value (ten million rows at national scale) was checked by
-- a scan of the whole table after a first load's COPY, about 1.7 s of a
-- 30 s load, and by a lookup per new value in every refresh.  A CHECK
-- gives the same guarantee at no cost.  dim_gender keeps the labels that
-- mart.dim_gender shows; a gender added there must be added here too.
ALTER TABLE nyckel.fact_kpi_value DROP CONSTRAINT fact_kpi_value_gender_fkey,
    ADD CONSTRAINT fact_kpi_value_gender_in_dim_gender CHECK (gender IN ('T', 'K', 'M'));
