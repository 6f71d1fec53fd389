#!/bin/sh
# run.sh: the national-scale benchmark behind `make bench` (see bench/README.md).
#
# Generates a Kolada-shaped data set (bench/gen_national.py), serves it from
# 127.0.0.1 (bench/serve_dataset.py), and times nyckel stage by stage against
# a throwaway PostgreSQL (tests/lib/pg.sh): a full refresh, an incremental
# refresh where nothing changed, one where 1 % of the values changed and
# 0.1 % were deleted, and a publication (a new year for a tenth of the KPIs,
# 0.1 % of the values corrected); after all but the no-change refresh, the
# stored benchmark is checked against a computation from all facts.  On the
# same data it times curl, plain COPY, pgloader and jq, runs the full
# refresh once more at a tenth of the size to see how
# memory scales, times the benchmark mart query, times transform on a
# row-level case-system export (bench/gen_case_rows.py: one row per
# placement, added up per unit, kind and month with distinct people), then
# prints the results and appends them to bench/RESULTS.md (bench/report.py
# does the arithmetic).
#
# Environment:
#   BENCH_VALUES        values in the data set (default 10000000)
#   BENCH_SCALE_VALUES  the smaller size for memory scaling (default a tenth;
#                       0 skips it)
#   BENCH_DIR           work folder (default a new /tmp/nyckel-bench.*, removed
#                       afterwards unless BENCH_KEEP=1)
#   BENCH_RESULTS       where results are appended (default bench/RESULTS.md;
#                       "-" appends nowhere)
#   BENCH_NOTE          a line of free text for the results (what else ran)
#   BENCH_CASE_ROWS     rows of the row-level case-system export (default
#                       1000000; 0 skips it)
#   BENCH_ONLY          "case-rows": only the row-level export (no server,
#                       no PostgreSQL, no other tool)
#   BENCH_CITUS         1: the full, no-change and 1 % refreshes loaded into a
#                       plain PostgreSQL and into a Citus coordinator with two
#                       workers, side by side (only that; see citus_bench)
#   BUILD               the build folder holding bin/ (default build)
set -eu

NYCKEL_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export NYCKEL_ROOT
BENCH=$NYCKEL_ROOT/bench
BIN=$NYCKEL_ROOT/${BUILD:-build}/bin
VALUES=${BENCH_VALUES:-10000000}
SCALE_VALUES=${BENCH_SCALE_VALUES:-$((VALUES / 10))}
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
CASE_ROWS=${BENCH_CASE_ROWS:-1000000}
ONLY=${BENCH_ONLY:-}
# The fixture server is on loopback; a proxy in the environment must not be used.
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost

tools="$BIN/nyckel-load psql jq pgloader hyperfine"
[ "$ONLY" != case-rows ] || tools=
[ "${BENCH_CITUS:-0}" != 1 ] || tools="$BIN/nyckel-load psql"
for tool in "$BIN/nyckel-extract" "$BIN/nyckel-transform" /usr/bin/time python3 $tools; do
    command -v "$tool" >/dev/null 2>&1 ||
        { echo "bench: $tool not found (make bench installs and builds everything)" >&2; exit 69; }
done

if [ -n "${BENCH_DIR:-}" ]; then
    WORK=$BENCH_DIR
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d /tmp/nyckel-bench.XXXXXX)
fi
chmod 755 "$WORK"
# A kept folder from an earlier run must not lend this one its state or files.
rm -rf "$WORK/scale" "$WORK/main" "$WORK/logs"
MEASUREMENTS=$WORK/measurements.tsv
: >"$MEASUREMENTS"
mkdir -p "$WORK/logs"
SERVER_PID=

# shellcheck source=tests/lib/pg.sh
. "$NYCKEL_ROOT/tests/lib/pg.sh"

