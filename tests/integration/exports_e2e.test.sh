# exports_e2e.test.sh: the ready job jobs/internal-monthly.json end to end.
# Runs it through nyckel-run into a fresh PostgreSQL and checks the warehouse
# against numbers worked out here, not read back from nyckel: the finance
# facts re-read from the sample CSVs by a small parser of this test's own,
# the case-system facts and the rejects written down from the rows of
# scripts/gen-export-samples.py (CASE_ROWS), the units from org-units.csv.
# Then: the hierarchy, the merged unit, reconciliation of the manifest with
# the warehouse, the budget mart, a second run that changes nothing, and
# the Kolada pairing once the demo job has loaded into the same warehouse.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

job=$NYCKEL_ROOT/jobs/internal-monthly.json
data=$NYCKEL_ROOT/jobs/demo-data/exports
for f in finance-2023.csv finance-2024.csv case-monthly.zip org-units.csv; do
    cmp -s "$data/$f" "$NYCKEL_ROOT/tests/data/exports/$f" ||
        fail "jobs/demo-data/exports/$f is not a copy of tests/data/exports/$f"
done
pg_start
runs=$(mktemp -d)
# The check reads the samples as a run would: their 10 deliberate rejects are
# within the job's max_rejects, so they are warnings, not problems.
assert_eq "$job: ok" "$("$BIN/nyckel-run" --check --quiet "$job" 2>"$runs/check")" "--check of the job"
assert_contains "$(cat "$runs/check")" "10 of 53 row(s) would be rejected" "--check warns of the rejects"
"$BIN/nyckel-run" --run-root "$runs" "$job" >"$runs/out" 2>"$runs/err" ||
    fail "first run failed: $(cat "$runs/err")"
run=$(tail -1 "$runs/out")
[ -f "$run/load/summary.json" ] || fail "nyckel-run did not print its run directory: $run"
assert_reconciled "$run"

# --- Finance: every fact, re-read from the two CSVs ------------------------
# A parser of the documented formats, just enough for these two files:
# Windows-1252 or UTF-8 with BOM, a title line, "2023" above Budget/Prognos/
# Utfall, blank Förvaltning/Verksamhet meaning "as above", total rows,
# grouping by U+00A0/U+202F, U+2212 minus, "mnkr" into tkr, ".." missing.
# Prints "unit id|period|scenario|value" (value empty for NULL), and the
# cells it cannot read as "reject|file|line|column|raw" lines.
python3 - "$data" >"$runs/finance.expected" <<'PY'
import sys
from decimal import Decimal
SCENARIO = {"Budget": "budget", "Prognos": "forecast", "Utfall": "outcome"}
def amount(cell):
    text = cell.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    scale = 1
    if text.endswith("mnkr"):
        text, scale = text[:-4], 1000
    if text == "..":
        return ""
    if text.count(",") > 1:
        raise ValueError(cell)
    value = (Decimal(text.replace(",", ".")) * scale).normalize()
    return format(value, "f")
for name in ("finance-2023.csv", "finance-2024.csv"):
    raw = open(f"{sys.argv[1]}/{name}", "rb").read()
    text = raw[3:].decode("utf-8") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1252")
    lines = [l.split(";") for l in text.split("\r\n") if l]
    year, scenarios = lines[1][3], [SCENARIO[s] for s in lines[2][3:]]
    admin = area = ""
    for number, cells in enumerate(lines[3:], start=4):
        admin, area = cells[0] or admin, cells[1] or area
        if any(c.lower().startswith("totalt") for c in cells[:3]):
            continue
        unit = "/".join(["0580", admin.lower(), area.lower(), cells[2].lower()])
        for column, (scenario, cell) in enumerate(zip(scenarios, cells[3:]), start=4):
            try:
                print(f"{unit}|{year}|{scenario}|{amount(cell)}")
            except ValueError:
                print(f"reject|{name}|{number}|{column}|{cell}")
