# run_alerts.test.sh: job keys "alerts" and "metrics".  A run that fails
# hands its summary JSON to alerts.on_failure and one that succeeds to
# alerts.on_success; the node-exporter textfile holds the last exit code and
# keeps the previous success's time stamp through a failure; nyckel-run
# --alert (systemd's OnFailure=) tells of a run that could not tell itself,
# and never twice.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/fake_stages.sh"
fake_stages_install
FAKE_DATA=$NYCKEL_ROOT/tests/fixtures/run
export FAKE_DATA
TOLD=$WORK/told
mkdir -p "$WORK/metrics" "$TOLD"
write_job demo "$JOB" '"alerts": {
    "on_failure": "cat >'"$TOLD"'/failure.json; echo \"$NYCKEL_JOB $NYCKEL_STATUS $NYCKEL_RUN_DIR\" >'"$TOLD"'/env",
    "on_success": "cat >'"$TOLD"'/success.json"
  },
  "metrics": {"textfile_dir": "../metrics"},'
PROM=$WORK/metrics/nyckel_demo.prom

# metric NAME: its value in the textfile (the job's only series of that name).
metric() {
    awk -v name="$1" 'index($0, name "{") == 1 { print $2 }' "$PROM"
}

# told FILE KEY...: those top-level values of the summary the command received
# (as nyckel-run writes it: indented by two, one member a line), space-separated.
told() {
    file=$1
    shift
    for key; do
        sed -n -e 's/^  "'"$key"'": "\(.*\)",\{0,1\}$/\1/p' \
            -e 's/^  "'"$key"'": \([0-9-][0-9.]*\),\{0,1\}$/\1/p' "$file"
    done | paste -sd' '
}

"$RUN" --log-format json "$JOB" >"$WORK/out" 2>/dev/null
assert_eq "succeeded 0 $(cat "$WORK/out" | xargs basename)" \
    "$(told "$TOLD/success.json" status exit_code run_id)" "on_success got the summary"
[ ! -f "$TOLD/failure.json" ] || fail "on_failure ran for a successful run"
success=$(metric nyckel_last_success_timestamp_seconds)
[ -n "$success" ] || fail "no success time stamp: $(cat "$PROM")"
assert_eq 0 "$(metric nyckel_last_exit_code)" "exit code after a success"
assert_eq 401 "$(metric nyckel_rows_inserted)" "rows inserted"
assert_eq 3 "$(metric nyckel_rows_deleted)" "rows deleted"
assert_eq 17 "$(metric nyckel_rows_rejected)" "rows rejected"
assert_contains "$(cat "$PROM")" 'nyckel_stage_duration_seconds{nyckel_job="demo",stage="load"}' \
    "duration per stage"
[ ! -f "$PROM.tmp" ] || fail "the textfile's temporary file was left behind"
assert_eq 644 "$(stat -c %a "$PROM")" "the exporter may read the textfile"

# A failing load: the command receives the summary JSON, the textfile the exit code.
sleep 1
FAKE_EXIT_load=69 "$RUN" --log-format json "$JOB" >"$WORK/out" 2>/dev/null || true
dir=$(cat "$WORK/out")
assert_eq "failed 69 load" "$(told "$TOLD/failure.json" status exit_code failed_stage)" \
    "on_failure got the summary"
assert_eq "demo failed $dir" "$(cat "$TOLD/env")" "on_failure's environment"
python3 - "$dir" "$TOLD/failure.json" <<'PY' || fail "on_failure got something else than summary.json"
import json, sys
run, told = json.load(open(sys.argv[1] + "/summary.json")), json.load(open(sys.argv[2]))
assert run.pop("alerted") is True, run
assert run == told, (run, told)
PY
assert_eq 69 "$(metric nyckel_last_exit_code)" "exit code after a failure"
assert_eq "$success" "$(metric nyckel_last_success_timestamp_seconds)" \
    "a failure keeps the previous success's time stamp"
[ -z "$(metric nyckel_rows_inserted)" ] || fail "a failed load reported inserted rows"

# --alert after a failure the run told itself: nothing more.
rm "$TOLD/failure.json"
"$RUN" --alert "$JOB" 2>"$WORK/err" || fail "--alert: $(cat "$WORK/err")"
[ ! -f "$TOLD/failure.json" ] || fail "--alert told a failure twice"

# A runner killed mid-run leaves summary.json "running": --alert tells it.
python3 - "$dir/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["status"] = "running"; del s["alerted"]
json.dump(s, open(sys.argv[1], "w"))
PY
"$RUN" --alert "$JOB" 2>"$WORK/err" || fail "--alert: $(cat "$WORK/err")"
assert_eq "failed $(basename "$dir")" "$(told "$TOLD/failure.json" status run_id)" "--alert"
assert_contains "$(told "$TOLD/failure.json" error)" "stopped while the run was under way" \
    "--alert says why"

# While another run holds the job's lock, --alert says so.
rm "$TOLD/failure.json"
FAKE_WAIT_extract=$WORK/go "$RUN" "$JOB" >/dev/null 2>&1 &
holder=$!
wait_until grep -q demo "$RUNS/demo.lock"
"$RUN" --alert "$JOB" 2>/dev/null
touch "$WORK/go"
wait "$holder"
assert_contains "$(told "$TOLD/failure.json" error)" "job demo is already running" "--alert, locked"

# The keys are checked like every other.
write_job demo "$JOB" '"alerts": {"on_failure": 5},'
expect_exit 78 "$RUN" --check "$JOB"
assert_contains "$(cat "$STDERR_FILE")" "alerts.on_failure: expected a non-empty string" "check"
write_job demo "$JOB" '"metrics": {"textfile": "x"},'
expect_exit 78 "$RUN" --check "$JOB"
assert_contains "$(cat "$STDERR_FILE")" "metrics.textfile: unknown key" "check"

# A command that fails (a mailer the unit's sandbox stops) is logged, and the
# run is not marked told: the OnFailure= unit's --alert tries again.
write_job demo "$JOB" '"alerts": {"on_failure": "cat >/dev/null; exit 3"},'
FAKE_EXIT_load=69 "$RUN" --log-format text "$JOB" >"$WORK/out" 2>"$WORK/err" || true
assert_contains "$(cat "$WORK/err")" "alert command failed (exit status 3)" "failing command logged"
assert_eq "failed 69" "$(told "$(cat "$WORK/out")/summary.json" status exit_code)" \
    "the run's own exit status stays"
assert_not_contains "$(cat "$(cat "$WORK/out")/summary.json")" '"alerted"' \
    "a failed command does not count as told"
