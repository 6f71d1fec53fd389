# run_lock.test.sh: one run of a job at a time.  A second run exits 79 at
# once naming the run that holds the lock; SIGTERM during a stage reaches
# the stage, marks the run failed (exit 130) and releases the lock, so the
# next run succeeds.  No timing assumptions: the fake extract waits for a
# file the test creates.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/fake_stages.sh"
fake_stages_install

run_started() { [ -s "$FAKE_CALLS" ]; }

# First run blocks inside extract until $WORK/go exists.
FAKE_WAIT_extract=$WORK/go "$RUN" "$JOB" >"$WORK/first.out" 2>"$WORK/first.err" &
first=$!
wait_until run_started
first_dir=$(ls -d "$RUNS"/*-demo)
assert_eq "running" "$(summary_fields "$first_dir" status)" "summary while running"

expect_exit 79 "$RUN" "$JOB"
message=$(cat "$STDERR_FILE")
assert_contains "$message" "${first_dir##*/}" "lock message names the running run"
assert_contains "$message" "pid $first" "lock message names its pid"
assert_eq 1 "$(ls -d "$RUNS"/*-demo | wc -l | tr -d ' ')" "a locked-out run makes no run directory"

# Another job may run meanwhile.
write_job other "$WORK/jobs/other.json" ''
"$RUN" "$WORK/jobs/other.json" >/dev/null 2>&1 || fail "a different job was locked out"

touch "$WORK/go"
wait "$first" || fail "first run failed: $(cat "$WORK/first.err")"
assert_eq "$first_dir" "$(cat "$WORK/first.out")" "first run's directory"

# SIGTERM while extract runs.
rm -f "$WORK/go"
: >"$FAKE_CALLS"
FAKE_WAIT_extract=$WORK/go "$RUN" "$JOB" >"$WORK/term.out" 2>"$WORK/term.err" &
pid=$!
wait_until run_started
kill -TERM "$pid"
set +e
wait "$pid"
code=$?
set -e
assert_eq 130 "$code" "exit status after SIGTERM"
dir=$(cat "$WORK/term.out")
assert_eq "failed extract 130" "$(summary_fields "$dir" status failed_stage exit_code)" "run marked failed"
assert_contains "$(summary_fields "$dir" error)" "interrupted by Terminated during extract" "reason"
[ ! -e "$dir/extract/manifest.json" ] || fail "interrupted extract left a manifest"
assert_eq "extract" "$(stages_called)" "no stage after the interrupted one"

# The fake extract was killed, not left waiting (it would never finish without $WORK/go).
survivors=$(grep -ls -a -- "$dir" /proc/[0-9]*/cmdline || true)
assert_eq "" "$survivors" "stage processes left after the interrupted run"

# The lock is free: the next run succeeds, and the interrupted run can be resumed.
"$RUN" "$JOB" >/dev/null 2>"$WORK/err" || fail "run after SIGTERM: $(cat "$WORK/err")"
"$RUN" --resume "$dir" >/dev/null 2>"$WORK/err" || fail "resume after SIGTERM: $(cat "$WORK/err")"
assert_eq "succeeded" "$(summary_fields "$dir" status)" "interrupted run resumed"
