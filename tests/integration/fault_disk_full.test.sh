# fault_disk_full.test.sh: a full disk stops extract and transform with
# exit 74 (IOERR) and one line naming the file that could not be written,
# leaves no manifest (so the stage counts as not done), and once there is
# room again the same run directory completes.  Load stops the same way
# when the values a first load sets aside for the benchmark do not fit in
# TMPDIR, and leaves the warehouse as it was.
#
# The disk is a small tmpfs mounted over the run directory (or over
# RUN_DIR/transform); where mounting is not allowed, a file-size limit
# (ulimit -f, with SIGXFSZ ignored so that writes fail instead of killing
# the process) stands in for it.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
work=$(mktemp -d)
mounts=""
cleanup() {
    pg_stop
    for m in $mounts; do umount "$m" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
job=$NYCKEL_ROOT/jobs/demo.json
STDERR_FILE=$work/stderr

# small_disk DIR KB: make DIR a disk of KB kibibytes; false when not allowed.
small_disk() {
    mkdir -p "$1"
    mount -t tmpfs -o "size=${2}k" tmpfs "$1" 2>/dev/null || return 1
    mounts="$1 $mounts"
}

# grow_disk DIR: room again.
grow_disk() {
    mount -o remount,size=64m "$1"
}

# limited KB command...: run command with files limited to KB kibibytes.
limited() {
    blocks=$(($1 * 2))
    shift
    (
        trap '' XFSZ
        ulimit -f "$blocks"
        exec "$@"
    )
}

check_failed() { # STAGE RUN_DIR
    assert_contains "$(cat "$STDERR_FILE")" ": write failed: " "$1 on a full disk"
    assert_eq 1 "$(grep -c ' error ' "$STDERR_FILE")" "$1 on a full disk: error lines"
    [ ! -e "$2/$1/manifest.json" ] || fail "$1 failed on a full disk but wrote its manifest"
}

# Extract: the raw zone does not fit.
run=$work/extract-disk/run
if small_disk "$work/extract-disk" 512; then
    expect_exit 74 "$BIN/nyckel-extract" --log-format text --job "$job" --run-dir "$run"
    check_failed extract "$run"
    assert_contains "$(cat "$STDERR_FILE")" "No space left on device" "extract on a full disk"
    grow_disk "$work/extract-disk"
else
    expect_exit 74 limited 256 "$BIN/nyckel-extract" --log-format text --job "$job" --run-dir "$run"
    check_failed extract "$run"
fi
"$BIN/nyckel-extract" --quiet --job "$job" --run-dir "$run" 2>"$STDERR_FILE" ||
    fail "extract with room again: $(cat "$STDERR_FILE")"
[ -f "$run/extract/manifest.json" ] || fail "extract with room again wrote no manifest"

# Transform: the staged tables do not fit.
if small_disk "$run/transform" 64; then
    expect_exit 74 "$BIN/nyckel-transform" --log-format text --job "$job" --run-dir "$run"
    check_failed transform "$run"
    assert_contains "$(cat "$STDERR_FILE")" "No space left on device" "transform on a full disk"
    grow_disk "$run/transform"
else
    expect_exit 74 limited 128 "$BIN/nyckel-transform" --log-format text --job "$job" --run-dir "$run"
    check_failed transform "$run"
fi
"$BIN/nyckel-transform" --quiet --job "$job" --run-dir "$run" 2>"$STDERR_FILE" ||
    fail "transform with room again: $(cat "$STDERR_FILE")"
assert_reconciled "$run"

# Load: a first load's values, set aside for the benchmark (about 30 bytes
# a value, in TMPDIR), do not fit.  The demo's 30 000 values need about 1 MB.
pg_start
trap cleanup EXIT
tmp=$work/load-tmp
if small_disk "$tmp" 256; then
    expect_exit 74 env TMPDIR="$tmp" "$BIN/nyckel-load" --log-format text --job "$job" --run-dir "$run"
    assert_contains "$(cat "$STDERR_FILE")" "No space left on device" "load on a full TMPDIR"
else
    mkdir -p "$tmp"
    expect_exit 74 limited 256 env TMPDIR="$tmp" "$BIN/nyckel-load" --log-format text --job "$job" \
        --run-dir "$run"
fi
assert_contains "$(cat "$STDERR_FILE")" "setting the values aside for the benchmark in $tmp failed" \
    "load on a full TMPDIR"
assert_eq 1 "$(grep -c ' error ' "$STDERR_FILE")" "load on a full TMPDIR: error lines"
assert_eq "0 0 74" "$(pg_value "SELECT (SELECT count(*) FROM nyckel.fact_kpi_value) || ' ' ||
    (SELECT count(*) FROM nyckel.run) || ' ' || exit_code FROM nyckel.run_failure")" \
    "values, runs and the failure recorded after the failed load"
"$BIN/nyckel-load" --quiet --job "$job" --run-dir "$run" 2>"$STDERR_FILE" ||
    fail "load with room again: $(cat "$STDERR_FILE")"
assert_eq 30240 "$(pg_value "SELECT count(*) FROM nyckel.fact_kpi_value")" "values after the load"
