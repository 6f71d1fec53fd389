#!/bin/sh
# run-sanitized.sh: what `make check-sanitize` runs: the whole suite (unit
# and integration) against binaries built with AddressSanitizer and
# UndefinedBehaviorSanitizer, given as arguments like run-all.sh's.
#
# A sanitizer report is a failure even when the test that provoked it passed
# (a test that expects a non-zero exit cannot tell a crash from a refusal),
# so every report goes to a log folder, and any log there fails the run.
# SANITIZE stays in the environment so that a test that calls make (make
# install) builds with the same flags instead of relinking without them.
set -u
export SANITIZE="${SANITIZE:-}"
root=$(cd "$(dirname "$0")/.." && pwd)
logs=$(mktemp -d /tmp/nyckel-sanitize.XXXXXX)
chmod 777 "$logs"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1:log_path=$logs/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan"

"$root/tests/run-all.sh" "$@"
status=$?
reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
    echo "sanitizers: $(echo "$reports" | wc -l | tr -d ' ') report(s):"
    for r in $reports; do
        echo "--- $(basename "$r")"
        head -60 "$r"
    done
    status=1
else
    echo "sanitizers: no reports"
fi
rm -rf "$logs"
exit $status
