# load_benchmark_refresh.test.sh: a warehouse brought up to date by small
# loads serves the same benchmark as one loaded whole from the same data.
# A first load, then a scattered change (values changed, set to NULL or
# NaN, added where there were none, deleted, one deleted and delivered
# again, one slice emptied) and a
# publication (a new year for one KPI, a few corrections) patch the
# stored slices (load/marts.c); mart.benchmark and mart.benchmark_peer_group,
# dumped whole and sorted, must equal those of a first load of the final
# values into an empty database.  Ties, NULLs, a lower-is-better KPI, Riket,
# two regions and two groups are in the data.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json" '{"kpi_direction": {"N00003": "lower"}}'

# The values of each run (facts, deleted keys) and the final state, as
# fixture rows: deterministic, integers from 0 to 9 so that ties are many.
python3 - "$work" <<'PY'
import random, sys
work = sys.argv[1]
rng = random.Random(25)
municipalities = ["0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128",
                  "0136", "0180", "0182", "0305", "0319", "0330", "0331", "0360"]
areas = ["0000", "0001", "0003"] + municipalities
kpis = ["N00001", "N00002", "N00003", "N00004"]
def value():
    return "\\N" if rng.random() < 0.08 else str(rng.randrange(10))
state = {}
for k in kpis:
    for a in areas:
        for y in range(2015, 2023):
            for g in ("T", "K", "M"):
                if rng.random() < 0.9:
                    state[(k, a, str(y), g)] = value()
state[("N00001", "0114", "2020", "T")] = "NaN"
first = dict(state)

# Scattered (under a quarter of the warehouse, which is what is patched
# rather than recomputed): about 4 % changed, 1 % deleted, some missing
# values added,
# one more NaN, one slice (N00002, 2020, K) emptied and one (N00003, 2019,
# T) revised whole, again in the publication: more than its pending edits
# may hold.
change, deleted = {}, set()
for key in sorted(state):
    r = rng.random()
    if r < 0.04:
        change[key] = value()
    elif r < 0.05:
        deleted.add(key)
for k in kpis:
    for a in areas:
        key = (k, a, "2021", "M")
        if key not in state and rng.random() < 0.5:
            change[key] = value()
change[("N00004", "0180", "2021", "T")] = "NaN"
for a in municipalities:
    change[("N00003", a, "2019", "T")] = str(10 + rng.randrange(10))
deleted |= {key for key in state if key[0] == "N00002" and key[2] == "2020" and key[3] == "K"}
for key in deleted:
    change.pop(key, None)
    state.pop(key, None)
# One value withdrawn and delivered again in the same run: the merge
# deletes it first, then inserts it as new although it was noted as there.
again = next(key for key in sorted(state) if key[:2] == ("N00001", "0115"))
deleted.add(again)
change[again] = "7" if state[again] != "7" else "8"
state.update(change)

# A publication: 2023 for N00003 (lower is better), and 1 % corrections.
publication = {}
for k in ("N00003",):
    for a in areas:
        for g in ("T", "K", "M"):
            publication[(k, a, "2023", g)] = value()
for a in municipalities:
    publication[("N00003", a, "2019", "T")] = str(20 + rng.randrange(10))
for key in sorted(state):
    if rng.random() < 0.01:
        publication[key] = value()
state.update(publication)

def write(name, facts):
    with open("%s/%s.facts" % (work, name), "w") as f:
        for key in sorted(facts):
            f.write("|".join(key) + "|%s|1|\\N|s1\n" % facts[key])
write("first", first)
write("change", change)
write("publication", publication)
write("final", state)
with open(work + "/change.deleted", "w") as f:
    for key in sorted(deleted):
        f.write("|".join(key) + "|s1\n")
with open(work + "/areas", "w") as f:
    f.write("0000|Riket|country|\\N|\\N|\\N\n0001|Region Stockholm|region|L|01|\\N\n"
            "0003|Region Uppsala|region|L|03|\\N\n")
    for a in municipalities:
        f.write("%s|Kommun %s|municipality|K|%s|%s\n" % (a, a, a[:2], "0001" if a < "03" else "0003"))
    f.write("G1|Storstäder|group|\\N|\\N|\\N\nG2|Pendlingskommuner|group|\\N|\\N|\\N\n")
with open(work + "/members", "w") as f:
    for a in municipalities[::2]:
        f.write("G1|%s\n" % a)
    for a in municipalities[1:9]:
        f.write("G2|%s\n" % a)
PY

# write_run RUN VALUES LAST_YEAR [DELETED]: the run directory RUN with the
# values VALUES.facts, the years up to LAST_YEAR and the DELETED keys.
write_run() {
    run="$work/$1"
    fixture_run "$run"
    fixture_table "$run" source source_ref,uri,sha256,size,fetched_at <<ROWS
s1|file:///demo/$1.json|$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)|100|2026-11-23T02:00:01Z
ROWS
    fixture_table "$run" dim_kpi "$FIXTURE_KPI_COLS" <<'ROWS'
N00001|Andel nöjda|Andel|Äldreomsorg|t|K|f|\N|K|Kvalitet
N00002|Väntetid|Dagar|Äldreomsorg|t|K|f|\N|K|Kvalitet
N00003|Kostnad hemtjänst|kr per invånare|Äldreomsorg|t|K|f|\N|K|Resurser
N00004|Personalkontinuitet|Antal|Äldreomsorg|t|K|f|\N|K|Kvalitet
ROWS
    fixture_table "$run" dim_area "$FIXTURE_AREA_COLS" <"$work/areas"
    fixture_table "$run" area_group_member group_id,member_id <"$work/members"
    python3 -c 'import sys
for y in range(2015, int(sys.argv[1]) + 1): print("%d|year|%d|%d-01-01|%d-12-31" % (y, y, y, y))' "$3" |
        fixture_table "$run" dim_period period_id,granularity,year,start_date,end_date
    fixture_table "$run" fact_kpi_value "$FIXTURE_FACT_COLS" <"$work/$2.facts"
    [ -z "${4:-}" ] || fixture_table "$run" fact_kpi_value_deleted "$FIXTURE_DELETED_COLS" <"$4"
    fixture_done "$run"
}

