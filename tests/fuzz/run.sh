#!/bin/sh
# run.sh: what `make fuzz` runs: each libFuzzer harness given, in turn, for
# SECONDS seconds, starting from its seed corpus in tests/fuzz/corpus/<name>/.
#
#   tests/fuzz/run.sh SECONDS HARNESS...
#
# New inputs the fuzzer finds go to a scratch corpus beside the harness, not
# into the committed seeds.  A crash leaves its input in
# <build>/fuzz/artifacts/ and fails the run; add it to the seeds and fix it.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=$1
shift
passed=0 failed=0
for harness in "$@"; do
    name=$(basename "$harness" | sed 's/^fuzz_//')
    seeds=$root/tests/fuzz/corpus/$name
    scratch=$(dirname "$harness")/corpus/$name
    artifacts=$(dirname "$harness")/artifacts
    log=$(dirname "$harness")/$name.log
    mkdir -p "$scratch" "$artifacts" "$seeds"
    if "$harness" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$scratch" "$seeds" \
        >"$log" 2>&1; then
        passed=$((passed + 1))
        echo "ok   fuzz_$name ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" |
            grep -o '[0-9]*$') runs)"
    else
        failed=$((failed + 1))
        echo "FAIL fuzz_$name: see $log"
        grep -v '^#' "$log" | tail -40 | sed 's/^/    | /'
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
