# kolada_fixture.sh: sourced by extract tests; starts the Kolada fixture
# server (tests/fixtures/kolada_server.py) on 127.0.0.1 for one test and
# stops it on exit.  Sets KOLADA_DIR (control file, request log) and
# KOLADA_URL.

# The fixture is on loopback; a proxy set in the environment must not be used.
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost

kolada_stop() {
    [ -z "${KOLADA_PID:-}" ] || kill "$KOLADA_PID" 2>/dev/null || true
    [ -z "${KOLADA_PID:-}" ] || wait "$KOLADA_PID" 2>/dev/null || true
    [ -z "${KOLADA_DIR:-}" ] || rm -rf "$KOLADA_DIR"
    [ -z "${TEST_DIR:-}" ] || rm -rf "$TEST_DIR"
}

kolada_start() { # server options...
    KOLADA_DIR=$(mktemp -d)
    python3 "$NYCKEL_ROOT/tests/fixtures/kolada_server.py" --port-file "$KOLADA_DIR/port" \
        --log "$KOLADA_DIR/requests.log" --control "$KOLADA_DIR/control.json" "$@" &
    KOLADA_PID=$!
    trap kolada_stop EXIT
    tries=0
    while [ ! -s "$KOLADA_DIR/port" ]; do
        tries=$((tries + 1))
        [ "$tries" -lt 200 ] || fail "the Kolada fixture server did not start"
        sleep 0.05
    done
    KOLADA_URL=http://127.0.0.1:$(cat "$KOLADA_DIR/port")
}

# kolada_faults JSON: the fault rules for the next requests (see kolada_server.py).
kolada_faults() {
    printf '%s\n' "$1" >"$KOLADA_DIR/control.json"
}

# kolada_clear_log: forget the requests so far.
kolada_clear_log() {
    : >"$KOLADA_DIR/requests.log"
}

# kolada_paths: every path+query the server received, one a line, in order.
kolada_paths() {
    python3 -c 'import json,sys
for line in open(sys.argv[1]): print(json.loads(line)["path"])' "$KOLADA_DIR/requests.log"
}

# kolada_check RUN_DIR [--no-repeats]: the raw zone against the request log
# (see tests/fixtures/kolada_check.py).
kolada_check() {
    python3 "$NYCKEL_ROOT/tests/fixtures/kolada_check.py" "$1" "$KOLADA_DIR/requests.log" \
        "${2:-}" || fail "raw zone check of $1"
}
