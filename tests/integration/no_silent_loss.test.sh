# no_silent_loss.test.sh: a nightly job that loses data fails loudly, and
# --check finds the trouble before any stage runs (issue 26's list, each
# with the opposite outcome):
#  - a job and its exports moved to a folder with no reference file, run
#    with the installed binaries, resolve municipality names (the list is
#    built in);
#  - a misspelt header rejects its whole file, every row counted: the run
#    fails with exit 65 naming the file, line and column, --quiet or not,
#    and the warehouse keeps exactly what the last good run loaded;
#  - rejects the job allows are still warned about, with their reasons;
#  - nyckel-run --check lists every problem (the header, a path matching
#    nothing, an unknown municipality, an unreachable warehouse, a Kolada
#    base_url that does not answer, a warehouse lock held) and creates no
#    run directory.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/kolada_fixture.sh"
work=$(mktemp -d)
prefix=$work/prefix
kolada_start --municipalities 2 --kpis 1 --years 1 --first-year 2023
pg_start
trap 'pg_stop; kolada_stop; rm -rf "$work"' EXIT
make -s -C "$NYCKEL_ROOT" BUILD="$BUILD" PREFIX="$prefix" install >/dev/null
bin=$prefix/bin

# The job lives with its exports, far from the source tree.
job_dir=$work/etc/nyckel
mkdir -p "$job_dir/exports"
job() { # MAX_REJECTS_KEY
    cat >"$job_dir/job.json" <<JSON
{"name": "moved", "run_root": "$work/runs", "raw_archive": {"format": "none"},
 "extract": [{"name": "ekonomi", "type": "files", "paths": ["exports/*.csv"],
              "mapping": "ekonomi"}],
 "transform": {$1
  "mappings": {"ekonomi": {"separator": ";",
   "columns": {"area": "Kommun", "unit": "Enhet", "period": "Period", "value": "Belopp (tkr)"},
   "constants": {"measure": "kostnad"},
   "measures": {"kostnad": {"title": "Kostnad", "unit": "tkr"}}}}}}
JSON
}
printf 'Kommun;Enhet;Period;Belopp (tkr)\nLekeberg;Hemtjänst;2023;-1 250\nLEKEBERGS KOMMUN;Boende;2023;-2 500\n' \
    >"$job_dir/exports/ekonomi-2023.csv"
job ''
[ ! -e "$job_dir/reference" ] || fail "the job folder must have no reference file"
facts() {
    psql -XAtq -c "SELECT ou_id || '=' || value FROM nyckel.fact_internal_value ORDER BY ou_id"
}

(cd "$work" && "$bin/nyckel-run" --quiet "$job_dir/job.json" >"$work/out" 2>"$work/err") ||
    fail "the moved job failed: $(cat "$work/err")"
assert_eq "1814/boende=-2500 1814/hemtjänst=-1250" "$(facts | tr '\n' ' ' | sed 's/ $//')" \
    "facts of the moved job (Lekeberg is 1814, from the built-in list)"

# A misspelt header in the next delivery; the good file changed too, so
# that a half-done load would show.
printf 'Kommun;Enhett;Period;Belopp (tkr)\nLekeberg;Hemtjänst;2024;-1 300\nLekeberg;Boende;2024;-2 600\n' \
    >"$job_dir/exports/ekonomi-2024.csv"
printf 'Kommun;Enhet;Period;Belopp (tkr)\nLekeberg;Hemtjänst;2023;-1 111\nLekeberg;Boende;2023;-2 222\n' \
    >"$job_dir/exports/ekonomi-2023.csv"
where="ekonomi-2024.csv line 2, column 2"
why='header: no column named \"Enhet\" (columns.unit); column 2 is \"Enhett\"'

STDERR_FILE=$work/check.err
expect_exit 65 "$bin/nyckel-run" --check --log-format text "$job_dir/job.json"
assert_contains "$(cat "$STDERR_FILE")" "$(printf '%s' "$why" | tr -d '\\')" "--check names the header"
assert_contains "$(cat "$STDERR_FILE")" "2 x " "--check counts every row of the file"
assert_contains "$(cat "$STDERR_FILE")" "$where" "--check names file, line and column"
[ "$(ls -d "$work"/runs/*-moved | wc -l | tr -d ' ')" = 1 ] ||
    fail "--check must not make a run directory: $(ls "$work/runs")"

STDERR_FILE=$work/run.err
(cd "$work" && expect_exit 65 "$bin/nyckel-run" --quiet --log-format json "$job_dir/job.json")
assert_contains "$(cat "$STDERR_FILE")" "2 of 4 row(s) rejected, more than transform.max_rejects (0, the default)" \
    "--quiet still shows the failure"
assert_contains "$(cat "$STDERR_FILE")" "$why" "the failure says why"
assert_contains "$(cat "$STDERR_FILE")" "$where" "the failure names file, line and column"
assert_eq "1814/boende=-2500 1814/hemtjänst=-1250" "$(facts | tr '\n' ' ' | sed 's/ $//')" \
    "the warehouse after the failed run"
assert_eq 1 "$(psql -XAtq -c 'SELECT count(*) FROM nyckel.run')" "loads recorded"

