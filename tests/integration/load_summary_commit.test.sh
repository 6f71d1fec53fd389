# load_summary_commit.test.sh: load/summary.json is written before the
# commit, so a load whose summary cannot be written commits nothing: it
# exits 74, records the failure, leaves the warehouse as it was and no
# summary behind, and nyckel.run and summary.json never disagree.  The
# write fails under a file-size limit of zero (SIGXFSZ ignored, so the
# write returns an error): a load that only adds a source row writes no
# other file.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/load_fixture.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
fixture_job "$work/job.json"
values() {
    fixture_kolada "$1" "Andel nöjda" <<'ROWS'
N00001|0000|2023|T|50|1|\N|s1
N00001|0180|2023|T|60|1|\N|s1
ROWS
    fixture_done "$1"
}
first="$work/20261101T020000Z-loadtest"
next="$work/20261102T020000Z-loadtest"
values "$first"
values "$next"
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$first" 2>"$work/log" ||
    fail "first load: $(cat "$work/log")"
before=$(warehouse_state)

# The log goes through a pipe: a file would fall under the limit too.
no_files() { (trap '' XFSZ; ulimit -f 0; exec "$@"); }
{ no_files "$BIN/nyckel-load" --log-format text --job "$work/job.json" --run-dir "$next" 2>&1 >/dev/null &&
  echo "exit 0" || echo "exit $?"; } | cat >"$work/err"
assert_eq "exit 74" "$(tail -1 "$work/err")" "a load whose summary cannot be written: $(cat "$work/err")"
assert_contains "$(cat "$work/err")" "load/summary.json.pending.tmp: write failed" "the error names the summary"
assert_eq "$before" "$(warehouse_state)" "a load whose summary cannot be written commits nothing"
[ ! -e "$next/load/summary.json" ] || fail "summary.json written"
[ ! -e "$next/load/summary.json.pending" ] || fail "summary.json.pending left behind"
assert_eq 0 "$(pg_value "SELECT count(*) FROM nyckel.run WHERE run_id = '$(basename "$next")'")" "nyckel.run rows of the failed load"
assert_eq "74|writing load/summary.json.pending" "$(pg_value "SELECT exit_code, step FROM nyckel.run_failure WHERE run_id = '$(basename "$next")'")" "the failure record"

# With room again the same run loads, and the two records agree.
"$BIN/nyckel-load" --job "$work/job.json" --run-dir "$next" 2>"$work/log" ||
    fail "the load after the failure: $(cat "$work/log")"
[ ! -e "$next/load/summary.json.pending" ] || fail "summary.json.pending left behind after success"
summary() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["run_key"], s["status"], s["changes"])' "$next/load/summary.json"; }
assert_eq "$(pg_value "SELECT run_key || ' ' || status || ' ' || (SELECT sum(inserted + updated + deleted) FROM nyckel.run_table t WHERE t.run_key = r.run_key) FROM nyckel.run r WHERE run_id = '$(basename "$next")'")" "$(summary)" "summary.json and nyckel.run"
