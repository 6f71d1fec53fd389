# load_first.test.sh: into an empty fact table the Kolada values are copied
# straight in (load/first_load.c), not staged and merged.  The warehouse
# that path leaves is the one the merge leaves: the same values, sources,
# runs, inferred dimensions, constraints and benchmark.  A second load of
# the run changes nothing, and each bad row of the values file fails the
# load with its line number, leaving the warehouse as it was.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json"

# RUN: two sources; values of both KPIs, of one KPI (N00009), one area
# (0999) and one year (2021) no dimension file has.
values_run() {
    fixture_run "$1"
    fixture_table "$1" source source_ref,uri,sha256,size,fetched_at <<ROWS
s1|file:///first/1.json|$(printf '1' | sha256sum | cut -d' ' -f1)|100|2026-11-23T02:00:01Z
s2|file:///first/2.json|$(printf '2' | sha256sum | cut -d' ' -f1)|200|2026-11-23T02:00:02Z
ROWS
    fixture_kolada_dimensions "$1" "Andel nöjda"
    awk 'BEGIN {
        split("N00001 N00002 N00009", kpis, " "); split("0000 0001 0180 0182 0114 0999", areas, " ")
        split("2021 2022 2023", years, " "); split("T K M", genders, " ")
        n = 0
        for (k = 1; k <= 3; k++) for (a = 1; a <= 6; a++) for (y = 1; y <= 3; y++) for (g = 1; g <= 3; g++) {
            n++
            value = n % 7 == 0 ? "\\N" : (n * 37) % 101 / 4
            status = n % 11 == 0 ? "preliminary" : "\\N"
            printf "%s|%s|%s|%s|%s|%d|%s|s%d\n", kpis[k], areas[a], years[y], genders[g], value, n % 5, status, n % 2 + 1
        } }' | fixture_table "$1" fact_kpi_value "$FIXTURE_FACT_COLS"
}

counts() { # RUN: inserted updated deleted unchanged of fact_kpi_value
    python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tables"]["fact_kpi_value"]; print(t["inserted"], t["updated"], t["deleted"], t["unchanged"])' "$1/load/summary.json"
}
# What the two paths must leave alike, with the keys the warehouse makes
# itself (source_key, run_key) replaced by what they stand for.
content() {
    pg_value "SELECT md5(string_agg(t, E'\n' ORDER BY t COLLATE \"C\")) FROM (
        SELECT concat_ws('|', f.kpi_id, f.area_id, f.period_id, f.gender, f.value, f.value_count,
                         f.status, s.uri, s.sha256, r.run_id) FROM nyckel.fact_kpi_value f
        JOIN nyckel.dim_source s USING (source_key) JOIN nyckel.run r ON r.run_key = f.run_key
        UNION ALL SELECT concat_ws('|', kpi_id, title, is_inferred) FROM nyckel.dim_kpi
        UNION ALL SELECT concat_ws('|', area_id, title, area_type, is_inferred) FROM nyckel.dim_area
        UNION ALL SELECT concat_ws('|', period_id, granularity, year) FROM nyckel.dim_period
        UNION ALL SELECT b::text FROM mart.benchmark b
        UNION ALL SELECT g::text FROM mart.benchmark_peer_group g) x(t)"
}
new_database() {
    PGDATABASE=$1
    psql -X -q -d postgres -c "CREATE DATABASE $1" >/dev/null
}

run="$work/20261123T020000Z-first"
values_run "$run"
fixture_done "$run"
values=$(($(wc -l <"$run/transform/fact_kpi_value.copy")))

# The first load, into an empty warehouse.
new_database nyckel_first
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$run" --verbose 2>"$work/first.log" ||
    fail "first load failed: $(cat "$work/first.log")"
assert_contains "$(cat "$work/first.log")" "copied $values values straight into fact_kpi_value (a first load)" \
    "the first load copies the values straight in"
assert_not_contains "$(cat "$work/first.log")" "bulk-inserted" "no merge of the values"
assert_eq "$values 0 0 0" "$(counts "$run")" "first load counts"
assert_eq "t|t|t" "$(pg_value "SELECT bool_and(is_inferred) FILTER (WHERE kpi_id = 'N00009'),
    (SELECT is_inferred FROM nyckel.dim_area WHERE area_id = '0999'),
    (SELECT count(*) = 1 FROM nyckel.dim_period WHERE period_id = '2021')
    FROM nyckel.dim_kpi")" "ids no dimension file had are inferred"
