# run_signal_check.test.sh: SIGTERM and SIGINT while nyckel-run checks the
# job file end it at once with exit 130 and one line, not once the check is
# over (a job of many thousand sources takes a while).  The job file is a
# named pipe that no one writes, so the runner is certain to be inside the
# check, reading it, when the signal comes.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/job.json"

for signal in TERM INT; do
    for format in text json; do
        "$BIN/nyckel-run" --log-format "$format" "$work/job.json" >/dev/null 2>"$work/err" &
        run_pid=$!
        # It opens the pipe and blocks there; give it a moment to get there.
        sleep 0.5
        kill -s "$signal" "$run_pid"
        # Should it not stop, the test fails rather than hangs.
        (sleep 10; kill -9 "$run_pid" 2>/dev/null) &
        watchdog=$!
        set +e
        wait "$run_pid"
        code=$?
        set -e
        kill "$watchdog" 2>/dev/null || true
        assert_eq 130 "$code" "exit status after SIG$signal during the job check ($format)"
        assert_contains "$(cat "$work/err")" "interrupted by SIG$signal during the job check; nothing was started" "the message ($format)"
        assert_eq 1 "$(wc -l <"$work/err" | tr -d ' ')" "lines logged ($format)"
    done
done
python3 -c 'import json, sys; json.loads(open(sys.argv[1]).read())' "$work/err" ||
    fail "the JSON line does not parse: $(cat "$work/err")"
