# report_fixture.sh: sourced by the report tests.  Builds the demo warehouse
# (jobs/demo.json, then the internal samples with one more pairing, the
# case system's placements beside N31820, so that counts of 1-4 reach the
# report) in the test's PostgreSQL and writes the report for Linköping as a
# login role that is only a member of nyckel_bi.
#
#   report_build DIR [nyckel-report options]   prints the report's path

report_build() {
    dir=$1
    shift
    mkdir -p "$dir/runs"
    python3 - "$NYCKEL_ROOT/jobs/internal-monthly.json" "$dir/internal.json" <<'PY'
import json, os, sys
source, target = sys.argv[1], sys.argv[2]
job = json.load(open(source))
home = os.path.dirname(source)
for item in job["extract"]:
    item["paths"] = [os.path.join(home, p) for p in item["paths"]]
case = job["transform"]["mappings"]["case"]
case["org_units"] = os.path.join(home, case["org_units"])
job["load"]["pairings"].append({"measure": "placeringar", "kpi": "N31820", "rollup": "last"})
json.dump(job, open(target, "w"), ensure_ascii=False, indent=1)
PY
    for job in "$NYCKEL_ROOT/jobs/demo.json" "$dir/internal.json"; do
        "$BIN/nyckel-run" --run-root "$dir/runs" "$job" >"$dir/run.out" 2>"$dir/run.err" ||
            fail "$job: $(tail -3 "$dir/run.err")"
    done
    psql -X -q -c "CREATE ROLE report_reader LOGIN IN ROLE nyckel_bi" >/dev/null
    PGUSER=report_reader "$BIN/nyckel-report" --area 0580 --output "$dir/report.html" "$@" \
        >"$dir/report.out" 2>"$dir/report.err" || fail "nyckel-report: $(cat "$dir/report.err")"
    cat "$dir/report.out"
}