first_content=$(content)
first_definitions=$(fact_definitions)
assert_eq "0" "$(pg_value "SELECT count(*) FROM staging.fact_kpi_value")" "nothing staged"

# The same run through the merge: a warehouse that already holds one of
# its values, with another value, which the load updates.
new_database nyckel_merged
before="$work/20261122T020000Z-before"
fixture_kolada "$before" "Andel nöjda" <<'ROWS'
N00001|0180|2022|T|99|1|\N|s1
ROWS
fixture_done "$before"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$before" 2>"$work/before.log" ||
    fail "load before failed: $(cat "$work/before.log")"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$run" --verbose 2>"$work/merged.log" ||
    fail "merged load failed: $(cat "$work/merged.log")"
assert_not_contains "$(cat "$work/merged.log")" "a first load" "the merge path"
assert_eq "$((values - 1)) 1 0 0" "$(counts "$run")" "merged load counts"
assert_eq "$first_definitions" "$(fact_definitions)" "the same constraints and indexes"
# The earlier run's source stays in dim_source; the values point at the run's own.
assert_eq "$first_content" "$(content)" "the first load leaves what the merge leaves"

# Loading the run again changes nothing.
PGDATABASE=nyckel_first
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$run" --verbose 2>"$work/again.log" ||
    fail "second load failed: $(cat "$work/again.log")"
assert_not_contains "$(cat "$work/again.log")" "a first load" "a second load merges"
assert_eq "0 0 0 $values" "$(counts "$run")" "second load counts"
assert_eq "$first_content" "$(content)" "second load leaves the warehouse as it was"

assert_values_keyed "the first load"

# Bad rows, each into a warehouse whose fact table is empty: the load fails
# with the file and line, and the warehouse stays as it was.
# A run without values leaves the fact table as the migrations made it.
new_database nyckel_bad
dims="$work/20261121T020000Z-dims"
fixture_run "$dims"
fixture_table "$dims" source source_ref,uri,sha256,size,fetched_at </dev/null
fixture_kolada_dimensions "$dims" "Andel nöjda"
fixture_done "$dims"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$dims" 2>"$work/dims.log" ||
    fail "dimensions-only load failed: $(cat "$work/dims.log")"
assert_eq "$(fact_definitions)" "$first_definitions" "the first load rebuilt the migrations' keys"
state=$(warehouse_state)
bad_load() { # NAME EXPECTED-MESSAGE: the values on stdin
    bad="$work/20261124T020000Z-$1"
    fixture_kolada "$bad" "Andel nöjda"
    fixture_done "$bad"
    STDERR_FILE="$work/bad.log" expect_exit 65 "$BIN/nyckel-load" --job "$work/job.json" --run-dir "$bad"
    assert_contains "$(cat "$work/bad.log")" "$bad/transform/fact_kpi_value.copy $2" "$1"
    assert_eq "$state" "$(warehouse_state)" "$1: the warehouse as it was"
}
printf 'N00001|0180|2022|T|1|1|\\N|s1\nN00001|\\N|2022|T|2|1|\\N|s1\n' |
    bad_load empty-key 'line 2: area_id is empty'
printf 'N00001|0180|2022|T|1|1|\\N|s1\nN00001|0182|2022|T|2|1|\\N|s1\nN00001|0114|2022|T|3|1|\\N|s7\n' |
    bad_load unknown-source 'line 3: source_ref \"s7\" is not in transform/source.copy'
printf 'N00001|0180|2022|T|1|1|s1\n' |
    bad_load short-row 'line 1: expected 8 tab-separated fields, found 7'
printf 'N00001|0180|2022|T|1|1|\\N|\\N\n' |
    bad_load empty-source 'line 1: source_ref is empty'

# The same checks hold on the merge path, where the values are staged.
printf 'N00001|0180|2022|T|1|1|\\N|s1\nN00001|0182|\\N|T|2|1|\\N|s1\n' >"$work/bad-merge.rows"
PGDATABASE=nyckel_merged
state=$(warehouse_state)
bad_load merge-empty-key 'line 2: period_id is empty' <"$work/bad-merge.rows"
