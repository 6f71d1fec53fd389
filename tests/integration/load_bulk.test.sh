# load_bulk.test.sh: a load that brings many new values compared with what
# the warehouse holds takes the bulk path (keys, indexes and foreign keys of
# the fact table dropped, rows inserted, all rebuilt): the counts are exact,
# the table ends with the same constraints, still enforced (the Kolada
# values' key and check; the unit values' foreign keys too), a reload
# changes nothing, and a repeated key in the staged file still fails the
# load, also into an empty warehouse, where the fact table's primary key
# finds it.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json"

small_facts() {
    cat <<'ROWS'
N00001|0000|2023|T|50|1|\N|s1
N00001|0180|2023|T|60|1|\N|s1
N00001|0182|2023|T|40|1|\N|s1
ROWS
}
# 6 000 inferred KPIs × 2 municipalities × 1 year: 12 000 values.
many_facts() {
    awk 'BEGIN { for (k = 0; k < 6000; k++) {
        printf "B%05d|0180|2022|T|%d|1|\\N|s1\n", k, k % 97
        printf "B%05d|0114|2022|T|%d|1|\\N|s1\n", k, (k * 7) % 101 } }'
}
counts() { # RUN: inserted updated deleted unchanged of fact_kpi_value
    python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tables"]["fact_kpi_value"]; print(t["inserted"], t["updated"], t["deleted"], t["unchanged"])' "$1/load/summary.json"
}

small="$work/20261123T020000Z-loadtest"
small_facts | fixture_kolada "$small" "Andel nöjda"
fixture_done "$small"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$small" --verbose 2>"$work/small.log" ||
    fail "small load failed: $(cat "$work/small.log")"
assert_reconciled "$small"
assert_contains "$(cat "$work/small.log")" "a first load" "into the empty table the values are copied"
before=$(fact_definitions)
assert_contains "$before" "PRIMARY KEY (kpi_id, area_id, period_id, gender) true" "key before"
assert_contains "$before" "fact_kpi_value_area ON nyckel.fact_kpi_value" "area index before"

big="$work/20261124T020000Z-loadtest"
{ small_facts; many_facts; } | fixture_kolada "$big" "Andel nöjda"
fixture_done "$big"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$big" --verbose 2>"$work/big.log" ||
    fail "bulk load failed: $(cat "$work/big.log")"
assert_reconciled "$big"
assert_contains "$(cat "$work/big.log")" "bulk-inserted 12000 rows into fact_kpi_value" "bulk path taken"
assert_eq "12000 0 0 3" "$(counts "$big")" "bulk load counts"
assert_eq "12003" "$(pg_value 'SELECT count(*) FROM nyckel.fact_kpi_value')" "fact rows"
assert_eq "$before" "$(fact_definitions)" "keys, indexes and foreign keys rebuilt as they were"
assert_eq "12002" "$(pg_value 'SELECT count(*) FROM mart.benchmark')" "benchmark rows"
assert_eq "1|2|1" "$(pg_value "SELECT rank, ranked_count, quartile FROM mart.benchmark WHERE kpi_id = 'B00005' AND area_id = '0114'")" \
    "rank after the bulk load (35 against 5)"

assert_values_keyed "the bulk load"

# Unit values: their fact table keeps its foreign keys (the Kolada values'
# are the merge's, migration 022), dropped and rebuilt, still enforced.
ou_facts() { # COUNT
    awk -v n="$1" 'BEGIN { for (k = 0; k < n; k++)
        printf "B%05d|V%05d|2022|T|%d|1|\\N|s1\n", k % 6000, k / 6000, k % 89 }'
}
unit_run() { # RUN COUNT
    fixture_run "$1"
    fixture_source "$1"
    ou_facts "$2" | fixture_table "$1" fact_ou_value "$FIXTURE_OU_FACT_COLS"
    fixture_done "$1"
}
units="$work/20261124T030000Z-loadtest"
unit_run "$units" 3
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$units" 2>"$work/units.log" ||
    fail "unit load failed: $(cat "$work/units.log")"
