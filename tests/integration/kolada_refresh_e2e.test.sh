# kolada_refresh_e2e.test.sh: a nightly Kolada refresh across all stages,
# against the fixture API: a full first run, then an incremental run whose
# deletions (v3 isdeleted true, v2 is_deleted 1) must disappear from the
# warehouse while everything else stays (the KPI group list loaded whole), for v3 and for v2 each in a
# warehouse of its own; and a replay of the v3 first run from its raw
# archive, offline, that must give the same staged rows.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/kolada_fixture.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

kolada_start --municipalities 3 --kpis 2 --years 2 --first-year 2022
pg_start
TEST_DIR=$(mktemp -d)
trap 'pg_stop; kolada_stop' EXIT
for version in 2 3; do
    cat >"$TEST_DIR/job$version.json" <<JOB
{"name": "nightly$version", "extract": [{"name": "kolada", "type": "kolada-api",
   "api_version": $version, "base_url": "$KOLADA_URL/v$version", "kpis": ["N00001", "N00002"],
   "areas": ["0110", "0310"], "riket": true, "years": [2022, 2023], "rate_limit": 0}],
 "transform": {"max_rejects": 0}}
JOB
done

run_job() { # VERSION
    "$BIN/nyckel-run" --run-root "$TEST_DIR/runs" "$TEST_DIR/job$1.json" \
        >"$TEST_DIR/out" 2>"$TEST_DIR/err" || fail "run failed: $(tail -3 "$TEST_DIR/err")"
    tail -1 "$TEST_DIR/out"
}

# What the API said in a run's data bodies: "kpi area period gender deleted" per value.
api_values() {
    python3 - "$1/extract" <<'PY'
import json, os, sys
m = json.load(open(os.path.join(sys.argv[1], "manifest.json")))
for f in m["files"]:
    if f["endpoint"] != "data":
        continue
    for row in json.load(open(os.path.join(sys.argv[1], f["path"])))["values"]:
        for v in row["values"]:
            deleted = v.get("isdeleted", v.get("is_deleted"))  # v3 true/false, v2 1/0
            print(row["kpi"], row["municipality"], row["period"], v["gender"],
                  "deleted" if deleted in (True, 1) else "kept")
PY
}
warehouse_keys() {
    pg_value "SELECT kpi_id || ' ' || area_id || ' ' || period_id || ' ' || gender
                FROM nyckel.fact_kpi_value ORDER BY 1"
}

# refresh VERSION: a full run, then an incremental one; leaves the first in $first.
refresh() {
    first=$(run_job "$1")
    assert_reconciled "$first"
    api_values "$first" | awk '{ print $1, $2, $3, $4 }' | sort >"$TEST_DIR/first.keys"
    [ -s "$TEST_DIR/first.keys" ] || fail "the first run fetched no values"
    assert_eq "0" "$(api_values "$first" | grep -c deleted || true)" "deletions in a full pull"
    warehouse_keys >"$TEST_DIR/warehouse1.keys"
    cmp -s "$TEST_DIR/first.keys" "$TEST_DIR/warehouse1.keys" || fail "the warehouse does not hold exactly what the API sent"
    # The KPI group list (both versions list members as {"member_id", "member_title"}).
    assert_eq "G1KPI|Grupp ett|N00001 N00002 G2KPI2|Grupp två|N00001 N99901" \
        "$(pg_value "SELECT string_agg(g, ' ' ORDER BY g COLLATE \"C\") FROM (SELECT kpi_group_id || '|'
        || group_title || '|' || string_agg(kpi_id, ' ' ORDER BY kpi_id) AS g
        FROM mart.kpi_group_member GROUP BY kpi_group_id, group_title) m")" \
        "the KPI group list, loaded whole (v$1)"

    second=$(run_job "$1")
    assert_reconciled "$second"
    api_values "$second" | awk '$5 == "deleted" { print $1, $2, $3, $4 }' | sort >"$TEST_DIR/deleted.keys"
    deleted=$(wc -l <"$TEST_DIR/deleted.keys" | tr -d ' ')
    [ "$deleted" -gt 0 ] || fail "the incremental run reported no deletions"
    comm -23 "$TEST_DIR/first.keys" "$TEST_DIR/deleted.keys" >"$TEST_DIR/expected2.keys"
    warehouse_keys >"$TEST_DIR/warehouse2.keys"
    cmp -s "$TEST_DIR/expected2.keys" "$TEST_DIR/warehouse2.keys" ||
        fail "after the incremental run the warehouse should hold the first run's values less the $deleted deleted"
    assert_eq "0 0 $deleted" "$(pg_value "SELECT t.inserted || ' ' || t.updated || ' ' || t.deleted
        FROM nyckel.run r JOIN nyckel.run_table t USING (run_key)
        WHERE r.run_id = '$(basename "$second")' AND t.table_name = 'fact_kpi_value'")" "audit of the incremental run"
}
refresh 2
psql -X -q -d postgres -c "CREATE DATABASE nightly3" >/dev/null
PGDATABASE=nightly3
refresh 3

# Replay the first run from its raw archive: no network (the fixture is stopped).
kolada_stop_server() { kill "$KOLADA_PID"; wait "$KOLADA_PID" 2>/dev/null || true; KOLADA_PID=; }
kolada_stop_server
archive=$TEST_DIR/runs/archive/nightly3/$(basename "$first").tar.zst
[ -f "$archive" ] || fail "no raw archive at $archive"
"$BIN/nyckel-transform" --job "$TEST_DIR/job3.json" --run-dir "$TEST_DIR/replay" --archive "$archive" 2>"$TEST_DIR/err" ||
    fail "replay failed: $(cat "$TEST_DIR/err")"
for table in fact_kpi_value dim_kpi dim_area dim_period source dim_kpi_group kpi_group_member; do
    cmp -s "$first/transform/$table.copy" "$TEST_DIR/replay/transform/$table.copy" ||
        fail "replayed $table differs from the first run's"
done