load() { # RUN
    "$BIN/nyckel-load" --job "$work/job.json" --run-dir "$work/$1" 2>"$work/$1.log" ||
        fail "load $1: $(cat "$work/$1.log")"
}

# slices_as_computed WHAT: the stored slices, their pending edits folded in,
# are those one pass over all facts gives.
slices_as_computed() {
    assert_eq 0 "$(pg_value "WITH computed AS MATERIALIZED (TABLE nyckel.benchmark_slice_computed)
        SELECT count(*) FROM ((TABLE nyckel.benchmark_slice_folded EXCEPT TABLE computed)
                              UNION ALL (TABLE computed EXCEPT TABLE nyckel.benchmark_slice_folded)) d")" \
        "$1: the stored slices as computed from all facts"
}

dump() { # FILE: both marts, every column, sorted
    psql -X -A -t -q -v ON_ERROR_STOP=1 \
        -c "SELECT 'benchmark ' || b::text FROM mart.benchmark b" \
        -c "SELECT 'peer_group ' || p::text FROM mart.benchmark_peer_group p" | LC_ALL=C sort >"$1"
}

write_run 20261201T020000Z-first first 2022
load 20261201T020000Z-first
assert_contains "$(cat "$work/20261201T020000Z-first.log")" "computed the whole benchmark from the loaded values" \
    "the first load computes every slice"

write_run 20261202T020000Z-change change 2022 "$work/change.deleted"
load 20261202T020000Z-change
assert_contains "$(cat "$work/20261202T020000Z-change.log")" "patched the benchmark" \
    "the scattered change patches slices"
assert_contains "$(cat "$work/20261202T020000Z-change.log")" "1 emptied" \
    "the slice whose values were all deleted goes"
assert_eq "1 true" "$(pg_value "SELECT count(*) FILTER (WHERE (kpi_id, year, gender) = ('N00003', 2019, 'T'))
                     || ' ' || (count(*) > 10) FROM mart.benchmark_slice_edit")" \
    "changed slices keep their edits beside them"
slices_as_computed "after the scattered change"

write_run 20261203T020000Z-publication publication 2023
load 20261203T020000Z-publication
assert_contains "$(cat "$work/20261203T020000Z-publication.log")" "patched the benchmark" \
    "the publication patches slices, its new year's added"
assert_contains "$(cat "$work/20261203T020000Z-publication.log")" ", 1 rewritten with their edits" \
    "the slice revised whole twice is rewritten"
assert_eq 0 "$(pg_value "SELECT count(*) FROM mart.benchmark_slice_edit
                         WHERE (kpi_id, year, gender) = ('N00003', 2019, 'T')")" \
    "the rewritten slice's edits are gone"
slices_as_computed "after the publication"
dump "$work/refreshed"

psql -X -q -d postgres -c "CREATE DATABASE nyckel_whole" >/dev/null
PGDATABASE=nyckel_whole
write_run 20261203T020000Z-whole final 2023
load 20261203T020000Z-whole
dump "$work/whole"

assert_eq "$(grep -c '^peer_group' "$work/whole")" "$(grep -c '^peer_group' "$work/refreshed")" \
    "as many peer group rows"
[ "$(grep -c '^benchmark' "$work/whole")" -gt 500 ] || fail "the whole load's benchmark is too small to tell"
[ "$(grep -c '^peer_group' "$work/whole")" -gt 250 ] || fail "the whole load's peer groups are too few to tell"
diff "$work/whole" "$work/refreshed" >"$work/diff" ||
    fail "the refreshed marts differ from a whole load of the same values: $(head -6 "$work/diff")"

# nyckel.benchmark_fold against its definition: each value as many times
# as the slice and the added ones hold it, less the removed ones, sorted.
# Small arrays full of ties, with more removed than added, as many, fewer.
assert_eq 0 "$(pg_value "WITH slices AS (
    SELECT n, ARRAY(SELECT ((n * 31 + i * 17) % 6)::float8 FROM generate_series(1, n % 9) i
                    ORDER BY 1) AS better,
           ARRAY(SELECT ((n * 13 + i * 7) % 7)::float8 / (1 + n % 2) FROM generate_series(1, n % 4) i
                 ORDER BY 1) AS added
    FROM generate_series(1, 400) n
), edits AS (
    SELECT better, added, ARRAY(SELECT better[i] FROM generate_series(1, cardinality(better)) i
                                WHERE (i * n) % 3 = 1) AS removed
    FROM slices
)
SELECT count(*) FROM edits
WHERE nyckel.benchmark_fold(better, removed, added) IS DISTINCT FROM
      ARRAY(SELECT c.v FROM (SELECT v, sum(times)::integer AS times
                             FROM (SELECT unnest(better) AS v, 1 AS times
                                   UNION ALL SELECT unnest(added), 1
                                   UNION ALL SELECT unnest(removed), -1) x GROUP BY v) c,
                            generate_series(1, c.times) ORDER BY c.v)")" \
    "benchmark_fold gives the sorted values less the removed, with the added"
assert_contains "$(psql -X -A -t -q -c "SELECT nyckel.benchmark_fold('{1,2,2}', '{2,2,2}', '{3}')" 2>&1)" \
    "values to remove ({2,2,2}) are not all in the slice" \
    "a fold refuses to remove a value the slice does not hold as often"
