# load_atomicity.test.sh: a load that fails late (a bad gender in the facts,
# after the dimensions were merged), is stopped by SIGTERM or killed with -9
# in the middle of its transaction leaves the warehouse exactly as it was,
# and the next load succeeds.  A failure it lives to see is recorded in
# nyckel.run_failure.  Also the warehouse lock: "fail" exits 79, "wait" waits.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

pg_start
work=$(mktemp -d)
holder_pid=
trap '[ -z "$holder_pid" ] || kill "$holder_pid" 2>/dev/null; pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json"
fixture_job "$work/fail.json" "" '{"lock": "fail"}'

good="$work/20261101T020000Z-loadtest"
fixture_kolada "$good" "Andel nöjda" <<'ROWS'
N00001|0000|2023|T|50|1|\N|s1
N00001|0180|2023|T|60|1|\N|s1
ROWS
fixture_done "$good"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$good" 2>"$work/log" ||
    fail "first load: $(cat "$work/log")"

state() { warehouse_state; }
before=$(state)

# A later table breaks a constraint: new title and new value are merged
# first, then the unknown gender X fails the fact's gender check (one of
# nyckel.dim_gender's T, K and M).
broken="$work/20261102T020000Z-loadtest"
fixture_kolada "$broken" "Ny titel" <<'ROWS'
N00001|0000|2023|T|51|1|\N|s1
N00001|0180|2023|X|60|1|\N|s1
ROWS
fixture_done "$broken"
expect_exit 65 "$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$broken"
assert_contains "$(cat "$STDERR_FILE")" "dim_gender" "the error names the broken key"
assert_eq "$before" "$(state)" "a failed load leaves the warehouse as it was"
[ ! -f "$broken/load/summary.json" ] || fail "a failed load wrote a summary"
failures() { # RUN: its rows in nyckel.run_failure
    pg_value "SELECT exit_code, step, dry_run FROM nyckel.run_failure WHERE run_id = '$(basename "$1")' ORDER BY failure_key"
}
assert_eq "65|merging fact_kpi_value|f" "$(failures "$broken")" "the failed load's record"
assert_contains "$(pg_value "SELECT message FROM nyckel.run_failure")" "dim_gender" "the record's message"

# kill -9 in the middle of the transaction: another session holds a lock on
# the fact table, so the load stops inside its transaction, after staging
# and the dimension merge; it is killed there.
next="$work/20261103T020000Z-loadtest"
fixture_kolada "$next" "Ny titel" <<'ROWS'
N00001|0000|2023|T|51|1|\N|s1
N00001|0180|2023|T|61|1|\N|s1
ROWS
fixture_done "$next"
hold_lock "BEGIN; LOCK TABLE nyckel.fact_kpi_value IN SHARE MODE"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$next" 2>/dev/null &
load_pid=$!
until [ "$(pg_value "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nyckel-load' AND wait_event_type = 'Lock'")" = 1 ]; do sleep 0.1; done
assert_eq "t" "$(pg_value "SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = 'nyckel-load' AND state = 'active' AND xact_start IS NOT NULL")" "the load is inside its transaction"
kill -9 "$load_pid"
wait "$load_pid" 2>/dev/null || true
assert_eq "" "$(failures "$next")" "a load killed with -9 records nothing"
# Its server process, still waiting for the table, notices within a second
# that the client is gone (client_connection_check_interval) and ends.
tries=0
until [ "$(pg_value "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nyckel-load'")" = 0 ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 50 ] || fail "the killed load's server process still runs after 5 s"
    sleep 0.1
done
assert_eq "$before" "$(state)" "a killed load leaves the warehouse as it was"

# SIGTERM at the same place: the statement is cancelled, the load rolls
# back, records the failure and exits 130 with one line.
"$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$next" 2>"$work/term.log" &
load_pid=$!
until [ "$(pg_value "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nyckel-load' AND wait_event_type = 'Lock'")" = 1 ]; do sleep 0.1; done
kill -TERM "$load_pid"
set +e
wait "$load_pid"
code=$?
set -e
assert_eq 130 "$code" "exit status after SIGTERM: $(cat "$work/term.log")"
assert_eq 1 "$(grep -c ' error ' "$work/term.log")" "error lines after SIGTERM"
assert_contains "$(cat "$work/term.log")" "interrupted by SIGTERM (step: merging fact_kpi_value): the load's transaction was rolled back" "SIGTERM message"
assert_eq "130|merging fact_kpi_value|f" "$(failures "$next")" "the interrupted load's record"
[ ! -f "$next/load/summary.json" ] || fail "an interrupted load wrote a summary"
release_lock
assert_eq "$before" "$(state)" "a killed load leaves the warehouse as it was"

"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$next" 2>"$work/log" ||
    fail "the load after the kill: $(cat "$work/log")"
assert_reconciled "$next"
assert_eq "61|Ny titel" "$(pg_value "SELECT f.value, k.title FROM nyckel.fact_kpi_value f JOIN nyckel.dim_kpi k USING (kpi_id) WHERE area_id = '0180'")" "the next load succeeds"

# The warehouse lock, held by another loading session.
hold_lock "BEGIN; SELECT FROM nyckel.load_lock FOR UPDATE"
expect_exit 79 "$BIN/nyckel-load" --log-format text --job "$work/fail.json" --run-dir "$next"
assert_contains "$(cat "$STDERR_FILE")" "another load holds the warehouse lock" "lock fail message"
assert_eq "130|merging fact_kpi_value|f
79|taking the warehouse lock|f" "$(failures "$next")" "the locked-out load's record"
"$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$next" 2>"$work/wait.log" &
load_pid=$!
until [ "$(pg_value "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nyckel-load' AND wait_event = 'transactionid'")" = 1 ]; do sleep 0.1; done
release_lock
wait "$load_pid" || fail "the waiting load failed: $(cat "$work/wait.log")"
assert_contains "$(cat "$work/wait.log")" "waiting for it" "the waiting load says so"
assert_eq 0 "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["changes"])' "$next/load/summary.json")" "the waiting load found nothing to change"
