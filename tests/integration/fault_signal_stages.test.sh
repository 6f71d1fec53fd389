# fault_signal_stages.test.sh: SIGTERM, then SIGINT, to nyckel-run while
# the real extract, then transform, then load is running, with a real
# PostgreSQL.  Each time: nyckel-run exits 130 naming the signal and the
# stage; no stage process is left; the job's lock is free at once;
# RUN_DIR/summary.json says failed in that stage.  For load also: the
# warehouse is exactly as before (checksums) and nyckel.run_failure holds
# the run.  After each signal's round the next run succeeds and reconciles.
#
# No timing assumptions: extract is held by a slow answer from the Kolada
# fixture server, transform is stopped (SIGSTOP) once it has written facts
# and continued after the signal, and load waits for the warehouse lock
# another session holds.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/kolada_fixture.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

pg_start
kolada_start --municipalities 2 --kpis 1 --years 1 --first-year 2023
work=$(mktemp -d)
holder_pid=
trap '[ -z "$holder_pid" ] || kill "$holder_pid" 2>/dev/null; kolada_stop; pg_stop; rm -rf "$work"' EXIT

# Kolada-format files, about 130 000 values, so that transform and load
# have something to do: 15 KPIs for every municipality of the demo data,
# 2015-2024, by gender.  Riket and KPI N00001 come from the fixture server.
python3 - "$NYCKEL_ROOT/jobs/demo-data/kolada" "$work/data" <<'PY'
import json, os, sys
demo, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
areas = [a for a in json.load(open(os.path.join(demo, "municipality.json")))["values"]
         if a["type"] == "K"]
kpis = ["N2%04d" % k for k in range(15)]
def write(name, values):
    with open(os.path.join(out, name), "w") as f:
        json.dump({"count": len(values), "values": values}, f)
# The members of the fixture's municipality group G100 are known areas too.
write("municipality.json", areas + [{"id": "0110", "title": "Kommun 0", "type": "K"},
                                    {"id": "0310", "title": "Kommun 1", "type": "K"}])
write("kpi.json", [{"id": k, "title": "Nyckeltal " + k, "description": "",
                    "operating_area": "Äldreomsorg", "is_divided_by_gender": 1,
                    "municipality_type": "K", "has_ou_data": False,
                    "publication_date": "2025-04-01", "prel_publication_date": None,
                    "auspice": "X", "perspective": "Resultat"} for k in kpis])
rows = [{"kpi": k, "municipality": a["id"], "period": year,
         "values": [{"gender": g, "count": 1, "status": "",
                     "value": (n * 7919 + m * 104729 + year * 31) % 100000 / 100.0 + i}
                    for i, g in enumerate("TKM")]}
        for n, k in enumerate(kpis) for m, a in enumerate(areas) for year in range(2015, 2025)]
