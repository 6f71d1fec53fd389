# report_marts.test.sh: the marts read right (migration 013).  Names sort
# the Swedish way under the test cluster's own collation; a difference
# carries no floating-point noise; a KPI of unknown direction is ranked by
# value and says so; the warehouse's reviewed direction ranks N00945 lower
# first; a direction set in nyckel.kpi_direction ranks again at the next load
# though no value changed; a job's direction wins; ranks within a group.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json"

write_run() { # RUN
    fixture_run "$1"
    fixture_table "$1" source source_ref,uri,sha256,size,fetched_at <<ROWS
s1|file:///demo/kolada.json|$(printf '%064d' 7)|100|2026-11-23T02:00:01Z
ROWS
    fixture_table "$1" dim_kpi "$FIXTURE_KPI_COLS" <<'ROWS'
N00001|Andel i särskilt boende|\N|Äldreomsorg|f|K|f|\N|K|Resurser
N00945|Kostnad äldreomsorg, kr/inv 80+|\N|Äldreomsorg|f|K|f|\N|K|Resurser
ROWS
    fixture_table "$1" dim_area "$FIXTURE_AREA_COLS" <<'ROWS'
0000|Riket|country|\N|\N|\N
0001|Region Exempel|region|L|01|\N
1286|Ystad|municipality|K|01|0001
1492|Åmål|municipality|K|01|0001
0765|Älmhult|municipality|K|01|0001
1407|Öckerö|municipality|K|01|0001
G1|Tre kommuner|group|\N|\N|\N
ROWS
    fixture_table "$1" area_group_member group_id,member_id <<'ROWS'
G1|1286
G1|1492
G1|0765
ROWS
    fixture_table "$1" fact_kpi_value "$FIXTURE_FACT_COLS" <<'ROWS'
N00001|0000|2023|T|51.6|1|\N|s1
N00001|1286|2023|T|52.5|1|\N|s1
N00001|1492|2023|T|60|1|\N|s1
N00001|0765|2023|T|40|1|\N|s1
N00001|1407|2023|T|45|1|\N|s1
N00945|0000|2023|T|180|1|\N|s1
N00945|1286|2023|T|100|1|\N|s1
N00945|1492|2023|T|200|1|\N|s1
N00945|0765|2023|T|300|1|\N|s1
N00945|1407|2023|T|150|1|\N|s1
ROWS
    fixture_done "$1"
}
load() { # RUN [JOB]
    write_run "$1"
    "$BIN/nyckel-load" --job "${2:-$work/job.json}" --run-dir "$1" 2>"$work/log" ||
        fail "load $1: $(cat "$work/log")"
}
bench() { # KPI AREA COLUMNS
    pg_value "SELECT $3 FROM mart.benchmark WHERE kpi_id = '$1' AND area_id = '$2'"
}
load "$work/20261101T020000Z-loadtest"

collation=$(pg_value "SELECT datcollate FROM pg_database WHERE datname = current_database()")
assert_eq "C.UTF-8" "$collation" "the cluster's own collation puts Ä before Å"
assert_eq "Ystad,Åmål,Älmhult,Öckerö" \
    "$(pg_value "SELECT string_agg(area_title, ',' ORDER BY area_title) FROM mart.benchmark
                 WHERE kpi_id = 'N00001'")" "municipalities in Swedish order"
assert_eq "0.9|1.74" "$(bench N00001 1286 'difference_to_riket, difference_to_riket_percent')" \
    "52.5 - 51.6 without floating-point noise"

ranked='rank, direction, higher_is_better, direction_source'
assert_eq "2|unknown||" "$(bench N00001 1286 "$ranked")" \
    "unknown direction: ranked by value, highest first, and said so"
assert_eq "unknown" \
    "$(pg_value "SELECT direction FROM mart.kpi_direction WHERE kpi_id = 'N00001'")" \
    "mart.kpi_direction says unknown"
assert_eq "1|lower|f|warehouse" "$(bench N00945 1286 "$ranked")" \
    "the shipped list: cost per resident, lower is better"
assert_eq "4|3|3" "$(pg_value "SELECT national_rank, group_rank, group_ranked_count
                              FROM mart.benchmark_peer_group
                              WHERE kpi_id = 'N00945' AND area_id = '0765' AND group_id = 'G1'")" \
    "Älmhult: fourth of all, third of its group"

pg_value "INSERT INTO nyckel.kpi_direction (kpi_id, higher_is_better, reason)
          VALUES ('N00001', false, 'Test: färre är bättre. / Test: fewer is better.')"
assert_eq "N00001" \
    "$(pg_value "SELECT string_agg(kpi_id, ',') FROM nyckel.kpi_direction_pending")" \
    "the change is noted"
expect_exit 1 psql -X -q -v ON_ERROR_STOP=1 \
    -c "INSERT INTO nyckel.kpi_direction (kpi_id, higher_is_better) VALUES ('N00002', true)"
assert_contains "$(cat "$STDERR_FILE")" 'column "reason"' "a direction needs its reason"
load "$work/20261102T020000Z-loadtest"
assert_eq "3|lower|f|warehouse" "$(bench N00001 1286 "$ranked")" \
    "ranked again by the new direction though no value changed"
assert_eq "0" "$(pg_value "SELECT count(*) FROM nyckel.kpi_direction_pending")" "nothing pending"

fixture_job "$work/higher.json" '{"kpi_direction": {"N00945": "higher"}}'
load "$work/20261103T020000Z-loadtest" "$work/higher.json"
assert_eq "4|higher|t|job" "$(bench N00945 1286 "$ranked")" \
    "the job's direction wins over the warehouse's"
