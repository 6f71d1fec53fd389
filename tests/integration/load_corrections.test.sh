# load_corrections.test.sh: a corrected export replaces what its delivery
# covers (extract[].covers).  With the default ({"periods": "file"}) a row
# removed from the export is deleted and a changed one updated (1 deleted,
# 1 updated in load/summary.json and the run's summary.json); --dry-run
# lists both keys with old and new values and changes nothing; "nothing"
# keeps the removed row, and so does a list of periods that leaves its
# period out (a year's covers it, and load.changes_file lists that real
# load's deletion); the same export again is noted as unchanged since the first
# run and loads nothing.
. "$NYCKEL_ROOT/tests/lib/export_job.sh"
export_job_start

export_v1() {
    printf 'Enhet;Period;Belopp\nNorr;2024-03;-512300\nSöder;2024-03;-41250\nVäster;2024-03;-100\nNorr;2023-12;-7\n' \
        >"$work/exports/ekonomi.csv"
}
export_v2() { # Norr 2024-03 removed, Söder changed
    printf 'Enhet;Period;Belopp\nSöder;2024-03;-41300\nVäster;2024-03;-100\nNorr;2023-12;-7\n' \
        >"$work/exports/ekonomi.csv"
}

run_job() { # nyckel-run arguments...; prints the run directory
    "$BIN/nyckel-run" "$@" "$work/job.json" >"$work/out" 2>"$work/err" ||
        fail "nyckel-run $*: $(cat "$work/err")"
    cat "$work/out"
}

facts() {
    pg_value "SELECT ou_id || '|' || period_id || '|' || value FROM nyckel.fact_internal_value
              ORDER BY 1" | sed 's|^0580/||'
}

load_count() { # run-dir key
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tables"]["fact_internal_value"][sys.argv[2]])' \
        "$1/load/summary.json" "$2"
}

run_total() { # run-dir key: the load stage's total in the run's summary.json
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stages"][2][sys.argv[2]])' \
        "$1/summary.json" "$2"
}

# --- The default: the periods in the file are replaced ---------------------
export_job_write ''
export_v1
first=$(run_job)
assert_eq 4 "$(load_count "$first" inserted)" "first delivery"
before=$(facts)
assert_contains "$before" "norr|2024-03|-512300" "the row the correction removes"

export_v2
dry=$(run_job --dry-run)
[ -f "$dry/load/changes.jsonl" ] || fail "a dry run writes load/changes.jsonl"
changes=$(cat "$dry/load/changes.jsonl")
assert_eq 2 "$(grep -c . "$dry/load/changes.jsonl")" "two changes: $changes"
assert_contains "$changes" '"change": "delete", "key": {"measure_id" : "nettokostnad", "ou_id" : "0580/norr", "period_id" : "2024-03", "scenario" : "outcome", "breakdown_id" : "all"}, "old": {"value" : -512300, "is_small_count" : false}, "new": null' "the deleted key with its old value"
assert_contains "$changes" '"change": "update", "key": {"measure_id" : "nettokostnad", "ou_id" : "0580/söder", "period_id" : "2024-03", "scenario" : "outcome", "breakdown_id" : "all"}, "old": {"value" : -41250, "is_small_count" : false}, "new": {"value" : -41300, "is_small_count" : false}' "the updated key with old and new value"
printed=$("$BIN/nyckel-load" --dry-run --job "$work/job.json" --run-dir "$dry" 2>/dev/null)
assert_contains "$printed" 'delete fact_internal_value {"measure_id" : "nettokostnad", "ou_id" : "0580/norr", "period_id" : "2024-03", "scenario" : "outcome", "breakdown_id" : "all"}: {"value" : -512300, "is_small_count" : false} -> null' "nyckel-load --dry-run prints the deleted key"
assert_contains "$printed" '{"value" : -41250, "is_small_count" : false} -> {"value" : -41300, "is_small_count" : false}' "nyckel-load --dry-run prints the update"
assert_eq "$before" "$(facts)" "a dry run changes nothing"

corrected=$(run_job)
assert_eq "1 1 0" "$(load_count "$corrected" deleted) $(load_count "$corrected" updated) $(load_count "$corrected" inserted)" \
    "the corrected export: 1 deleted, 1 updated"
assert_eq "1 1" "$(run_total "$corrected" deleted) $(run_total "$corrected" updated)" "the run's summary"
assert_not_contains "$(facts)" "norr|2024-03" "the removed row is gone"
assert_contains "$(facts)" "söder|2024-03|-41300" "the changed row"
assert_contains "$(facts)" "norr|2023-12|-7" "rows the correction still holds stay"
assert_contains "$(cat "$work/err")" "source finance: 1 figure(s) of earlier deliveries are not in this one and are deleted" \
    "the deletion is logged"
[ ! -f "$corrected/load/changes.jsonl" ] || fail "changes.jsonl without load.changes_file"

# --- The same export again: noted, nothing loaded --------------------------
again=$(run_job --log-format text)
assert_eq "0 0 0" "$(load_count "$again" deleted) $(load_count "$again" updated) $(load_count "$again" inserted)" "same export twice"
assert_contains "$(cat "$again/summary.json")" "\"since_run\": \"${corrected##*/}\"" "summary names the earlier run"
assert_contains "$(cat "$work/err")" "ekonomi.csv: unchanged since run ${corrected##*/}, nothing new" \
    "the run's printed summary"

# --- "nothing": corrections only add and update -----------------------------
export_v1
run_job >/dev/null
export_job_write '"nothing"'
export_v2
kept=$(run_job)
assert_eq "0 1" "$(load_count "$kept" deleted) $(load_count "$kept" updated)" "covers nothing"
assert_contains "$(facts)" "norr|2024-03|-512300" "covers nothing keeps the removed row"

# --- An explicit list: only the periods named are replaced -----------------
export_job_write '{"periods": ["2023"]}'
narrow=$(run_job)
assert_eq 0 "$(load_count "$narrow" deleted)" "2024-03 is not in periods [2023]"
export_job_write '{"periods": ["2024"], "units": "file"}' '{"changes_file": true}'
wide=$(run_job)
assert_eq 1 "$(load_count "$wide" deleted)" "a year covers its months"
assert_contains "$(cat "$wide/load/changes.jsonl")" '"change": "delete", "key": {"measure_id" : "nettokostnad", "ou_id" : "0580/norr", "period_id" : "2024-03"' \
    "load.changes_file lists a real load's changes"
assert_not_contains "$(facts)" "norr|2024-03" "removed under periods [2024]"

# --- A bad covers is refused before anything runs --------------------------
export_job_write '{"period": "file"}'
expect_exit 78 "$BIN/nyckel-run" --check "$work/job.json"
assert_contains "$(cat "$STDERR_FILE")" "extract[0].covers" "names the key"
