# xlsx_writers.test.sh: workbooks saved by real spreadsheet writers
# (python3-openpyxl and LibreOffice, tests/data/workbooks/README.md) lose
# nothing: 2023 merged over Budget, Prognos and Utfall gives all three
# columns their period, numbers stored as text and as numbers both land,
# a blank cell and an empty row give no value, and the date in a value
# column is rejected by name (line, column, the date as a person sees it),
# never loaded as its day count; the municipality comes from the built-in
# list.  Without max_rejects the one reject fails the run with exit 65.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

job() { # WORKBOOK TRANSFORM_EXTRA
    cat >"$work/job.json" <<JSON
{"name": "workbook", "raw_archive": {"format": "none"},
 "extract": [{"name": "ekonomi", "type": "files", "paths": ["$1"], "mapping": "finance"}],
 "transform": {$2
  "mappings": {"finance": {"sheet": "Ekonomi", "header_rows": 2, "layout": "wide",
   "header_roles": ["period", "scenario"], "columns": {"unit": "Enhet"},
   "constants": {"area": "Lekeberg", "measure": "nettokostnad"},
   "measures": {"nettokostnad": {"title": "Nettokostnad", "unit": "tkr"}}}}}}
JSON
}

for writer in openpyxl libreoffice; do
    book=$NYCKEL_ROOT/tests/data/workbooks/finance-$writer.xlsx
    run=$work/run-$writer
    job "$book" '"max_rejects": 1,'
    "$BIN/nyckel-extract" --job "$work/job.json" --run-dir "$run" 2>/dev/null
    "$BIN/nyckel-transform" --job "$work/job.json" --run-dir "$run" 2>"$work/err" ||
        fail "$writer: transform failed: $(cat "$work/err")"
    assert_reconciled "$run"
    facts=$(cut -f1-5 "$run/transform/fact_internal_value.copy" | LC_ALL=C sort)
    unit=1814/hemtjänst
    expected=$(LC_ALL=C sort <<EOF2
nettokostnad	1814/barn och unga	2023	budget	-28400
nettokostnad	1814/barn och unga	2023	forecast	-29280.4
nettokostnad	1814/barn och unga	2023	outcome	-29166.8
nettokostnad	${unit} norr	2023	budget	-41250
nettokostnad	${unit} norr	2023	forecast	-42528.8
nettokostnad	${unit} norr	2023	outcome	-42363.8
nettokostnad	${unit} söder	2023	budget	-38900
nettokostnad	${unit} söder	2023	outcome	-39950.3
nettokostnad	1814/särskilt boende ekbacken	2023	forecast	-64025.1
nettokostnad	1814/särskilt boende ekbacken	2023	outcome	-63776.7
EOF2
)
    assert_eq "$expected" "$facts" "$writer: the facts of the workbook"
    python3 - "$run/transform/rejects.jsonl" "$writer" <<'PY' || fail "$writer: rejects wrong"
import json, sys
rejects = [json.loads(line) for line in open(sys.argv[1])]
assert len(rejects) == 1, rejects
r = rejects[0]
assert (r["line"], r["column"], r["raw"]) == (5, 2, "2024-03-01"), r
assert r["reason"] == "unexpected text after the number", r
PY
    grep -q '^45352' "$run/transform/fact_internal_value.copy" && fail "$writer: a date loaded as a number"
    job "$book" ''
    STDERR_FILE=$work/stderr
    expect_exit 65 "$BIN/nyckel-transform" --job "$work/job.json" --run-dir "$run"
    assert_contains "$(cat "$STDERR_FILE")" "1 of 11 row(s) rejected, more than transform.max_rejects (0, the default)" "$writer: default limit"
    assert_contains "$(cat "$STDERR_FILE")" "finance-$writer.xlsx line 5, column 2)" "$writer: where"
    [ ! -f "$run/transform/manifest.json" ] || fail "$writer: a failed transform left a manifest"
done
