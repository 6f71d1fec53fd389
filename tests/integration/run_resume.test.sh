# run_resume.test.sh: --resume continues a failed run at the first stage
# that did not complete, in the same run directory, and does nothing more
# for a run that completed; a dry run's load does not count as done for a
# real load.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/fake_stages.sh"
fake_stages_install

expected_after() { # the stages a resume must run after a failure in $1
    case $1 in
    extract) echo "extract transform load" ;;
    transform) echo "transform load" ;;
    load) echo "load" ;;
    esac
}

for stage in extract transform load; do
    : >"$FAKE_CALLS"
    set +e
    env "FAKE_EXIT_$stage=65" "$RUN" "$JOB" >"$WORK/out" 2>"$WORK/err"
    code=$?
    set -e
    assert_eq 65 "$code" "failure in $stage"
    dir=$(cat "$WORK/out")
    : >"$FAKE_CALLS"
    "$RUN" --resume "$dir" >"$WORK/out" 2>"$WORK/err" || fail "resume after $stage: $(cat "$WORK/err")"
    assert_eq "$dir" "$(cat "$WORK/out")" "resume prints the same run directory"
    assert_eq "$(expected_after $stage)" "$(stages_called)" "stages run when resuming a failed $stage"
    assert_contains "$(cat "$WORK/err")" "resuming at $stage" "resume log"
    assert_eq "succeeded True" "$(summary_fields "$dir" status resumed)" "summary after resume"
    assert_eq 1 "$(ls "$RUNS" | grep -c -- '-demo')" "resume made no new run directory"
    rm -rf "$dir"
done

# A resumed run keeps its run id in every stage's arguments and log lines.
FAKE_EXIT_load=69 "$RUN" "$JOB" >"$WORK/out" 2>/dev/null || true
dir=$(cat "$WORK/out")
: >"$FAKE_CALLS"
"$RUN" --resume "$dir" "$JOB" >/dev/null 2>"$WORK/err"
assert_contains "$(cat "$FAKE_CALLS")" "--run-dir $dir " "resumed stage gets the run directory"
assert_contains "$(cat "$WORK/err")" "\"run_id\":\"${dir##*/}\"" "resumed run keeps its run id"

# Nothing left to do.
: >"$FAKE_CALLS"
"$RUN" --resume "$dir" >/dev/null 2>"$WORK/err"
assert_eq "" "$(stages_called)" "resuming a completed run runs nothing"
assert_contains "$(cat "$WORK/err")" "nothing to resume" "completed run"

# A dry run can be resumed into the real load.
"$RUN" --dry-run "$JOB" >"$WORK/out" 2>/dev/null
dir=$(cat "$WORK/out")
assert_eq "succeeded True" "$(summary_fields "$dir" status dry_run)" "dry run summary"
: >"$FAKE_CALLS"
"$RUN" --resume "$dir" >/dev/null 2>&1
assert_eq "load" "$(stages_called)" "a dry run resumed for real runs load"
assert_not_contains "$(cat "$FAKE_CALLS")" "--dry-run" "the real load"

# A run of another job cannot be resumed with this one.
write_job other "$WORK/jobs/other.json" ''
expect_exit 64 "$RUN" --resume "$dir" "$WORK/jobs/other.json"
assert_contains "$(cat "$STDERR_FILE")" 'belongs to job' "wrong job"

# Replay: a new directory holding only an old run's extract/ is carried on
# from transform, with a run.json of its own.
old=$("$RUN" "$JOB" 2>/dev/null)
replay=$RUNS/20991231T235959Z-demo
mkdir "$replay"
cp -R "$old/extract" "$replay/"
: >"$FAKE_CALLS"
"$RUN" --resume "$replay" "$JOB" >/dev/null 2>"$WORK/err" || fail "replay: $(cat "$WORK/err")"
assert_eq "transform load" "$(stages_called)" "a replay starts at transform"
assert_contains "$(cat "$replay/run.json")" '"run_id": "20991231T235959Z-demo"' "replay's run.json"
mkdir "$RUNS/empty"
expect_exit 66 "$RUN" --resume "$RUNS/empty"
