#!/bin/sh
# run.sh: run every integration test (tests/integration/*.test.sh) but
# citus, each in its own shell, and print one line per test and a closing
# count.
#
#   tests/integration/run.sh [NAME...]    only the tests whose names are given
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
export NYCKEL_ROOT=$root BUILD=${BUILD:-build}
passed=0 failed=0 failures=""
# Each test's scratch files (mktemp without a folder, a test that forgets
# its own) go in a folder of its own, removed after it: a suite run leaves
# nothing in /tmp.  Readable by all, as /tmp is, for the postgres user.
tmp_root=${TMPDIR:-/tmp}
# citus needs Citus and minutes: make check-citus runs it by name.
tests=$(ls "$root"/tests/integration/*.test.sh | grep -v '/citus\.test\.sh$')
if [ $# -gt 0 ]; then
    tests=""
    for name in "$@"; do tests="$tests $root/tests/integration/$name.test.sh"; done
fi
for t in $tests; do
    name=$(basename "$t" .test.sh)
    log=$(mktemp)
    scratch=$(mktemp -d "$tmp_root/nyckel-test.XXXXXX")
    chmod 755 "$scratch"
    start=$(date +%s)
    if TMPDIR=$scratch sh -eu "$t" >"$log" 2>&1; then
        passed=$((passed + 1))
        echo "ok   $name ($(( $(date +%s) - start ))s)"
    else
        failed=$((failed + 1))
        failures="$failures $name"
        echo "FAIL $name ($(( $(date +%s) - start ))s)"
        sed 's/^/    | /' "$log" | tail -40
    fi
    rm -rf "$log" "$scratch"
done
echo "integration: $passed passed, $failed failed"
[ -z "$failures" ] || echo "failed:$failures"
[ "$failed" = 0 ]
