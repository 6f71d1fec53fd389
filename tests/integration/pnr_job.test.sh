# pnr_job.test.sh: a job file holding a personal identity number in one of
# its own texts (an alias, a unit name given as a constant, the description)
# is refused by every program that reads it, not only by transform:
# nyckel-extract, nyckel-transform, nyckel-load, nyckel-run --check and
# nyckel-run all exit 78 with the one error naming the job file, line,
# column and key, never the number, and nothing is made.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/in"

# write_job FILE DESCRIPTION ALIAS UNIT: the number goes in one of the three.
write_job() {
    cat >"$work/$1" <<JSON
{"name": "pnr", "description": "$2",
 "extract": [{"name": "k", "type": "kolada-files", "paths": ["in"]}],
 "transform": {"aliases": {"$3": "0580"},
   "mappings": {"m": {"encoding": "utf-8", "separator": ";",
     "columns": {"area": "Kommun", "period": "Period", "value": "Kostnad"},
     "constants": {"measure": "kostnad", "unit": "$4"}}}}}
JSON
}
# The Tax Agency's test numbers, in three of the forms the guard knows.
write_job alias.json "Nattlig körning" "121212-1212" "Norr"
write_job unit.json "Nattlig körning" "Linkpg" "Norr 19121212 1212"
write_job description.json "Körs för 8112189876" "Linkpg" "Norr"

# refused JOB WHERE: every program exits 78 naming the job and the key.
refused() {
    for program in extract transform load run-check run; do
        case $program in
        run-check) cmd="$BIN/nyckel-run --check $work/$1" ;;
        run) cmd="$BIN/nyckel-run --run-root $work/runs $work/$1" ;;
        *) cmd="$BIN/nyckel-$program --job $work/$1 --run-dir $work/run" ;;
        esac
        # shellcheck disable=SC2086
        expect_exit 78 $cmd
        err=$(cat "$STDERR_FILE")
        assert_eq 1 "$(grep -c '"level":"error"' "$STDERR_FILE")" "$program, $1: one error line"
        assert_contains "$err" "$work/$1:" "$program, $1: the job file named"
        assert_contains "$err" "$2 personal identity number: no text in a job may" \
            "$program, $1: the key named"
        for digits in 121212 811218 1212121212; do
            assert_not_contains "$err" "$digits" "$program, $1: the number itself"
        done
        [ ! -e "$work/run" ] && [ ! -e "$work/runs" ] || fail "$program, $1: made a run directory"
    done
}
refused alias.json "transform.aliases: a key holds a"
refused unit.json "transform.mappings.m.constants.unit: holds a"
refused description.json "description: holds a"

# The same job without a number is not refused for it: extract runs.
write_job clean.json "Nattlig körning" "Linkpg" "Norr"
expect_exit 0 "$BIN/nyckel-extract" --job "$work/clean.json" --run-dir "$work/run"
