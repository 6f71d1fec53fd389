# run_state.test.sh: nyckel-run --state shows the date each incremental query
# was last fetched, from the state the real extract wrote against the Kolada
# fixture; --reset-state removes it (--source: one source only), after which
# extract pulls in full again; a source that is not there is a usage error.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/kolada_fixture.sh"

kolada_start --municipalities 3 --kpis 2 --years 2 --first-year 2022
work=$(mktemp -d)
cat >"$work/job.json" <<JOB
{"name": "incr", "run_root": "runs", "raw_archive": {"format": "none"},
 "extract": [
  {"name": "kolada", "type": "kolada-api", "base_url": "$KOLADA_URL/v3",
   "kpis": ["N00001"], "areas": ["0110"], "years": [2022], "rate_limit": 0},
  {"name": "peers", "type": "kolada-api", "base_url": "$KOLADA_URL/v3",
   "kpis": ["N00002"], "areas": ["0310"], "years": [2023], "rate_limit": 0}]}
JOB
query=$KOLADA_URL/v3/data/kpi/N00001/municipality/0110/year/2022?per_page=5000
peers=$KOLADA_URL/v3/data/kpi/N00002/municipality/0310/year/2023?per_page=5000

"$BIN/nyckel-run" --state "$work/job.json" >"$work/out" 2>"$work/err" || fail "--state: $(cat "$work/err")"
assert_contains "$(cat "$work/out")" "kolada  -  no state: the next run fetches everything" \
    "--state before any run"

"$BIN/nyckel-extract" --job "$work/job.json" --run-dir "$work/runs/first" 2>"$work/err" ||
    fail "extract: $(cat "$work/err")"
today=$(date -u +%Y-%m-%d)
"$BIN/nyckel-run" --state "$work/job.json" >"$work/out" 2>"$work/err" || fail "--state: $(cat "$work/err")"
assert_eq "kolada  $today  first  $query
peers  $today  first  $peers" "$(cat "$work/out")" "--state after a run"
assert_eq "peers  $today  first  $peers" \
    "$("$BIN/nyckel-run" --state --source peers "$work/job.json")" "--state --source"

"$BIN/nyckel-run" --reset-state --source kolada "$work/job.json" 2>"$work/err" ||
    fail "--reset-state: $(cat "$work/err")"
assert_contains "$(cat "$work/err")" "kolada: incremental state removed" "--reset-state says so"
assert_eq "kolada  -  no state: the next run fetches everything ($work/runs/state/incr.kolada.json)
peers  $today  first  $peers" "$("$BIN/nyckel-run" --state "$work/job.json")" \
    "--reset-state --source kolada leaves peers"

# The next extract pulls kolada in full and peers incrementally.
kolada_clear_log
"$BIN/nyckel-extract" --job "$work/job.json" --run-dir "$work/runs/second" 2>"$work/err" ||
    fail "extract: $(cat "$work/err")"
paths=$(kolada_paths | grep '^/v3/data/')
assert_contains "$paths" "/v3/data/kpi/N00001/municipality/0110/year/2022?per_page=5000
" "kolada in full after the reset"
assert_contains "$paths" "year/2023?per_page=5000&from_date=$today" "peers incremental"

"$BIN/nyckel-run" --reset-state "$work/job.json" 2>/dev/null
assert_eq "" "$(ls "$work/runs/state")" "--reset-state without --source clears every source"

expect_exit 64 "$BIN/nyckel-run" --reset-state --source nope "$work/job.json"
assert_contains "$(cat "$STDERR_FILE")" "--source nope: job incr has no incremental source" \
    "unknown --source"
expect_exit 64 "$BIN/nyckel-run" --source kolada "$work/job.json"
