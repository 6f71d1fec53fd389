# case_rows.test.sh: a case-system export as it really comes, one row per
# placement, added up by a row-level mapping ("layout": "rows").
#
# Builds here a zipped Windows-1252 export of a year of placements (made
# up, seeded): invented personal identity numbers with valid check digits,
# each person written in all three forms over the year (YYMMDD-NNNN,
# YYYYMMDDNNNN, YYYYMMDD-NNNN), several placements of one unit, kind and
# month, care days and a "Kostnad (kr)" column with grouped thousands, an
# unmapped column.  The figures expected are worked out here from the rows,
# not read back from nyckel, and compared exactly with the warehouse: care
# days, cost and placements per unit x kind x month and per year (and for
# all kinds together), people placed per month and per year as distinct
# counts.  Then: no planted number in any staged file, reject, log,
# summary, table or pg_dump; every 1-4 count of people flagged and masked
# in mart.internal_value_published; the unmapped column warned of in the
# log and the summary; the same file delivered again loads nothing new; a
# header in a unit that is not the measure's rejects the file.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

work=$(mktemp -d)
mkdir "$work/in" "$work/again" "$work/runs"

# Writes in/placeringar-2022.zip, expected (measure|unit|period|breakdown|
# value), small (the same lines for counts of 1-4 people) and forms (every
# planted number in every form, one a line).
python3 - "$work" <<'PY'
import os, random, sys, zipfile
sys.path.insert(0, os.environ["NYCKEL_ROOT"] + "/tests/lib")
from pnr import check_digit
from collections import defaultdict
work = sys.argv[1]
rng = random.Random(19)


