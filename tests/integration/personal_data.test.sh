# personal_data.test.sh: no personal identity number gets past transform.
# Plants valid personal identity and coordination numbers (YYMMDD-NNNN,
# YYMMDD+NNNN, YYYYMMDDNNNN, day + 60) in exports built from the samples in
# tests/data/exports:
#   case-planted.zip    the declared Personnummer column (A, B, C), the
#                       free-text Kommentar column (D), an unmapped column
#                       "Handläggare" (E), the header of an unmapped column
#                       (K: an export with one column per client)
#   case-leak.zip       a mapped column, Enhet (F): the file is rejected whole
#                       and the run fails (exit 65), naming file, column, line
#   finance-2023.csv    the title line above the header (G), Windows-1252
#   survey.xlsx         an unmapped column: a shared string (H), an inline
#                       string (I) and a number as Excel stores it (J)
# runs the pipeline twice (text logs with case-leak.zip, which fails in
# transform, then JSON logs without it, which loads; both --verbose), and
# looks for every number, in every way it can be written, in the staged
# COPY files, the rejects, the manifests and summaries, both logs, and a
# pg_dump of the warehouse.
#
# Not searched: RUN_DIR/extract/raw and the raw archive. The raw zone keeps
# the inputs byte for byte, as received (docs/architecture.md), so it holds
# whatever personal data the exports hold; docs/operations.md says it must
# be protected like the share the exports come from. The test checks that
# the numbers are there, so that their absence elsewhere means something.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

work=$(mktemp -d)
mkdir "$work/in" "$work/runs"
cp "$NYCKEL_ROOT/tests/data/exports/org-units.csv" "$work/in/"

# Builds the inputs and writes every textual form of every planted number,
# one a line, to forms (for grep -F -f).
python3 - "$NYCKEL_ROOT/tests/data/exports" "$work/in" >"$work/forms" <<'PY'
import io, os, sys, zipfile
sys.path.insert(0, os.environ["NYCKEL_ROOT"] + "/tests/lib")
from pnr import check_digit
samples, out = sys.argv[1], sys.argv[2]

class Number:
    """A personal number: century, YYMMDD (day + 60 for coordination), serial."""
    def __init__(self, century, date, serial):
        self.century, self.date = century, date
        self.serial = serial + check_digit(date + serial)
    def short(self, sep="-"):
        return self.date + sep + self.serial
    def long(self, sep=""):
        return self.century + self.date + sep + self.serial
    def forms(self):
        return [self.short(""), self.short("-"), self.short("+"), self.long(""), self.long("-")]

A = Number("19", "780214", "123")
B = Number("19", "150627", "456")   # born 1915: over 100, written with "+"
C = Number("19", "920930", "789")
D = Number("19", "881071", "234")   # coordination number: 11 October + 60
E = Number("19", "670503", "321")
F = Number("19", "930872", "567")   # coordination number: 12 August + 60
G = Number("19", "450315", "432")
H = Number("19", "710319", "654")
I = Number("20", "010472", "765")   # coordination number: 12 April + 60
J = Number("19", "850709", "980")
K = Number("19", "631205", "246")

def member(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}

def write_zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)

# Case export: header, 11 rows (the last a total row); column 3 is Personnummer.
name = "export/placeringar-2019-01.csv"
rows = [line.split(";") for line in member(f"{samples}/case-monthly.zip")[name].decode().split("\r\n") if line]
assert rows[0][2] == "Personnummer" and rows[0][8] == "Kommentar", rows[0]
sample_numbers = [r[2] for r in rows[1:] if r[2]]
planted = [r[:] for r in rows]
planted[0] += ["Handläggare", K.short("-")]
for r in planted[1:]:
    r += ["", "1"]
planted[1][2], planted[2][2], planted[3][2] = A.short("-"), B.short("+"), C.long()
planted[1][8] = f"Ring anhörig om beslutet, {D.short('-')}, före fredag"
planted[4][9] = E.long()
leak = [r[:] for r in rows]
leak[5][0] = f"Hälsa och sjukvård, rättelse för {F.short('-')}"
csv_bytes = lambda rs: ("\r\n".join(";".join(r) for r in rs) + "\r\n").encode()
write_zip(f"{out}/case-planted.zip", {name: csv_bytes(planted)})
write_zip(f"{out}/case-leak.zip", {name: csv_bytes(leak)})

