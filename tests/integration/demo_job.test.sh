# demo_job.test.sh: the walking skeleton end to end.  Runs jobs/demo.json
# through nyckel-run into a fresh PostgreSQL, checks exact row counts, one
# known value, the mart's Riket value beside it, the audit, and that a second
# run leaves the same counts and changes nothing.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"
pg_start

runs=$(mktemp -d)
"$BIN/nyckel-run" --run-root "$runs" "$NYCKEL_ROOT/jobs/demo.json" >"$runs/out" 2>"$runs/err" ||
    fail "first run failed: $(cat "$runs/err")"
first_run=$(tail -1 "$runs/out")
[ -f "$first_run/load/summary.json" ] || fail "nyckel-run did not print its run directory: $first_run"
assert_reconciled "$first_run"

counts() {
    pg_value "SELECT (SELECT count(*) FROM nyckel.dim_kpi) || ' ' ||
                     (SELECT count(*) FROM nyckel.dim_area) || ' ' ||
                     (SELECT count(*) FROM nyckel.area_group_member) || ' ' ||
                     (SELECT count(*) FROM nyckel.dim_period) || ' ' ||
                     (SELECT count(*) FROM nyckel.dim_gender) || ' ' ||
                     (SELECT count(*) FROM nyckel.fact_kpi_value) || ' ' ||
                     (SELECT count(*) FROM nyckel.fact_kpi_value WHERE value IS NULL)"
}
# 6 KPIs; 290 municipalities + 21 regions + Riket + 3 groups; 8+13+3 members;
# 2019-2024; T/K/M; 1 undivided KPI x 315 areas x 6 years + 5 divided x 315 x 6 x 3.
expected_counts="6 315 24 6 3 30240 583"
assert_eq "$expected_counts" "$(counts)" "row counts after the first run"

assert_eq "98.6" "$(pg_value "SELECT value FROM nyckel.fact_kpi_value
    WHERE kpi_id = 'N31807' AND area_id = '0580' AND period_id = '2023' AND gender = 'T'")" \
    "Linköping's N31807 for 2023, total"
assert_eq "283" "$(pg_value "SELECT value_count FROM nyckel.fact_kpi_value
    WHERE kpi_id = 'N31807' AND area_id = '0000' AND period_id = '2023' AND gender = 'T'")" \
    "Riket's count of reporting municipalities"

# Riket is the mean of the municipalities that reported, as Kolada computes it;
# recompute it from the bundled files rather than trusting the loaded row.
riket=$(python3 - "$NYCKEL_ROOT/jobs/demo-data/kolada" <<'PY'
import glob, json, sys
vals = []
for f in glob.glob(sys.argv[1] + "/data-*.json"):
    for r in json.load(open(f))["values"]:
        if r["kpi"] == "N31807" and r["period"] == 2023 and not r["municipality"].startswith(("00", "G")):
            v = [x for x in r["values"] if x["gender"] == "T"][0]["value"]
            if v is not None:
                vals.append(v)
print(round(sum(vals) / len(vals), 1))
PY
)
assert_eq "89.7" "$riket" "Riket recomputed from the bundled data"
assert_eq "98.6|89.7" "$(pg_value "SELECT value || '|' || riket_value FROM mart.kpi_vs_riket
    WHERE kpi_id = 'N31807' AND area_id = '0580' AND period_id = '2023' AND gender = 'T'")" \
    "the mart puts Linköping beside Riket"

audit() { # run directory: inserted updated deleted unchanged of the facts
    pg_value "SELECT t.inserted || ' ' || t.updated || ' ' || t.deleted || ' ' || t.unchanged
                FROM nyckel.run r JOIN nyckel.run_table t USING (run_key)
               WHERE r.run_id = '$(basename "$1")' AND t.table_name = 'fact_kpi_value'"
}
assert_eq "30240 0 0 0" "$(audit "$first_run")" "audit: facts inserted by the first run"

# Every source reconciles: rows read = written + rejected, and the facts
# written equal the facts in the warehouse.
python3 - "$first_run/transform/manifest.json" <<'PY' || fail "transform manifest does not reconcile"
import json, sys
m = json.load(open(sys.argv[1]))
assert all(s["rows_read"] == s["rows_written"] + s["rows_rejected"] for s in m["sources"]), m["sources"]
assert m["rejects"]["rows"] == 0
PY

"$BIN/nyckel-run" --run-root "$runs" "$NYCKEL_ROOT/jobs/demo.json" >"$runs/out2" 2>"$runs/err2" ||
    fail "second run failed: $(cat "$runs/err2")"
second_run=$(tail -1 "$runs/out2")
assert_reconciled "$second_run"
assert_eq "$expected_counts" "$(counts)" "row counts after the second run"
assert_eq "0 0 0 30240" "$(audit "$second_run")" "the second run changed nothing"
assert_eq "2" "$(pg_value "SELECT count(*) FROM nyckel.run WHERE status = 'committed'")" "two audited runs"
rm -rf "$runs"