PY
grep -v '^reject|' "$runs/finance.expected" | LC_ALL=C sort >"$runs/finance.facts"
pg_value "SELECT ou_id || '|' || period_id || '|' || scenario || '|' || coalesce(value::text, '')
            FROM nyckel.fact_internal_value WHERE measure_id = 'nettokostnad'" |
    LC_ALL=C sort >"$runs/finance.loaded"
cmp -s "$runs/finance.facts" "$runs/finance.loaded" ||
    fail "finance facts differ from the CSVs: $(diff "$runs/finance.facts" "$runs/finance.loaded")"
assert_eq "24" "$(wc -l <"$runs/finance.loaded" | tr -d ' ')" "finance facts: 5 units x 3 in 2023, 10 cells less 1 reject in 2024"
assert_eq "reject|finance-2024.csv|8|5|-28,4,5" "$(grep '^reject|' "$runs/finance.expected")" \
    "the one finance cell this test's parser cannot read either"

# The same figures by hand, from FINANCE_UNITS in the generator (tkr):
htn="0580/socialförvaltningen/äldreomsorg/hemtjänst norr"
finance() { # unit period scenario
    pg_value "SELECT coalesce(value::text, 'NULL') FROM nyckel.fact_internal_value
               WHERE measure_id = 'nettokostnad' AND ou_id = '$1' AND period_id = '$2' AND scenario = '$3'"
}
# budget -41250; forecast -41250 x 1.031 and outcome -41250 x 1.027, written
# with one decimal and a no-break space: "-42 528,8", "-42 363,8".
assert_eq "-41250" "$(finance "$htn" 2023 budget)" "Hemtjänst Norr budget 2023"
assert_eq "-42528.8" "$(finance "$htn" 2023 forecast)" "Hemtjänst Norr forecast 2023"
assert_eq "-42363.8" "$(finance "$htn" 2023 outcome)" "Hemtjänst Norr outcome 2023"
# 2024: budget -41250 x 1.04 written "−42 900" (U+2212, U+202F); the
# forecast cell replaced by "−44,2 mnkr", i.e. -44200 tkr.
assert_eq "-42900" "$(finance "$htn" 2024 budget)" "Hemtjänst Norr budget 2024 (U+2212 minus)"
assert_eq "-44200" "$(finance "$htn" 2024 forecast)" "Hemtjänst Norr forecast 2024 from mnkr"
# Hemtjänst Söder's 2024 forecast is "..": a missing value, kept as NULL.
assert_eq "NULL" "$(finance "0580/socialförvaltningen/äldreomsorg/hemtjänst söder" 2024 forecast)" \
    "a '..' cell is NULL, not zero"
# "Barn och unga" has blank Förvaltning and Verksamhet cells, filled from above.
assert_eq "-28400" "$(finance "0580/socialförvaltningen/individ- och familjeomsorg/barn och unga" 2023 budget)" \
    "Barn och unga budget 2023"

# --- Case system: every fact, from CASE_ROWS of the generator -------------
# Units through org-units.csv; Bistånd (SOC-BIS) and Hälsa och sjukvård
# (SOC-HS, alias HSL) end 2018-12-31 and go on as SOC-BHS; "januari 2019" and
# "201901" are 2019-01; "3 500kr/dygn" is 3500 kr/dygn; the Totalt row, the
# Personnummer and Kommentar columns give nothing.
cat >"$runs/case.expected" <<'EOF'
beviljade_timmar|SOC-HTN|2018-12|4210
beviljade_timmar|SOC-HTN|2019-01|4305
kostnad_per_dygn|SOC-BHS|2019-01|3650
kostnad_per_dygn|SOC-BHS|2019-02|4180
kostnad_per_dygn|SOC-BIS|2018-12|3500
kostnad_per_dygn|SOC-BOU|2019-01|2950
kostnad_per_dygn|SOC-HS|2018-12|4100
placeringar|SOC-BHS|2019-01|15
placeringar|SOC-BHS|2019-02|2
placeringar|SOC-BIS|2018-12|14
placeringar|SOC-BOU|2019-01|9
placeringar|SOC-HS|2018-12|3
utforda_timmar|SOC-HTN|2018-12|3980.5
utforda_timmar|SOC-HTN|2019-01|4102
varddygn|SOC-BHS|2019-01|455
varddygn|SOC-BHS|2019-02|61
varddygn|SOC-BIS|2018-12|412
varddygn|SOC-BOU|2019-01|270
varddygn|SOC-HS|2018-12|88
EOF
pg_value "SELECT measure_id || '|' || ou_id || '|' || period_id || '|' || value
            FROM nyckel.fact_internal_value WHERE measure_id <> 'nettokostnad' AND scenario = 'outcome'" |
    LC_ALL=C sort >"$runs/case.loaded"
