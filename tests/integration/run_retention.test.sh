# run_retention.test.sh: keep_runs prunes old run directories of the job
# after a successful run: the newest keep_runs successes stay, older ones
# go, failed and dry runs go once a newer success exists, failed runs newer
# than the last success stay, and nothing of another job (or that is not a
# run directory at all) is ever touched.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/fake_stages.sh"
fake_stages_install
write_job demo "$JOB" '"keep_runs": 2,'

run_ok() { "$RUN" "$@" "$JOB" 2>/dev/null; }
run_failing() { FAKE_EXIT_transform=65 "$RUN" "$JOB" 2>/dev/null || true; }
exists() { [ -d "$1" ] || fail "$2 was pruned: $(ls "$RUNS")"; }
gone() { [ ! -e "$1" ] || fail "$2 was kept: $(ls "$RUNS")"; }

# Not ours: another job's runs and a stray directory in the same run root.
write_job other "$WORK/jobs/other.json" '"keep_runs": 1,'
other1=$("$RUN" "$WORK/jobs/other.json" 2>/dev/null)
mkdir -p "$RUNS/notes"

s1=$(run_ok)
f1=$(run_failing)
s2=$(run_ok)
d1=$(run_ok --dry-run)
f2=$(run_failing)
exists "$f2" "a failed run before any newer success"
s3=$(run_ok)

exists "$s3" "the newest success"
exists "$s2" "the second newest success"
gone "$s1" "the third newest success"
gone "$f1" "a failed run older than the newest success"
gone "$f2" "a failed run older than the newest success"
gone "$d1" "a dry run older than the newest success"

f3=$(run_failing)
exists "$f3" "the failed run that was just made"
exists "$s2" "a success while failures come in"

s4=$(run_ok)
exists "$s4" "the current run"
exists "$s3" "the previous success"
gone "$s2" "a success beyond keep_runs"
gone "$f3" "a failed run older than the newest success"

exists "$other1" "another job's run"
exists "$RUNS/notes" "a directory that is not a run"
assert_eq 2 "$(ls -d "$RUNS"/*-demo* | wc -l | tr -d ' ')" "runs of the job left"

# Run ids freed by pruning are never handed out again.
assert_eq 8 "$(printf '%s\n' "$s1" "$f1" "$s2" "$d1" "$f2" "$s3" "$f3" "$s4" | sort -u | wc -l | tr -d ' ')" \
    "distinct run ids"

# Without keep_runs nothing is pruned.
write_job demo "$JOB" ''
rm -rf "$RUNS"
for i in 1 2 3 4; do run_ok >/dev/null; done
assert_eq 4 "$(ls -d "$RUNS"/*-demo* | wc -l | tr -d ' ')" "runs kept without keep_runs"
