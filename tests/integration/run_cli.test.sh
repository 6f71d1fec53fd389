# run_cli.test.sh: nyckel-run's command line: --help, --version, and the
# errors that must stop a run before anything starts (no run directory made).
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/fake_stages.sh"
fake_stages_install

out=$("$RUN" --help)
assert_contains "$out" "usage: nyckel-run" "--help"
assert_contains "$out" "--resume RUN_DIR" "--help"
out=$("$RUN" --version)
assert_contains "$out" "nyckel-run (nyckel) " "--version"

expect_exit 64 "$RUN"
assert_contains "$(cat "$STDERR_FILE")" "a job file is required" "no job"
expect_exit 64 "$RUN" --frobnicate "$JOB"
expect_exit 64 "$RUN" --log-format yaml "$JOB"
assert_contains "$(cat "$STDERR_FILE")" 'expected text, json or auto' "bad --log-format"

expect_exit 66 "$RUN" "$WORK/jobs/missing.json"
assert_contains "$(cat "$STDERR_FILE")" "missing.json" "missing job file"

printf '{"name": "demo", "extract": [\n' >"$WORK/jobs/broken.json"
expect_exit 78 "$RUN" "$WORK/jobs/broken.json"
assert_contains "$(cat "$STDERR_FILE")" "broken.json:" "malformed job"

write_job demo "$WORK/jobs/typo.json" '"keep_runz": 3,'
expect_exit 78 "$RUN" "$WORK/jobs/typo.json"
assert_contains "$(cat "$STDERR_FILE")" "keep_runz" "unknown key"

write_job demo "$WORK/jobs/zero.json" '"keep_runs": 0,'
expect_exit 78 "$RUN" "$WORK/jobs/zero.json"

[ ! -e "$RUNS" ] || fail "a bad job made a run root: $(ls -R "$RUNS")"
[ ! -e "$FAKE_CALLS" ] || fail "a stage ran for a bad job: $(cat "$FAKE_CALLS")"

expect_exit 66 "$RUN" --resume "$WORK/nowhere"
expect_exit 64 "$RUN" --resume "$WORK/nowhere" --run-root "$WORK/x" "$JOB"

rm "$WORK/bin/nyckel-transform"
expect_exit 70 "$RUN" "$JOB"
assert_contains "$(cat "$STDERR_FILE")" "nyckel-transform" "missing stage executable"
