#!/bin/sh
# demo.sh: what `make demo` runs.
#
# Runs jobs/demo.json (the bundled Kolada-format sample) and
# jobs/internal-monthly.json (the internal export samples) into PostgreSQL,
# prints Linköping beside Riket for one KPI, and ends by writing the report
# page for Linköping (nyckel-report) and printing its path.  When no database connection is
# configured (no PGHOST, PGDATABASE or PGSERVICE in the environment) it starts
# a throwaway cluster of its own under var/ and leaves it running for you to
# explore; `make demo-stop` stops it.  Safe to run twice: the second load
# changes nothing.
#
#   scripts/demo.sh          run the demo
#   scripts/demo.sh --stop   stop the throwaway cluster
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/${BUILD:-build}/bin

# The cluster lives under var/ when the postgres user can reach it there;
# a checkout under /root cannot be entered by that user, so the cluster then
# goes to /tmp and var/pg-cluster records where.
cluster_dir() {
    if [ -f "$root/var/pg-cluster" ]; then
        cat "$root/var/pg-cluster"
        return
    fi
    mkdir -p "$root/var"
    dir=$root/var/pg
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$root/var"; then
        dir=/tmp/nyckel-demo-$(printf '%s' "$root" | cksum | cut -d' ' -f1)
    fi
    echo "$dir" >"$root/var/pg-cluster"
    echo "$dir"
}

if [ "${1:-}" = "--stop" ]; then
    [ -f "$root/var/pg-cluster" ] && "$root/scripts/pg-cluster.sh" stop "$(cat "$root/var/pg-cluster")"
    echo "demo cluster stopped"
    exit 0
fi

if [ -z "${PGHOST:-}${PGDATABASE:-}${PGSERVICE:-}" ]; then
    dir=$(cluster_dir)
    eval "$("$root/scripts/pg-cluster.sh" start "$dir")"
    PGDATABASE=nyckel_demo
    export PGDATABASE
    if ! psql -X -q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'nyckel_demo'" | grep -q 1; then
        psql -X -q -d postgres -c "CREATE DATABASE nyckel_demo"
    fi
    echo "demo: PostgreSQL running in $dir (socket), database nyckel_demo"
fi

"$bin/nyckel-run" --run-root "$root/var/runs" "$root/jobs/demo.json" >/dev/null
# The samples hold deliberate errors: the run records 10 rejects and goes on.
"$bin/nyckel-run" --quiet --run-root "$root/var/runs" "$root/jobs/internal-monthly.json" >/dev/null

echo
echo "Brukarbedömning hemtjänst (N31807), total: Linköping beside Riket"
psql -X -q -P footer=off -c "
    SELECT year, value AS \"Linköping\", riket_value AS \"Riket\",
           round(difference_to_riket::numeric, 1) AS difference
      FROM mart.kpi_vs_riket
     WHERE kpi_id = 'N31807' AND area_id = '0580' AND gender = 'T'
     ORDER BY year"
echo "Explore with: PGHOST=$PGHOST PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} psql $PGDATABASE"
echo "Stop the demo cluster with: make demo-stop"
mkdir -p "$root/var/report"
report=$("$bin/nyckel-report" --quiet --area 0580 --output "$root/var/report/linkoping.html")
echo "Report for Linköping: $report"
