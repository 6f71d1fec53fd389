# pnr_everywhere.test.sh: personal identity numbers planted in every place
# that issue 20 found them getting through, in every separator form (none,
# '-', '+', a space), and found nowhere nyckel writes: staged COPY files,
# rejects, manifests, summaries, logs, the warehouse's tables (pg_dump) and
# its mart views.
#   run A (loads)   Kolada: a KPI title, a unit (ou) title, a group title, a
#                   data value's status; an export whose amount column holds
#                   a ten-digit amount that looks like a number (it loads:
#                   amount_columns); beside them Kolada rows with a count
#                   past PostgreSQL's integer, a 1 MiB KPI id, empty ids and
#                   numbers no double holds, each rejected while the rest loads
#   run B (exit 65) an export cell with the space form "Norr 121212 1212"
#   run C (exit 65) an org-unit file whose title holds a number
#   run D (exit 78) a transform.aliases name that is a number
# The raw zone and its archives keep inputs as received (docs/architecture.md)
# and are not searched, but the raw zone is checked to hold the numbers, so
# that their absence elsewhere means something.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"

work=$(mktemp -d)
mkdir "$work/kolada" "$work/a" "$work/b" "$work/c" "$work/runs"
cp "$NYCKEL_ROOT/jobs/demo-data/kolada/kpi.json" "$NYCKEL_ROOT/jobs/demo-data/kolada/municipality.json" \
    "$work/kolada/"

# Writes the inputs and every textual form of every planted number, one a
# line, to forms (for grep -F -f).
python3 - "$work" >"$work/forms" <<'PY'
import json, sys
work = sys.argv[1]

def check_digit(nine):
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)

class Number:
    def __init__(self, century, date, serial):
        self.century, self.date = century, date
        self.serial = serial + check_digit(date + serial)
    def short(self, sep=""):
        return self.date + sep + self.serial
    def long(self, sep=""):
        return self.century + self.date + sep + self.serial
    def forms(self):
        return [self.short(s) for s in ("", "-", "+", " ")] + [self.long(s) for s in ("", "-", " ")]

KPI_TITLE = Number("19", "560412", "318")
OU_TITLE = Number("19", "790303", "552")
GROUP_TITLE = Number("19", "880771", "224")   # coordination number: 11 July + 60
STATUS = Number("20", "050915", "127")
CELL = Number("19", "121212", "121")
ORG_TITLE = Number("19", "670822", "409")
ALIAS = Number("19", "940130", "736")

def dump(path, values):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"count": len(values), "values": values}, f, ensure_ascii=False)

dump(f"{work}/kolada/kpi-planted.json", [
    {"id": "N99001", "title": "Avgift " + KPI_TITLE.long(" "), "description": "",
     "operating_area": "Test", "is_divided_by_gender": 0, "municipality_type": "K",
     "has_ou_data": False}])
dump(f"{work}/kolada/ou-planted.json", [
    {"id": "V15E058000101", "municipality": "0580", "title": "Norr " + OU_TITLE.short("-")},
    {"id": "V15E058000102", "municipality": "0580", "title": "Söder"}])
dump(f"{work}/kolada/groups-planted.json", [
    {"id": "G99001", "title": "Grupp " + GROUP_TITLE.short("+"),
     "members": [{"member_id": "0580", "member_title": "Linköping"}]},
    {"id": "G99002", "title": "Grannar",
     "members": [{"member_id": "0580", "member_title": "Linköping"}]}])
dump(f"{work}/kolada/data-planted.json", [
    {"kpi": "N00945", "municipality": "0580", "period": 2023,
     "values": [{"gender": "T", "count": 1, "status": "", "value": 1.5},
                {"gender": "K", "count": 1, "status": STATUS.short(), "value": 2.5}]}])
# Issue 20, point 8 and 6: values that failed the whole load (exit 70 or
# naming the COPY file) or loaded with empty ids are rejected one by one.
one = lambda kpi, area, count: {"kpi": kpi, "municipality": area, "period": 2022,
                                "values": [{"gender": "T", "count": count, "status": "", "value": 3}]}
dump(f"{work}/kolada/data-bad-ids.json", [
    one("N00945", "0580", 2147483648), one("N" * (1 << 20), "0580", 1), one("", "", 1),
    one("N00945", "0580", 7)])
