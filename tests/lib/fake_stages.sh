# fake_stages.sh: sourced by the nyckel-run tests.  fake_stages_install
# makes a temporary bin directory holding the nyckel-run under test and
# lib/fake_stage.sh as the three stages beside it (the runner looks for them
# next to itself), plus a valid job file, and exports:
#
#   RUN          the nyckel-run to test
#   WORK         a scratch directory (removed on exit)
#   JOB          $WORK/jobs/demo.json (job "demo", run_root "../runs")
#   RUNS         $WORK/runs, where that job's runs go
#   FAKE_CALLS   the file the fake stages append their calls to

fake_stages_install() {
    WORK=$(mktemp -d /tmp/nyckel-run-test.XXXXXX)
    trap 'rm -rf "$WORK"' EXIT
    mkdir -p "$WORK/bin" "$WORK/jobs"
    cp "$BIN/nyckel-run" "$WORK/bin/nyckel-run"
    for stage in extract transform load; do
        cp "$NYCKEL_ROOT/tests/lib/fake_stage.sh" "$WORK/bin/nyckel-$stage"
        chmod 755 "$WORK/bin/nyckel-$stage"
    done
    RUN=$WORK/bin/nyckel-run
    RUNS=$WORK/runs
    JOB=$WORK/jobs/demo.json
    FAKE_CALLS=$WORK/calls
    export FAKE_CALLS
    write_job demo "$JOB" ''
}

# write_job NAME FILE EXTRA: a valid job; EXTRA is more top-level keys, e.g. '"keep_runs": 2,'
write_job() {
    cat >"$2" <<JOB
{
  "name": "$1",
  $3
  "run_root": "../runs",
  "extract": [{"name": "demo", "type": "kolada-files", "paths": ["data/*.json"]}]
}
JOB
}

# The stages called so far, one word each: "extract transform load".
stages_called() {
    [ -f "$FAKE_CALLS" ] || { echo ""; return; }
    awk '{ printf "%s%s", sep, $1; sep = " " }' "$FAKE_CALLS"
}

# summary_fields RUN_DIR KEY...: those top-level values of its summary.json, space-separated.
summary_fields() {
    python3 -c 'import json,sys; s = json.load(open(sys.argv[1] + "/summary.json")); print(*[s.get(k) for k in sys.argv[2:]])' \
        "$@"
}

# wait_until TEST...: poll a condition (another process's progress), up to about 30 s.
wait_until() {
    tries=0
    until "$@"; do
        tries=$((tries + 1))
        [ "$tries" -lt 600 ] || fail "gave up waiting for: $*"
        sleep 0.05
    done
}
