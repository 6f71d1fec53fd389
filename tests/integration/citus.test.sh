# citus.test.sh (also make check-citus): the loads on a Citus cluster, a
# coordinator and two workers on 127.0.0.1 (tests/lib/citus.sh), and the
# same runs loaded into a plain PostgreSQL beside it.  After every step
# every table and view of nyckel and mart, sorted, must be the same in
# both: the demo job, the internal exports job into the same warehouse
# (budget follow-up, internal vs Kolada), the demo again (changes
# nothing), an incremental Kolada load with changed and deleted values, a
# corrected export (a figure deleted, one updated), the same run loaded
# again, a failed load (its record), and a migration applied to the
# distributed warehouse.  Then: the benchmark holds ranks,
# quartiles, Riket's, the region's and group values; the BI role reads the
# marts on the cluster as on PostgreSQL (and not the failures' messages,
# staging or the lock); the warehouse lock on the
# coordinator stops a second load; one municipality's benchmark reads one
# shard; no prepared transaction is left on any node.  Where Citus is not
# installed it prints one "skipped" line and passes.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/citus.sh"
if ! citus_installed; then
    echo "skipped: citus is not installed"
    exit 0
fi
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"
. "$NYCKEL_ROOT/tests/lib/export_job.sh"
work=$(mktemp -d)
citus_start
citus_host=$PGHOST citus_port=$PGPORT
pg_start
plain_host=$PGHOST plain_port=$PGPORT
trap 'pg_stop; citus_stop; rm -rf "$work"' EXIT
on_citus() { PGHOST=$citus_host PGPORT=$citus_port "$@"; }
on_plain() { PGHOST=$plain_host PGPORT=$plain_port "$@"; }

# citus_job JOB OUT: JOB with load.citus set, its relative paths made absolute.
citus_job() {
    python3 - "$1" "$2" <<'PY'
import json, os, sys
job = json.load(open(sys.argv[1]))
base = os.path.dirname(os.path.abspath(sys.argv[1]))
for source in job.get("extract", []):
    if "paths" in source:
        source["paths"] = [p if p.startswith("/") else os.path.join(base, p) for p in source["paths"]]
job.setdefault("load", {})["citus"] = True
json.dump(job, open(sys.argv[2], "w"), ensure_ascii=False)
PY
}

# step NAME JOB CITUS_JOB [RUN]: run JOB whole into plain PostgreSQL (or
# load RUN there), load the same run directory into the cluster, compare.
step() {
    if [ -n "${4:-}" ]; then
        run=$4
        on_plain "$BIN/nyckel-load" --quiet --job "$2" --run-dir "$run" 2>"$work/err" ||
            fail "$1: load into PostgreSQL: $(cat "$work/err")"
    else
        on_plain "$BIN/nyckel-run" --quiet --run-root "$work/runs" "$2" >"$work/out" 2>"$work/err" ||
            fail "$1: nyckel-run into PostgreSQL: $(cat "$work/err")"
        run=$(tail -1 "$work/out")
    fi
    cp "$run/load/summary.json" "$work/plain.summary"
    on_citus "$BIN/nyckel-load" --quiet --job "$3" --run-dir "$run" 2>"$work/err" ||
        fail "$1: load into Citus: $(cat "$work/err")"
    assert_eq "$(changes "$work/plain.summary")" "$(changes "$run/load/summary.json")" \
        "$1: what the load changed, per table"
    compare "$1"
}

changes() { # SUMMARY: inserted/updated/deleted/unchanged per table
    python3 -c 'import json, sys
for name, t in sorted(json.load(open(sys.argv[1]))["tables"].items()):
    print(name, t["inserted"], t["updated"], t["deleted"], t["unchanged"])' "$1"
}

compare() { # WHAT: every table and view the same in both
    on_plain warehouse_dump >"$work/plain.dump"
    on_citus warehouse_dump >"$work/citus.dump"
    [ -s "$work/plain.dump" ] || fail "$1: nothing dumped"
    diff "$work/plain.dump" "$work/citus.dump" >"$work/diff" ||
        fail "$1: Citus and PostgreSQL differ: $(head -20 "$work/diff")"
}

changed() { # SUMMARY TABLE: "inserted updated deleted" of one table
    python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))["tables"][sys.argv[2]]
print(t["inserted"], t["updated"], t["deleted"])' "$1" "$2"
}

