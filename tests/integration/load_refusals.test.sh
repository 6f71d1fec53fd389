# load_refusals.test.sh: what the server refuses is reported so that a
# person can act on it, never as a bug (70).  A value out of the range of
# its column (a Kolada count above PostgreSQL's integer) fails the load
# with exit 65, naming the source the row came from, the staged file and
# its line, in a first load (values copied straight into the fact table)
# and in a changed one (values staged); the warehouse is left as it was.
# So does an id too long for the server's indexes.
# A read-only session is refused with exit 78 and what to change.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json"
big="$work/20261101T020000Z-loadtest"
fixture_kolada "$big" "Andel" <<'ROWS'
N00001|0000|2023|T|50|1|\N|s1
N00001|0180|2023|T|60|99999999999|\N|s1
ROWS
fixture_done "$big"
small="$work/20261102T020000Z-loadtest"
fixture_kolada "$small" "Andel" <<'ROWS'
N00001|0000|2023|T|50|1|\N|s1
ROWS
fixture_done "$small"

refused() { # what: the load of $big fails, naming the source, the file and the line
    before=$(warehouse_state)
    expect_exit 65 "$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$big"
    message=$(cat "$STDERR_FILE")
    assert_contains "$message" "a row from source file:///demo/$(basename "$big").json (source_ref s1): " "$1: the source"
    assert_contains "$message" "transform/fact_kpi_value.copy: value \"99999999999\" is out of range for type integer" "$1: the file and value"
    assert_contains "$message" "line 2, column value_count" "$1: the line"
    assert_eq "$before" "$(warehouse_state)" "$1: the warehouse"
}
# Into an empty fact table the values go straight in: a warehouse with
# dimensions only.
dims="$work/20261031T020000Z-loadtest"
fixture_kolada "$dims" "Andel" </dev/null
fixture_done "$dims"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$dims" 2>"$work/log" ||
    fail "load: $(cat "$work/log")"
refused "a first load"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$small" 2>"$work/log" ||
    fail "load: $(cat "$work/log")"
refused "a changed load"

# A KPI id of 1 MiB passes no index of the server: bad data (65), not a bug.
long="$work/20261103T020000Z-loadtest"
printf '%s|0180|2023|T|1|1|\\N|s1\n' "$(python3 -c 'print("N" * 1048576)')" |
    fixture_kolada "$long" "Andel"
fixture_done "$long"
before=$(warehouse_state)
expect_exit 65 "$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$long"
assert_contains "$(cat "$STDERR_FILE")" "transform/fact_kpi_value.copy: a row's key is too long for the warehouse to index" "a 1 MiB KPI id"
assert_eq "$before" "$(warehouse_state)" "a 1 MiB KPI id: the warehouse"

psql -X -q -c "ALTER DATABASE nyckel_test SET default_transaction_read_only = on"
expect_exit 78 "$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$small"
assert_contains "$(cat "$STDERR_FILE")" "the warehouse session is read-only (default_transaction_read_only is on for this database or role)" "a read-only session"
assert_contains "$(cat "$STDERR_FILE")" "the failure is not recorded in nyckel.run_failure: the warehouse session cannot write" \
    "a read-only session: why no failure is recorded"
expect_exit 78 "$BIN/nyckel-load" --log-format text --check --job "$work/job.json"
assert_contains "$(cat "$STDERR_FILE")" "the warehouse session is read-only" "a read-only session: --check"
