# transform_inputs.test.sh: inputs issue 20 found half read, merged or
# misnamed, each with the opposite outcome now:
#   a NUL byte rejects its CSV line only: the lines after it are read and
#   counted; two unit names sharing a 130-byte beginning stay two units, and
#   so do two breakdown values; a
#   ten-digit amount is refused as a personal number unless the mapping
#   declares the column amounts; a wide layout's value header holding a
#   number refuses the file (it would become a measure title); an org-unit
#   file with a control byte fails naming its line; a broken Kolada page is
#   named by the input it came from, not only the raw copy; a 16 000-source
#   job is checked in well under three seconds (it took 7 to 16 s when
#   source names were compared pairwise).
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/nul" "$work/long" "$work/kinds" "$work/amount" "$work/org" "$work/kolada" "$work/wide"

header='Kommun;Enhet;Period;Belopp (kr)\r\n'
printf "$header"'Linköping;Norr;2023;1\r\nLinköping;Syd\0;2023;2\r\n' >"$work/nul/export.csv"
printf 'Linköping;Öst;2023;3\r\nLinköping;Väst;2023;4\r\n' >>"$work/nul/export.csv"
long=$(printf 'x%.0s' $(seq 130))
printf "$header"'Linköping;%sA;2023;5\r\nLinköping;%sB;2023;6\r\n' "$long" "$long" >"$work/long/export.csv"
printf "$header"'Linköping;Norr;2023;8112189876\r\n' >"$work/amount/export.csv"
printf 'Kommun;Enhet;Period;Belopp (kr);Form\r\nLinköping;Norr;2023;5;%sA\r\nLinköping;Norr;2023;6;%sB\r\n' \
    "$long" "$long" >"$work/kinds/export.csv"
printf 'unit_id;title\r\nNORR;Norr\r\nSYD;S\001yd\r\n' >"$work/org/org-units.csv"
printf "$header"'Linköping;Norr;2023;1\r\n' >"$work/org/export.csv"
printf '{"count": 1, "values": [' >"$work/kolada/broken.json"
printf 'Kommun;Enhet;Besök 121212-1212\r\nLinköping;Norr;3\r\n' >"$work/wide/export.csv"

job() { # NAME PATH MAPPING-EXTRA
    cat >"$work/$1.json" <<JSON
{"name": "$1", "extract": [{"name": "e", "type": "files", "paths": ["$2"], "mapping": "m"}],
 "transform": {"municipalities": "$NYCKEL_ROOT/jobs/reference/municipalities.csv",
  "max_rejects": "100%",
  "mappings": {"m": {"encoding": "utf-8", "separator": ";",
   "columns": {"area": "Kommun", "unit": "Enhet", "period": "Period", "value": "Belopp (kr)"},
   "constants": {"measure": "kostnad"}$3}}}}
JSON
}
stages() { # NAME WANT-TRANSFORM-EXIT
    "$BIN/nyckel-extract" --log-format text --job "$work/$1.json" --run-dir "$work/run-$1" 2>"$work/err" ||
        fail "$1: extract failed: $(cat "$work/err")"
    set +e
    "$BIN/nyckel-transform" --log-format text --job "$work/$1.json" --run-dir "$work/run-$1" 2>"$work/err"
    status=$?
    set -e
    assert_eq "$2" "$status" "$1: transform's exit status: $(cat "$work/err")"
}
sources() { # RUN: "read written rejected" of the manifest's only source
    python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))["sources"][0]
print(s["rows_read"], s["rows_written"], s["rows_rejected"])' "$1/transform/manifest.json"
}

job nul "$work/nul" ""
stages nul 0
assert_eq "4 3 1" "$(sources "$work/run-nul")" "the NUL line rejected, the lines after it read"
assert_contains "$(cat "$work/run-nul/transform/rejects.jsonl")" \
    '"line":3,"column":0,"reason":"line 3: a NUL byte: not a text file (UTF-16?); the line is not read"' \
    "the NUL line's reject"
assert_reconciled "$work/run-nul"

job long "$work/long" ""
stages long 0
assert_eq "2 2 0" "$(sources "$work/run-long")" "two long unit names, two values"
assert_eq 2 "$(grep -c "^0580/${long}[ab]	" "$work/run-long/transform/dim_ou.copy")" \
    "two units, their ids whole"

job kinds "$work/kinds" ""
sed -i 's|"value": "Belopp (kr)"}|"value": "Belopp (kr)", "breakdown": "Form"}|' "$work/kinds.json"
stages kinds 0
assert_eq "2 2 0" "$(sources "$work/run-kinds")" "two long breakdown values, two values"
assert_eq 2 "$(grep -c "^form/${long}[ab]	" "$work/run-kinds/transform/dim_breakdown.copy")" \
    "two breakdowns, their ids whole"

job amount "$work/amount" ""
stages amount 65
assert_contains "$(cat "$work/err")" \
    'column 4 "Belopp (kr)" (mapped as value) holds a personal identity number on line 2' \
    "a ten-digit amount, undeclared, refused"
assert_contains "$(cat "$work/err")" "amount_columns" "the warning names the way out"
job amount "$work/amount" ', "amount_columns": true'
rm -rf "$work/run-amount"
stages amount 0
assert_contains "$(cat "$work/run-amount/transform/fact_internal_value.copy")" "	8112189876	" \
    "the declared amount loads"

cat >"$work/wide.json" <<JSON
{"name": "wide", "extract": [{"name": "e", "type": "files", "paths": ["$work/wide"], "mapping": "m"}],
 "transform": {"municipalities": "$NYCKEL_ROOT/jobs/reference/municipalities.csv",
  "mappings": {"m": {"encoding": "utf-8", "separator": ";", "layout": "wide",
   "header_roles": ["measure"], "columns": {"area": "Kommun", "unit": "Enhet"},
   "constants": {"period": "2023"}}}}}
JSON
stages wide 65
assert_contains "$(cat "$work/err")" \
    'column 3 "?" (mapped as value) holds a personal identity number on line 1' \
    "a number in a value header"
assert_not_contains "$(cat "$work/err" "$work/run-wide/transform/rejects.jsonl")" "121212" \
    "the header's number quoted"

job org "$work/org" ", \"org_units\": \"$work/org/org-units.csv\""
stages org 65
assert_contains "$(cat "$work/err")" "org-units.csv: line 3: control byte 0x01: not text; the line is not read" \
    "the org-unit file's unreadable line"

cat >"$work/kolada.json" <<JSON
{"name": "kolada", "extract": [{"name": "k", "type": "kolada-files", "paths": ["$work/kolada"]}]}
JSON
stages kolada 65
assert_contains "$(cat "$work/err")" "file://$work/kolada/broken.json (source \"k\"): " \
    "the broken page named by its input"

python3 - "$work/big.json" <<'PY'
import json, sys
sources = [{"name": "s%d" % i, "type": "kolada-files", "paths": ["p%d.json" % i]} for i in range(16000)]
json.dump({"name": "big", "extract": sources}, open(sys.argv[1], "w"))
PY
# The job is checked before the run directory is looked for: the time is the check's.
started=$(date +%s%N)
STDERR_FILE=$work/big-err
expect_exit 66 "$BIN/nyckel-transform" --job "$work/big.json" --run-dir "$work/no-such-run"
took=$((($(date +%s%N) - started) / 1000000))
assert_contains "$(cat "$work/big-err")" "run directory not found" "the 16 000-source job passed its check"
[ "$took" -lt 3000 ] || fail "checking 16 000 sources took $took ms"