stop_server() {
    [ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
    SERVER_PID=
}

cleanup() {
    stop_server
    pg_stop
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"
}

say() {
    printf 'bench: %s\n' "$*" >&2
}

# measure LABEL RUN_DIR VALUES BYTES command...: run the command under
# /usr/bin/time and add a line to the measurements: label, exit status, wall,
# user and system seconds, peak resident KiB, and what the throughput is
# counted over (a run directory, or values and bytes).  Returns the exit status.
measure() {
    m_label=$1 m_run=$2 m_values=$3 m_bytes=$4
    shift 4
    m_status=0
    # Files the steps before wrote (gigabytes of pages and run directories)
    # are written back now, not by the kernel during the measured command.
    sync
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.out" "$@" \
        >"$WORK/logs/$m_label.out" 2>"$WORK/logs/$m_label.err" || m_status=$?
    # The four numbers of time's last line become $1..$4.
    # shellcheck disable=SC2046
    set -- $(tail -1 "$WORK/time.out")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m_label" "$m_status" "$1" "$2" "$3" "$4" \
        "$m_run" "$m_values" "$m_bytes" >>"$MEASUREMENTS"
    if [ "$m_status" != 0 ]; then
        say "$m_label failed (exit $m_status); last lines of its log:"
        tail -5 "$WORK/logs/$m_label.err" | sed 's/^/    | /' >&2
    else
        say "$m_label: ${1}s, peak ${4} KiB"
    fi
    return "$m_status"
}

start_server() { # DATASET_DIR
    rm -f "$WORK/port" "$WORK/control.json"
    python3 "$BENCH/serve_dataset.py" "$1" --port-file "$WORK/port" \
        --log "$WORK/requests.log" --control "$WORK/control.json" 2>"$WORK/logs/server.err" &
    SERVER_PID=$!
    tries=0
    while [ ! -s "$WORK/port" ]; do
        tries=$((tries + 1))
        [ "$tries" -lt 600 ] || { say "the data set server did not start"; cat "$WORK/logs/server.err" >&2; exit 70; }
        sleep 0.1
    done
}

# write_job DIR DATASET_DIR: the job for one data set, served on $WORK/port.
write_job() {
    python3 - "$1" "$2" "$(cat "$WORK/port")" <<'EOF'
import json, sys
folder, dataset, port = sys.argv[1:]
with open(dataset + "/dataset.json") as f:
    d = json.load(f)
job = {
    "name": "bench",
    "description": "make bench: the generated national data set from the loopback server",
    "extract": [{
        "name": "kolada", "type": "kolada-api",
        "base_url": "http://127.0.0.1:%s/v3" % port,
        "kpis": d["kpis"], "areas": d["groups"],
        "all_municipalities": True, "all_regions": True, "riket": True,
        "years": "%d..%d" % (d["years"][0], d["publication_year"]),
        "incremental": True, "state_dir": "state",
        "rate_limit": 0, "concurrency": 4}],
    "transform": {"max_rejects": 0},
}
with open(folder + "/bench.json", "w") as f:
    json.dump(job, f, indent=2)
EOF
}

# settle: the maintenance the steps before left, done before a load, plain
# COPY or the mart query is timed.  The server runs without autovacuum
# (see below): with it, the vacuum of the ten million rows that plain COPY
# or pgloader had just written ran beside the next series' first load
# (pg_stat_activity showed it) and added seconds to it, while plain COPY,
# timed after the loads, met no such vacuum.  Between two nightly
# refreshes autovacuum has its time; here every database is vacuumed and
# analysed, unmeasured, instead.
settle() {
    vacuumdb --all --analyze --quiet >"$WORK/logs/settle.out" 2>&1 ||
        say "vacuumdb failed: $(tail -1 "$WORK/logs/settle.out")"
}

# refresh SIZE LABEL [--full]: one extract, transform, load into $PGDATABASE.
refresh() {
    size=$1 label=$2
    shift 2
    run=$WORK/$size/runs/$label
    measure "$size-$label-extract" "$run" - - \
        "$BIN/nyckel-extract" --job "$WORK/$size/bench.json" --run-dir "$run" "$@" &&
    measure "$size-$label-transform" "$run" - - \
        "$BIN/nyckel-transform" --job "$WORK/$size/bench.json" --run-dir "$run" &&
    settle &&
    measure "$size-$label-load" "$run" - - \
        "$BIN/nyckel-load" --job "$WORK/$size/bench.json" --run-dir "$run"
}

# machine_speed WHEN: how fast this machine is just now, noted in
# $WORK/speed.WHEN: MB/s of gzip -1 over the first 64 MB of the main data
# set (less when it is smaller), the median of three, by the wall clock.
# Its speed drifts by half within minutes; the report prints these so that
# runs can be compared.
# (One core's sha256, tried first, did not move when everything else slowed.)
machine_speed() {
    sample=$WORK/main/speed.sample
    [ -s "$sample" ] || head -c 64000000 "$WORK/main/data/rows.bin" >"$sample"
    for i in 1 2 3; do
        /usr/bin/time -f %e -o "$WORK/speed.time" gzip -1 -c "$sample" >/dev/null
        tail -1 "$WORK/speed.time"
    done | sort -n | sed -n 2p |
        awk -v bytes="$(wc -c <"$sample")" '$1 > 0 { printf "%.0f\n", bytes / 1e6 / $1 }' \
            >"$WORK/speed.$1" || true
}

# extract_again N: N more full pulls of the main data set, each into a run
# directory of its own, so that extract's MB/s is a median of three and not
# one reading of a machine whose speed drifts.  Only their manifests stay.
# Each starts after a sync, as the first did: the server runs with fsync off,
# and the load just before leaves its writes for the kernel to write back.
extract_again() {
    i=1
    while [ "$i" -le "$1" ]; do
        run=$WORK/main/runs/extract-again-$i
        sync
        measure "main-extract-again-$i" "$run" - - \
            "$BIN/nyckel-extract" --job "$WORK/main/bench.json" --run-dir "$run" --full || true
        rm -rf "$run/extract/raw"
        i=$((i + 1))
    done
}

# curl_pull: every response of the main full refresh fetched again by the
# curl tool, four at a time as extract does, bodies to files: what this
# machine and the loopback server give a client that does nothing with the
# pages (no parsing, checksums or raw-zone archive).  Timed right after
# extract's pulls, as the peer its MB/s is set against.
curl_pull() {
    pages=$WORK/main/curl-pages
    mkdir -p "$pages"
    bytes=$(python3 -c 'import json,sys
m = json.load(open(sys.argv[1] + "/extract/manifest.json"))
with open(sys.argv[3], "w") as config:
    for i, f in enumerate(m["files"]):
        config.write("url = \"%s\"\noutput = \"%s/%06d.json\"\n" % (f["uri"], sys.argv[2], i))
print(sum(f["size"] for f in m["files"]))' \
        "$WORK/main/runs/full" "$pages" "$WORK/main/curl.config")
    sync
    measure curl - - "$bytes" curl --parallel --parallel-max 4 --silent --show-error --fail \
        --config "$WORK/main/curl.config" || true
    rm -rf "$pages"
}

# fact_count LABEL: record the warehouse's number of values after a refresh,
# and how many of them the last load wrote.
fact_count() {
    n=$(psql -X -A -t -q -c "SELECT count(*) FROM nyckel.fact_kpi_value" 2>/dev/null || echo -)
    printf 'count-%s\t0\t0\t0\t0\t0\t-\t%s\t-\n' "$1" "$n" >>"$MEASUREMENTS"
    n=$(psql -X -A -t -q -c "SELECT count(*) FROM nyckel.fact_kpi_value
        WHERE run_key = (SELECT max(run_key) FROM nyckel.run)" 2>/dev/null || echo -)
    printf 'count-%s-written\t0\t0\t0\t0\t0\t-\t%s\t-\n' "$1" "$n" >>"$MEASUREMENTS"
}

# slice_check LABEL: record how many stored benchmark slices, their pending
# edits folded in (nyckel.benchmark_slice_folded), differ from what one
# computation from all facts gives (nyckel.benchmark_slice_computed), both
# ways: 0 when the refresh left what a full reload would.
slice_check() {
    n=$(psql -X -A -t -q -c "WITH computed AS MATERIALIZED (TABLE nyckel.benchmark_slice_computed)
        SELECT count(*) FROM ((TABLE nyckel.benchmark_slice_folded EXCEPT TABLE computed)
                              UNION ALL (TABLE computed EXCEPT TABLE nyckel.benchmark_slice_folded)) d" \
        2>/dev/null || echo -)
    printf 'slices-%s\t0\t0\t0\t0\t0\t-\t%s\t-\n' "$1" "$n" >>"$MEASUREMENTS"
}

# refresh_again N: the main size's full, change and publication loads N
# more times, each series into a new database from the same run
# directories, and plain COPY and its key N more times into a new table:
# the refresh-cost aims are ratios of medians over N + 1 series.  This
# machine's speed drifts within minutes: one series put the same code's
# first load at 22.6 s and the next run's at 29.0 s, and a single series
# decided those aims by where the drift fell.
refresh_again() {
    i=1
    while [ "$i" -le "$1" ]; do
        db=bench_again_$i
        psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null
        for label in full change publication; do
            run=$WORK/main/runs/$label
            settle
            PGDATABASE=$db measure "main-again-$i-$label-load" "$run" - - \
                "$BIN/nyckel-load" --job "$WORK/main/bench.json" --run-dir "$run" || break
        done
        psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null
        plain_copy "-again-$i"
        i=$((i + 1))
    done
}

# prepare SIZE VALUES: data set, server, database and job for one size.
prepare() {
    size=$1
    mkdir -p "$WORK/$size/runs"
    measure "$size-generate" - - - python3 "$BENCH/gen_national.py" "$WORK/$size/data" \
        --values "$2" || exit 1
    # The data set leaves about 1.5 GB to be written back.  Unflushed, that
    # writeback lands in the extract measured next: it added 2.4 s of system
    # time to a 4.3 s extract, and never to the one after it.
    sync
    cp "$WORK/$size/data/dataset.json" "$WORK/$size/dataset.json"
    stop_server
    start_server "$WORK/$size/data"
    write_job "$WORK/$size" "$WORK/$size/data"
    PGDATABASE=bench_$size
    psql -X -q -d postgres -c "CREATE DATABASE $PGDATABASE" >/dev/null
}

# plain_copy SUFFIX: the main full refresh's values by plain \copy into a
# new unindexed table (label copySUFFIX), then the least a load that merges
# by natural key must add to that COPY: the key's unique index, built once
# over the copied rows (copy-keySUFFIX).
plain_copy() {
    copy=$WORK/main/runs/full/transform/fact_kpi_value.copy
    rows=$(wc -l <"$copy")
    copy_bytes=$(wc -c <"$copy")
    psql -X -q -v ON_ERROR_STOP=1 <<'EOF'
DROP TABLE IF EXISTS bench.plain_copy;
CREATE TABLE bench.plain_copy (kpi_id text COLLATE "C", area_id text COLLATE "C",
    period_id text COLLATE "C", gender text COLLATE "C",
    value double precision, value_count integer, status text, source_ref text);
EOF
    settle
    measure "copy$1" - "$rows" "$copy_bytes" \
        psql -X -q -v ON_ERROR_STOP=1 -c "\\copy bench.plain_copy FROM '$copy'" || true
    measure "copy-key$1" - "$rows" "$copy_bytes" \
        psql -X -q -v ON_ERROR_STOP=1 -c "ALTER TABLE bench.plain_copy
            ADD PRIMARY KEY (kpi_id, area_id, period_id, gender)" || true
}

# Plain COPY, pgloader and jq over the rows and pages of the main full refresh.
compare() {
    run=$WORK/main/runs/full
    copy=$run/transform/fact_kpi_value.copy
    rows=$(wc -l <"$copy")
    psql -X -q -v ON_ERROR_STOP=1 <<'EOF'
CREATE SCHEMA bench;
CREATE TABLE bench.pgloader_fact (kpi_id text COLLATE "C", area_id text COLLATE "C",
    period_id text COLLATE "C", gender text COLLATE "C",
    value double precision, value_count integer, status text, source_ref text,
    PRIMARY KEY (kpi_id, area_id, period_id, gender));
CREATE INDEX pgloader_fact_area ON bench.pgloader_fact (area_id, period_id);
EOF
    plain_copy ""

    # The same rows as CSV: these ids and numbers hold no comma or quote to escape.
    if grep -q '[,"]' "$copy"; then
        say "pgloader skipped: the COPY file holds commas or quotes"
    else
        csv=$WORK/main/fact_kpi_value.csv
        { echo "kpi_id,area_id,period_id,gender,value,value_count,status,source_ref"
          sed -e 's/\\N//g' -e 'y/\t/,/' "$copy"; } >"$csv"
        cat >"$WORK/main/fact.load" <<EOF
LOAD CSV
     FROM '$csv'
          (kpi_id, area_id, period_id, gender, value [null if blanks],
           value_count [null if blanks], status, source_ref)
     INTO postgresql://$PGUSER@unix:$PGHOST:$PGPORT/$PGDATABASE
          TARGET TABLE bench.pgloader_fact
     WITH skip header = 1, fields terminated by ',', fields optionally enclosed by '"';
EOF
        measure pgloader - "$rows" "$(wc -c <"$csv")" \
            pgloader --no-ssl-cert-verification --root-dir "$WORK/pgloader" \
            "$WORK/main/fact.load" || true
        loaded=$(psql -X -A -t -q -c "SELECT count(*) FROM bench.pgloader_fact")
        printf 'count-pgloader\t0\t0\t0\t0\t0\t-\t%s\t-\n' "$loaded" >>"$MEASUREMENTS"
    fi

    python3 -c 'import json,sys
m = json.load(open(sys.argv[1] + "/extract/manifest.json"))
for f in m["files"]:
    if f.get("endpoint") == "data": print(sys.argv[1] + "/extract/" + f["path"])' "$run" \
        >"$WORK/main/pages.list"
    pages_bytes=$(xargs cat <"$WORK/main/pages.list" | wc -c)
    # This machine's speed drifts by a third within minutes, and jq takes one.
    # The transform it is set against is timed again just before and just
    # after it, on the same pages (a run directory sharing the full refresh's
    # raw zone), and the ratio uses those two.
    beside=$WORK/main/runs/beside-jq
    mkdir -p "$beside"
    cp -al "$run/extract" "$beside/extract"
    transform_beside before "$beside"
    # shellcheck disable=SC2016 # the filter is jq's, not the shell's
    measure jq - "$rows" "$pages_bytes" sh -c 'xargs jq -r "$1" <"$2" >"$3"' sh \
        '.values[] | .kpi as $k | .municipality as $a | .period as $p | .values[]
         | [$k, $a, $p, .gender, .value, .count, .status] | @tsv' \
        "$WORK/main/pages.list" "$WORK/main/jq.tsv" || true
    printf 'count-jq\t0\t0\t0\t0\t0\t-\t%s\t-\n' "$(wc -l <"$WORK/main/jq.tsv")" >>"$MEASUREMENTS"
    transform_beside after "$beside"
}

# transform_beside WHEN RUN_DIR: time transform on RUN_DIR's raw zone afresh.
transform_beside() {
    rm -rf "$2/transform"
    measure "transform-$1-jq" "$2" - - \
        "$BIN/nyckel-transform" --job "$WORK/main/bench.json" --run-dir "$2" || true
}

# The benchmark mart for one municipality, all KPIs, the latest year.
mart_query() {
    sql="SELECT kpi_id, kpi_title, gender, value, riket_value, rank, ranked_count, quartile
FROM mart.benchmark
WHERE area_id = '0580' AND year = (SELECT max(year) FROM mart.benchmark WHERE area_id = '0580')
ORDER BY kpi_id, gender"
    printf '%s\n' "$sql" >"$WORK/mart.sql"
    settle
    measure mart-rows - - - psql -X -A -t -q -v ON_ERROR_STOP=1 -f "$WORK/mart.sql" || return 0
    printf 'count-mart\t0\t0\t0\t0\t0\t-\t%s\t-\n' "$(wc -l <"$WORK/logs/mart-rows.out")" \
        >>"$MEASUREMENTS"
    hyperfine --style basic --warmup 3 --runs 30 --export-json "$WORK/mart.json" \
        "psql -X -A -t -q -f $WORK/mart.sql -o /dev/null" >"$WORK/logs/hyperfine.out" 2>&1 ||
        say "hyperfine failed: $(tail -1 "$WORK/logs/hyperfine.out")"
    mart_session "$sql" "$WORK/mart-session.ms"
    psql -X -A -t -q -c "EXPLAIN (ANALYZE, FORMAT JSON) $sql" >"$WORK/mart-explain.json" 2>/dev/null || true
}

# mart_session SQL OUT: SQL timed in one session, as a BI tool keeps its
# connection: 3 warm-up runs, then 30, whose milliseconds go to OUT.
mart_session() {
    { printf '\\timing on\n\\o /dev/null\n'
      i=0
      while [ "$i" -lt 33 ]; do printf '%s;\n' "$1"; i=$((i + 1)); done; } >"$WORK/mart-session.sql"
    psql -X -q -v ON_ERROR_STOP=1 -f "$WORK/mart-session.sql" 2>/dev/null |
        sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n +4 >"$2" || true
}

# case_rows: the row-level case-system export through extract and transform:
# transform's records a second and peak memory (values are the export's rows).
case_rows() {
    [ "$CASE_ROWS" -gt 0 ] || return 0
    say "row-level export: $CASE_ROWS placements"
    dir=$WORK/case-rows
    rm -rf "$dir"
    mkdir -p "$dir"
    measure case-rows-generate - - - python3 "$BENCH/gen_case_rows.py" "$dir" \
        --rows "$CASE_ROWS" || return 0
    sync
    bytes=$(wc -c <"$dir/placeringar.csv")
    measure case-rows-extract - "$CASE_ROWS" "$bytes" \
        "$BIN/nyckel-extract" --job "$dir/case-rows.json" --run-dir "$dir/run" || return 0
    measure case-rows-transform - "$CASE_ROWS" "$bytes" \
        "$BIN/nyckel-transform" --job "$dir/case-rows.json" --run-dir "$dir/run" || true
}

# citus_bench: BENCH_CITUS=1.  The same refreshes loaded twice, into a
# plain PostgreSQL and into a Citus coordinator with two workers
# (tests/lib/citus.sh, CITUS_SHARD_COUNT shards a table, Citus's default
# 32 unless set): each refresh is extracted and transformed once, and its
# run directory loaded into both, so that only the load differs.  Then the
# mart query on both, and which shards it reads on Citus (EXPLAIN).
citus_bench() {
    # shellcheck source=tests/lib/citus.sh
    . "$NYCKEL_ROOT/tests/lib/citus.sh"
    citus_installed || { say "Citus is not installed in this machine's PostgreSQL"; exit 69; }
    CITUS_SHARD_COUNT=${CITUS_SHARD_COUNT:-32}
    export CITUS_SHARD_COUNT
    citus_start
    citus_host=$PGHOST citus_port=$PGPORT
    pg_start
    trap 'stop_server; pg_stop; citus_stop; [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
    trap 'exit 130' INT TERM
    say "work folder $WORK; PostgreSQL on $PGHOST, Citus on $citus_host"
    cut -d' ' -f1-3 /proc/loadavg >"$WORK/loadavg.start"
    date +%s >"$WORK/started"
    prepare main "$VALUES"
    python3 -c 'import json, sys
job = json.load(open(sys.argv[1])); job["load"] = {"citus": True}
json.dump(job, open(sys.argv[2], "w"), indent=2)' "$WORK/main/bench.json" "$WORK/main/bench-citus.json"
    for label in full nochange change; do
        run=$WORK/main/runs/$label
        [ "$label" != change ] || printf '{"changes": true}\n' >"$WORK/control.json"
        measure "main-$label-extract" "$run" - - "$BIN/nyckel-extract" --job "$WORK/main/bench.json" \
            --run-dir "$run" $([ "$label" != full ] || echo --full) || exit 1
        measure "main-$label-transform" "$run" - - \
            "$BIN/nyckel-transform" --job "$WORK/main/bench.json" --run-dir "$run" || exit 1
        measure "main-$label-load" "$run" - - \
            "$BIN/nyckel-load" --job "$WORK/main/bench.json" --run-dir "$run" || exit 1
        fact_count "main-$label"
        PGHOST=$citus_host PGPORT=$citus_port PGDATABASE=nyckel_test \
            measure "citus-$label-load" "$run" - - \
            "$BIN/nyckel-load" --job "$WORK/main/bench-citus.json" --run-dir "$run" || exit 1
        PGHOST=$citus_host PGPORT=$citus_port PGDATABASE=nyckel_test fact_count "citus-$label"
    done
    stop_server
    sql="SELECT kpi_id, kpi_title, gender, value, riket_value, rank, ranked_count, quartile
FROM mart.benchmark
WHERE area_id = '0580' AND year = (SELECT max(year) FROM mart.benchmark WHERE area_id = '0580')
ORDER BY kpi_id, gender"
    mart_session "$sql" "$WORK/mart-session.ms"
    PGHOST=$citus_host PGPORT=$citus_port PGDATABASE=nyckel_test mart_session "$sql" "$WORK/citus-mart-session.ms"
    PGHOST=$citus_host PGPORT=$citus_port PGDATABASE=nyckel_test \
        psql -X -A -t -q -c "EXPLAIN $sql" >"$WORK/citus-mart-explain.txt" 2>&1 || true
    PGHOST=$citus_host PGPORT=$citus_port PGDATABASE=nyckel_test \
        psql -X -A -t -q -c "SELECT table_name || ' ' || citus_table_type || ' ' || distribution_column
            || ' ' || shard_count FROM citus_tables ORDER BY 1" >"$WORK/citus-tables.txt" 2>&1 || true
    python3 "$BENCH/report_citus.py" "$WORK" "$RESULTS"
}

if [ "${BENCH_CITUS:-0}" = 1 ]; then
    citus_bench
    exit 0
fi

if [ "$ONLY" = case-rows ]; then
    trap cleanup EXIT
    date +%s >"$WORK/started"
    case_rows
    python3 "$BENCH/report.py" "$WORK" "$RESULTS"
    exit 0
fi

pg_start
trap cleanup EXIT
trap 'exit 130' INT TERM
# Statements over a second go to the server log, to show where load's time
# goes.  No autovacuum: settle does its work between the timed steps.
psql -X -q -d postgres -c "ALTER SYSTEM SET log_min_duration_statement = 1000" \
    -c "ALTER SYSTEM SET autovacuum = off" \
    -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] db=%d '" \
    -c "SELECT pg_reload_conf()" >/dev/null
say "work folder $WORK; PostgreSQL on $PGHOST"
cut -d' ' -f1-3 /proc/loadavg >"$WORK/loadavg.start"
date +%s >"$WORK/started"

if [ "$SCALE_VALUES" -gt 0 ]; then
    say "memory scaling: a full refresh of $SCALE_VALUES values"
    prepare scale "$SCALE_VALUES"
    refresh scale full --full || true
    fact_count scale-full
    stop_server
    rm -rf "$WORK/scale/data"
    psql -X -q -d postgres -c "DROP DATABASE bench_scale" >/dev/null
fi

say "main size: $VALUES values"
prepare main "$VALUES"
machine_speed before
if refresh main full --full; then
    fact_count main-full
    slice_check main-full
    extract_again 2
    curl_pull
    machine_speed after-extract
    refresh main nochange || true
    fact_count main-nochange
    printf '{"changes": true}\n' >"$WORK/control.json"
    refresh main change || true
    fact_count main-change
    slice_check main-change
    # Before the publication: its year would be the latest, with a tenth of the KPIs.
    mart_query
    printf '{"changes": "publication"}\n' >"$WORK/control.json"
    refresh main publication || true
    fact_count main-publication
    slice_check main-publication
    stop_server
    compare
    refresh_again 2
fi
stop_server
case_rows
machine_speed end
cp "$PG_TEST_DIR/server.log" "$WORK/server.log" 2>/dev/null || true

python3 "$BENCH/report.py" "$WORK" "$RESULTS"
