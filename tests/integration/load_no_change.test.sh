# load_no_change.test.sh: a load that changes no value must not rebuild the
# materialised marts (at national scale that costs minutes), even when it
# brings new lineage: the same data from new files (an incremental run's
# new from_date URLs look like this).  A changed value must rebuild them.
# A rewrite gives the stored benchmark's rows new versions (ctid, xmin), or
# its table a new relfilenode, which is what we watch.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"
pg_start
work=$(mktemp -d)
mkdir -p "$work/copy"
cp "$NYCKEL_ROOT"/jobs/demo-data/kolada/*.json "$work/copy/"
sed 's|"demo-data/kolada/\*.json"|"'"$work"'/copy/*.json"|' "$NYCKEL_ROOT/jobs/demo.json" >"$work/job.json"

mart_file() {
    pg_value "SELECT (SELECT relfilenode FROM pg_class WHERE oid = 'mart.benchmark_slice'::regclass)
        || ' ' || (SELECT string_agg(ctid::text || xmin::text, ',' ORDER BY kpi_id, year, gender)
                   FROM mart.benchmark_slice)"
}
run() { "$BIN/nyckel-run" --run-root "$work/runs" "$1" 2>"$work/err" | tail -1 || fail "run failed: $(cat "$work/err")"; }

run "$NYCKEL_ROOT/jobs/demo.json" >/dev/null
before=$(mart_file)

second=$(run "$work/job.json")
assert_reconciled "$second"
assert_eq "7 0" "$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["tables"]
print(s["dim_source"]["inserted"], sum(t["inserted"] + t["updated"] + t["deleted"] for n, t in s.items() if n != "dim_source"))' "$second/load/summary.json")" \
    "new lineage rows, no other change"
assert_eq "$before" "$(mart_file)" "the mart after a load that changed no value"

# One value changed: the marts must follow.
python3 - "$work/copy/data-0001.json" <<'PY'
import json, sys
page = json.load(open(sys.argv[1]))
page["values"][0]["values"][0]["value"] = 123456
json.dump(page, open(sys.argv[1], "w"))
PY
run "$work/job.json" >/dev/null
[ "$before" != "$(mart_file)" ] || fail "a changed value did not refresh the mart"
assert_eq "123456" "$(pg_value "SELECT b.value FROM mart.benchmark b JOIN nyckel.fact_kpi_value f USING (kpi_id, area_id, gender)
    WHERE f.value = 123456 AND b.year = (SELECT year FROM nyckel.dim_period WHERE period_id = f.period_id) LIMIT 1")" \
    "the changed value in the mart"
rm -rf "$work"
