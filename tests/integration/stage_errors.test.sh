# stage_errors.test.sh: the walking skeleton's bad inputs.  Each gives one
# clear line on stderr, its documented exit code, and no change to the
# warehouse.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
work=$(mktemp -d)
STDERR_FILE=$work/stderr

one_line() { # what
    assert_eq "1" "$(wc -l <"$STDERR_FILE" | tr -d ' ')" "$1: lines on stderr"
}

# A missing job file: 66 from every executable.
for stage in extract transform load run; do
    if [ $stage = run ]; then
        expect_exit 66 "$BIN/nyckel-run" --run-root "$work/runs" "$work/missing.json"
    else
        expect_exit 66 "$BIN/nyckel-$stage" --job "$work/missing.json" --run-dir "$work/r"
    fi
    assert_contains "$(cat "$STDERR_FILE")" "missing.json: cannot open job file: No such file or directory" "$stage, missing job"
    one_line "$stage, missing job"
done

# Malformed JSON: 78, with the line and column.
printf '{\n  "name": "x",\n  "extract": [\n}\n' >"$work/bad.json"
expect_exit 78 "$BIN/nyckel-extract" --job "$work/bad.json" --run-dir "$work/r"
assert_contains "$(cat "$STDERR_FILE")" "bad.json:4:1: invalid JSON" "malformed job"
one_line "malformed job"

# An unknown source type: 78, naming the key and the known types.
printf '{"name": "x",\n "extract": [{"name": "s", "type": "sftp"}]}\n' >"$work/type.json"
expect_exit 78 "$BIN/nyckel-run" --run-root "$work/runs" "$work/type.json"
assert_contains "$(cat "$STDERR_FILE")" "type.json:2:36: extract[0].type: expected a source type: one of" "unknown type"
assert_contains "$(cat "$STDERR_FILE")" 'found a string \"sftp\"' "unknown type"
one_line "unknown source type"

# A run directory without manifests: 66 from transform and load.
mkdir -p "$work/empty-run"
expect_exit 66 "$BIN/nyckel-transform" --job "$NYCKEL_ROOT/jobs/demo.json" --run-dir "$work/empty-run"
assert_contains "$(cat "$STDERR_FILE")" "extract/manifest.json: not found" "transform without extract"
one_line "transform without extract"
expect_exit 66 "$BIN/nyckel-load" --job "$NYCKEL_ROOT/jobs/demo.json" --run-dir "$work/empty-run"
assert_contains "$(cat "$STDERR_FILE")" "transform/manifest.json: not found" "load without transform"
one_line "load without transform"

# A database that cannot be reached: 69, and a warehouse that stays as it was.
pg_start
"$BIN/nyckel-extract" --job "$NYCKEL_ROOT/jobs/demo.json" --run-dir "$work/run" 2>/dev/null
"$BIN/nyckel-transform" --job "$NYCKEL_ROOT/jobs/demo.json" --run-dir "$work/run" 2>/dev/null
before=$(pg_value "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
PGHOST=$work/no-such-socket-dir expect_exit 69 "$BIN/nyckel-load" --job "$NYCKEL_ROOT/jobs/demo.json" --run-dir "$work/run"
assert_contains "$(cat "$STDERR_FILE")" "cannot connect to the warehouse" "unreachable database"
one_line "unreachable database"
assert_eq "$before" "$(pg_value "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")" \
    "tables after a failed connection"
rm -rf "$work"
