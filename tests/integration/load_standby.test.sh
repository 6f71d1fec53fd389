# load_standby.test.sh: a load pointed at a hot standby (a streaming
# replica made with pg_basebackup -R, pg_is_in_recovery() true) fails at
# once with exit 69 (docs/operations.md) and a message saying to point
# warehouse.conninfo at the primary, says why it records no failure, and
# changes nothing, on the standby or the primary; nyckel-load --check tells
# the same; a load then pointed at the primary loads.  Both clusters run
# as the postgres user on unix sockets in temporary folders, removed after.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"

pg_start
work=$(mktemp -d)
standby=$(mktemp -d /tmp/nyckel-pg.XXXXXX)
chmod 755 "$standby"
trap '"$NYCKEL_ROOT/scripts/pg-cluster.sh" stop "$standby"; rm -rf "$standby"; pg_stop; rm -rf "$work"' EXIT
as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$standby"
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

fixture_job "$work/job.json"
first="$work/20261101T020000Z-loadtest"
fixture_kolada "$first" "Andel" <<'ROWS'
N00001|0180|2023|T|50|1|\N|s1
ROWS
fixture_done "$first"
changed="$work/20261102T020000Z-loadtest"
fixture_kolada "$changed" "Andel, ny titel" <<'ROWS'
N00001|0180|2023|T|55|1|\N|s1
N00001|0182|2023|T|60|1|\N|s1
ROWS
fixture_done "$changed"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$first" 2>"$work/log" ||
    fail "first load: $(cat "$work/log")"

# The standby: a base backup of the primary that streams from it.
as_postgres "$bindir/pg_basebackup" -D "$standby/data" -R -X stream -c fast -h "$PGHOST" -p "$PGPORT" \
    -U postgres >"$work/basebackup.log" 2>&1 || fail "pg_basebackup: $(cat "$work/basebackup.log")"
standby_env=$("$NYCKEL_ROOT/scripts/pg-cluster.sh" start "$standby")
standby_port=$(printf '%s\n' "$standby_env" | sed -n 's/^PGPORT=\([0-9]*\);.*/\1/p')
on_standby() {
    PGHOST=$standby PGPORT=$standby_port "$@"
}
assert_eq "t" "$(on_standby pg_value "SELECT pg_is_in_recovery()")" "the standby is in recovery"
tries=0
until [ "$(on_standby pg_value "SELECT count(*) FROM nyckel.run" 2>/dev/null)" = 1 ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 300 ] || fail "the standby never replayed the first load"
    sleep 0.1
done

primary_before=$(warehouse_state)
standby_before=$(on_standby warehouse_state)
assert_eq "$primary_before" "$standby_before" "the standby holds the primary's warehouse"
failures_before=$(pg_value "SELECT count(*) FROM nyckel.run_failure")

STDERR_FILE=$work/stderr
expect_exit 69 env PGHOST="$standby" PGPORT="$standby_port" \
    "$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$changed"
message=$(cat "$STDERR_FILE")
assert_contains "$message" "the warehouse connection reached a read-only standby server (in recovery): point warehouse.conninfo at the primary" \
    "the standby named, and what to change"
assert_contains "$message" "nothing was loaded" "the message says nothing was loaded"
assert_eq 1 "$(grep -c ' error ' "$STDERR_FILE")" "one error line"
assert_contains "$message" "the failure is not recorded in nyckel.run_failure: the warehouse session cannot write (a hot standby" \
    "why no failure is recorded"
assert_not_contains "$message" "SQLSTATE" "no failed attempt to write on the standby"
assert_eq "$standby_before" "$(on_standby warehouse_state)" "the standby's warehouse after the refused load"
assert_eq "$primary_before" "$(warehouse_state)" "the primary's warehouse after the refused load"
assert_eq "$failures_before" "$(pg_value "SELECT count(*) FROM nyckel.run_failure")" \
    "no failure recorded on the primary by a load that never reached it"

# nyckel-load --check (what nyckel-run --check asks) says the same before any run.
expect_exit 69 env PGHOST="$standby" PGPORT="$standby_port" \
    "$BIN/nyckel-load" --log-format text --check --job "$work/job.json"
assert_contains "$(cat "$STDERR_FILE")" "reached a read-only standby server (in recovery)" "--check"
assert_not_contains "$(cat "$STDERR_FILE")" "lock" "--check: the standby told, not a lock it could not take"
assert_eq "$standby_before" "$(on_standby warehouse_state)" "the standby's warehouse after --check"

# The same load pointed at the primary loads.
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$changed" 2>"$work/log" ||
    fail "the load on the primary: $(cat "$work/log")"
assert_eq "55" "$(pg_value "SELECT value FROM nyckel.fact_kpi_value WHERE area_id = '0180'")" \
    "the changed value on the primary"
