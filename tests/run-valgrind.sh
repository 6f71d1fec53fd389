#!/bin/sh
# run-valgrind.sh: what `make check-valgrind` runs: the demo job through
# extract, transform and load (into a throwaway PostgreSQL cluster), each
# stage under valgrind's memcheck.  Any invalid read or write, use of
# uninitialised memory or definite leak fails the run, with valgrind's
# report printed.  The binaries are the normal build's ($BUILD/bin), so what
# is checked is what is installed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
export NYCKEL_ROOT=$root
BIN=$root/${BUILD:-build}/bin
. "$root/tests/lib/assert.sh"
. "$root/tests/lib/pg.sh"
. "$root/tests/lib/reconcile.sh"
work=$(mktemp -d /tmp/nyckel-valgrind.XXXXXX)
chmod 755 "$work"
trap 'pg_stop; rm -rf "$work"' EXIT

failed=""
memcheck() { # STAGE: run nyckel-STAGE on the demo job under valgrind
    start=$(date +%s)
    if valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite --num-callers=30 --log-file="$work/$1.valgrind" \
        "$BIN/nyckel-$1" --log-format text --quiet --job "$root/jobs/demo.json" \
        --run-dir "$work/run" 2>"$work/$1.stderr"; then
        echo "ok   valgrind nyckel-$1 ($(( $(date +%s) - start ))s)"
    else
        echo "FAIL valgrind nyckel-$1 (exit $?)"
        sed 's/^/    | /' "$work/$1.stderr" "$work/$1.valgrind" | head -80
        failed="$failed $1"
    fi
}

memcheck extract
[ -n "$failed" ] || memcheck transform
if [ -z "$failed" ]; then
    pg_start
    # pg_start sets its own exit trap; put back the one that also removes $work.
    trap 'pg_stop; rm -rf "$work"' EXIT
    memcheck load
fi
[ -n "$failed" ] || assert_reconciled "$work/run"
[ -z "$failed" ] || { echo "valgrind: failed:$failed"; exit 1; }
echo "valgrind: no errors"
