# load_history.test.sh: a second run that renames a KPI and a municipality,
# changes one value, leaves others alone and deletes one (an incremental
# pull's isdeleted): exact counts, type-2 history, and the deletion.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json"

first="$work/20261101T020000Z-loadtest"
fixture_kolada "$first" "Andel nöjda" <<'ROWS'
N00001|0000|2023|T|50|1|\N|s1
N00001|0180|2023|T|60|1|\N|s1
N00001|0182|2023|T|40|1|\N|s1
N00001|0114|2023|T|30|1|\N|s1
ROWS
fixture_done "$first"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$first" 2>"$work/log" ||
    fail "first load: $(cat "$work/log")"
assert_reconciled "$first"

# The second run: N00001 has a new title, Nacka a new name, 0180 a new
# value, 0114 is deleted, 0182 and Riket are the same, 0001 is new.
second="$work/20261102T020000Z-loadtest"
fixture_kolada "$second" "Andel brukare som är nöjda" <<'ROWS'
N00001|0000|2023|T|50|1|\N|s1
N00001|0180|2023|T|61.5|1|\N|s1
N00001|0182|2023|T|40|1|\N|s1
N00001|0001|2023|T|52|1|\N|s1
ROWS
sed -i 's/^0182\tNacka\t/0182\tNacka kommun\t/' "$second/transform/dim_area.copy"
sha=$(sha256sum "$second/transform/dim_area.copy" | cut -d' ' -f1)
sed -i "s/^dim_area \(.*\) [0-9a-f]*\$/dim_area \1 $sha/" "$second/transform/.tables"
fixture_table "$second" fact_kpi_value_deleted "$FIXTURE_DELETED_COLS" <<'ROWS'
N00001|0114|2023|T|s1
N00001|0114|2021|T|s1
ROWS
fixture_done "$second"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$second" 2>"$work/log" ||
    fail "second load: $(cat "$work/log")"
assert_reconciled "$second"

counts() { # table
    python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tables"][sys.argv[2]]; print(t["inserted"], t["updated"], t["deleted"], t["unchanged"])' \
        "$second/load/summary.json" "$1"
}
assert_eq "1 1 1 2" "$(counts fact_kpi_value)" "fact counts: 0001 new, 0180 changed, 0114 deleted, 2 unchanged"
assert_eq "0 1 0 1" "$(counts dim_kpi)" "one KPI retitled"
assert_eq "0 1 0 5" "$(counts dim_area)" "one municipality renamed"
assert_eq "1 1 0 0" "$(counts dim_kpi_history)" "KPI history: one closed, one opened"
assert_eq "1 1 0 0" "$(counts dim_area_history)" "area history: one closed, one opened"

assert_eq 61.5 "$(pg_value "SELECT value FROM nyckel.fact_kpi_value WHERE area_id = '0180'")" "changed value"
assert_eq 0 "$(pg_value "SELECT count(*) FROM nyckel.fact_kpi_value WHERE area_id = '0114'")" "deleted value is gone"
assert_eq "20261101T020000Z-loadtest" \
    "$(pg_value "SELECT r.run_id FROM nyckel.fact_kpi_value f JOIN nyckel.run r ON r.run_key = f.run_key WHERE f.area_id = '0182'")" \
    "an unchanged value keeps the run that loaded it"
assert_eq "20261102T020000Z-loadtest|file:///demo/20261102T020000Z-loadtest.json" \
    "$(pg_value "SELECT r.run_id, s.uri FROM nyckel.fact_kpi_value f JOIN nyckel.run r ON r.run_key = f.run_key JOIN nyckel.dim_source s ON s.source_key = f.source_key WHERE f.area_id = '0180'")" \
    "a changed value records the new run and source"

assert_eq "Andel brukare som är nöjda" "$(pg_value "SELECT title FROM nyckel.dim_kpi WHERE kpi_id = 'N00001'")" "current title"
assert_eq "Andel nöjda|f|f
Andel brukare som är nöjda|t|t" \
    "$(pg_value "SELECT title, is_current, valid_to IS NULL FROM nyckel.dim_kpi_history WHERE kpi_id = 'N00001' ORDER BY valid_from")" \
    "title history"
assert_eq "t" "$(pg_value "SELECT h1.valid_to = h2.valid_from FROM nyckel.dim_kpi_history h1 JOIN nyckel.dim_kpi_history h2 ON h2.kpi_id = h1.kpi_id AND h2.is_current WHERE h1.kpi_id = 'N00001' AND NOT h1.is_current")" \
    "the old title ends where the new one starts"
assert_eq "Nacka|Nacka kommun" \
    "$(pg_value "SELECT string_agg(title, '|' ORDER BY valid_from) FROM nyckel.dim_area_history WHERE area_id = '0182'")" \
    "name history"
assert_eq 1 "$(pg_value "SELECT count(*) FROM nyckel.dim_kpi_history WHERE kpi_id = 'N00002'")" "an unchanged title has one history row"
