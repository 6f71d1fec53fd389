# stage_signal_check.test.sh: SIGTERM while nyckel-extract, nyckel-transform
# or nyckel-load checks its job file ends it then, not once the check is
# over: exit 130 and one error line saying so, and nothing started (no run
# directory made).  The job has a quarter of a million sources, so that
# its check takes a while; the signal is sent once the stage has logged
# that the check began (--verbose).  No timing is assumed: should the check
# end before the signal lands (the stage then fails on the missing run
# directory, or dies by the signal), the stage is tried again with a job
# twice the size.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

big_job() { # SOURCES
    python3 - "$1" "$work/big.json" <<'PY'
import json, sys
n = int(sys.argv[1])
sources = [{"name": "s%d" % i, "type": "kolada-files", "paths": ["p%d.json" % i]} for i in range(n)]
json.dump({"name": "big", "extract": sources}, open(sys.argv[2], "w"))
PY
}

sources=250000
big_job "$sources"
for stage in extract transform load; do
    tries=0
    while :; do
        tries=$((tries + 1))
        "$BIN/nyckel-$stage" --verbose --log-format text --job "$work/big.json" \
            --run-dir "$work/none/run" 2>"$work/err" &
        pid=$!
        # The marker comes first; a stage that exits before it has failed.
        until grep -q "checking the job file" "$work/err" || ! kill -0 "$pid" 2>/dev/null; do
            sleep 0.02
        done
        kill -s TERM "$pid" 2>/dev/null || true
        set +e
        wait "$pid"
        code=$?
        set -e
        [ "$code" != 130 ] || break
        [ "$tries" -lt 3 ] ||
            fail "nyckel-$stage: never stopped by SIGTERM during its job check: exit $code: $(cat "$work/err")"
        sources=$((sources * 2))
        big_job "$sources"
        rm -rf "$work/none"
    done
    assert_contains "$(cat "$work/err")" \
        "nyckel-$stage error interrupted by SIGTERM during the job check; nothing was started" \
        "nyckel-$stage: the message"
    assert_eq 1 "$(grep -c ' error ' "$work/err")" "nyckel-$stage: one error line"
    [ ! -e "$work/none" ] || fail "nyckel-$stage: made a run directory though stopped in its check"
done
