# fault_signal.test.sh: SIGTERM or SIGINT in the middle of a transform stops
# it cleanly: it ends by that signal (or with exit 130), not a crash; it
# leaves no manifest, so the stage counts as not done; and the next
# transform of the same run directory writes exactly what an uninterrupted
# one writes, whatever the stopped run left behind.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Input large enough that transform is still reading when the signal comes:
# the demo data, its data pages copied 15 times over (about 500 000 values).
python3 "$NYCKEL_ROOT/scripts/gen-demo-data.py" "$work/data" >/dev/null
for i in $(seq 1 15); do
    for page in "$work"/data/data-*.json; do
        cp "$page" "$work/data/copy-$i-$(basename "$page")"
    done
done
cat >"$work/job.json" <<'JSON'
{"name": "signals", "extract": [{"name": "demo", "type": "kolada-files", "paths": ["data"]}],
 "raw_archive": {"format": "none"}}
JSON
"$BIN/nyckel-extract" --quiet --job "$work/job.json" --run-dir "$work/run" 2>/dev/null

tables() { # RUN_DIR: the staged tables and their checksums, as the manifest lists them
    python3 -c 'import json, sys
for t in json.load(open(sys.argv[1]))["tables"]:
    print(t["table"], t["rows"], t["sha256"])' "$1/transform/manifest.json"
}

"$BIN/nyckel-transform" --quiet --job "$work/job.json" --run-dir "$work/run" 2>/dev/null
reference=$(tables "$work/run")

# interrupt SIGNAL NUMBER: start transform, send SIGNAL once it writes facts, check how it ended.
interrupt() {
    # The facts of the last run go first, so that waiting for facts waits for this run's.
    rm -f "$work/run/transform/fact_kpi_value.copy"
    # A shell starts background commands with SIGINT ignored; python puts
    # the default back before it becomes nyckel-transform.
    python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$BIN/nyckel-transform" --quiet --job "$work/job.json" \
        --run-dir "$work/run" 2>"$work/stderr" &
    pid=$!
    tries=0
    until [ -s "$work/run/transform/fact_kpi_value.copy" ]; do
        tries=$((tries + 1))
        [ $tries -lt 2000 ] || fail "transform wrote no facts"
        sleep 0.01
    done
    kill -s "$1" "$pid"
    set +e
    wait "$pid"
    status=$?
    set -e
    case $status in
    130 | $((128 + $2))) ;;
    *) fail "transform stopped by SIG$1: expected exit 130 or $((128 + $2)), got $status: $(cat "$work/stderr")" ;;
    esac
    [ ! -e "$work/run/transform/manifest.json" ] || fail "transform stopped by SIG$1 wrote a manifest"
    "$BIN/nyckel-transform" --quiet --job "$work/job.json" --run-dir "$work/run" 2>"$work/stderr" ||
        fail "transform after SIG$1: $(cat "$work/stderr")"
    assert_eq "$reference" "$(tables "$work/run")" "tables written after SIG$1"
}

interrupt TERM 15
interrupt INT 2
assert_reconciled "$work/run"