for page in range(0, len(rows), 5000):
    write("data-%04d.json" % (page // 5000 + 1), rows[page:page + 5000])
PY
job="$work/job.json"
cat >"$job" <<JSON
{"name": "signals", "run_root": "$work/runs", "raw_archive": {"format": "none"},
 "extract": [{"name": "files", "type": "kolada-files", "paths": ["$work/data"]},
             {"name": "riket", "type": "kolada-api", "base_url": "$KOLADA_URL/v3",
              "kpis": ["N00001"], "areas": ["0000"], "years": "2023", "rate_limit": 0,
              "incremental": false}],
 "transform": {"max_rejects": 0}}
JSON

run_ok() { # what: a run that must succeed and reconcile
    "$BIN/nyckel-run" --log-format text "$job" >"$work/out" 2>"$work/err" ||
        fail "$1: $(grep -E " (error|warn) " "$work/err" | head -5)"
    assert_reconciled "$(cat "$work/out")"
}

# A checksum of every row, in no order (no sort of over a hundred thousand rows).
state() {
    pg_value "SELECT count(*) || ' ' || sum(hashtextextended(t, 0)::numeric) FROM (
        SELECT f.*::text FROM nyckel.fact_kpi_value f UNION ALL SELECT k.*::text FROM nyckel.dim_kpi k
        UNION ALL SELECT a.*::text FROM nyckel.dim_area a UNION ALL SELECT p.*::text FROM nyckel.dim_period p
        UNION ALL SELECT h.*::text FROM nyckel.dim_kpi_history h UNION ALL SELECT r.*::text FROM nyckel.run r
        UNION ALL SELECT t.*::text FROM nyckel.run_table t UNION ALL SELECT s.*::text FROM nyckel.dim_source s
        UNION ALL SELECT b.*::text FROM mart.benchmark b) x(t)"
}

wait_until() { # TEST...: poll a condition, up to about 30 s
    tries=0
    until "$@"; do
        tries=$((tries + 1))
        [ "$tries" -lt 3000 ] || fail "gave up waiting for: $*"
        sleep 0.01
    done
}
child() { # STAGE: the pid of nyckel-run's stage process, if it is that stage
    pgrep -P "$run_pid" -f "/nyckel-$1 " || true
}
stage_running() { [ -n "$(child "$1")" ]; }
facts_written() { [ -s "$(new_run_dir)/transform/fact_kpi_value.copy" ]; }
load_waits() {
    [ "$(pg_value "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nyckel-load' AND wait_event = 'transactionid'")" = 1 ]
}
new_run_dir() { ls -d "$work"/runs/*-signals | grep -vxF -f "$work/old_runs" || true; }

# interrupt SIGNAL NAME STAGE: start a run, send SIGNAL to nyckel-run during STAGE, check.
interrupt() {
    ls -d "$work"/runs/*-signals >"$work/old_runs"
    case $3 in
    extract) kolada_faults '[{"match": "/v3/", "fault": "slow", "delay": 5}]' ;;
    load)
        hold_lock "BEGIN; SELECT FROM nyckel.load_lock FOR UPDATE"
        ;;
    esac
    before=$(state)
    "$BIN/nyckel-run" --log-format text "$job" >"$work/out" 2>"$work/err" &
    run_pid=$!
    case $3 in
    extract)
        wait_until stage_running extract
        kill -s "$1" "$run_pid"
        ;;
    transform)
        wait_until facts_written
        stopped=$(child transform)
        [ -n "$stopped" ] || fail "transform ended before it could be stopped"
        kill -STOP "$stopped"
        kill -s "$1" "$run_pid"
        kill -CONT "$stopped" 2>/dev/null || true
        ;;
    load)
        wait_until load_waits
        kill -s "$1" "$run_pid"
        ;;
    esac
    set +e
    wait "$run_pid"
    code=$?
    set -e
    kolada_faults '[]'
    dir=$(new_run_dir)
    log=$(cat "$work/err")
    assert_eq 130 "$code" "nyckel-run's exit status after SIG$1 during $3 (log: $log)"
    assert_contains "$log" "interrupted by $2 during $3" "nyckel-run's message after SIG$1 during $3"
    assert_eq "failed $3 130" "$(python3 -c 'import json, sys
s = json.load(open(sys.argv[1] + "/summary.json"))
print(s["status"], s["failed_stage"], s["exit_code"])' "$dir")" "summary.json after SIG$1 during $3"
    survivors=$(grep -ls -a -- "$dir" /proc/[0-9]*/cmdline || true)
    assert_eq "" "$survivors" "stage processes left after SIG$1 during $3"
    flock -n "$work/runs/signals.lock" true || fail "the job's lock is still held after SIG$1 during $3"
    if [ "$3" = load ]; then
        assert_contains "$log" "interrupted by SIG$1 (step: waiting for the warehouse lock)" "nyckel-load's message"
        assert_eq "1|130" "$(pg_value "SELECT count(*), min(exit_code) FROM nyckel.run_failure WHERE run_id = '${dir##*/}'")" "nyckel.run_failure after SIG$1 during load"
        release_lock
        [ ! -e "$dir/load/summary.json" ] || fail "an interrupted load wrote load/summary.json"
    fi
    assert_eq "$before" "$(state)" "the warehouse after SIG$1 during $3"
}

mkdir -p "$work/runs"
run_ok "the first run"
for signal in TERM:Terminated INT:Interrupt; do
    for stage in extract transform load; do
        interrupt "${signal%%:*}" "${signal#*:}" "$stage"
    done
    run_ok "the run after the SIG${signal%%:*} round"
done
assert_eq 2 "$(pg_value "SELECT count(*) FROM nyckel.run_failure")" "failures recorded"
