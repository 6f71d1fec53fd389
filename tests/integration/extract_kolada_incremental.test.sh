# extract_kolada_incremental.test.sh: incremental refresh against the Kolada
# fixture: the second run asks with from_date and stores the deletions it
# gets (isdeleted) as incremental bodies; a failed run leaves the state as
# it was; --full asks for everything again.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/kolada_fixture.sh"

kolada_start --municipalities 3 --kpis 2 --years 2 --first-year 2022
TEST_DIR=$(mktemp -d)
cat >"$TEST_DIR/job.json" <<JOB
{"name": "incr", "raw_archive": {"format": "none"},
 "extract": [{"name": "kolada", "type": "kolada-api", "base_url": "$KOLADA_URL/v3",
   "kpis": ["N00001", "N00002"], "areas": ["0110", "0310"], "years": [2022, 2023],
   "rate_limit": 0, "max_attempts": 2, "backoff_seconds": 0.01}]}
JOB
state=$TEST_DIR/runs/state/incr.kolada.json
data_paths() { kolada_paths | grep '^/v3/data/'; }
query=/v3/data/kpi/N00001,N00002/municipality/0110,0310/year/2022,2023?per_page=5000

extract() { # run-name [options]
    run=$1
    shift
    kolada_clear_log
    "$BIN/nyckel-extract" --job "$TEST_DIR/job.json" --run-dir "$TEST_DIR/runs/$run" "$@" \
        --log-format json 2>"$TEST_DIR/log"
}

extract first || fail "first run failed: $(tail -3 "$TEST_DIR/log")"
assert_eq "$query" "$(data_paths)" "first run: a full pull"
[ -s "$state" ] || fail "no state in $state (it lives in RUN_DIR/../state)"

extract second || fail "second run failed: $(tail -3 "$TEST_DIR/log")"
today=$(date -u +%Y-%m-%d)
assert_eq "$query&from_date=$today" "$(data_paths)" "second run: changes since the first"
kolada_check "$TEST_DIR/runs/second" --no-repeats
python3 - "$TEST_DIR/runs/second/extract" <<'PY' || fail "incremental data bodies"
import json, os, sys
m = json.load(open(os.path.join(sys.argv[1], "manifest.json")))
data = [f for f in m["files"] if f["endpoint"] == "data"]
assert data and all(f["incremental"] for f in data), data
assert all(not f["incremental"] for f in m["files"] if f["endpoint"] != "data")
deleted = [v for f in data for row in json.load(open(os.path.join(sys.argv[1], f["path"])))["values"]
           for v in row["values"] if v["isdeleted"]]
assert deleted, "no deletion passed on"
PY

# A failed run does not advance the state.
cp "$state" "$TEST_DIR/state-before"
kolada_faults '[{"match": "/data/", "fault": "500"}]'
if extract failed; then fail "the run with failing data requests succeeded"; fi
cmp -s "$state" "$TEST_DIR/state-before" || fail "a failed run changed $state"
assert_eq 0 "$(grep -c "\"runs/failed\"\|\"failed\"" "$state" || true)" "state names the failed run"

# --full ignores the state.
kolada_faults '[]'
extract full --full || fail "--full run failed: $(tail -3 "$TEST_DIR/log")"
assert_eq "$query" "$(data_paths)" "--full: a full pull"
assert_contains "$(cat "$state")" '"run_id": "full"' "the --full run advanced the state"
