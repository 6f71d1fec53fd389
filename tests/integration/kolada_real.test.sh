# kolada_real.test.sh: real Kolada responses (tests/data/kolada-real/, saved
# from the v2 and v3 APIs) loaded end to end, the warehouse compared with
# them value by value, null by null, attribute by attribute and member by
# member (tests/lib/kolada_compare.py), with transform.max_rejects 0:
#   1. kolada-files: v2, then v3 over it (v3's "auspice" keeps what v2's
#      "auspices" gave), then v3 lacking fields (the warehouse keeps them);
#   2. kolada-api against the fixture serving the same responses, v3 and v2,
#      areas chosen through municipality_groups: the peer groups have their
#      members and rows in mart.benchmark_peer_group;
#   3. a v2 change feed, is_deleted 1 and 0: deleted, and updated.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/kolada_fixture.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

real=$NYCKEL_ROOT/tests/data/kolada-real
kolada_start --corpus "$real"
pg_start
TEST_DIR=$(mktemp -d)
trap 'pg_stop; kolada_stop' EXIT

# run_files NAME DIR: load every file in DIR as a kolada-files source.
run_files() {
    printf '{"name": "%s", "raw_archive": {"format": "none"}, "transform": {"max_rejects": 0},
 "extract": [{"name": "real", "type": "kolada-files", "paths": ["%s"]}]}\n' "$1" "$2" \
        >"$TEST_DIR/$1.json"
    run_job "$1"
}
run_job() { # NAME: run job file $TEST_DIR/NAME.json, print its run directory
    "$BIN/nyckel-run" --run-root "$TEST_DIR/runs" "$TEST_DIR/$1.json" \
        >"$TEST_DIR/out" 2>"$TEST_DIR/$1.err" ||
        fail "$1: run failed: $(grep '"error"' "$TEST_DIR/$1.err")"
    run=$(tail -1 "$TEST_DIR/out")
    assert_reconciled "$run"
    assert_eq 0 "$(wc -l <"$run/transform/rejects.jsonl" | tr -d ' ')" "$1: rejects"
    echo "$run"
}
copy_out() { # FILE SELECT: the rows in COPY's text format
    psql -X -q -v ON_ERROR_STOP=1 -c "COPY ($2) TO STDOUT" >"$1"
}
dump() { # DIR: the warehouse as kolada_compare.py reads it
    mkdir -p "$1"
    copy_out "$1/dim_kpi.tsv" "SELECT kpi_id, title, description, operating_area,
        is_divided_by_gender, municipality_type, has_ou_data, publication_date, auspices,
        perspective FROM nyckel.dim_kpi WHERE NOT is_inferred"
    copy_out "$1/dim_area.tsv" "SELECT area_id, title, area_type, is_inferred FROM nyckel.dim_area"
    copy_out "$1/area_group_member.tsv" "SELECT group_id, member_id FROM nyckel.area_group_member"
    copy_out "$1/fact_kpi_value.tsv" "SELECT kpi_id, area_id, period_id, gender, value,
        value_count, status FROM nyckel.fact_kpi_value"
}
compare() { # WHAT SOURCE...: the warehouse holds exactly the sources, later over earlier
    what=$1
    shift
    dump "$TEST_DIR/dump"
    python3 "$NYCKEL_ROOT/tests/lib/kolada_compare.py" "$TEST_DIR/dump" "$@" >"$TEST_DIR/compare" ||
        fail "$what: the warehouse differs from the real responses:
$(head -20 "$TEST_DIR/compare")"
    tail -1 "$TEST_DIR/compare" >&2
}
peer_rows() { # GROUP: rows of mart.benchmark_peer_group for it
    pg_value "SELECT count(*) FROM mart.benchmark_peer_group WHERE group_id = '$1'"
}