units_before=$(fact_definitions fact_ou_value)
assert_contains "$units_before" "FOREIGN KEY (kpi_id) REFERENCES nyckel.dim_kpi(kpi_id) true" "unit FKs before"
units="$work/20261124T040000Z-loadtest"
unit_run "$units" 12000
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$units" --verbose 2>"$work/units.log" ||
    fail "unit bulk load failed: $(cat "$work/units.log")"
assert_contains "$(cat "$work/units.log")" "bulk-inserted 11997 rows into fact_ou_value" "unit bulk path taken"
assert_eq "$units_before" "$(fact_definitions fact_ou_value)" "unit keys and foreign keys rebuilt as they were"
out=$(psql -X -q -v ON_ERROR_STOP=1 -c "INSERT INTO nyckel.fact_ou_value (kpi_id, ou_id, period_id, gender, source_key, run_key) SELECT 'NOPE', ou_id, period_id, gender, source_key, run_key FROM nyckel.fact_ou_value LIMIT 1" 2>&1) &&
    fail "a unit value with an unknown KPI was accepted after the bulk load"
assert_contains "$out" "fact_ou_value_kpi_id_fkey" "unit foreign key enforced after the bulk load"

"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$big" 2>"$work/again.log" ||
    fail "reload failed: $(cat "$work/again.log")"
assert_eq "0 0 0 12003" "$(counts "$big")" "reload changes nothing"

twice="$work/20261125T020000Z-loadtest"
{ small_facts; many_facts; many_facts | tail -1 | sed 's/|1|/|2|/'; } | fixture_kolada "$twice" "Andel nöjda"
fixture_done "$twice"
STDERR_FILE="$work/twice.log" expect_exit 65 "$BIN/nyckel-load" --job "$work/job.json" --run-dir "$twice"
assert_contains "$(cat "$work/twice.log")" "transform/fact_kpi_value.copy: key (kpi_id, area_id, period_id, gender) = (B05999, 0114, 2022, T) appears twice" \
    "repeated key named"
assert_eq "12003" "$(pg_value 'SELECT count(*) FROM nyckel.fact_kpi_value')" "failed load changed nothing"
assert_eq "0" "$(pg_value "SELECT count(*) FROM pg_indexes WHERE schemaname = 'staging'")" "no index left on staging"

# Into an empty warehouse the staging check is left to the fact table's own
# primary key (rebuilt by the bulk path, or checked row by row): a repeated
# key is still named the same way, and the failed load leaves nothing, so
# the corrected run then loads every value.
for size in many few; do
    PGDATABASE=nyckel_empty_$size
    psql -X -q -d postgres -c "CREATE DATABASE $PGDATABASE" >/dev/null
    if [ "$size" = many ]; then facts=many_facts; expected=12000; else facts=small_facts; expected=3; fi
    repeated="$work/20261126T020000Z-$size"
    { $facts; $facts | tail -1 | sed 's/|1|/|2|/'; } | fixture_kolada "$repeated" "Andel nöjda"
    fixture_done "$repeated"
    STDERR_FILE="$work/empty.log" expect_exit 65 "$BIN/nyckel-load" --job "$work/job.json" --run-dir "$repeated"
    last=$($facts | tail -1 | cut -d'|' -f1-4 | sed 's/|/, /g')
    assert_contains "$(cat "$work/empty.log")" \
        "transform/fact_kpi_value.copy: key (kpi_id, area_id, period_id, gender) = ($last) appears twice" \
        "repeated key named on an empty warehouse ($size)"
    corrected="$work/20261127T020000Z-$size"
    $facts | fixture_kolada "$corrected" "Andel nöjda"
    fixture_done "$corrected"
    "$BIN/nyckel-load" --job "$work/job.json" --run-dir "$corrected" 2>"$work/empty.log" ||
        fail "corrected load failed: $(cat "$work/empty.log")"
    assert_eq "$expected" "$(pg_value 'SELECT count(*) FROM nyckel.fact_kpi_value')" \
        "the corrected run loads every value ($size)"
    assert_eq "0" "$(pg_value "SELECT count(*) FROM pg_indexes WHERE schemaname = 'staging'")" \
        "no index left on staging ($size)"
done