people = []
while len(people) < 60:
    year = rng.randint(1940, 2015)
    date = f"{year % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    serial = f"{rng.randint(0, 999):03d}"
    number = (str(year // 100), date, serial + check_digit(date + serial))
    if number not in people:
        people.append(number)
forms = lambda p: [f"{p[1]}-{p[2]}", f"{p[0]}{p[1]}{p[2]}", f"{p[0]}{p[1]}-{p[2]}"]

units = {"Barn och unga": people[:40], "Vuxen": people[40:]}
kinds = {"HVB": 4500, "Familjehem": 1200, "Stödboende": 2100}
rows = []
for month in range(1, 13):
    for unit, pool in units.items():
        for kind, price in kinds.items():
            placed = rng.sample(pool, rng.randint(1, 9 if unit == "Barn och unga" else 4))
            # The same person twice in a month: two placements, one person.
            placed.append(placed[0])
            for p in placed:
                days = rng.randint(1, 31)
                rows.append((p, unit, f"2022-{month:02d}", kind, days, days * price))
rng.shuffle(rows)

def grouped(n):
    return f"{n:,}".replace(",", " ")

lines = ["Personnummer;Enhet;Månad;Placeringsform;Vårddygn;Kostnad (kr);Handläggare"]
for i, (p, unit, month, kind, days, cost) in enumerate(rows):
    lines.append(f"{forms(p)[i % 3]};{unit};{month};{kind};{days};{grouped(cost)};H{i % 7}")
with zipfile.ZipFile(f"{work}/in/placeringar-2022.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("export/placeringar-2022.csv", ("\r\n".join(lines) + "\r\n").encode("cp1252"))

ou = {"Barn och unga": "0580/barn och unga", "Vuxen": "0580/vuxen"}
sums = defaultdict(lambda: [0, 0, 0, set()])
for p, unit, month, kind, days, cost in rows:
    for period in (month, month[:4]):
        for breakdown in (f"placeringsform/{kind.lower()}", "all"):
            s = sums[(ou[unit], period, breakdown)]
            s[0] += days; s[1] += cost; s[2] += 1; s[3].add(p)
with open(f"{work}/expected", "w") as e, open(f"{work}/small", "w") as small:
    for (unit, period, breakdown), (days, cost, count, placed) in sums.items():
        for measure, value in (("varddygn", days), ("kostnad", cost), ("placeringar", count),
                               ("placerade", len(placed))):
            print(f"{measure}|{unit}|{period}|{breakdown}|{value}", file=e)
        if len(placed) < 5:
            print(f"placerade|{unit}|{period}|{breakdown}|{len(placed)}", file=small)
with open(f"{work}/forms", "w") as f:
    for p in people:
        print("\n".join(forms(p)), file=f)
PY
assert_eq "180" "$(wc -l <"$work/forms" | tr -d ' ')" "forms of the planted numbers (60 x 3)"
[ -s "$work/small" ] || fail "the generated year has no count of 1-4 people to mask"
cp "$work/in/placeringar-2022.zip" "$work/again/"

cat >"$work/job.json" <<EOF
{
  "name": "case-rows",
  "extract": [
    { "name": "placements", "type": "files", "paths": ["in/*.zip"], "members": "*.csv",
      "mapping": "placements" }
  ],
  "transform": {
    "max_rejects": 0,
    "municipalities": "$NYCKEL_ROOT/jobs/reference/municipalities.csv",
    "mappings": {
      "placements": {
        "encoding": "windows-1252", "separator": ";", "layout": "rows",
        "columns": { "unit": "Enhet", "period": "Månad", "breakdown": "Placeringsform" },
        "personal_numbers": ["Personnummer"],
        "constants": { "area": "0580" },
        "measures": {
          "varddygn": { "title": "Vårddygn", "unit": "dygn" },
          "kostnad": { "title": "Kostnad", "unit": "kr" },
          "placeringar": { "title": "Placeringar", "unit": "st", "aggregate": "count_rows" },
          "placerade": { "title": "Placerade personer", "unit": "personer",
                         "aggregate": "count_people", "column": "Personnummer" }
        }
      }
    }
  },
  "load": { "pairings": [{ "measure": "placerade", "kpi": "N00000", "rollup": "sum" }] }
}
EOF

pg_start
assert_eq "$work/job.json: ok" "$("$BIN/nyckel-run" --check --quiet "$work/job.json" 2>"$work/check")" \
    "--check: $(cat "$work/check")"
"$BIN/nyckel-run" --log-format text --verbose --run-root "$work/runs" "$work/job.json" >"$work/out" 2>"$work/log" ||
    fail "run failed: $(cat "$work/log")"
run=$(tail -1 "$work/out")
assert_reconciled "$run"

# --- Every figure, exactly ----------------------------------------------------
pg_value "SELECT measure_id || '|' || ou_id || '|' || period_id || '|' || breakdown_id || '|' || value
            FROM nyckel.fact_internal_value" | LC_ALL=C sort >"$work/loaded"
LC_ALL=C sort "$work/expected" >"$work/expected.sorted"
cmp -s "$work/expected.sorted" "$work/loaded" ||
    fail "figures differ from the rows: $(diff "$work/expected.sorted" "$work/loaded" | head -20)"
# 2 units x (3 kinds + all) x (12 months + the year) x 4 measures.
assert_eq "416" "$(wc -l <"$work/loaded" | tr -d ' ')" "figures in the warehouse"
assert_eq "HVB|Placeringsform" \
    "$(pg_value "SELECT title || '|' || breakdown_kind FROM nyckel.dim_breakdown
                  WHERE breakdown_id = 'placeringsform/hvb'")" "the breakdown dimension"
# The year's people are its distinct people: fewer than the months' counts added up.
assert_eq "t" "$(pg_value "SELECT y.value < sum(m.value) FROM nyckel.fact_internal_value y
                            JOIN nyckel.fact_internal_value m ON m.measure_id = y.measure_id
                             AND m.ou_id = y.ou_id AND m.breakdown_id = y.breakdown_id
                             AND m.period_id LIKE '2022-%'
                           WHERE y.measure_id = 'placerade' AND y.period_id = '2022'
                             AND y.ou_id = '0580/barn och unga' AND y.breakdown_id = 'all'
                           GROUP BY y.value")" "people in the year are not the months' sum"

# Beside Kolada, the year is that distinct count too, not the months rolled up.
year_people=$(grep '^placerade|0580/barn och unga|2022|all|' "$work/expected" | cut -d'|' -f5)
assert_eq "$year_people|12" \
    "$(pg_value "SELECT internal_value || '|' || months_with_data FROM mart.internal_vs_kolada
                  WHERE ou_id = '0580/barn och unga' AND breakdown_id = 'all' AND year = 2022")" \
    "people placed in the year beside Kolada"

# --- Small counts: flagged in the core table, masked for publication -----------
pg_value "SELECT measure_id || '|' || ou_id || '|' || period_id || '|' || breakdown_id || '|' || value
            FROM nyckel.fact_internal_value WHERE is_small_count" | LC_ALL=C sort >"$work/flagged"
LC_ALL=C sort "$work/small" | cmp -s - "$work/flagged" ||
    fail "small counts flagged differ: $(LC_ALL=C sort "$work/small" | diff - "$work/flagged" | head)"
assert_eq "$(wc -l <"$work/small" | tr -d ' ') 0" \
    "$(pg_value "SELECT count(*) FILTER (WHERE is_masked) || ' ' ||
                        count(*) FILTER (WHERE is_masked AND value IS NOT NULL)
                   FROM mart.internal_value_published")" "masked rows in the publication view, all NULL"
assert_eq "0" "$(pg_value "SELECT count(*) FROM mart.internal_value_published p
                           JOIN nyckel.fact_internal_value f USING (measure_id, ou_id, period_id,
                                                                    scenario, breakdown_id)
                           WHERE NOT f.is_small_count AND p.value IS DISTINCT FROM f.value")" \
    "every other figure published as it is"
month=$(head -1 "$work/small" | cut -d'|' -f2-4)
assert_eq "true|" "$(pg_value "SELECT is_masked || '|' || coalesce(value::text, '')
                              FROM mart.internal_value_published WHERE measure_id = 'placerade'
                               AND ou_id || '|' || period_id || '|' || breakdown_id = '$month'")" \
    "a month with 1-4 people is masked ($month)"

# --- The marts keep working, with the breakdown ----------------------------------
assert_eq "$(grep -c '^kostnad|' "$work/expected")" \
    "$(pg_value "SELECT count(*) FROM mart.budget_follow_up WHERE measure_id = 'kostnad'
                  AND outcome IS NOT NULL AND breakdown_id IS NOT NULL")" "budget follow-up by breakdown"

# --- The unmapped column is warned of, per file ------------------------------------
assert_contains "$(cat "$work/log")" 'column 7 "Handläggare" is mapped to nothing' "the log warns"
assert_contains "$(cat "$run/summary.json")" 'column 7 \"Handläggare\" is mapped to nothing' \
    "the summary lists it"

# --- No planted number anywhere but the raw zone -----------------------------------
unzip -p "$work/in/placeringar-2022.zip" | grep -qF "$(head -1 "$work/forms")" ||
    fail "the first number is not in the export: nothing was planted"
found=$(grep -rlF -f "$work/forms" --exclude-dir=raw "$run" || true)
assert_eq "" "$found" "files of the run holding a personal number"
ls "$run"/transform/*.copy "$run/transform/rejects.jsonl" "$run/summary.json" >/dev/null
for f in out log; do
    assert_eq "" "$(grep -F -f "$work/forms" "$work/$f" || true)" "personal numbers in $f"
done
pg_dump >"$work/dump.sql"
assert_eq "" "$(grep -F -f "$work/forms" "$work/dump.sql" || true)" "personal numbers in pg_dump"

# --- The same file delivered again loads nothing new ---------------------------------
# The same job, the file dropped on the share once more (a new copy, the same bytes).
rm "$work/in/placeringar-2022.zip"
cp "$work/again/placeringar-2022.zip" "$work/in/"
"$BIN/nyckel-run" --run-root "$work/runs" "$work/job.json" >"$work/out2" 2>"$work/log2" ||
    fail "second delivery failed: $(cat "$work/log2")"
second=$(tail -1 "$work/out2")
assert_reconciled "$second"
assert_eq "0 0 0 416" \
    "$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tables"]["fact_internal_value"];
print(t["inserted"], t["updated"], t["deleted"], t["unchanged"])' "$second/load/summary.json")" \
    "fact_internal_value after the second delivery"
assert_eq "416" "$(pg_value "SELECT count(*) FROM nyckel.fact_internal_value")" "facts after it"

# --- A header in a unit that is not the measure's rejects the file --------------------
python3 - "$work/in/placeringar-2022.zip" "$work/again/placeringar-2022.zip" <<'PY'
import sys, zipfile
data = zipfile.ZipFile(sys.argv[1]).read("export/placeringar-2022.csv")
with zipfile.ZipFile(sys.argv[2], "w") as z:
    z.writestr("export/placeringar-2022.csv", data.replace(b"Kostnad (kr)", b"Kostnad (%)", 1))
PY
sed -e 's|"in/\*.zip"|"again/*.zip"|' -e 's|"max_rejects": 0|"max_rejects": "100%"|' \
    "$work/job.json" >"$work/job-unit.json"
"$BIN/nyckel-run" --run-root "$work/runs" "$work/job-unit.json" >"$work/out3" 2>"$work/log3" ||
    fail "run with a wrong unit failed: $(cat "$work/log3")"
assert_contains "$(cat "$(tail -1 "$work/out3")/transform/rejects.jsonl")" \
    'header \"Kostnad (%)\" is in % but measure kostnad is in kr' "the wrong unit's reason"

# --- A record whose personal number is not valid is rejected whole, unnamed ---------------
# 870222-8588 has a wrong check digit; the record's care days go nowhere else either.
rm -f "$work/again/"*
printf 'Personnummer;Enhet;Månad;Placeringsform;Vårddygn;Kostnad (kr);Handläggare\r\n%s\r\n%s\r\n' \
    '19870222-8589;Vuxen;2023-01;HVB;9;40 500;H1' '870222-8588;Vuxen;2023-01;HVB;5;22 500;H1' |
    iconv -f utf-8 -t cp1252 >"$work/again/bad.csv"
python3 -c 'import sys, zipfile
zipfile.ZipFile(sys.argv[1] + "/bad.zip", "w").write(sys.argv[1] + "/bad.csv", "bad.csv")' "$work/again"
rm "$work/again/bad.csv"
"$BIN/nyckel-run" --run-root "$work/runs" "$work/job-unit.json" >"$work/out5" 2>"$work/log5" ||
    fail "run with a bad personal number failed: $(cat "$work/log5")"
bad=$(tail -1 "$work/out5")
assert_eq '3|1|null|column 1 "Personnummer": expected a personal identity number (measure placerade)' \
    "$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l); print("%s|%s|%s|%s" % (r["line"], r["column"], json.dumps(r["raw"]), r["reason"]))' \
        "$bad/transform/rejects.jsonl")" "the bad number's record rejected, the number not written"
assert_not_contains "$(cat "$bad/transform/rejects.jsonl" "$work/log5")" "8588" "the bad number"
assert_eq "9" "$(pg_value "SELECT value FROM nyckel.fact_internal_value WHERE measure_id = 'varddygn'
                            AND period_id = '2023-01' AND breakdown_id = 'all'")" \
    "care days of the good record only"

# --- "unmapped_columns": "error" rejects the file, naming the column ------------------
rm -f "$work/again/"*
cp "$work/in/placeringar-2022.zip" "$work/again/"
sed 's|"layout": "rows",|"layout": "rows", "unmapped_columns": "error",|' "$work/job-unit.json" \
    >"$work/job-strict.json"
"$BIN/nyckel-run" --run-root "$work/runs" "$work/job-strict.json" >"$work/out4" 2>"$work/log4" ||
    fail "run with unmapped_columns error failed: $(cat "$work/log4")"
strict=$(tail -1 "$work/out4")
# (rejects.jsonl is ASCII: ä is \u00E4 there)
assert_contains "$(cat "$strict/transform/rejects.jsonl")" \
    'column 7 \"Handl\u00E4ggare\" is mapped to nothing' "the unmapped column rejects the file"
assert_eq "0" "$(python3 -c 'import json,sys; print(sum(t["rows"] for t in json.load(open(sys.argv[1]))["tables"]
    if t["table"] == "fact_internal_value"))' "$strict/transform/manifest.json")" "facts from the rejected file"
rm -rf "$work"
