#!/bin/sh
# load_kill.sh (make check-kill): SIGKILL at random moments of first loads
# and of changed loads.  After every kill the warehouse is exactly as it was
# (every table of nyckel, mart and staging: row count and a checksum of its
# rows; the constraints and indexes, which a first load drops and
# rebuilds), the killed load's server process is gone within a few seconds
# (so is the warehouse lock), and the next load of the same run succeeds.
#
#   KILL_TRIALS=N   kills of each kind (default 10, so 20 in all)
#   CITUS=1         the same on a Citus coordinator with two workers
#                   (tests/lib/citus.sh; make check-citus runs it so): the
#                   state is also every shard copy's rows on every node, and
#                   after each kill Citus's recovery of two-phase commits
#                   (recover_prepared_transactions on the coordinator) must
#                   leave no prepared transaction on any node.  Without
#                   Citus installed it prints one "skipped" line.
#
# The data: 8 KPIs x 290 municipalities x 4 years x 3 genders, about
# 28 000 values, so that a load takes about a second; with the next load
# of each trial and the checks, 1.5 to 4.5 minutes in all.  A kill that comes
# after the load has finished is not counted; the trial is repeated.
set -eu
NYCKEL_ROOT=${NYCKEL_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/citus.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"
trials=${KILL_TRIALS:-10}
kpis=8
citus=${CITUS:-0}

work=$(mktemp -d)
if [ "$citus" = 1 ]; then
    citus_installed || { echo "skipped: citus is not installed"; rm -rf "$work"; exit 0; }
    citus_start
    trap 'citus_stop; rm -rf "$work"' EXIT
    fixture_job "$work/job.json" '{"citus": true}'
else
    pg_start
    trap 'pg_stop; rm -rf "$work"' EXIT
    fixture_job "$work/job.json"
fi
started=$(date +%s)

# values RUN SHIFT TITLE: the run's Kolada values, every 50th moved by SHIFT.
values() {
    fixture_run "$1"
    fixture_table "$1" source source_ref,uri,sha256,size,fetched_at <<ROWS
s1|file:///kill/$(basename "$1").json|$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)|100|2026-11-23T02:00:01Z
ROWS
    python3 - "$3" "$kpis" >"$work/dims" <<'PY'
import sys
KPIS = int(sys.argv[2])
for k in range(KPIS):
    title = sys.argv[1] if k == 0 else "Nyckeltal %d" % k
    print("N%05d|%s|\\N|Äldreomsorg|t|K|f|\\N|K|Kvalitet" % (k, title))
PY
    fixture_table "$1" dim_kpi "$FIXTURE_KPI_COLS" <"$work/dims"
    python3 -c 'print("0000|Riket|country|\\N|\\N|\\N")
for m in range(290): print("%04d|Kommun %d|municipality|K|01|\\N" % (1000 + m, m))' >"$work/areas"
    fixture_table "$1" dim_area "$FIXTURE_AREA_COLS" <"$work/areas"
    python3 - "$2" "$kpis" >"$work/facts" <<'PY'
import sys
KPIS = int(sys.argv[2])
shift, n = float(sys.argv[1]), 0
for k in range(KPIS):
    for m in range(290):
        for year in range(2020, 2024):
            for g in "TKM":
                value = (k * 7919 + m * 104729 + year * 31) % 10000 / 100.0
                print("N%05d|%04d|%d|%s|%.2f|1|\\N|s1"
                      % (k, 1000 + m, year, g, value + (shift if n % 50 == 0 else 0)))
                n += 1
PY
    fixture_table "$1" fact_kpi_value "$FIXTURE_FACT_COLS" <"$work/facts"
    fixture_done "$1"
}

# Every table's rows and the schema's constraints and indexes, as one line each.
state() {
    query=$(pg_value "SELECT string_agg(format(
        'SELECT %L, count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) FROM %s t',
        c.oid::regclass, c.oid::regclass), ' UNION ALL ' ORDER BY c.oid::regclass::text)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('nyckel', 'mart', 'staging') AND c.relkind IN ('r', 'p', 'm')")
    pg_value "SELECT * FROM ($query) x ORDER BY 1"
    pg_value "SELECT md5(string_agg(d, ';' ORDER BY d)) FROM (
        SELECT conrelid::regclass || conname || pg_get_constraintdef(oid) || convalidated
        FROM pg_constraint WHERE connamespace IN (SELECT oid FROM pg_namespace
            WHERE nspname IN ('nyckel', 'mart', 'staging'))
        UNION ALL SELECT indexdef FROM pg_indexes
        WHERE schemaname IN ('nyckel', 'mart', 'staging')) x(d)"
    [ "$citus" = 0 ] || placements_state
}

