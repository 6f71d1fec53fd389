# load_benchmark_partial.test.sh: a load whose facts touch one KPI
# rewrites the stored benchmark's slices of the values it changed only,
# and what it leaves is exactly what a full recomputation gives: ranks, the
# previous year, deletions and group means included.  A changed dimension
# recomputes all.
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

# The benchmark as SQL computes it from the facts, independently of the
# loader's own computation (load/marts/benchmark.c): PostgreSQL's rank() and avg().
reference_rows="
    WITH municipal AS (
        SELECT f.kpi_id, f.area_id, a.county_region_id, f.period_id, p.year, f.gender, f.value,
               coalesce(s.higher_is_better, true) AS higher_is_better
        FROM nyckel.fact_kpi_value f
        JOIN nyckel.dim_area a ON a.area_id = f.area_id AND a.area_type = 'municipality'
        JOIN nyckel.dim_period p ON p.period_id = f.period_id AND p.granularity = 'year'
        LEFT JOIN nyckel.kpi_setting s ON s.kpi_id = f.kpi_id
    ), ranked AS (
        SELECT m.*, CASE WHEN m.value IS NOT NULL THEN rank() OVER w END AS rank,
               count(m.value) OVER (PARTITION BY m.kpi_id, m.year, m.gender) AS ranked_count
        FROM municipal m
        WINDOW w AS (PARTITION BY m.kpi_id, m.year, m.gender
                     ORDER BY CASE WHEN m.higher_is_better THEN -m.value ELSE m.value END NULLS LAST)
    )
    SELECT r.kpi_id, r.area_id, r.period_id, r.year, r.gender, r.value, riket.value,
           r.county_region_id, region.value, r.higher_is_better, r.rank::integer,
           r.ranked_count::integer, previous.value
    FROM ranked r
    LEFT JOIN nyckel.fact_kpi_value riket ON riket.kpi_id = r.kpi_id AND riket.area_id = '0000'
          AND riket.period_id = r.period_id AND riket.gender = r.gender
    LEFT JOIN nyckel.fact_kpi_value region ON region.kpi_id = r.kpi_id
          AND region.area_id = r.county_region_id AND region.period_id = r.period_id
          AND region.gender = r.gender
    LEFT JOIN nyckel.dim_period pp ON pp.granularity = 'year' AND pp.year = r.year - 1
    LEFT JOIN nyckel.fact_kpi_value previous ON previous.kpi_id = r.kpi_id
          AND previous.area_id = r.area_id AND previous.period_id = pp.period_id
          AND previous.gender = r.gender"
reference_means="
    SELECT m.group_id, f.kpi_id, f.period_id, f.gender, avg(f.value) AS group_mean,
           count(f.value)::integer AS members_with_value
    FROM nyckel.area_group_member m JOIN nyckel.fact_kpi_value f ON f.area_id = m.member_id
    GROUP BY m.group_id, f.kpi_id, f.period_id, f.gender"

# The stored benchmark against the reference: rows in one and not the
# other, both ways; means agree to rounding (the sums' order differs).
assert_as_if_full() { # WHAT
    assert_eq "0|0" "$(pg_value "SELECT
        (SELECT count(*) FROM ((TABLE mart.benchmark_value EXCEPT ($reference_rows))
                   UNION ALL (($reference_rows) EXCEPT TABLE mart.benchmark_value)) d),
        (SELECT count(*) FROM mart.benchmark_group_mean g FULL JOIN ($reference_means) r
             USING (group_id, kpi_id, period_id, gender)
         WHERE g.members_with_value IS DISTINCT FROM r.members_with_value
            OR (g.group_mean IS NULL) <> (r.group_mean IS NULL)
            OR abs(g.group_mean - r.group_mean) > 1e-9 * greatest(1, abs(r.group_mean)))")" \
        "$1: the stored benchmark is what a full recomputation gives"
}
row_versions() { # KPI: where each of its stored benchmark slices physically is
    pg_value "SELECT string_agg(ctid::text || xmin::text, ',' ORDER BY year, gender) FROM mart.benchmark_slice WHERE kpi_id = '$1'"
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
assert_contains "$(cat "$work/log")" "computed the whole benchmark from the loaded values" \
    "a first load computes all of it, from the values it copied"
assert_as_if_full "after the first load"
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
assert_contains "$(cat "$work/log")" "patched the benchmark: 2 slice(s) changed, 0 added, 0 emptied" \
    "only the changed slices: N00001's 2022 and 2023"
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