# Allowed rejects still lose rows: a warning says so, also with --quiet.
job '"max_rejects": 2,'
(cd "$work" && "$bin/nyckel-run" --quiet --log-format json "$job_dir/job.json" >"$work/out" \
    2>"$work/err") || fail "2 rejects allowed, yet the run failed: $(cat "$work/err")"
assert_contains "$(grep '"level":"warn"' "$work/err")" "2 of 4 row(s) rejected" "warning of allowed rejects"
assert_contains "$(grep '"level":"warn"' "$work/err")" "$why" "the warning says why"
python3 - "$(tail -1 "$work/out")/summary.json" <<'PY' || fail "summary.json lacks the reasons"
import json, sys
t = json.load(open(sys.argv[1]))["stages"][1]
assert t["rows_rejected"] == 2 and t["reject_reasons"][0]["rows"] == 2, t
assert t["reject_reasons"][0]["line"] == 2 and t["reject_reasons"][0]["column"] == 2, t
PY
assert_eq "1814/boende=-2222 1814/hemtjänst=-1111" "$(facts | tr '\n' ' ' | sed 's/ $//')" \
    "the good file of the allowed run"

# --check lists every problem, each once, and the first one's exit code.
cat >"$work/bad.json" <<JSON
{"name": "bad", "run_root": "$work/runs",
 "warehouse": {"conninfo": "host=$work/no-server dbname=dw"},
 "extract": [{"name": "gone", "type": "files", "paths": ["$work/share/*.csv"], "mapping": "n"},
             {"name": "here", "type": "files", "paths": ["$job_dir/exports/ekonomi-2023.csv"],
              "mapping": "m"},
             {"name": "kolada", "type": "kolada-api", "base_url": "http://127.0.0.1:9/v3",
              "kpis": ["N00001"], "areas": ["0000"], "years": [2023], "connect_timeout_seconds": 2}],
 "transform": {"mappings": {"m": {"separator": ";",
   "columns": {"unit": "Enhet", "period": "Period", "value": "Belopp (tkr)"},
   "constants": {"measure": "kostnad", "area": "Atlantis"}},
  "n": {"constants": {"measure": "kostnad", "area": "Ankeborg"},
   "columns": {"period": "Period", "value": "Belopp (tkr)"}}}}}
JSON
STDERR_FILE=$work/bad.err
expect_exit 66 "$bin/nyckel-run" --check --log-format text "$work/bad.json"
err=$(cat "$STDERR_FILE")
assert_contains "$err" "extract[0].paths[0]: \"$work/share/*.csv\" matched no file" "missing path"
assert_contains "$err" "extract[2].base_url: http://127.0.0.1:9/v3/municipality/0000" "Kolada not answering"
assert_contains "$err" 'a run would reject 2 x unknown municipality "Atlantis": not in the built-in list' \
    "unknown municipality"
assert_contains "$err" 'extract[0]: mapping "n": constants.area: unknown municipality "Ankeborg"' \
    "unknown constant municipality of a source with no file yet"
assert_contains "$err" "cannot connect to the warehouse" "unreachable warehouse"
[ ! -e "$work/runs/bad.lock" ] || fail "--check took the job's lock"
expect_exit 66 "$bin/nyckel-run" --check --offline "$work/bad.json"
assert_not_contains "$(cat "$STDERR_FILE")" "base_url" "--offline asks no API"

# A good job: Kolada answers, the warehouse is free; then another load holds its lock.
cat >"$work/good.json" <<JSON
{"name": "good", "extract": [{"name": "kolada", "type": "kolada-api",
  "base_url": "$KOLADA_URL/v3", "kpis": ["N00001"], "areas": ["0000"], "years": [2023]}]}
JSON
out=$("$bin/nyckel-run" --check "$work/good.json" 2>"$work/err") ||
    fail "a good job fails --check: $(cat "$work/err")"
assert_eq "$work/good.json: ok" "$out" "--check of a good job"
psql -XAtq -c "SET application_name = 'test_holder'; BEGIN; SELECT FROM nyckel.load_lock FOR UPDATE; SELECT pg_sleep(60)" >/dev/null 2>&1 &
holder=$!
tries=0
until [ "$(psql -XAtq -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'test_holder' AND wait_event = 'PgSleep'")" = 1 ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || fail "the test's lock holder did not get the lock"
    sleep 0.1
done
STDERR_FILE=$work/lock.err
expect_exit 79 "$bin/nyckel-run" --check "$work/good.json"
assert_contains "$(cat "$STDERR_FILE")" "another load holds the warehouse lock" "lock held"
kill "$holder"
wait "$holder" 2>/dev/null || true

# --offline belongs to --check; a stage's --check runs without a run directory only.
STDERR_FILE=$work/usage.err
expect_exit 64 "$bin/nyckel-run" --offline "$work/good.json"
assert_contains "$(cat "$STDERR_FILE")" "--offline goes with --check" "--offline alone"
expect_exit 64 "$bin/nyckel-load" --job "$work/good.json" --check --run-dir "$work/x"
assert_contains "$(cat "$STDERR_FILE")" "--check takes no --run-dir" "a stage's --check with a run directory"
[ ! -e "$work/x" ] || fail "a refused --check made a run directory"