# Issue 20, point 8: a number no double holds refused its whole page; now
# only its value is rejected (1e400 as "value", 4 000 digits as "count",
# 1e-400, which would be 0); 1e-310, which a double holds, loads.
with open(f"{work}/kolada/data-huge-numbers.json", "w") as f:
    f.write('{"count": 2, "values": [{"kpi": "N00945", "municipality": "0580", "period": 2021, '
            '"values": [{"gender": "T", "count": 1, "status": "", "value": 1e400}, '
            '{"gender": "K", "count": ' + "9" * 4000 + ', "status": "", "value": 4}, '
            '{"gender": "M", "count": 2, "status": "", "value": 4.5}]}, '
            '{"kpi": "N00945", "municipality": "0580", "period": 2020, '
            '"values": [{"gender": "T", "count": 1, "status": "", "value": 1e-400}, '
            '{"gender": "K", "count": 1, "status": "", "value": 1e-310}]}]}\n')

header = "Kommun;Enhet;Period;Belopp (kr)\r\n"
# 8112189876 is an amount here (amount_columns), though it reads as a number.
open(f"{work}/a/amounts.csv", "w", encoding="utf-8", newline="").write(
    header + "Linköping;Hemtjänst;2023;8112189876\r\nLinköping;Ekonomi;2023;1200\r\n")
open(f"{work}/b/export.csv", "w", encoding="utf-8", newline="").write(
    header + "Linköping;Söder;2023;5\r\nLinköping;Norr " + CELL.short(" ") + ";2023;7\r\n")
open(f"{work}/c/org-units.csv", "w", encoding="utf-8", newline="").write(
    "unit_id;title\r\nSOC;Socialförvaltningen\r\nNORR;Norr " + ORG_TITLE.long("-") + "\r\n")
open(f"{work}/c/export.csv", "w", encoding="utf-8", newline="").write(
    header + "Linköping;Socialförvaltningen;2023;5\r\n")
with open(f"{work}/alias", "w") as f:
    f.write(ALIAS.short("-"))
for n in (KPI_TITLE, OU_TITLE, GROUP_TITLE, STATUS, CELL, ORG_TITLE, ALIAS):
    print("\n".join(n.forms()))
PY
assert_eq "49" "$(wc -l <"$work/forms" | tr -d ' ')" "forms of the planted numbers (7 x 7)"

write_job() { # NAME EXTRACT-SOURCES EXTRA-TRANSFORM-KEYS
    cat >"$work/$1.json" <<JSON
{"name": "$1", "extract": [$2],
 "transform": {"municipalities": "$NYCKEL_ROOT/jobs/reference/municipalities.csv"$3,
  "max_rejects": "100%",
  "mappings": {
   "plain": {"encoding": "utf-8", "separator": ";", "amount_columns": ["Belopp (kr)"],
     "columns": {"area": "Kommun", "unit": "Enhet", "period": "Period", "value": "Belopp (kr)"},
     "constants": {"measure": "kostnad"}, "measures": {"kostnad": {"title": "Kostnad", "unit": "kr"}}},
   "org": {"encoding": "utf-8", "separator": ";", "org_units": "$work/c/org-units.csv",
     "columns": {"area": "Kommun", "unit": "Enhet", "period": "Period", "value": "Belopp (kr)"},
     "constants": {"measure": "kostnad"}}}}}
JSON
}
files() { # NAME DIR MAPPING
    printf '{"name": "%s", "type": "files", "paths": ["%s"], "mapping": "%s"}' "$1" "$2" "$3"
}
kolada="{\"name\": \"kolada\", \"type\": \"kolada-files\", \"paths\": [\"$work/kolada\"]}"
write_job a "$kolada, $(files exports "$work/a" plain)" ""
write_job b "$(files exports "$work/b" plain)" ""
write_job c "$(files exports "$work/c/export.csv" org)" ""
write_job d "$(files exports "$work/a" plain)" ", \"aliases\": {\"$(cat "$work/alias")\": \"0580\"}"

pg_start
# run NAME WANT-EXIT: the whole pipeline, text log with debug lines.
run() {
    set +e
    "$BIN/nyckel-run" --log-format text --verbose --run-root "$work/runs" "$work/$1.json" \
        >"$work/out-$1" 2>"$work/log-$1"
    status=$?
    set -e
    [ "$status" = "$2" ] || fail "run $1: expected exit $2, got $status: $(cat "$work/log-$1")"
}
run a 0
run_a=$(tail -1 "$work/out-a")
assert_reconciled "$run_a"
run b 65
assert_contains "$(cat "$work/log-b")" \
    'export.csv: file rejected whole: column 2 "Enhet" (mapped as unit) holds a personal identity '\
'number on line 3' \
    "the refused export named by file, column and line"
run c 65
assert_contains "$(cat "$work/log-c")" \
    "org-units.csv: line 3, column 2: holds a personal identity number; the org-unit file is refused" \
    "the refused org-unit file named by line and column"
run d 78
assert_contains "$(cat "$work/log-d")" "transform.aliases: a key holds a personal identity number" \
    "the refused alias"

