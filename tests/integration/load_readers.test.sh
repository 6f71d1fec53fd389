# load_readers.test.sh: a BI reader cannot stop loads.  An idle nyckel_bi
# session with a transaction open on mart.benchmark makes a changed load
# wait at most warehouse.lock_timeout; the load then fails (75) with its
# own message and a failure record, leaves the warehouse as it was, and
# readers that came while it waited got their answer once it gave up.  The
# BI role cannot take or block the warehouse lock: the old advisory key
# held by a BI login stops nothing, and the lock's table refuses it.  Two
# first loads into a new warehouse at once both succeed.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"

pg_start
work=$(mktemp -d)
holder_pid= reader_pid= idle_pid=
trap 'for p in $holder_pid $reader_pid $idle_pid; do kill "$p" 2>/dev/null; done; pg_stop; rm -rf "$work"' EXIT
# The job's direction for N00001, which the first loads (wait.json) did not
# have, makes a load with job.json recompute the whole benchmark: that
# empties the stored slices, the lock a reader holds.  (Patching slices
# and new titles block no reader.)
fixture_job "$work/job.json" '{"kpi_direction": {"N00001": "lower"}}' '{"lock": "fail", "lock_timeout": 2}'
fixture_job "$work/wait.json" "" '{"lock": "wait"}'

run_with() { # RUN VALUE_OF_0180 KPI_TITLE
    fixture_kolada "$1" "$3" <<ROWS
N00001|0000|2023|T|50|1|\N|s1
N00001|0180|2023|T|$2|1|\N|s1
N00001|0182|2023|T|70|1|\N|s1
ROWS
    fixture_done "$1"
}
first="$work/20261101T020000Z-loadtest"
changed="$work/20261102T020000Z-loadtest"
run_with "$first" 60 "Andel nöjda"
run_with "$changed" 65 "Ny titel"
# Two loads into a new warehouse at once: one makes the lock's table while
# the other waits for that, then for the lock; both succeed.
twin="$work/20261101T020001Z-loadtest"
run_with "$twin" 60 "Andel nöjda"
"$BIN/nyckel-load" --job "$work/wait.json" --run-dir "$twin" 2>"$work/twin.log" &
twin_pid=$!
"$BIN/nyckel-load" --job "$work/wait.json" --run-dir "$first" 2>"$work/log" ||
    fail "first load: $(cat "$work/log")"
wait "$twin_pid" || fail "the other first load: $(cat "$work/twin.log")"
assert_eq 2 "$(pg_value "SELECT count(*) FROM nyckel.run")" "two first loads at once"
psql -X -q -c "CREATE ROLE analyst LOGIN IN ROLE nyckel_bi" >/dev/null
before=$(warehouse_state)

# The analyst reads the benchmark and leaves the transaction open: psql
# reads its commands from a pipe that stays open until the test closes it.
mkfifo "$work/analyst"
PGUSER=analyst psql -X -q <"$work/analyst" >/dev/null 2>&1 &
idle_pid=$!
exec 3>"$work/analyst"
printf 'BEGIN;\nSELECT count(*) FROM mart.benchmark;\n' >&3
until [ "$(pg_value "SELECT count(*) FROM pg_stat_activity WHERE usename = 'analyst'
                     AND state = 'idle in transaction'")" = 1 ]; do sleep 0.1; done

"$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$changed" \
    2>"$work/wait.log" &
load_pid=$!
until [ "$(pg_value "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nyckel-load'
                     AND wait_event_type = 'Lock'")" = 1 ]; do sleep 0.05; done
# A reader that comes while the load waits queues behind it, but no longer.
start=$(date +%s)
PGUSER=analyst psql -X -A -t -q -c "SELECT count(*) FROM mart.benchmark" >"$work/reader.out" 2>&1 &
reader_pid=$!
set +e
wait "$load_pid"
code=$?
wait "$reader_pid"
reader_code=$?
set -e
reader_pid=
assert_eq 75 "$code" "exit status of the load that waited for a reader: $(cat "$work/wait.log")"
assert_contains "$(cat "$work/wait.log")" "waited warehouse.lock_timeout for a table another session holds" "the message"
assert_eq 0 "$reader_code" "the reader that came during the wait: $(cat "$work/reader.out")"
[ $(($(date +%s) - start)) -le 5 ] || fail "the reader waited $(($(date +%s) - start)) s"
assert_eq "$before" "$(warehouse_state)" "the load that gave up leaves the warehouse as it was"
[ ! -f "$changed/load/summary.json" ] || fail "the load that gave up wrote a summary"
assert_contains "$(pg_value "SELECT exit_code || ' ' || message FROM nyckel.run_failure
                             WHERE run_id = '$(basename "$changed")'")" \
    "75 " "the failure record"
# Readers are not blocked now, although the idle transaction is still open.
assert_eq 2 "$(PGUSER=analyst timeout 5 psql -X -A -t -q -c "SELECT count(DISTINCT area_id) FROM mart.benchmark")" "a reader after the failed load"
exec 3>&-
wait "$idle_pid" || fail "the analyst's session"
idle_pid=

# What the BI role may try against the warehouse lock.
as_analyst() { PGUSER=analyst psql -X -A -t -q -c "$1" 2>&1 || true; }
assert_contains "$(as_analyst "BEGIN; SELECT FROM nyckel.load_lock FOR UPDATE")" "permission denied" "BI locking the lock row"
assert_contains "$(as_analyst "BEGIN; LOCK TABLE nyckel.load_lock")" "permission denied" "BI locking the lock table"
# The old advisory key, held by a BI login: a load with "lock": "fail" goes on.
PGUSER=analyst hold_lock "SELECT pg_advisory_lock(1853454188, 1)"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$changed" 2>"$work/log" ||
    fail "a load while the BI role holds the old advisory key: $(cat "$work/log")"
release_lock
assert_eq 65 "$(pg_value "SELECT value FROM nyckel.fact_kpi_value WHERE area_id = '0180'")" "the load went through"
