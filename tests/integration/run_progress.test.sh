# run_progress.test.sh: on a terminal nyckel-run shows which stage is
# running ("[2/3] transform  0:00") below the log lines, which are text;
# when stderr is not a terminal there is no status line at all.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/fake_stages.sh"
fake_stages_install
command -v script >/dev/null || fail "script(1) from bsdutils is needed"

script -qec "'$RUN' '$JOB'" /dev/null >"$WORK/tty" 2>&1 </dev/null
for stage in "[1/3] extract" "[2/3] transform" "[3/3] load"; do
    assert_contains "$(cat "$WORK/tty")" "$stage  0:" "status line on a terminal"
done
assert_contains "$(cat "$WORK/tty")" "nyckel-transform info  fake transform working" "stage log relayed as text"
assert_contains "$(cat "$FAKE_CALLS")" "--log-format text" "stages told to log text"

"$RUN" "$JOB" >/dev/null 2>"$WORK/pipe"
assert_not_contains "$(cat "$WORK/pipe")" "[1/3]" "status line when stderr is a pipe"