# Planted: the raw zone holds them as received.
grep -rqF -f "$work/forms" "$run_a/extract/raw" || fail "no planted number in run A's raw zone"
grep -rqF "Norr 121212 1212" "$work/runs"/*-b/extract/raw || fail "no planted number in run B's raw zone"

# Found nowhere else.
found=$(grep -rlF -f "$work/forms" --exclude-dir=raw --exclude-dir=archive "$work/runs" || true)
assert_eq "" "$found" "run files holding a personal number"
for f in "$work"/out-* "$work"/log-*; do
    assert_eq "" "$(grep -F -f "$work/forms" "$f" || true)" "personal numbers in $(basename "$f")"
done
pg_dump --data-only >"$work/dump.sql"
assert_eq "" "$(grep -F -f "$work/forms" "$work/dump.sql" || true)" "personal numbers in pg_dump"
for view in $(pg_value "SELECT table_name FROM information_schema.views WHERE table_schema = 'mart'"); do
    psql -X -q -c "COPY (SELECT * FROM mart.$view) TO STDOUT" >>"$work/views"
done
[ -s "$work/views" ] || fail "the mart views are empty: nothing loaded"
assert_eq "" "$(grep -F -f "$work/forms" "$work/views" || true)" "personal numbers in the mart views"

# What was refused is refused value by value; the rest loaded.
python3 - "$run_a/transform/rejects.jsonl" <<'PY' || fail "rejects of run A"
import json, sys
rejects = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
TITLE = 'values[0]: "title" holds a personal identity number: the value is not kept'
reasons = sorted((r["source"].rsplit("/", 1)[1], r["reason"], r["raw"] is None) for r in rejects)
assert reasons == [
    ("data-bad-ids.json", 'values[0]: "count" 2147483648 is more than 2147483647, the most '
     'the warehouse holds', False),
    ("data-bad-ids.json", 'values[1]: KPI id "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN... (1048576 bytes)" '
     'is longer than 64 bytes', False),
    ("data-bad-ids.json", 'values[2]: an empty KPI id', False),
    ("data-huge-numbers.json", 'values[0]: expected a number a double holds (up to about '
     '1.8e308, down to about 4.9e-324) as "value", found 1e400', False),
    ("data-huge-numbers.json", 'values[0]: expected a whole number of 0 or more, or null, as '
     '"count", found 99999999999999999999999999999999... (4000 bytes)', False),
    ("data-huge-numbers.json", 'values[1]: expected a number a double holds (up to about '
     '1.8e308, down to about 4.9e-324) as "value", found 1e-400', False),
    ("data-planted.json", 'values[0]: "status" holds a personal identity number', False),
    ("groups-planted.json", TITLE, True),
    ("kpi-planted.json", TITLE, True),
    ("ou-planted.json", TITLE, True),
], reasons
PY
assert_eq "V15E058000102" "$(pg_value "SELECT ou_id FROM nyckel.dim_ou WHERE ou_id LIKE 'V15E%'")" \
    "the clean Kolada unit loaded"
assert_eq "G99002" "$(pg_value "SELECT area_id FROM nyckel.dim_area WHERE area_id LIKE 'G99%'")" \
    "the clean Kolada group loaded"
assert_eq "1.5" "$(pg_value "SELECT value FROM nyckel.fact_kpi_value
                             WHERE kpi_id = 'N00945' AND area_id = '0580' AND period_id = '2023'")" \
    "the clean Kolada value loaded"
assert_eq "7" "$(pg_value "SELECT value_count FROM nyckel.fact_kpi_value
                           WHERE kpi_id = 'N00945' AND area_id = '0580' AND period_id = '2022'
                             AND gender = 'T'")" "the good row beside the bad ids loaded"
assert_eq "0" "$(pg_value "SELECT count(*) FROM nyckel.dim_kpi WHERE kpi_id = ''")" "no empty KPI id"
assert_eq "M 4.5 2" "$(pg_value "SELECT gender || ' ' || value || ' ' || value_count
                                FROM nyckel.fact_kpi_value
                                WHERE kpi_id = 'N00945' AND area_id = '0580' AND period_id = '2021'")" \
    "the good value beside numbers no double holds loaded, alone of its row"
assert_eq "K 1e-310" "$(pg_value "SELECT gender || ' ' || value FROM nyckel.fact_kpi_value
                                WHERE kpi_id = 'N00945' AND area_id = '0580' AND period_id = '2020'")" \
    "a value as small as a double holds loaded"
assert_eq "8112189876" "$(pg_value "SELECT value FROM nyckel.fact_internal_value
                                   WHERE ou_id = '0580/hemtjänst' AND period_id = '2023'")" \
    "a ten-digit amount in an amount column loads"
rm -rf "$work"