cmp -s "$runs/case.expected" "$runs/case.loaded" ||
    fail "case facts differ from CASE_ROWS: $(diff "$runs/case.expected" "$runs/case.loaded")"
assert_eq "0" "$(pg_value "SELECT count(*) FROM nyckel.fact_internal_value
                           WHERE measure_id <> 'nettokostnad' AND scenario <> 'outcome'")" \
    "the case system reports outcomes only"
assert_eq "Utförda timmar hemtjänst|timmar" \
    "$(pg_value "SELECT title || '|' || unit FROM nyckel.dim_measure WHERE measure_id = 'utforda_timmar'")" \
    "measure title and unit from the job"

# --- Facts per source ------------------------------------------------------
per_source=$(pg_value "SELECT regexp_replace(s.uri, '^.*/exports/', '') || '=' || count(*)
                         FROM nyckel.fact_internal_value v JOIN nyckel.dim_source s USING (source_key)
                        GROUP BY s.uri ORDER BY 1" | tr '\n' ' ')
assert_eq "case-monthly.zip#export/placeringar-2019-01.csv=19 finance-2023.csv=15 finance-2024.csv=9 " \
    "$per_source" "facts per source file"

# --- Units -------------------------------------------------------------------
# 8 from the finance paths (Socialförvaltningen; Äldreomsorg, Individ- och
# familjeomsorg; 5 units) and every unit of the org-unit file.
org_units=$(($(wc -l <"$data/org-units.csv") - 1))
assert_eq "8" "$org_units" "units in org-units.csv"
assert_eq "$((8 + org_units)) $((8 + org_units)) 1" \
    "$(pg_value "SELECT count(*) || ' ' || count(*) FILTER (WHERE ou_kind = 'internal') || ' ' ||
                        count(DISTINCT area_id) FROM nyckel.dim_ou")" "units in dim_ou: all internal, all in 0580"
chain() { # unit id: titles up to the top
    pg_value "WITH RECURSIVE up AS (
                  SELECT ou_id, title, parent_ou_id, 0 AS depth FROM nyckel.dim_ou WHERE ou_id = '$1'
                  UNION ALL
                  SELECT o.ou_id, o.title, o.parent_ou_id, up.depth + 1
                  FROM nyckel.dim_ou o JOIN up ON o.ou_id = up.parent_ou_id)
              SELECT string_agg(title, ' < ' ORDER BY depth) FROM up"
}
assert_eq "Hemtjänst Norr < Äldreomsorg < Socialförvaltningen" "$(chain "$htn")" \
    "finance hierarchy: unit < service area < administration"
assert_eq "Hemtjänst Norr < Äldreomsorg < Socialförvaltningen" "$(chain SOC-HTN)" \
    "org-unit file hierarchy: unit < service area < administration"

# The merger: Bistånd and Hälsa och sjukvård keep their 2018 figures; from
# 2019 their rows (as Bistånd, HSL) land on Bistånd och hälsa.
assert_eq "SOC-BHS:2019-01,2019-02 SOC-BIS:2018-12 SOC-HS:2018-12 " \
    "$(pg_value "SELECT ou_id || ':' || string_agg(DISTINCT period_id, ',' ORDER BY period_id)
                   FROM nyckel.fact_internal_value WHERE ou_id IN ('SOC-BIS', 'SOC-HS', 'SOC-BHS')
                  GROUP BY ou_id ORDER BY ou_id" | tr '\n' ' ')" "periods of the merged units"
