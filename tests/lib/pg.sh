# pg.sh: sourced by integration tests that need PostgreSQL.
#
#   pg_start          start a cluster in a fresh temporary folder that the
#                     postgres user can enter; exports PGHOST, PGPORT, PGUSER
#                     and PGDATABASE (a new, empty database "nyckel_test").
#                     It sets an EXIT trap that calls pg_stop: a test with
#                     more to clean up sets its own trap after pg_start and
#                     calls pg_stop there
#   pg_stop           stop it and remove the folder (also run on exit)
#   pg_value SQL      print one value from the test database
#
# /tmp is used rather than the checkout because the checkout may sit where
# the postgres user cannot go (/root/...).

NYCKEL_ROOT=${NYCKEL_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}

pg_start() {
    PG_TEST_DIR=$(mktemp -d /tmp/nyckel-pg.XXXXXX)
    chmod 755 "$PG_TEST_DIR"
    eval "$("$NYCKEL_ROOT/scripts/pg-cluster.sh" start "$PG_TEST_DIR")"
    PGDATABASE=nyckel_test
    export PGDATABASE
    psql -q -d postgres -c "CREATE DATABASE nyckel_test" >/dev/null
    trap pg_stop EXIT
}

pg_stop() {
    if [ -n "${PG_TEST_DIR:-}" ]; then
        "$NYCKEL_ROOT/scripts/pg-cluster.sh" stop "$PG_TEST_DIR"
        rm -rf "$PG_TEST_DIR"
        PG_TEST_DIR=
    fi
}

pg_value() {
    psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"
}