# 1. Files: v2, then v3 over it, then v3 without two fields.
run_files v2 "$real/v2" >/dev/null
compare "v2 files" "$real"/v2/*.json
# v2 has an auspice for every KPI but N00009 and N01928.
assert_eq 10 "$(pg_value "SELECT count(*) FROM nyckel.dim_kpi WHERE auspices IS NOT NULL")" \
    "v2 auspices"
run_files v3 "$real/v3" >/dev/null
compare "v3 files over v2" "$real"/v2/*.json "$real"/v3/*.json
assert_eq "T" "$(pg_value "SELECT auspices FROM nyckel.dim_kpi WHERE kpi_id = 'U79253'")" \
    "v3 auspice over v2 auspices"
assert_eq 11 "$(pg_value "SELECT count(*) FROM nyckel.dim_kpi WHERE auspices IS NOT NULL")" \
    "v3 keeps every auspice"
assert_not_contains "$(cat "$TEST_DIR/v2.err" "$TEST_DIR/v3.err")" 'which nyckel does not know' \
    "real keys are known"
mkdir -p "$TEST_DIR/lacking"
python3 - "$real/v3/kpi.json" "$TEST_DIR/lacking/kpi.json" <<'PY'
import json, sys
page = json.load(open(sys.argv[1], encoding="utf-8"))
for kpi in page["values"]:
    del kpi["auspice"], kpi["perspective"]
    kpi["title"] += " (ny titel)"
    kpi["first_seen_key"] = 1
json.dump(page, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
run_files lacking "$TEST_DIR/lacking" >/dev/null
compare "v3 KPIs lacking auspice and perspective" "$real"/v2/*.json "$real"/v3/*.json \
    "$TEST_DIR/lacking/kpi.json"
assert_contains "$(cat "$TEST_DIR/lacking.err")" \
    '12 KPI(s) without \"auspice\" or \"auspices\": the warehouse keeps the auspices it has' \
    "the keep is logged"
assert_eq 1 "$(grep -c 'first_seen_key' "$TEST_DIR/lacking.err")" \
    "an unknown key is warned about once"
assert_eq 11 "$(pg_value "SELECT count(*) FROM nyckel.dim_kpi
    WHERE auspices IS NOT NULL AND title LIKE '% (ny titel)'")" "auspices kept"
for group in G114418 G176199; do
    [ "$(peer_rows $group)" -gt 0 ] || fail "files: no rows in mart.benchmark_peer_group for $group"
done

# 3. A v2 change feed made of real rows: is_deleted 1 deletes, is_deleted 0 updates.
# Its run also has the metadata, as an incremental API run does.
mkdir -p "$TEST_DIR/changes"
cp "$real/v2/kpi.json" "$real/v2/municipality.json" "$TEST_DIR/changes/"
python3 - "$real/v2/data-N00945.json" "$TEST_DIR/changes/data.json" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1], encoding="utf-8"))["values"]
        if r["period"] == "2010"]
rows[0]["values"][0]["is_deleted"] = 1
rows[1]["values"][0]["is_deleted"] = 0
rows[1]["values"][0]["value"] += 1.5
rows[2]["values"][0]["is_deleted"] = 0
for row in rows[:3]:
    row["values"][0]["new_value_key"] = "x"
json.dump({"count": 3, "next_page": None, "values": rows[:3]}, open(sys.argv[2], "w"))
PY
before=$(pg_value "SELECT count(*) FROM nyckel.fact_kpi_value")
changes=$(run_files changes "$TEST_DIR/changes")
compare "v2 change feed" "$real"/v2/*.json "$real"/v3/*.json "$TEST_DIR/lacking/kpi.json" \
    "$TEST_DIR"/changes/*.json
key='a Kolada data value with the key \\"new_value_key\\"'
assert_eq 1 "$(grep -c "$key" "$TEST_DIR/changes.err")" \
    "an unknown key of a data value is warned about once"
assert_eq $((before - 1)) "$(pg_value "SELECT count(*) FROM nyckel.fact_kpi_value")" \
    "one value deleted"
assert_eq "0 1 1" "$(pg_value "SELECT t.inserted || ' ' || t.updated || ' ' || t.deleted
    FROM nyckel.run r JOIN nyckel.run_table t USING (run_key)
    WHERE r.run_id = '$(basename "$changes")' AND t.table_name = 'fact_kpi_value'")" \
    "audit of the change feed"

# 2. kolada-api against the fixture serving the real responses, v3 and v2, each
# into a warehouse of its own, compared with the bodies the API answered.
for version in 3 2; do
    psql -X -q -d postgres -c "CREATE DATABASE api$version" >/dev/null
    cat >"$TEST_DIR/api$version.json" <<JOB
{"name": "api$version", "raw_archive": {"format": "none"}, "transform": {"max_rejects": 0},
 "extract": [{"name": "kolada", "type": "kolada-api", "api_version": $version,
   "base_url": "$KOLADA_URL/v$version", "kpis": ["N03702", "N03703"],
   "municipality_groups": ["G176199"], "years": [2012, 2013, 2014, 2015, 2016, 2017, 2018,
   2019, 2020, 2021, 2022, 2023], "rate_limit": 0, "incremental": false}]}
JOB
    run=$(PGDATABASE=api$version run_job api$version)
    PGDATABASE=api$version compare "kolada-api v$version" "$run"/extract/raw/kolada/*.json
    expected=$(python3 - "$real/v$version" <<'PY'
import json, sys
group = [g for g in json.load(open(sys.argv[1] + "/municipality_groups.json"))["values"]
         if g["id"] == "G176199"][0]
members = {m["member_id"] for m in group["members"]}
rows = json.load(open(sys.argv[1] + "/data-N03702-N03703.json"))["values"]
print(sum(len(r["values"]) for r in rows if r["municipality"] in members))
PY
)
    assert_eq "$expected" \
        "$(PGDATABASE=api$version pg_value "SELECT count(*) FROM nyckel.fact_kpi_value")" \
        "v$version: every value of the group's members"
    assert_eq 7 "$(PGDATABASE=api$version pg_value "SELECT count(*) FROM nyckel.area_group_member
        WHERE group_id = 'G176199'")" "v$version: members of G176199"
    [ "$(PGDATABASE=api$version peer_rows G176199)" -gt 0 ] ||
        fail "v$version: no rows in mart.benchmark_peer_group for G176199"
done