assert_eq "Bistånd och hälsa < Äldreomsorg < Socialförvaltningen" "$(chain SOC-BHS)" "the successor's place"

# --- Rejects -----------------------------------------------------------------
python3 - "$run/transform/rejects.jsonl" >"$runs/rejects" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    print(f"{r['source'].rsplit('/exports/', 1)[1]}|{r['line']}|{r['column']}|{r['reason']}")
PY
# Lines and columns of the case CSV: line 1 is the header, so CASE_ROWS[i]
# is line i + 2. Row 7 ("Biståndsenheten", 2019-01) repeats row 4 (Bistånd
# 201901) after the merger; row 9 has month 13; row 10 an unknown unit.
member="case-monthly.zip#export/placeringar-2019-01.csv"
cat >"$runs/rejects.expected" <<EOF
$member|10|2|month 13: expected 1 to 12
$member|10|2|month 13: expected 1 to 12
$member|10|2|month 13: expected 1 to 12
$member|11|1|unit "Okänd enhet" is not in the org-unit file (2019-01-01 to 2019-01-31)
$member|11|1|unit "Okänd enhet" is not in the org-unit file (2019-01-01 to 2019-01-31)
$member|11|1|unit "Okänd enhet" is not in the org-unit file (2019-01-01 to 2019-01-31)
$member|8|4|line 5 already gave placeringar for unit SOC-BHS, 2019-01, outcome
$member|8|5|line 5 already gave varddygn for unit SOC-BHS, 2019-01, outcome
$member|8|6|line 5 already gave kostnad_per_dygn for unit SOC-BHS, 2019-01, outcome
finance-2024.csv|8|5|',' occurs twice: cannot tell a decimal mark from a thousands separator
EOF
LC_ALL=C sort "$runs/rejects" | cmp -s "$runs/rejects.expected" - ||
    fail "rejects differ: $(LC_ALL=C sort "$runs/rejects" | diff "$runs/rejects.expected" -)"

# --- Reconciliation ----------------------------------------------------------
facts=$(pg_value "SELECT count(*) FROM nyckel.fact_internal_value")
python3 - "$run/transform/manifest.json" "$facts" <<'PY' || fail "the transform manifest does not reconcile"
import json, sys
m, facts = json.load(open(sys.argv[1])), int(sys.argv[2])
counts = {s["uri"].rsplit("/exports/", 1)[1]: (s["rows_read"], s["rows_written"], s["rows_rejected"]) for s in m["sources"]}
assert counts == {"finance-2023.csv": (15, 15, 0), "finance-2024.csv": (10, 9, 1),
                  "case-monthly.zip#export/placeringar-2019-01.csv": (28, 19, 9)}, counts
assert all(r == w + j for r, w, j in counts.values()), counts
written = sum(w for _, w, _ in counts.values())
table = [t["rows"] for t in m["tables"] if t["table"] == "fact_internal_value"]
assert table == [written] == [facts] == [43], (table, written, facts)
assert m["rejects"]["rows"] == sum(j for _, _, j in counts.values()) == 10, m["rejects"]
PY
assert_eq "10" "$(wc -l <"$run/transform/rejects.jsonl" | tr -d ' ')" "lines in rejects.jsonl"

# --- Budget follow-up ---------------------------------------------------------
# Hemtjänst Norr 2023: outcome − budget = −42363.8 − (−41250) = −1113.8;
# forecast − budget = −42528.8 + 41250 = −1278.8; outcome − forecast = 165.0;
# outcome / budget = 42363.8 / 41250 = 102.70 %.
follow_up() { # period
    pg_value "SELECT concat_ws('|', budget, forecast, coalesce(outcome::text, 'NULL'),
                     coalesce(round(outcome_minus_budget::numeric, 1)::text, 'NULL'),
                     round(forecast_minus_budget::numeric, 1),
                     coalesce(round(outcome_minus_forecast::numeric, 1)::text, 'NULL'),
                     coalesce(round(outcome_percent_of_budget::numeric, 2)::text, 'NULL'), unit)
                FROM mart.budget_follow_up
               WHERE measure_id = 'nettokostnad' AND ou_id = '$htn' AND period_id = '$1'"
}
assert_eq "-41250|-42528.8|-42363.8|-1113.8|-1278.8|165.0|102.70|tkr" "$(follow_up 2023)" \
    "budget follow-up of Hemtjänst Norr 2023"
