#!/bin/sh
# run-unit.sh: run the cmocka unit-test binaries given as arguments and
# print a closing count.
set -u
passed=0 failed=0
for t in "$@"; do
    if "$t" >"$t.log" 2>&1; then
        passed=$((passed + 1))
        echo "ok   $(basename "$t")"
    else
        failed=$((failed + 1))
        echo "FAIL $(basename "$t")"
        sed 's/^/    | /' "$t.log" | tail -40
    fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" = 0 ]
