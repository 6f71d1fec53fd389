# extract_kolada_faults.test.sh: nyckel-extract against a misbehaving Kolada
# fixture: 429 with Retry-After (the retry waits for it), 500s, dropped
# connections, wrong content types and slow bodies are retried to success;
# truncated bodies, endless bodies, 404 and exhausted retries fail the run
# with a clear error, no manifest and no incremental state.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/kolada_fixture.sh"

kolada_start --municipalities 4 --kpis 2 --years 2 --first-year 2022 --page-size 5
TEST_DIR=$(mktemp -d)

write_job() { # base extra-keys
    cat >"$TEST_DIR/job.json" <<JOB
{"name": "faults", "raw_archive": {"format": "none"},
 "extract": [{"name": "kolada", "type": "kolada-api", "base_url": "$1",
   "kpis": ["N00001", "N00002"], "all_municipalities": true, "years": "2022..2023",
   "rate_limit": 0, "concurrency": 2, "backoff_seconds": 0.05, "backoff_max_seconds": 0.2,
   "state_dir": "$TEST_DIR/state"$2}]}
JOB
}

run_ok() { # name
    kolada_clear_log
    rm -rf "$TEST_DIR/run"
    "$BIN/nyckel-extract" --job "$TEST_DIR/job.json" --run-dir "$TEST_DIR/run" \
        --log-format json 2>"$TEST_DIR/log" || fail "$1: extract failed: $(tail -3 "$TEST_DIR/log")"
    kolada_check "$TEST_DIR/run"
}

run_fails() { # name exit-code
    kolada_clear_log
    rm -rf "$TEST_DIR/run" "$TEST_DIR/state"
    STDERR_FILE="$TEST_DIR/stderr"
    expect_exit "$2" "$BIN/nyckel-extract" --job "$TEST_DIR/job.json" --run-dir "$TEST_DIR/run" \
        --log-format json
    [ ! -e "$TEST_DIR/run/extract/manifest.json" ] || fail "$1: a failed run left a manifest"
    [ ! -e "$TEST_DIR/state" ] || fail "$1: a failed run wrote incremental state"
}

write_job "$KOLADA_URL/v3" ""

# 429 with Retry-After: 1: the retry comes no sooner than a second later.
kolada_faults '[{"match": "/v3/kpi_groups", "fault": "429", "times": 1, "retry_after": "1"}]'
run_ok "429"
python3 - "$KOLADA_DIR/requests.log" <<'PY' || fail "the retry after 429 came before Retry-After"
import json, sys
hits = [json.loads(l) for l in open(sys.argv[1]) if "/v3/kpi_groups" in l]
assert [h["status"] for h in hits] == [429, 200], hits
assert hits[1]["time"] - hits[0]["time"] >= 1.0, hits
PY

# 500 twice, a reset connection and a wrong content type: retried, then fine.
kolada_faults '[{"match": "/data/", "fault": "500", "times": 2},
 {"match": "/v3/municipality?", "fault": "reset", "times": 1},
 {"match": "/v3/kpi/", "fault": "content_type", "times": 1}]'
run_ok "500, reset, content type"
assert_eq 3 "$(grep -c '"/v3/data/[^"]*?per_page=5000' "$KOLADA_DIR/requests.log")" \
    "the first data page asked for three times (two 500s, one success)"

# A body slower than timeout_seconds is abandoned and fetched again.
write_job "$KOLADA_URL/v3" ', "timeout_seconds": 1'
kolada_faults '[{"match": "/v3/municipality_groups", "fault": "slow", "delay": 0.6, "times": 1}]'
run_ok "slow body"
assert_contains "$(grep 'municipality_groups' "$TEST_DIR/log")" "Timeout was reached" "slow body timed out and was retried"

# A truncated body is retried, then fails the run: never skipped.
write_job "$KOLADA_URL/v3" ', "max_attempts": 3'
kolada_faults '[{"match": "/data/", "fault": "truncate"}]'
run_fails "truncated" 75
assert_contains "$(cat "$STDERR_FILE")" "damaged body (body:1:" "truncated body error"
assert_contains "$(cat "$STDERR_FILE")" "invalid JSON at byte" "truncated body error"
assert_contains "$(cat "$STDERR_FILE")" "found end of input" "truncated body error"
assert_contains "$(cat "$STDERR_FILE")" "gave up after 3 attempts" "truncated body error"
assert_eq 3 "$(grep -c '"truncated"' "$KOLADA_DIR/requests.log")" "truncated body tries"

# 500 for ever: the retries run out.
kolada_faults '[{"match": "/v3/kpi_groups", "fault": "500"}]'
run_fails "always 500" 75
assert_contains "$(cat "$STDERR_FILE")" "HTTP 500" "exhausted retries error"

# A retry budget smaller than Retry-After stops at once.
write_job "$KOLADA_URL/v3" ', "retry_budget_seconds": 2'
kolada_faults '[{"match": "/v3/kpi_groups", "fault": "429", "retry_after": "30"}]'
run_fails "retry budget" 75
assert_contains "$(cat "$STDERR_FILE")" "would exceed the retry budget" "retry budget error"

# An endless body stops at max_body_mb.
write_job "$KOLADA_URL/v3" ', "max_body_mb": 1'
kolada_faults '[{"match": "/v3/kpi_groups", "fault": "endless"}]'
run_fails "endless body" 65
assert_contains "$(cat "$STDERR_FILE")" "the body exceeds 1048576 bytes" "endless body error"

# Redirects are not followed, to another host or to the same one: the source
# fails naming both addresses, and the address moved to is never asked.
write_job "$KOLADA_URL/v3" ""
kolada_faults '[{"match": "/v3/kpi_groups", "fault": "redirect"}]'
run_fails "redirect to another host" 65
assert_contains "$(cat "$STDERR_FILE")" "GET $KOLADA_URL/v3/kpi_groups" "redirect: the address asked"
assert_contains "$(cat "$STDERR_FILE")" "HTTP 302 redirects to http://localhost:${KOLADA_URL##*:}/v3/kpi_groups" \
    "redirect: the address it pointed to"
assert_eq 1 "$(grep -c '/v3/kpi_groups' "$KOLADA_DIR/requests.log")" "the redirect not followed"
kolada_faults "[{\"match\": \"/v3/kpi_groups\", \"fault\": \"redirect\", \"times\": 1,
  \"location\": \"$KOLADA_URL/v3/kpi_groups?moved=1\"}]"
run_fails "redirect to the same host" 65
assert_contains "$(cat "$STDERR_FILE")" "redirects to $KOLADA_URL/v3/kpi_groups?moved=1" \
    "same-host redirect error"
assert_eq 0 "$(grep -c 'moved=1' "$KOLADA_DIR/requests.log")" "the same-host redirect not followed"

# No such route: 404 is not retried.
kolada_faults '[]'
write_job "$KOLADA_URL/v9" ""
run_fails "404" 65
assert_eq 1 "$(grep -c '/v9/kpi_groups' "$KOLADA_DIR/requests.log")" "404 asked once"
assert_contains "$(cat "$STDERR_FILE")" "HTTP 404" "404 error"

# Nothing listens: unavailable.
write_job "http://127.0.0.1:9/v3" ', "max_attempts": 2'
run_fails "connection refused" 69
