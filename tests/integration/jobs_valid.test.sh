# jobs_valid.test.sh: every job file shipped in jobs/ passes the checks
# made before a scheduled run (nyckel-run --check: the job file, its paths,
# the exports' headers and names, the warehouse; --offline, as no test
# reaches Kolada), and --check refuses a bad one with the file, line and
# column, creating nothing.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
work=$(mktemp -d)
pg_start
trap 'pg_stop; rm -rf "$work"' EXIT
# kolada-nightly names the service "nyckel": here it is the test cluster.
printf '[nyckel]\nhost=%s\nport=%s\ndbname=%s\nuser=%s\n' "$PGHOST" "$PGPORT" "$PGDATABASE" \
    "$PGUSER" >"$work/pg_service.conf"
for job in "$NYCKEL_ROOT"/jobs/*.json; do
    out=$(PGSERVICEFILE=$work/pg_service.conf "$BIN/nyckel-run" --check --offline --quiet \
        --log-format json "$job" 2>"$work/err") || fail "$job does not pass --check: $(cat "$work/err")"
    assert_eq "$job: ok" "$out" "--check of $job"
done
printf '{"name": "x", "extract": [{"name": "k", "type": "kolada-api", "kpis": ["N1"],\n "areas": ["0580"], "years": true}]}\n' >"$work/bad.json"
STDERR_FILE=$work/stderr
(cd "$work" && expect_exit 78 "$BIN/nyckel-run" --check "$work/bad.json")
assert_contains "$(cat "$STDERR_FILE")" 'bad.json:2:30: extract[0].years: expected a year or a range like \"2015..2024\", found true' "--check of a bad job"
assert_eq "bad.json err pg_service.conf stderr" "$(ls "$work" | tr '\n' ' ' | sed 's/ $//')" \
    "files left by --check"
