# citus.sh: sourced by tests that need a Citus cluster: a coordinator and
# two workers, each its own PostgreSQL cluster (scripts/pg-cluster.sh) with
# its own data directory, port and unix socket, listening on 127.0.0.1 for
# the other nodes.  Citus itself is not part of the project: it is used
# when it is built and installed into the machine's PostgreSQL.
#
#   citus_installed    true when the server has citus.so
#   citus_start        start the three nodes (CITUS_SHARD_COUNT shards per
#                      distributed table, default 4), create the database
#                      "nyckel_test" with the citus extension on each, add
#                      the workers; exports PGHOST, PGPORT, PGUSER and
#                      PGDATABASE for the coordinator, and CITUS_WORKERS (the
#                      workers' "socket-folder:port" pairs).  It sets an EXIT
#                      trap that calls citus_stop (a test with more to clean
#                      up sets its own and calls citus_stop there)
#   citus_new_database drop "nyckel_test" on every node and make it anew
#   citus_stop         stop the nodes and remove their folder
#   citus_on_nodes SQL print SQL's result on every node (coordinator first)
#
# Sourcing it also sources pg.sh, so a test can start a plain PostgreSQL
# beside the cluster (pg_start) to compare with.

. "$NYCKEL_ROOT/tests/lib/pg.sh"

citus_libdir() { ls -d /usr/lib/postgresql/*/lib 2>/dev/null | sort -V | tail -1; }

citus_installed() { [ -f "$(citus_libdir)/citus.so" ]; }

# A free TCP port on 127.0.0.1, chosen by the kernel.
citus_free_port() {
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

citus_start() {
    CITUS_DIR=$(mktemp -d /tmp/nyckel-citus.XXXXXX)
    chmod 755 "$CITUS_DIR"
    CITUS_NODES=
    trap citus_stop EXIT
    for node in coordinator worker1 worker2; do
        port=$(citus_free_port)
        # max_prepared_transactions: Citus commits a load that wrote to
        # several nodes with two-phase commit on each.  Four shards per
        # table (Citus makes 32) still spread every table over both
        # workers, and make, empty and index the tables eight times faster.
        PG_PORT=$port PG_OPTIONS="-c listen_addresses=127.0.0.1 -c shared_preload_libraries=citus \
-c max_prepared_transactions=100 -c citus.shard_count=${CITUS_SHARD_COUNT:-4}" \
            "$NYCKEL_ROOT/scripts/pg-cluster.sh" start "$CITUS_DIR/$node" >/dev/null
        CITUS_NODES="$CITUS_NODES $CITUS_DIR/$node:$port"
    done
    CITUS_WORKERS=${CITUS_NODES#* * }
    set -- $CITUS_NODES
    PGHOST=${1%:*} PGPORT=${1##*:} PGUSER=postgres PGDATABASE=nyckel_test
    export PGHOST PGPORT PGUSER PGDATABASE CITUS_WORKERS
    citus_new_database
}

# citus_new_database: a new, empty "nyckel_test" on every node, with the
# citus extension, the workers added (what was there before is dropped).
citus_new_database() {
    for node in $CITUS_NODES; do
        psql -X -q -h "${node%:*}" -p "${node##*:}" -d postgres -c "SET client_min_messages = warning" \
            -c "DROP DATABASE IF EXISTS nyckel_test WITH (FORCE)" -c "CREATE DATABASE nyckel_test" >/dev/null
        psql -X -q -h "${node%:*}" -p "${node##*:}" -d nyckel_test \
            -c "SET client_min_messages = warning" -c "CREATE EXTENSION citus" >/dev/null
    done
    pg_value "SELECT citus_set_coordinator_host('127.0.0.1', $PGPORT)" >/dev/null
    for worker in $CITUS_WORKERS; do
        pg_value "SELECT citus_add_node('127.0.0.1', ${worker##*:})" >/dev/null
    done
}

citus_stop() {
    if [ -n "${CITUS_DIR:-}" ]; then
        for node in coordinator worker1 worker2; do
            "$NYCKEL_ROOT/scripts/pg-cluster.sh" stop "$CITUS_DIR/$node"
        done
        rm -rf "$CITUS_DIR"
        CITUS_DIR=
    fi
}

citus_on_nodes() {
    pg_value "$1"
    for worker in $CITUS_WORKERS; do
        psql -X -A -t -q -v ON_ERROR_STOP=1 -h "${worker%:*}" -p "${worker##*:}" -c "$1"
    done
}

# warehouse_dump [SCHEMAS]: every table and view of nyckel and mart (or of
# the comma-separated SCHEMAS), each row as text
# after its relation's name, sorted, so that two warehouses loaded with the
# same runs compare line by line.  What differs by the clock alone is
# blanked: timestamps, intervals, durations and ages.
warehouse_dump() {
    schemas=${1:-nyckel,mart}
    dump_rows=$(mktemp)
    # One query per relation (Citus plans a UNION ALL of them all as one
    # join), all in one session.
    pg_value "SELECT format('SELECT %L || E''\t'' || t::text FROM (SELECT %s FROM %s) t;',
            c.oid::regclass, cols, c.oid::regclass)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL (SELECT string_agg(CASE
                WHEN a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype, 'interval'::regtype)
                  OR a.attname IN ('duration_seconds', 'age_hours')
                THEN 'NULL AS ' || quote_ident(a.attname) ELSE quote_ident(a.attname) END,
                ', ' ORDER BY a.attnum) AS cols
            FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) x
        WHERE n.nspname = ANY (string_to_array('$schemas', ','))
          AND c.relkind IN ('r', 'p', 'm', 'v')" |
        psql -X -A -t -q -v ON_ERROR_STOP=1 >"$dump_rows" || { rm -f "$dump_rows"; return 1; }
    LC_ALL=C sort "$dump_rows"
    rm -f "$dump_rows"
}

# placements_state: for every table Citus holds, each placement's (shard
# copy's) node, row count and checksum of its rows: the state on every node.
placements_state() {
    pg_value "SELECT p.nodename || ':' || p.nodeport || ' ' || p.shardid || ' ' || p.result
        FROM citus_tables t CROSS JOIN LATERAL run_command_on_placements(t.table_name,
            'SELECT count(*) || '' '' || coalesce(sum(hashtextextended(x::text, 0)), 0) FROM %s x') p
        ORDER BY 1"
}