# Finance export, Windows-1252: a number in the title line.
finance = open(f"{samples}/finance-2023.csv", "rb").read()
title, rest = finance.split(b"\r\n", 1)
title = title.replace(b"belopp i tkr", f"belopp i tkr, utskriven av {G.long()}".encode())
open(f"{out}/finance-2023.csv", "wb").write(title + b"\r\n" + rest)

# Survey workbook: column D, "Kontaktperson", on the data sheet.
book = member(f"{samples}/survey.xlsx")
strings = book["xl/sharedStrings.xml"].decode()
count = strings.count("<si>")
book["xl/sharedStrings.xml"] = strings.replace(
    "</sst>", f"<si><t>Kontaktperson</t></si><si><t>Kontakt: {H.short('-')}</t></si></sst>").encode()
sheet = book["xl/worksheets/sheet2.xml"].decode().split("</row>")
extra = [f'<c r="D1" t="s"><v>{count}</v></c>', f'<c r="D2" t="s"><v>{count + 1}</v></c>',
         f'<c r="D3" t="inlineStr"><is><t>{I.long()}</t></is></c>', f'<c r="D4"><v>{J.long()}</v></c>']
book["xl/worksheets/sheet2.xml"] = "".join(part + cell + "</row>" for part, cell in zip(sheet, extra)).encode() + sheet[-1].encode()
write_zip(f"{out}/survey.xlsx", book)

for n in (A, B, C, D, E, F, G, H, I, J, K):
    print("\n".join(n.forms()))
# The sample's own numbers left in the Personnummer column (the Tax
# Agency's test numbers), in the forms they are written.
print("\n".join(n for n in sample_numbers if n not in (rows[1][2], rows[2][2], rows[3][2])))
PY
assert_eq "57" "$(wc -l <"$work/forms" | tr -d ' ')" "forms of the planted numbers (11 x 5) and 2 sample numbers"

cat >"$work/job.json" <<EOF
{
  "name": "personal-data",
  "extract": [
    { "name": "finance", "type": "files", "paths": ["in/finance-2023.csv"], "mapping": "finance" },
    { "name": "case", "type": "files", "paths": ["in/case-planted.zip", "in/case-leak.zip"],
      "members": "*.csv", "mapping": "case" },
    { "name": "survey", "type": "files", "paths": ["in/survey.xlsx"], "mapping": "survey" }
  ],
  "transform": {
    "max_rejects": 19,
    "mappings": {
      "finance": {
        "encoding": "windows-1252", "separator": ";", "skip_lines": 1, "header_rows": 2,
        "layout": "wide", "header_roles": ["period", "scenario"],
        "columns": { "administration": "Förvaltning", "service_area": "Verksamhet", "unit": "Enhet" },
        "fill_down": ["Förvaltning", "Verksamhet"],
        "constants": { "area": "Linköping", "measure": "nettokostnad" },
        "measures": { "nettokostnad": { "title": "Nettokostnad", "unit": "tkr" } }
      },
      "case": {
        "encoding": "utf-8", "layout": "wide", "header_roles": ["measure"],
        "columns": { "unit": "Enhet", "period": "Period" },
        "personal_numbers": ["Personnummer"],
        "constants": { "area": "0580" },
        "org_units": "in/org-units.csv",
        "measures": {
          "placeringar": { "title": "Antal placeringar", "unit": "st" },
          "varddygn": { "title": "Vårddygn", "unit": "dygn" },
          "kostnad_per_dygn": { "title": "Kostnad per dygn", "unit": "kr/dygn" },
          "beviljade_timmar": { "title": "Beviljade timmar", "unit": "timmar" },
          "utforda_timmar": { "title": "Utförda timmar", "unit": "timmar" }
        }
      },
      "survey": {
        "sheet": "Enkät",
        "columns": { "area": "Kommun", "period": "År", "value": "Andel nöjda %" },
        "constants": { "measure": "nojdhet" },
        "measures": { "nojdhet": { "title": "Andel nöjda", "unit": "%" } }
      }
    }
  }
}
EOF

pg_start
# Every stage's log goes through nyckel-run's stderr; both formats, debug on.
# The leaking file fails the first run in transform: nothing is loaded.
set +e
"$BIN/nyckel-run" --log-format text --verbose --run-root "$work/runs" "$work/job.json" \
    >"$work/out-text" 2>"$work/log-text"
status=$?
set -e
assert_eq 65 "$status" "the run with a file refused for a personal number: $(cat "$work/log-text")"
assert_contains "$(grep ' error ' "$work/log-text")" \
    'case-leak.zip#export/placeringar-2019-01.csv: file rejected whole: column 1 "Enhet" (mapped as unit) holds a personal identity number on line 6' \
    "the error names the file, column and line"
