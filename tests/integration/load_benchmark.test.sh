# load_benchmark.test.sh: the marts against numbers worked out by hand:
# rank, quartile (with a tie, a NULL and a lower-is-better KPI), Riket,
# region, Kolada and job peer-group means, change since the previous year;
# internal figures beside Kolada; budget follow-up; and --dry-run.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json" '{
    "kpi_direction": {"N00002": "lower"},
    "peer_groups": [{"id": "r9", "title": "R9-nätverket", "members": ["0180", "1480", "0114"]}],
    "pairings": [{"measure": "hours", "kpi": "N00002", "rollup": "sum"}]}'

write_run() { # RUN VALUE_OF_0180_IN_2023
    fixture_run "$1"
    fixture_table "$1" source source_ref,uri,sha256,size,fetched_at <<ROWS
s1|file:///demo/kolada.json|$(printf '%064d' 7)|100|2026-11-23T02:00:01Z
s2|file:///share/budget.csv|$(printf '%064d' 8)|200|\N
ROWS
    fixture_table "$1" dim_kpi "$FIXTURE_KPI_COLS" <<'ROWS'
N00001|Andel nöjda|\N|Äldreomsorg|t|K|t|\N|K|Kvalitet
N00002|Kostnad hemtjänst|\N|Äldreomsorg|f|K|f|\N|K|Resurser
ROWS
    fixture_table "$1" dim_area "$FIXTURE_AREA_COLS" <<'ROWS'
0000|Riket|country|\N|\N|\N
0001|Region Stockholm|region|L|01|\N
0012|Region Skåne|region|L|12|\N
0014|Västra Götalandsregionen|region|L|14|\N
0180|Stockholm|municipality|K|01|0001
0182|Nacka|municipality|K|01|0001
0114|Upplands Väsby|municipality|K|01|0001
1480|Göteborg|municipality|K|14|0014
1280|Malmö|municipality|K|12|0012
G1|Storstäder i Stockholms län|group|\N|\N|\N
ROWS
    fixture_table "$1" area_group_member group_id,member_id <<'ROWS'
G1|0180
G1|0182
ROWS
    fixture_table "$1" dim_ou ou_id,municipality_id,title,parent_ou_id,ou_kind <<'ROWS'
V15E018000101|0180|Solgårdens äldreboende|\N|kolada
U0|0180|Äldreomsorg|\N|internal
U1|0180|Hemtjänst Norr|U0|internal
ROWS
    fixture_table "$1" dim_measure measure_id,title,unit,description <<'ROWS'
hours|Beviljade hemtjänsttimmar|timmar|\N
ROWS
    fixture_table "$1" fact_kpi_value "$FIXTURE_FACT_COLS" <<ROWS
N00001|0000|2023|T|50|1|\N|s1
N00001|0001|2023|T|55|1|\N|s1
N00001|0180|2023|T|$2|1|\N|s1
N00001|0180|2022|T|58|1|\N|s1
N00001|0182|2023|T|40|1|\N|s1
N00001|0114|2023|T|\N|0|\N|s1
N00001|1480|2023|T|70|1|\N|s1
N00001|1280|2023|T|40|1|\N|s1
N00002|0180|2023|T|1000|1|\N|s1
N00002|0182|2023|T|800|1|\N|s1
N00002|1480|2023|T|1200|1|\N|s1
ROWS
    fixture_table "$1" fact_ou_value kpi_id,ou_id,period_id,gender,value,value_count,status,source_ref <<'ROWS'
N00001|V15E018000101|2023|T|77|1|\N|s1
ROWS
    fixture_table "$1" fact_internal_value measure_id,ou_id,period_id,scenario,value,source_ref <<'ROWS'
hours|U1|2023-01|outcome|100|s2
hours|U1|2023-02|outcome|120|s2
hours|U1|2023-01|budget|110|s2
hours|U1|2023-01|forecast|105|s2
ROWS
    fixture_done "$1"
}

run="$work/20261123T020000Z-loadtest"
write_run "$run" 60
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$run" 2>"$work/log" ||
    fail "load: $(cat "$work/log")"
assert_reconciled "$run"

bench() { # AREA KPI COLUMNS
    pg_value "SELECT $3 FROM mart.benchmark WHERE area_id = '$1' AND kpi_id = '$2' AND period_id = '2023' AND gender = 'T'"
}
# N00001, higher is better: 1480 70, 0180 60, 0182 40, 1280 40 (tie), 0114 NULL.
# quartile = 1 + floor(4 (rank - 1) / 4)
assert_eq "1|4|1" "$(bench 1480 N00001 'rank, ranked_count, quartile')" "Göteborg first"
assert_eq "2|4|2" "$(bench 0180 N00001 'rank, ranked_count, quartile')" "Stockholm second"
assert_eq "3|3" "$(bench 0182 N00001 'rank, quartile')" "Nacka tied third"
assert_eq "3|3" "$(bench 1280 N00001 'rank, quartile')" "Malmö tied third"
assert_eq "||" "$(bench 0114 N00001 'value, rank, quartile')" "no value, no rank"
# Stockholm: Riket 50 → +10 and +20 %; region 0001 55; 2022 58 → +2.
assert_eq "60|50|10|20|0001|55|58|2" \
    "$(bench 0180 N00001 'value, riket_value, difference_to_riket, difference_to_riket_percent, region_id, region_value, previous_year_value, change_since_previous_year')" \
    "Stockholm against Riket, region and last year"
