# operations_e2e.test.sh: what IT and BI readers see of an unattended job,
# with the real stages and a real warehouse.  jobs/internal-monthly.json,
# given an alert command, a metrics folder and warehouse.lock "fail", loads
# once; then another session holds the warehouse lock and the next run
# fails.  The failure command receives that run's summary JSON, the
# textfile holds the failing exit code beside the first run's success time
# stamp, and the BI role sees in mart.load_status that the job failed after
# its last success, and resolves every internal fact's source file and load
# time in mart.internal_value.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"

pg_start
work=$(mktemp -d)
holder_pid=
trap '[ -z "$holder_pid" ] || kill "$holder_pid" 2>/dev/null; pg_stop; rm -rf "$work"' EXIT
mkdir -p "$work/jobs" "$work/metrics"
ln -s "$NYCKEL_ROOT/jobs/demo-data" "$NYCKEL_ROOT/jobs/reference" "$work/jobs/"
job=$work/jobs/internal-monthly.json
python3 - "$NYCKEL_ROOT/jobs/internal-monthly.json" "$job" "$work" <<'PY'
import json, sys
job = json.load(open(sys.argv[1]))
work = sys.argv[3]
job["run_root"] = work + "/runs"
job["alerts"] = {"on_failure": "cat >" + work + "/failure.json"}
job["metrics"] = {"textfile_dir": work + "/metrics"}
job["warehouse"] = {"lock": "fail"}
json.dump(job, open(sys.argv[2], "w"), ensure_ascii=False, indent=2)
PY
prom=$work/metrics/nyckel_internal-monthly.prom
metric() { # NAME: its value in the textfile
    awk -v name="$1" 'index($0, name "{") == 1 { print $2 }' "$prom"
}
as_analyst() { # SQL: the rows, '|'-separated, or the error
    PGUSER=analyst psql -X -A -t -q -c "$1" 2>&1 || true
}

"$BIN/nyckel-run" --log-format json "$job" >"$work/out" 2>"$work/err" ||
    fail "first run: $(cat "$work/err")"
first=$(basename "$(tail -1 "$work/out")")
# JSON logs: load's counts one record per table, the run's totals, as numbers.
python3 - "$work/err" "$work/runs/$first/summary.json" <<'PY' || fail "JSON log fields: $(cat "$work/err")"
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
summary = json.load(open(sys.argv[2]))
tables = {r["table"]: r for r in records if r["program"] == "nyckel-load" and "table" in r}
assert {t["table"]: t["inserted"] for t in summary["stages"][2]["tables"]} == \
    {name: r["rows_inserted"] for name, r in tables.items()}, tables
assert all(isinstance(r[k], int) for r in tables.values()
           for k in ("rows_inserted", "rows_updated", "rows_deleted", "rows_unchanged")), tables
run = [r for r in records if r["program"] == "nyckel-run" and "rows_inserted" in r]
assert len(run) == 1 and run[0]["rows_inserted"] == summary["stages"][2]["inserted"], run
assert run[0]["rows_rejected"] == 10 and run[0]["exit_code"] == 0, run
PY
psql -X -q -c "CREATE ROLE analyst LOGIN IN ROLE nyckel_bi" >/dev/null
success=$(metric nyckel_last_success_timestamp_seconds)
[ -n "$success" ] || fail "no success time stamp after a success: $(cat "$prom")"
status_sql="SELECT job, source, status, last_success_run_id, files, rows_rejected,
                   rows_inserted > 0, age_hours < 1, last_failure_step
            FROM mart.load_status ORDER BY source"
assert_eq "internal-monthly|case|ok|$first|1|9|t|t|
internal-monthly|finance|ok|$first|2|1|t|t|" "$(as_analyst "$status_sql")" "load_status after a success"

# Lineage: every internal fact's source file and load time, as BI.
assert_eq "0" "$(as_analyst "SELECT count(*) FROM mart.internal_value
                               WHERE source_file IS NULL OR loaded_at IS NULL")" "unresolved lineage"
assert_eq "$(pg_value "SELECT count(*) FROM nyckel.fact_internal_value")" \
    "$(as_analyst "SELECT count(*) FROM mart.internal_value")" "every internal fact has lineage"
assert_eq "placeringar-2019-01.csv|$first" "$(as_analyst "SELECT DISTINCT v.source_file, l.run_id
    FROM mart.fact_internal_value f JOIN mart.source s USING (source_key)
    JOIN mart.internal_value v USING (measure_id, ou_id, period_id, scenario)
    JOIN mart.load l ON l.run_key = f.run_key WHERE f.measure_id = 'placeringar'")" \
    "BI resolves source_key and run_key of mart.fact_internal_value"

# The second run fails: another session holds the warehouse lock.
hold_lock "BEGIN; SELECT FROM nyckel.load_lock FOR UPDATE"
set +e
"$BIN/nyckel-run" --log-format json "$job" >"$work/out" 2>"$work/err"
code=$?
set -e
assert_eq 79 "$code" "the run while another load holds the warehouse"
second=$(basename "$(tail -1 "$work/out")")
python3 - "$work/failure.json" "$second" <<'PY' || fail "on_failure's input: $(cat "$work/failure.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert (s["run_id"], s["status"], s["exit_code"], s["failed_stage"]) == \
    (sys.argv[2], "failed", 79, "load"), s
assert s["error"] == "nyckel-load failed with exit status 79", s["error"]
assert s["stages"][1]["rows_rejected"] == 10, s["stages"][1]
PY
assert_eq 79 "$(metric nyckel_last_exit_code)" "the textfile's exit code"
assert_eq "$success" "$(metric nyckel_last_success_timestamp_seconds)" \
    "the textfile keeps the previous success's time stamp"
assert_eq "internal-monthly|case|failed|$first|1|9|t|t|taking the warehouse lock
internal-monthly|finance|failed|$first|2|1|t|t|taking the warehouse lock" \
    "$(as_analyst "$status_sql")" "load_status after the failure, as BI"
release_lock