# --- The demo job, the internal exports, the demo again ------------------
citus_job "$NYCKEL_ROOT/jobs/demo.json" "$work/demo-citus.json"
citus_job "$NYCKEL_ROOT/jobs/internal-monthly.json" "$work/internal-citus.json"
step "demo job" "$NYCKEL_ROOT/jobs/demo.json" "$work/demo-citus.json"
assert_eq "30240 0 0" "$(changed "$run/load/summary.json" fact_kpi_value)" "demo: every value inserted"
step "internal exports job" "$NYCKEL_ROOT/jobs/internal-monthly.json" "$work/internal-citus.json"
step "demo job again" "$NYCKEL_ROOT/jobs/demo.json" "$work/demo-citus.json"
assert_eq "0 0 0" "$(changed "$run/load/summary.json" fact_kpi_value)" "demo again: nothing changed"

# --- An incremental Kolada load: two values changed, two deleted ---------
fixture_job "$work/increment.json"
fixture_job "$work/increment-citus.json" '{"citus": true}'
# values RUN: a Kolada run of one source file whose values are on stdin.
values() {
    fixture_run "$1"
    fixture_table "$1" source source_ref,uri,sha256,size,fetched_at <<ROWS
s1|file:///increment/${1##*/}.json|$(printf '%s' "${1##*/}" | sha256sum | cut -d' ' -f1)|100|2026-12-01T02:00:01Z
ROWS
    fixture_table "$1" fact_kpi_value "$FIXTURE_FACT_COLS"
}
inc="$work/20261201T000000Z-loadtest"
values "$inc" <<'ROWS'
N31807|0580|2023|T|12.5|1|\N|s1
N31807|0180|2022|K|99.5|1|\N|s1
ROWS
fixture_table "$inc" fact_kpi_value_deleted "$FIXTURE_DELETED_COLS" <<'ROWS'
N31807|0114|2023|T|s1
N00945|1480|2021|T|s1
ROWS
fixture_done "$inc"
step "incremental load" "$work/increment.json" "$work/increment-citus.json" "$inc"
assert_eq "0 2 2" "$(changed "$run/load/summary.json" fact_kpi_value)" "incremental: 2 updated, 2 deleted"
step "the same run again" "$work/increment.json" "$work/increment-citus.json" "$inc"
assert_eq "0 0 0" "$(changed "$run/load/summary.json" fact_kpi_value)" "the same run again: nothing changed"

# --- A corrected export: a figure removed, one changed ------------------
mkdir -p "$work/exports"
export_job_write ''
mv "$work/job.json" "$work/exports.json"
citus_job "$work/exports.json" "$work/exports-citus.json"
printf 'Enhet;Period;Belopp\nNorr;2024-03;-512300\nSöder;2024-03;-41250\nNorr;2023-12;-7\n' \
    >"$work/exports/ekonomi.csv"
step "an export" "$work/exports.json" "$work/exports-citus.json"
printf 'Enhet;Period;Belopp\nSöder;2024-03;-41300\nNorr;2023-12;-7\n' >"$work/exports/ekonomi.csv"
step "the corrected export" "$work/exports.json" "$work/exports-citus.json"
assert_eq "0 1 1" "$(changed "$run/load/summary.json" fact_internal_value)" "correction: 1 updated, 1 deleted"
assert_eq "0" "$(on_citus pg_value "SELECT count(*) FROM nyckel.fact_internal_value
    WHERE ou_id = '0580/norr' AND period_id = '2024-03'")" "the removed figure is gone from the cluster"

# --- A failed load: refused (a value twice), recorded in both ------------
bad="$work/20261202T000000Z-loadtest"
values "$bad" <<'ROWS'
N31807|0580|2023|T|1|1|\N|s1
N31807|0580|2023|T|2|1|\N|s1
ROWS
fixture_done "$bad"
set +e
on_plain "$BIN/nyckel-load" --quiet --job "$work/increment.json" --run-dir "$bad" 2>/dev/null
plain_code=$?
on_citus "$BIN/nyckel-load" --quiet --job "$work/increment-citus.json" --run-dir "$bad" 2>"$work/err"
citus_code=$?
set -e
[ "$plain_code" != 0 ] || fail "the load of a value given twice succeeded"
assert_eq "$plain_code" "$citus_code" "the failed load's exit code on Citus ($(cat "$work/err"))"
compare "the failed load"
assert_eq "1" "$(on_citus pg_value "SELECT count(*) FROM nyckel.run_failure
    WHERE run_id = '${bad##*/}'")" "the failure is recorded on the cluster"

