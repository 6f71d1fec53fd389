# load_security.test.sh: the read-only BI role reads the marts and nothing
# else; every table, view and column carries a Swedish and English comment;
# a migration changed after it was applied stops the load.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json"
run="$work/20261101T020000Z-loadtest"
fixture_kolada "$run" "Andel nöjda" <<'ROWS'
N00001|0000|2023|T|50|1|\N|s1
N00001|0180|2023|T|60|1|\N|s1
ROWS
fixture_done "$run"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$run" 2>"$work/log" ||
    fail "load: $(cat "$work/log")"

psql -X -q -c "CREATE ROLE analyst LOGIN IN ROLE nyckel_bi" >/dev/null
as_analyst() { # SQL: prints the value or the error
    PGUSER=analyst psql -X -A -t -q -c "$1" 2>&1 || true
}
assert_eq 60 "$(as_analyst "SELECT value FROM mart.kpi_vs_riket WHERE area_id = '0180'")" "BI reads a mart view"
assert_eq 1 "$(as_analyst "SELECT ranked_count FROM mart.benchmark WHERE area_id = '0180'")" "BI reads the benchmark"
for table in staging.fact_kpi_value staging.source nyckel.run nyckel.run_table nyckel.run_failure nyckel.fact_kpi_value nyckel.schema_migration; do
    assert_contains "$(as_analyst "SELECT count(*) FROM $table")" "permission denied" "BI reading $table"
done
assert_contains "$(as_analyst "INSERT INTO mart.dim_gender VALUES ('X', 'x', 'x')")" "permission denied" "BI writing a mart view"
assert_contains "$(as_analyst "DELETE FROM mart.dim_kpi")" "permission denied" "BI deleting through a mart view"
assert_contains "$(as_analyst "CREATE TABLE mart.mine (x int)")" "permission denied" "BI creating in mart"
assert_contains "$(as_analyst "TRUNCATE mart.benchmark_slice")" "permission denied" "BI emptying a stored mart"
assert_contains "$(as_analyst "UPDATE mart.benchmark_slice SET ranked_count = 0")" "permission denied" "BI changing the stored benchmark"

# Comments, "svenska / English", on every table, view and column.
missing=$(pg_value "SELECT string_agg(c.relname || coalesce('.' || a.attname, ''), ' ')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname IN ('nyckel', 'staging', 'mart') AND c.relkind IN ('r', 'v', 'm')
      AND coalesce(col_description(c.oid, a.attnum), '') NOT LIKE '% / %'
       OR (n.nspname IN ('nyckel', 'staging', 'mart') AND c.relkind IN ('r', 'v', 'm') AND a.attnum = 1
           AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE '% / %')")
assert_eq "" "$missing" "tables and columns without a Swedish / English comment"

# A migration whose text no longer matches what was applied.
psql -X -q -c "UPDATE nyckel.schema_migration SET sha256 = repeat('0', 64) WHERE version = '002_history_units_internal.sql'"
expect_exit 70 "$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$run"
assert_contains "$(cat "$STDERR_FILE")" "002_history_units_internal.sql: changed after it was applied" "changed migration"
