# load_benchmark_partial.test.sh: a load whose facts touch one KPI
# recomputes the stored benchmark for that KPI only, and what it leaves is
# exactly what a full recomputation gives: ranks, the previous year,
# deletions and group means included.  A changed dimension recomputes all.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json"

load() { # RUN: load it, keep its log
    "$BIN/nyckel-load" --job "$work/job.json" --run-dir "$1" 2>"$work/log" ||
        fail "load $1: $(cat "$work/log")"
}

# The stored benchmark against a full recomputation: the rows in one and
# not the other, both ways, for ranks and for group means.
assert_as_if_full() { # WHAT
    assert_eq "0|0" "$(pg_value "SELECT
        (SELECT count(*) FROM ((TABLE mart.benchmark_value EXCEPT SELECT * FROM nyckel.benchmark_rows(NULL))
                   UNION ALL (SELECT * FROM nyckel.benchmark_rows(NULL) EXCEPT TABLE mart.benchmark_value)) d),
        (SELECT count(*) FROM ((TABLE mart.benchmark_group_mean EXCEPT SELECT * FROM nyckel.benchmark_group_means(NULL))
                   UNION ALL (SELECT * FROM nyckel.benchmark_group_means(NULL) EXCEPT TABLE mart.benchmark_group_mean)) d)")" \
        "$1: the stored benchmark is what a full recomputation gives"
}
row_versions() { # KPI: where each of its benchmark rows physically is
    pg_value "SELECT string_agg(ctid::text || xmin::text, ',' ORDER BY area_id, period_id) FROM mart.benchmark_value WHERE kpi_id = '$1'"
}
bench() { # AREA YEAR COLUMNS (KPI N00001, gender T)
    pg_value "SELECT $3 FROM mart.benchmark WHERE kpi_id = 'N00001' AND area_id = '$1' AND year = $2 AND gender = 'T'"
}

fixture_kolada "$work/20261123T020000Z-first" "Andel nöjda" <<'ROWS'
N00001|0000|2022|T|50|1|\N|s1
N00001|0000|2023|T|52|1|\N|s1
N00001|0180|2022|T|60|1|\N|s1
N00001|0180|2023|T|61|1|\N|s1
N00001|0182|2022|T|40|1|\N|s1
N00001|0182|2023|T|45|1|\N|s1
N00001|0114|2022|T|30|1|\N|s1
N00001|0114|2023|T|70|1|\N|s1
N00002|0180|2023|T|1000|1|\N|s1
N00002|0182|2023|T|800|1|\N|s1
N00002|0114|2023|T|900|1|\N|s1
ROWS
fixture_done "$work/20261123T020000Z-first"
load "$work/20261123T020000Z-first"
assert_contains "$(cat "$work/log")" "recomputed the whole benchmark" "a first load computes all of it"
assert_eq "2|3" "$(bench 0182 2022 'rank, ranked_count')" "Nacka second in 2022"
assert_eq "40|45|5" "$(bench 0182 2023 'previous_year_value, value, change_since_previous_year')" "Nacka since 2022"
untouched=$(row_versions N00002)

# An incremental pull: Nacka's 2022 value rose above Stockholm's (its 2022
# rank, and its 2023 change since the previous year), and Upplands Väsby's
# 2023 value was withdrawn.
next="$work/20261124T020000Z-incremental"
fixture_kolada "$next" "Andel nöjda" <<'ROWS'
N00001|0182|2022|T|65|1|\N|s1
ROWS
fixture_table "$next" fact_kpi_value_deleted "$FIXTURE_DELETED_COLS" <<'ROWS'
N00001|0114|2023|T|s1
ROWS
fixture_done "$next"
load "$next"
assert_contains "$(cat "$work/log")" "recomputed the benchmark for 1 KPI(s)" "only the staged KPI"
assert_eq "$untouched" "$(row_versions N00002)" "the other KPI's rows were not rewritten"
assert_eq "1|3" "$(bench 0182 2022 'rank, ranked_count')" "Nacka first in 2022"
assert_eq "2" "$(bench 0180 2022 'rank')" "Stockholm second in 2022"
assert_eq "65|45|-20" "$(bench 0182 2023 'previous_year_value, value, change_since_previous_year')" \
    "Nacka's change since the new 2022 value"
assert_eq "2|2" "$(bench 0182 2023 'rank, ranked_count')" "2023 ranks without the withdrawn value"
assert_eq "" "$(bench 0114 2023 'rank')" "the withdrawn value is gone"
assert_eq "62.5" "$(pg_value "SELECT group_mean FROM mart.benchmark_peer_group WHERE kpi_id = 'N00001' AND area_id = '0180' AND year = 2022")" \
    "group mean of Stockholm 60 and Nacka 65"
assert_as_if_full "after the incremental load"

# A KPI turned lower-is-better is a setting change that moves every rank of
# that KPI, though only another KPI's (unchanged) value was staged:
# everything is recomputed.
fixture_job "$work/job.json" '{"kpi_direction": {"N00002": "lower"}}'
turned="$work/20261125T020000Z-turned"
fixture_kolada "$turned" "Andel nöjda" <<'ROWS'
N00001|0180|2023|T|61|1|\N|s1
ROWS
fixture_done "$turned"
load "$turned"
assert_contains "$(cat "$work/log")" "recomputed the whole benchmark" "a setting change"
assert_eq "1|f" "$(pg_value "SELECT rank, higher_is_better FROM mart.benchmark WHERE kpi_id = 'N00002' AND area_id = '0182'")" \
    "Nacka's lower cost now ranks first"
assert_as_if_full "after the full recomputation"