# 2024 has no outcome yet: forecast − budget = −44200 + 42900 = −1300.
assert_eq "-42900|-44200|NULL|NULL|-1300.0|NULL|NULL|tkr" "$(follow_up 2024)" \
    "budget follow-up of Hemtjänst Norr 2024"

# --- A second run changes nothing ----------------------------------------------
snapshot() {
    pg_value "SELECT md5(string_agg(t, E'\n' ORDER BY t COLLATE \"C\")) FROM (
                SELECT concat_ws('|', measure_id, ou_id, period_id, scenario, breakdown_id, value,
                                 is_small_count, source_key, run_key) AS t
                FROM nyckel.fact_internal_value
                UNION ALL SELECT concat_ws('|', ou_id, title, area_id, parent_ou_id, run_key) FROM nyckel.dim_ou
                UNION ALL SELECT concat_ws('|', measure_id, title, unit, run_key) FROM nyckel.dim_measure) rows"
}
before=$(snapshot)
"$BIN/nyckel-run" --run-root "$runs" "$job" >"$runs/out2" 2>"$runs/err2" ||
    fail "second run failed: $(cat "$runs/err2")"
second=$(tail -1 "$runs/out2")
assert_reconciled "$second"
assert_eq "$before" "$(snapshot)" "facts, units and measures after the second run"
assert_eq "fact_internal_value=0/0/0/43 dim_ou=0/0/0/16 dim_measure=0/0/0/6 " \
    "$(pg_value "SELECT t.table_name || '=' || t.inserted || '/' || t.updated || '/' || t.deleted || '/' || t.unchanged
                   FROM nyckel.run r JOIN nyckel.run_table t USING (run_key)
                  WHERE r.run_id = '$(basename "$second")'
                    AND t.table_name IN ('fact_internal_value', 'dim_ou', 'dim_measure')
                  ORDER BY t.table_name DESC" | tr '\n' ' ')" "audit of the second run"

# --- Beside Kolada: the demo job in the same warehouse --------------------------
"$BIN/nyckel-run" --run-root "$runs" "$NYCKEL_ROOT/jobs/demo.json" >"$runs/out3" 2>"$runs/err3" ||
    fail "demo run failed: $(cat "$runs/err3")"
kolada=$(python3 - "$NYCKEL_ROOT/jobs/demo-data/kolada" <<'PY'
import glob, json, sys
for f in glob.glob(sys.argv[1] + "/data-*.json"):
    for r in json.load(open(f))["values"]:
        if (r["kpi"], r["municipality"], r["period"]) == ("N31807", "0580", 2019):
            print([v["value"] for v in r["values"] if v["gender"] == "T"][0])
PY
)
[ -n "$kolada" ] || fail "the demo data has no N31807 for Linköping 2019"
# Home-care hours delivered by Hemtjänst Norr: one month in each year
# (2018-12: 3 980,5; "januari 2019": 4 102), summed as the pairing says.
assert_eq "2018|3980.5|1|NULL 2019|4102|1|$kolada " \
    "$(pg_value "SELECT year || '|' || internal_value || '|' || months_with_data || '|' ||
                        coalesce(kolada_value::text, 'NULL')
                   FROM mart.internal_vs_kolada
                  WHERE measure_id = 'utforda_timmar' AND kpi_id = 'N31807' AND ou_id = 'SOC-HTN'
                  ORDER BY year" | tr '\n' ' ')" "internal hours beside Kolada's N31807"
rm -rf "$runs"
