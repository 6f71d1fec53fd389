# run_chain.test.sh: nyckel-run chains the three stages with the right
# arguments, names the run, prints its directory, stops at the first failed
# stage with that stage's exit status, and its log lines (and the stages')
# are JSON carrying the run id when stderr is not a terminal.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/fake_stages.sh"
fake_stages_install

# A clean run: stdout is the run directory and nothing else.
"$RUN" "$JOB" >"$WORK/out" 2>"$WORK/err"
dir=$(cat "$WORK/out")
id=${dir##*/}
assert_eq "$RUNS/$id" "$dir" "run directory under the job's run_root"
case $id in
[0-9][0-9][0-9][0-9][0-1][0-9][0-3][0-9]T[0-2][0-9][0-5][0-9][0-5][0-9]Z-demo) ;;
*) fail "run id: expected UTC stamp and job name, found $id" ;;
esac
assert_eq "extract transform load" "$(stages_called)" "stages run in order"
assert_eq "succeeded" "$(summary_fields "$dir" status)" "summary status"
assert_eq "$id" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' "$dir/run.json")" "run.json run_id"

# Every stage got the job, the run directory and the log format; only
# extract gets --full and only load gets --dry-run.
line=$(sed -n 1p "$FAKE_CALLS")
assert_eq "extract --job $JOB --run-dir $dir --log-format json" "$line" "extract arguments"
: >"$FAKE_CALLS"
"$RUN" --full --dry-run --verbose "$JOB" >/dev/null 2>"$WORK/err"
assert_contains "$(grep '^extract' "$FAKE_CALLS")" "--verbose --full" "extract gets --full"
assert_not_contains "$(grep '^extract' "$FAKE_CALLS")" "--dry-run" "extract arguments"
assert_contains "$(grep '^load' "$FAKE_CALLS")" "--verbose --dry-run" "load gets --dry-run"
assert_not_contains "$(grep '^load' "$FAKE_CALLS")" "--full" "load arguments"
assert_not_contains "$(grep '^transform' "$FAKE_CALLS")" "--full" "transform arguments"
: >"$FAKE_CALLS"
"$RUN" --quiet --log-format text "$JOB" >/dev/null 2>"$WORK/err"
assert_contains "$(sed -n 1p "$FAKE_CALLS")" "--log-format text --quiet" "--quiet and --log-format passed on"

# Log lines of the runner and of the stages all parse as JSON and carry the run id.
"$RUN" "$JOB" >"$WORK/out" 2>"$WORK/err"
id=$(basename "$(cat "$WORK/out")")
python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
programs = {l["program"] for l in lines}
assert programs == {"nyckel-run", "nyckel-extract", "nyckel-transform", "nyckel-load"}, programs
bad = [l for l in lines if l.get("run_id") != sys.argv[2]]
assert not bad, bad
' "$WORK/err" "$id" || fail "JSON log lines: $(cat "$WORK/err")"

# Two runs in the same second get distinct directories.
for i in 1 2 3; do "$RUN" "$JOB" >>"$WORK/many"; done
assert_eq 3 "$(sort -u "$WORK/many" | wc -l | tr -d ' ')" "distinct run directories"

# The first failing stage's exit status is the runner's; later stages do not run.
for case in "extract 69" "extract 75" "transform 65" "transform 74" "load 69" "load 70" "load 65"; do
    set -- $case
    : >"$FAKE_CALLS"
    env "FAKE_EXIT_$1=$2" "$RUN" "$JOB" >"$WORK/out" 2>"$WORK/err" && fail "$1 failing with $2: run succeeded"
    got=$?
    assert_eq "$2" "$got" "exit status when $1 fails with $2"
    assert_eq "$1" "$(awk 'END { print $1 }' "$FAKE_CALLS")" "last stage run when $1 fails"
    dir=$(cat "$WORK/out")
    assert_eq "failed $1 $2" "$(summary_fields "$dir" status failed_stage exit_code)" \
        "summary status, failed stage and exit code"
    assert_contains "$(cat "$WORK/err")" "nyckel-run --resume $dir" "failure says how to resume"
done

# --run-root overrides the job's run_root; without either, var/runs in the current directory.
"$RUN" --run-root "$WORK/elsewhere" "$JOB" >"$WORK/out" 2>/dev/null
assert_contains "$(cat "$WORK/out")" "$WORK/elsewhere/" "--run-root"
write_job plain "$WORK/jobs/plain.json" ''
sed -i '/run_root/d' "$WORK/jobs/plain.json"
(cd "$WORK" && "$RUN" jobs/plain.json >"$WORK/out" 2>/dev/null)
assert_contains "$(cat "$WORK/out")" "$WORK/var/runs/" "default run root"
