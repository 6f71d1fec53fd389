# load_skeleton.test.sh: a hand-written Kolada run loads into a fresh
# warehouse with exact counts; loading it again changes nothing; a missing
# manifest, an unknown table and an unreachable warehouse fail cleanly.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json"
run="$work/20261123T020000Z-loadtest"

fixture_kolada "$run" "Andel nöjda" <<'ROWS'
N00001|0000|2023|T|50.0|1|\N|s1
N00001|0001|2023|T|55|1|\N|s1
N00001|0180|2023|T|60.5|1|\N|s1
N00001|0180|2023|K|62|1|\N|s1
N00001|0182|2023|T|40|1|\N|s1
N00001|0114|2023|T|\N|0|X|s1
N00002|0180|2022|T|1000|1|\N|s1
ROWS
fixture_done "$run"

"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$run" 2>"$work/first.log" ||
    fail "first load failed: $(cat "$work/first.log")"
assert_reconciled "$run"

assert_eq 7 "$(pg_value 'SELECT count(*) FROM nyckel.fact_kpi_value')" "fact rows"
assert_eq 2 "$(pg_value 'SELECT count(*) FROM nyckel.dim_kpi')" "KPIs"
assert_eq 6 "$(pg_value 'SELECT count(*) FROM nyckel.dim_area')" "areas"
assert_eq 2 "$(pg_value 'SELECT count(*) FROM nyckel.area_group_member')" "group members"
assert_eq 2 "$(pg_value 'SELECT count(*) FROM nyckel.dim_period')" "periods"
assert_eq "K|Kvinnor|Women" "$(pg_value "SELECT gender, label_sv, label_en FROM nyckel.dim_gender WHERE gender = 'K'")" "gender seed"
assert_eq 60.5 "$(pg_value "SELECT value FROM nyckel.fact_kpi_value WHERE kpi_id = 'N00001' AND area_id = '0180' AND period_id = '2023' AND gender = 'T'")" "a known value"
assert_eq "|0|X" "$(pg_value "SELECT value, value_count, status FROM nyckel.fact_kpi_value WHERE area_id = '0114'")" "NULL value, count and status kept"
assert_eq "0001" "$(pg_value "SELECT county_region_id FROM nyckel.dim_area WHERE area_id = '0180'")" "county region"
assert_eq "60.5|50|10.5" "$(pg_value "SELECT value, riket_value, difference_to_riket FROM mart.kpi_vs_riket WHERE area_id = '0180' AND period_id = '2023' AND gender = 'T'")" "mart beside Riket"
assert_eq "file:///demo/$(basename "$run").json|$(basename "$run")" \
    "$(pg_value "SELECT DISTINCT s.uri, r.run_id FROM nyckel.fact_kpi_value f JOIN nyckel.dim_source s ON s.source_key = f.source_key JOIN nyckel.run r ON r.run_key = f.run_key")" \
    "every fact traced to its run and source"
assert_eq "1|committed|loadtest" "$(pg_value "SELECT count(*), min(status), min(job) FROM nyckel.run")" "audit row"
assert_eq 7 "$(pg_value "SELECT inserted FROM nyckel.run_table WHERE table_name = 'fact_kpi_value'")" "audit counts"

summary="$run/load/summary.json"
[ -f "$summary" ] || fail "no load/summary.json"
assert_eq "7 0 0 0 committed" \
    "$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); t=s["tables"]["fact_kpi_value"]; print(t["inserted"], t["updated"], t["deleted"], t["unchanged"], s["status"])' "$summary")" \
    "summary of the first load"
assert_contains "$(cat "$work/first.log")" "fact_kpi_value" "summary table in the log"

checksum() {
    pg_value "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM (
        SELECT f.*::text AS t FROM nyckel.fact_kpi_value f
        UNION ALL SELECT k.*::text FROM nyckel.dim_kpi k
        UNION ALL SELECT a.*::text FROM nyckel.dim_area a
        UNION ALL SELECT h.*::text FROM nyckel.dim_kpi_history h
        UNION ALL SELECT m.*::text FROM nyckel.area_group_member m
        UNION ALL SELECT p.*::text FROM nyckel.dim_period p
        UNION ALL SELECT s.*::text FROM nyckel.dim_source s
        UNION ALL SELECT b.*::text FROM mart.benchmark b) x(t)"
}
before=$(checksum)
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$run" 2>"$work/second.log" ||
    fail "second load failed: $(cat "$work/second.log")"
assert_eq "$before" "$(checksum)" "table checksums after loading the same run again"
assert_eq "0 0 0 7 0" \
    "$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); t=s["tables"]["fact_kpi_value"]; print(t["inserted"], t["updated"], t["deleted"], t["unchanged"], s["changes"])' "$summary")" \
    "second load changes nothing"
assert_eq 2 "$(pg_value 'SELECT count(*) FROM nyckel.run')" "one audit row per load"

# No transform manifest: exit 66, nothing written.
mkdir -p "$work/empty-run"
expect_exit 66 "$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$work/empty-run"
assert_contains "$(cat "$STDERR_FILE")" "nyckel-transform first" "missing manifest message"

# A table load does not know: exit 65 before touching the warehouse.
bad="$work/bad-run"
fixture_run "$bad"
fixture_table "$bad" fact_budget_mystery a,b <<'ROWS'
1|2
ROWS
fixture_done "$bad"
expect_exit 65 "$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$bad"
assert_contains "$(cat "$STDERR_FILE")" 'unknown table "fact_budget_mystery"' "unknown table message"
assert_eq "$before" "$(checksum)" "unknown table changes nothing"
assert_eq 2 "$(pg_value 'SELECT count(*) FROM nyckel.run')" "no audit row for a refused run"

# An unreachable warehouse: exit 69 with one clear line.
fixture_job "$work/down.json" "" '{"conninfo": "host=/nonexistent-nyckel-socket-dir dbname=x"}'
expect_exit 69 "$BIN/nyckel-load" --log-format text --job "$work/down.json" --run-dir "$run"
assert_contains "$(cat "$STDERR_FILE")" "cannot connect to the warehouse" "unreachable message"
assert_eq 1 "$(wc -l <"$STDERR_FILE" | tr -d ' ')" "one line on stderr"
[ ! -f "$summary" ] || fail "a failed load must not leave load/summary.json"

# Job settings are checked before anything else; Citus needs Citus.
fixture_job "$work/bad-direction.json" '{"kpi_direction": {"N00001": "up"}}'
expect_exit 78 "$BIN/nyckel-load" --log-format text --job "$work/bad-direction.json" --run-dir "$run"
assert_contains "$(cat "$STDERR_FILE")" 'load.kpi_direction.N00001: expected one of "higher", "lower"' "bad direction"
fixture_job "$work/citus.json" '{"citus": true}'
expect_exit 78 "$BIN/nyckel-load" --log-format text --job "$work/citus.json" --run-dir "$run"
assert_contains "$(cat "$STDERR_FILE")" "no citus extension" "Citus on plain PostgreSQL"
assert_eq 2 "$(pg_value 'SELECT count(*) FROM nyckel.run')" "refused loads leave no audit row"
# Only the Citus one got as far as the warehouse; it is recorded as failed.
assert_eq "78|looking for Citus" "$(pg_value 'SELECT exit_code, step FROM nyckel.run_failure')" "failed loads recorded"