run=$(ls -d "$work/runs"/*-personal-data)
sed 's|, "in/case-leak.zip"||' "$work/job.json" >"$work/job-without-leak.json"
"$BIN/nyckel-run" --log-format json --verbose --run-root "$work/runs" "$work/job-without-leak.json" \
    >"$work/out-json" 2>"$work/log-json" || fail "JSON run failed: $(cat "$work/log-json")"
second=$(tail -1 "$work/out-json")
assert_reconciled "$second"
for stage in nyckel-extract nyckel-transform; do
    grep -q " $stage " "$work/log-text" || fail "the text log has no line from $stage"
done
for stage in nyckel-extract nyckel-transform nyckel-load; do
    grep -q "\"program\": *\"$stage\"" "$work/log-json" || fail "the JSON log has no line from $stage"
done

# The raw zone holds the inputs as received, numbers included (see above):
# forms line 2 is A as written (YYMMDD-NNNN), line 34 is G (YYYYMMDDNNNN).
grep -rqF "$(sed -n 2p "$work/forms")" "$run/extract/raw/case" || fail "A is not in the raw zone: nothing was planted"
grep -rqF "$(sed -n 34p "$work/forms")" "$run/extract/raw/finance" || fail "G is not in the raw zone: nothing was planted"

# Nowhere else: staged COPY files, rejects, manifests, summaries, logs.
for dir in "$run" "$second"; do
    found=$(grep -rlF -f "$work/forms" --exclude-dir=raw "$dir" || true)
    assert_eq "" "$found" "files of $(basename "$dir") holding a personal number"
    ls "$dir"/transform/*.copy "$dir/transform/rejects.jsonl" "$dir/summary.json" >/dev/null
done
for f in out-text log-text out-json log-json; do
    found=$(grep -F -f "$work/forms" "$work/$f" || true)
    assert_eq "" "$found" "personal numbers in $f"
done

# Nor in the warehouse.
pg_dump --data-only >"$work/dump.sql"
found=$(grep -F -f "$work/forms" "$work/dump.sql" || true)
assert_eq "" "$found" "personal numbers in pg_dump of the warehouse"
# The cell "Kontakt: ..." (its header, Kontaktperson, is named in the run's
# warnings of unmapped columns, as a header, never a cell).
for text in "Ring anhörig" "Ny rutin" "Se akt" "Kontakt:"; do
    assert_not_contains "$(cat "$work/dump.sql")" "$text" "free text or unmapped cells in the warehouse"
done
assert_contains "$(cat "$work/dump.sql")" "SOC-BHS" "the dump holds the case export's units"

# The leaking file is rejected whole, naming the column and line, not the
# number; its rows have no raw text. Without it, the other files load.
python3 - "$run/transform/rejects.jsonl" "$second/transform/manifest.json" <<'PY' || fail "rejects of the leaking file"
import json, sys
leak = [r for r in map(json.loads, open(sys.argv[1], encoding="utf-8")) if "case-leak.zip#" in r["source"]]
assert len(leak) == 10, len(leak)
assert all(r["raw"] is None for r in leak), leak
reasons = {r["reason"] for r in leak}
assert reasons == {'file rejected whole: column 1 "Enhet" (mapped as unit) holds a personal '
                   'identity number on line 6'}, reasons
sources = {s["uri"].rsplit("/in/", 1)[1]: (s["rows_read"], s["rows_written"], s["rows_rejected"])
           for s in json.load(open(sys.argv[2]))["sources"]}
assert sources == {"finance-2023.csv": (15, 15, 0), "survey.xlsx": (3, 3, 0),
                   "case-planted.zip#export/placeringar-2019-01.csv": (28, 19, 9)}, sources
PY
assert_eq "case-planted.zip#export/placeringar-2019-01.csv=19 finance-2023.csv=15 survey.xlsx=3 " \
    "$(pg_value "SELECT regexp_replace(s.uri, '^.*/in/', '') || '=' || count(*)
                   FROM nyckel.fact_internal_value v JOIN nyckel.dim_source s USING (source_key)
                  GROUP BY s.uri ORDER BY 1" | tr '\n' ' ')" "facts per file"
assert_eq "84.1" "$(pg_value "SELECT value FROM nyckel.fact_internal_value
                               WHERE measure_id = 'nojdhet' AND ou_id = '0580' AND period_id = '2023'")" \
    "the survey workbook loaded beside its personal column"
rm -rf "$work"