# --- A migration on the distributed warehouse: 017 once more --------------
on_citus pg_value "DELETE FROM nyckel.schema_migration WHERE version LIKE '017%'" >/dev/null
step "017 applied to the distributed warehouse" "$work/increment.json" "$work/increment-citus.json" "$inc"
assert_contains "$(cat "$run/load/summary.json")" '"017_citus_riket.sql"' "017 applied again on Citus"

# --- The marts hold what is compared -----------------------------------
assert_eq "true true true true true" "$(on_citus pg_value "SELECT bool_or(rank = 1) || ' ' ||
        bool_and(quartile BETWEEN 1 AND 4) || ' ' || bool_or(riket_value IS NOT NULL) || ' ' ||
        bool_or(region_value IS NOT NULL) || ' ' || (count(DISTINCT quartile) = 4)
    FROM mart.benchmark")" "the benchmark: ranks, quartiles, Riket, region"
for mart in benchmark_peer_group budget_follow_up internal_vs_kolada; do
    [ "$(on_citus pg_value "SELECT count(*) > 0 FROM mart.$mart")" = t ] || fail "mart.$mart is empty"
done

# --- Where the tables are ----------------------------------------------
assert_eq "mart.benchmark_slice reference <none>
mart.benchmark_slice_edit reference <none>
nyckel.dim_area reference <none>
nyckel.fact_internal_value distributed ou_id
nyckel.fact_kpi_value distributed area_id
nyckel.run reference <none>" "$(on_citus pg_value "SELECT table_name || ' ' || citus_table_type || ' ' ||
        distribution_column FROM citus_tables WHERE table_name::text IN ('nyckel.fact_kpi_value',
        'nyckel.fact_internal_value', 'mart.benchmark_slice', 'mart.benchmark_slice_edit',
        'nyckel.dim_area', 'nyckel.run')
    ORDER BY 1")" "what is distributed by what"
plan=$(on_citus pg_value "EXPLAIN SELECT kpi_title, value, riket_value, rank, quartile
    FROM mart.benchmark WHERE area_id = '0580' AND gender = 'T' AND year = 2023")
assert_contains "$plan" "Task Count: 1" "one municipality's benchmark reads one shard"

# --- The BI role on the cluster ----------------------------------------
for side in on_plain on_citus; do
    $side pg_value "CREATE ROLE bi_reader LOGIN IN ROLE nyckel_bi" >/dev/null
done
PGUSER=bi_reader on_plain warehouse_dump mart >"$work/plain.bi"
PGUSER=bi_reader on_citus warehouse_dump mart >"$work/citus.bi" 2>"$work/err" ||
    fail "the BI role cannot read the marts on Citus: $(cat "$work/err")"
grep -q '^mart.benchmark	' "$work/citus.bi" || fail "the BI role read no benchmark on Citus"
diff "$work/plain.bi" "$work/citus.bi" >"$work/diff" || fail "what the BI role reads differs: $(head "$work/diff")"
for sql in "SELECT message FROM nyckel.run_failure" "SELECT count(*) FROM staging.fact_kpi_value" \
    "SELECT version FROM nyckel.schema_migration" "BEGIN; SELECT FROM nyckel.load_lock FOR UPDATE"; do
    assert_contains "$(PGUSER=bi_reader on_citus psql -X -q -c "$sql" 2>&1 || true)" \
        "permission denied" "the BI role on Citus: $sql"
done

# --- The warehouse lock, on the coordinator ----------------------------
fixture_job "$work/fail.json" '{"citus": true}' '{"lock": "fail", "lock_timeout": 2}'
PGHOST=$citus_host PGPORT=$citus_port
hold_lock "BEGIN; SELECT FROM nyckel.load_lock FOR UPDATE"
set +e
"$BIN/nyckel-load" --quiet --job "$work/fail.json" --run-dir "$inc" 2>"$work/err"
code=$?
set -e
release_lock
assert_eq 79 "$code" "a load while another holds the warehouse lock ($(cat "$work/err"))"

assert_eq "" "$(citus_on_nodes "SELECT gid FROM pg_prepared_xacts")" "no prepared transaction on any node"
echo "citus: every table and mart the same on a coordinator with two workers as on PostgreSQL"