# On Citus: the coordinator finishes or rolls back what a killed load left
# prepared on the nodes; then none may be left anywhere.
recovered() { # KIND
    [ "$citus" = 1 ] || return 0
    pg_value "SELECT recover_prepared_transactions()" >/dev/null
    assert_eq "" "$(citus_on_nodes "SELECT gid FROM pg_prepared_xacts")" \
        "$1 killed: prepared transactions left after recovery"
}

runs() { pg_value "SELECT count(*) FROM nyckel.run"; }

loaders() { pg_value "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nyckel-load'"; }

load() { # RUN: a load that must succeed
    "$BIN/nyckel-load" --quiet --job "$work/job.json" --run-dir "$1" 2>"$work/log" ||
        fail "load of $(basename "$1"): $(cat "$work/log")"
}

# kill_once RUN MILLISECONDS: start a load of RUN, SIGKILL it after that
# long; false when it finished first, or when the kill came while the
# server was committing it (the commit then goes on without the client:
# on Citus the two-phase commit on every node takes long enough to be hit).
kill_once() {
    committed=$(runs)
    "$BIN/nyckel-load" --quiet --job "$work/job.json" --run-dir "$1" 2>/dev/null &
    pid=$!
    sleep "$(printf '%d.%03d' $(($2 / 1000)) $(($2 % 1000)))"
    kill -9 "$pid" 2>/dev/null || true
    set +e
    wait "$pid"
    code=$?
    set -e
    [ "$code" = 137 ] || return 1
    gone killed
    [ "$(runs)" = "$committed" ]
}

gone() { # the killed load's server process ends within 5 s
    tries=0
    until [ "$(loaders)" = 0 ]; do
        tries=$((tries + 1))
        [ "$tries" -lt 50 ] || fail "$1: the killed load's server process still runs after 5 s"
        sleep 0.1
    done
}

# The warehouse before any values: migrations and dimensions only.
dims="$work/20261101T000000Z-loadtest"
fixture_kolada "$dims" "Andel" </dev/null
fixture_done "$dims"
load "$dims"
[ "$citus" = 1 ] || psql -X -q -d postgres -c "CREATE DATABASE kill_empty TEMPLATE nyckel_test" >/dev/null
a="$work/20261102T000000Z-loadtest"
b="$work/20261103T000000Z-loadtest"
values "$a" 0 "Andel"
values "$b" 1.5 "Andel nöjda"

# How long a whole load takes: kills come anywhere from 2 % to 95 % of it.
t0=$(date +%s%N)
load "$a"
first_ms=$((($(date +%s%N) - t0) / 1000000))
t0=$(date +%s%N)
load "$b"
changed_ms=$((($(date +%s%N) - t0) / 1000000))
echo "a first load takes ${first_ms} ms, a changed load ${changed_ms} ms"

random_ms() { # TOTAL: a moment within it
    awk -v total="$1" -v seed="$(od -An -N4 -tu4 /dev/urandom)" \
        'BEGIN { srand(seed); printf "%d\n", total * (0.02 + 0.93 * rand()) }'
}

# trial KIND RUN TOTAL_MS: kill one load of RUN, check, then load it whole.
trial() {
    attempts=0
    while :; do
        before=$(state)
        kill_once "$2" "$(random_ms "$3")" && break
        attempts=$((attempts + 1))
        [ "$attempts" -lt 5 ] || fail "$1: the load kept finishing before the kill"
        recovered "$1"
        restore_before "$1"
    done
    recovered "$1"
    assert_eq "$before" "$(state)" "$1 killed: the warehouse must be as it was"
    load "$2"
}

restore_before() { # KIND: undo a load that finished before its kill
    if [ "$1" = first ]; then
        empty_warehouse
    else
        load "$current_other"
    fi
}

empty_warehouse() {
    if [ "$citus" = 1 ]; then # a template copies one node only
        citus_new_database
        load "$dims"
        return
    fi
    psql -X -q -d postgres -c "DROP DATABASE nyckel_test" \
        -c "CREATE DATABASE nyckel_test TEMPLATE kill_empty" >/dev/null
}

kills=0
for i in $(seq 1 "$trials"); do
    empty_warehouse
    trial first "$a" "$first_ms"
    kills=$((kills + 1))
done
# Changed loads: a and b in turn, each changing what the other loaded.
current_other=$a
next=$b
for i in $(seq 1 "$trials"); do
    trial changed "$next" "$changed_ms"
    kills=$((kills + 1))
    current_other=$next
    if [ "$next" = "$a" ]; then next=$b; else next=$a; fi
done
echo "check-kill$([ "$citus" = 0 ] || echo " (Citus)"): $kills loads killed, the warehouse unchanged each time, every next load succeeded ($(($(date +%s) - started)) s)"
