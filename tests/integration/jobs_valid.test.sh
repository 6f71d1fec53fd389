# jobs_valid.test.sh: every job file shipped in jobs/ passes the same checks
# a scheduled run makes (nyckel-run --check), and --check refuses a bad one
# with the file, line and column, creating nothing.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
work=$(mktemp -d)
for job in "$NYCKEL_ROOT"/jobs/*.json; do
    out=$("$BIN/nyckel-run" --check "$job" 2>&1) || fail "$job does not pass --check: $out"
    assert_eq "$job: ok" "$out" "--check of $job"
done
printf '{"name": "x", "extract": [{"name": "k", "type": "kolada-api", "kpis": ["N1"],\n "areas": ["0580"], "years": true}]}\n' >"$work/bad.json"
STDERR_FILE=$work/stderr
(cd "$work" && expect_exit 78 "$BIN/nyckel-run" --check "$work/bad.json")
assert_contains "$(cat "$STDERR_FILE")" 'bad.json:2:30: extract[0].years: expected a year or a range like \"2015..2024\", found true' "--check of a bad job"
assert_eq "bad.json stderr" "$(ls "$work" | tr '\n' ' ' | sed 's/ $//')" "files left by --check"
rm -rf "$work"
