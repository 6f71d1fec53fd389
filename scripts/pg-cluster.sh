#!/bin/sh
# pg-cluster.sh: start or stop a throwaway PostgreSQL cluster on a unix socket.
#
#   pg-cluster.sh start DIR   initdb DIR (if new) and start it; prints the
#                             PGHOST/PGPORT/PGUSER lines to eval
#   pg-cluster.sh stop DIR    stop it (the directory stays)
#
# Used by `make demo` and by every test that needs a database.  PostgreSQL
# refuses to run as root, so as root the cluster runs as the postgres user;
# DIR must then be somewhere that user can enter (see pg_dir_for below in
# tests/lib/pg.sh and scripts/demo.sh).  The server listens on no TCP port
# unless PG_OPTIONS says otherwise.
#
#   PG_PORT=N          the port (default: derived from DIR)
#   PG_OPTIONS='...'   more server options for start, after the defaults
#                      (tests/lib/citus.sh: listen on 127.0.0.1, load Citus)
set -eu

action=$1
dir=$2

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bindir" ] || { echo "pg-cluster.sh: no PostgreSQL server found (run scripts/setup.sh)" >&2; exit 69; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case $action in
start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres: "$dir"
        as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
            { cat "$dir/initdb.log" >&2; exit 70; }
    fi
    # A port number still names the socket file; derive one from the
    # directory so that parallel clusters do not collide.
    port=${PG_PORT:-$(( 20000 + $(printf '%s' "$dir" | cksum | cut -d' ' -f1) % 20000 ))}
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off ${PG_OPTIONS:-}" \
            start >/dev/null || { cat "$dir/server.log" >&2; exit 69; }
    fi
    echo "PGHOST=$dir; export PGHOST"
    echo "PGPORT=$port; export PGPORT"
    echo "PGUSER=postgres; export PGUSER"
    ;;
stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
*)
    echo "usage: pg-cluster.sh start|stop DIR" >&2
    exit 64
    ;;
esac
