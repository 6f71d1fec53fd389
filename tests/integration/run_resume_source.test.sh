# run_resume_source.test.sh: the documented recovery works.  An export with
# an impossible month (2024-13) fails the run at transform; once the file
# on the share is fixed (2024-12, same size), the command the error prints
# (nyckel-run --resume RUN_DIR) notices that the file changed since
# extract, extracts it again and loads the fixed value.  An export that did
# not change is not extracted again.
. "$NYCKEL_ROOT/tests/lib/export_job.sh"
export_job_start
export_job_write
printf 'Enhet;Period;Belopp\nNorr;2024-11;14\nNorr;2024-13;15\n' >"$work/exports/ekonomi.csv"

set +e
"$BIN/nyckel-run" --log-format text "$work/job.json" >"$work/out" 2>"$work/err"
code=$?
set -e
assert_eq 65 "$code" "the impossible month fails the run"
dir=$(cat "$work/out")
hint=$(sed -n 's/.*after fixing the cause: \(.*\)  run=.*/\1/p' "$work/err")
assert_eq "nyckel-run --resume $dir" "$hint" "the hint names the run directory"

# Fix the export on the share, as a person would, and run the hint.
sed -i 's/2024-13/2024-12/' "$work/exports/ekonomi.csv"
# shellcheck disable=SC2086 # the hint is run word by word, as a person pastes it
env PATH="$BIN:$PATH" $hint >"$work/out" 2>"$work/err" ||
    fail "the hint's command failed: $(cat "$work/err")"
assert_contains "$(cat "$work/err")" "exports/ekonomi.csv changed since extract (sha256 was" \
    "resume says why it extracts again"
assert_contains "$(cat "$work/err")" "resuming at extract" "resume starts at extract"
assert_eq "2024-11|14
2024-12|15" "$(pg_value "SELECT period_id || '|' || value FROM nyckel.fact_internal_value
                         ORDER BY 1")" "the fixed value is loaded"
assert_eq "" "$(grep -h 2024-13 "$dir"/extract/raw/finance/* || true)" "the raw zone holds the fixed file"

# A failed load with nothing changed on the share resumes at load.
set +e
PGDATABASE=no_such_db "$BIN/nyckel-run" --log-format text "$work/job.json" >"$work/out" 2>"$work/err"
set -e
dir=$(cat "$work/out")
"$BIN/nyckel-run" --log-format text --resume "$dir" >/dev/null 2>"$work/err" ||
    fail "resume of the failed load: $(cat "$work/err")"
assert_contains "$(cat "$work/err")" "resuming at load" "nothing changed: resume at load"
assert_not_contains "$(cat "$work/err")" "extracting again" "nothing changed: no extract"
