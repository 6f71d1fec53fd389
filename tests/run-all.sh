#!/bin/sh
# run-all.sh: what `make check` runs: the unit tests, then the integration
# tests, then one closing line counting test programs of both kinds.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp)
"$root/tests/run-unit.sh" "$@" | tee "$out"
"$root/tests/integration/run.sh" | tee -a "$out"
passed=$(awk '/^[a-z]+: [0-9]+ passed/ { n += $2 } END { print n + 0 }' "$out")
failed=$(awk '/^[a-z]+: [0-9]+ passed, [0-9]+ failed$/ { n += $4 } END { print n + 0 }' "$out")
rm -f "$out"
echo "${passed:-0} passed, ${failed:-0} failed"
[ "${failed:-1}" = 0 ]
