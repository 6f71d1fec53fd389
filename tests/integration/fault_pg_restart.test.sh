# fault_pg_restart.test.sh: PostgreSQL stopped (pg_ctl stop -m fast) while
# a load is inside its transaction, then started again.  The load exits 69
# (warehouse unavailable) with one clear error line and says that it could
# not record the failure; it writes no summary; the warehouse holds exactly
# what the previous load left; the same load run again succeeds.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

pg_start
work=$(mktemp -d)
holder_pid=
trap '[ -z "$holder_pid" ] || kill "$holder_pid" 2>/dev/null; pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json"

first="$work/20261101T020000Z-loadtest"
fixture_kolada "$first" "Andel nöjda" <<'ROWS'
N00001|0000|2023|T|50|1|\N|s1
N00001|0180|2023|T|60|1|\N|s1
ROWS
fixture_done "$first"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$first" 2>"$work/log" ||
    fail "first load: $(cat "$work/log")"

state() { warehouse_state; }
before=$(state)

# The second load changes a title and a value; another session's lock on
# the fact table holds it inside its transaction, after staging and the
# dimension merge, until the server goes away.
second="$work/20261102T020000Z-loadtest"
fixture_kolada "$second" "Ny titel" <<'ROWS'
N00001|0000|2023|T|51|1|\N|s1
N00001|0180|2023|T|61|1|\N|s1
ROWS
fixture_done "$second"
hold_lock "BEGIN; LOCK TABLE nyckel.fact_kpi_value IN SHARE MODE"
"$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$second" 2>"$work/stopped.log" &
load_pid=$!
until [ "$(pg_value "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nyckel-load' AND wait_event_type = 'Lock'")" = 1 ]; do sleep 0.1; done
assert_eq "t" "$(pg_value "SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = 'nyckel-load' AND state = 'active' AND xact_start IS NOT NULL")" "the load is inside its transaction"

# pg_ctl stop -m fast, as the postgres user (scripts/pg-cluster.sh does that).
"$NYCKEL_ROOT/scripts/pg-cluster.sh" stop "$PG_TEST_DIR"
set +e
wait "$load_pid"
code=$?
set -e
wait "$holder_pid" 2>/dev/null || true
holder_pid=
log=$(cat "$work/stopped.log")
assert_eq 69 "$code" "exit status of a load whose server stopped (log: $log)"
errors=$(grep ' error ' "$work/stopped.log" || true)
assert_eq 1 "$(printf '%s\n' "$errors" | grep -c .)" "error lines"
assert_contains "$errors" "lost the connection to the warehouse" "the error says what happened"
assert_contains "$errors" "load again once PostgreSQL is back" "the error says what to do"
assert_contains "$log" "the failure is not recorded in nyckel.run_failure" "the log says the failure is not recorded"
[ ! -e "$second/load/summary.json" ] || fail "a load whose server stopped wrote a summary"

# Started again: the previous state, nothing of the second load, and the same load succeeds.
eval "$("$NYCKEL_ROOT/scripts/pg-cluster.sh" start "$PG_TEST_DIR")"
assert_eq "$before" "$(state)" "the warehouse after the restart"
assert_eq 0 "$(pg_value "SELECT count(*) FROM nyckel.run_failure")" "failures recorded without a server"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$second" 2>"$work/log" ||
    fail "the load after the restart: $(cat "$work/log")"
assert_eq "61|Ny titel" "$(pg_value "SELECT f.value, k.title FROM nyckel.fact_kpi_value f JOIN nyckel.dim_kpi k USING (kpi_id) WHERE area_id = '0180'")" "the load after the restart"
assert_eq "committed" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$second/load/summary.json")" "its summary"
assert_reconciled "$second"