assert_eq "|0014" "$(bench 1480 N00001 'region_value, region_id')" "a region without a value"
# N00002, lower is better: 0182 800, 0180 1000, 1480 1200.
# quartiles 1 + floor(4 * 0 / 3) = 1, 1 + floor(4 / 3) = 2, 1 + floor(8 / 3) = 3.
assert_eq "1|1" "$(bench 0182 N00002 'rank, quartile')" "lower is better: Nacka first"
assert_eq "2|2" "$(bench 0180 N00002 'rank, quartile')" "lower is better: Stockholm second"
assert_eq "3|3|f" "$(bench 1480 N00002 'rank, quartile, higher_is_better')" "lower is better: Göteborg third"

peer() { # AREA GROUP
    pg_value "SELECT group_title, group_origin, group_mean, members_with_value, difference_to_group_mean FROM mart.benchmark_peer_group WHERE area_id = '$1' AND group_id = '$2' AND kpi_id = 'N00001' AND period_id = '2023' AND gender = 'T'"
}
# G1 (0180 60, 0182 40): mean 50.  r9 (0180 60, 1480 70, 0114 NULL): mean 65.
assert_eq "Storstäder i Stockholms län|kolada|50|2|10" "$(peer 0180 G1)" "Kolada group mean"
assert_eq "R9-nätverket|job|65|2|-5" "$(peer 0180 job:r9)" "job peer group mean"
assert_eq "3" "$(pg_value "SELECT count(*) FROM nyckel.area_group_member WHERE group_id = 'job:r9'")" "job group members"

assert_eq "Hemtjänst Norr|0180|2023|sum|220|2|1000" \
    "$(pg_value "SELECT ou_title, area_id, year, rollup, internal_value, months_with_data, kolada_value FROM mart.internal_vs_kolada WHERE ou_id = 'U1'")" \
    "internal hours for the year beside Kolada"
assert_eq "110|105|100|-10|-5|90.9" \
    "$(pg_value "SELECT budget, forecast, outcome, outcome_minus_budget, forecast_minus_budget, round(outcome_percent_of_budget::numeric, 1) FROM mart.budget_follow_up WHERE ou_id = 'U1' AND period_id = '2023-01'")" \
    "budget follow-up"
assert_eq "|120" "$(pg_value "SELECT budget, outcome FROM mart.budget_follow_up WHERE ou_id = 'U1' AND period_id = '2023-02'")" "a month without budget"
assert_eq "month|1|1|2|2023-02-01|2023-02-28" \
    "$(pg_value "SELECT granularity, half_year, quarter, month, start_date, end_date FROM nyckel.dim_period WHERE period_id = '2023-02'")" \
    "a month period inferred from its id"
assert_eq "U0|internal" "$(pg_value "SELECT parent_ou_id, ou_kind FROM nyckel.dim_ou WHERE ou_id = 'U1'")" "unit hierarchy"
assert_eq "77|kolada" "$(pg_value "SELECT f.value, o.ou_kind FROM nyckel.fact_ou_value f JOIN nyckel.dim_ou o USING (ou_id)")" "Kolada unit value"
assert_eq "f" "$(pg_value "SELECT higher_is_better FROM nyckel.kpi_setting WHERE kpi_id = 'N00002'")" "direction stored"

# --dry-run: reports the change, then leaves everything as it was.
snapshot() {
    pg_value "SELECT md5(string_agg(t, ',' ORDER BY t)) FROM (
        SELECT f.*::text FROM nyckel.fact_kpi_value f UNION ALL SELECT b.*::text FROM mart.benchmark b
        UNION ALL SELECT r.*::text FROM nyckel.run r) x(t)"
}
before=$(snapshot)
dry="$work/20261124T020000Z-loadtest"
write_run "$dry" 65
"$BIN/nyckel-load" --dry-run --job "$work/job.json" --run-dir "$dry" 2>"$work/log" ||
    fail "dry run: $(cat "$work/log")"
assert_eq "$before" "$(snapshot)" "a dry run changes nothing"
assert_eq "dry-run 0 1 0 10" \
    "$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); t=s["tables"]["fact_kpi_value"]; print(s["status"], t["inserted"], t["updated"], t["deleted"], t["unchanged"])' "$dry/load/summary.json")" \
    "the dry run reports what would change"
assert_contains "$(cat "$work/log")" "dry run" "the log says it was a dry run"
