# report_figures.test.sh: nyckel-report, run as a login role that is only a
# member of nyckel_bi on the demo warehouse, writes a strict, self-contained
# HTML page: one chart per KPI, every figure of "where we stand" equal to
# mart.benchmark's, no colour of good or bad for a KPI of unknown direction,
# nothing pointing outside the file and no count of 1-4 people.  Then the
# English page, and the errors of a bad selection.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/report_fixture.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT

assert_eq "$work/report.html" "$(report_build "$work")" "the report's path on stdout"
PGUSER=report_reader python3 "$NYCKEL_ROOT/tests/lib/report_check.py" figures \
    "$work/report.html" 0580 >"$work/check" 2>&1 || fail "$(cat "$work/check")"
assert_contains "$(cat "$work/check")" "16 summary rows, 6 charts" "every KPI and gender"
# Placements of 3 and 2 in a year are suppressed, 14 and 9 shown.
assert_contains "$(cat "$work/check")" "of which 2 suppressed" "the small counts"
page=$(cat "$work/report.html")
assert_contains "$page" "<h1>Nyckeltal för Linköping</h1>" "Swedish title"
assert_contains "$page" "Källa: Kolada" "attribution"
assert_contains "$page" "Region Östergötland" "the county region beside"
assert_contains "$page" "Liknande kommuner äldreomsorg, Linköping" "the peer group"
assert_contains "$page" "Budget, prognos och utfall 2024" "budget follow-up"
assert_contains "$page" "Utförda timmar hemtjänst" "internal figures beside N31807"
assert_contains "$page" 'data-kpi="N23890" data-gender="T" data-direction="unknown"' \
    "N23890 has no direction"
assert_not_contains "$(sed -n '/id="kpi-N23890"/,/<\/section>/p' "$work/report.html")" \
    'class="good"' "no judgement in an unknown KPI's section"
assert_contains "$page" "$(printf '194\302\240771')" "Swedish thousands, a no-break space between"

# English, chosen KPIs by name and id; an operating area.
PGUSER=report_reader "$BIN/nyckel-report" --area Linköping --lang en --kpi N00945,N31807 \
    --output "$work/en.html" >/dev/null 2>"$work/err" || fail "English: $(cat "$work/err")"
en=$(cat "$work/en.html")
assert_contains "$en" "<h1>Key figures for Linköping</h1>" "English title"
assert_contains "$en" "194,771" "English thousands"
assert_eq 2 "$(grep -c 'class="kpi-chart"' "$work/en.html")" "two KPIs chosen"
PGUSER=report_reader "$BIN/nyckel-report" --area 0580 --operating-area "äldreomsorg" \
    --output "$work/area.html" >/dev/null 2>"$work/err" || fail "area: $(cat "$work/err")"
assert_eq 3 "$(grep -c 'class="kpi-chart"' "$work/area.html")" "three elderly-care KPIs"

# A job's selection: kolada-nightly's operating areas, its warehouse left to PG*.
job_variant() { # FILE PYTHON: kolada-nightly.json without its conninfo, changed by PYTHON
    python3 -c "import json, sys
job = json.load(open(sys.argv[1]))
del job['warehouse']['conninfo']
source = job['extract'][0]
$2
json.dump(job, open(sys.argv[2], 'w'))" "$NYCKEL_ROOT/jobs/kolada-nightly.json" "$1"
}
job_variant "$work/nightly.json" "source['kpis'] = ['N31807']"
PGUSER=report_reader "$BIN/nyckel-report" --area 0580 --job "$work/nightly.json" \
    --output "$work/job.html" >/dev/null 2>"$work/err" || fail "job: $(cat "$work/err")"
assert_eq 6 "$(grep -c 'class="kpi-chart"' "$work/job.html")" "the job's operating areas and KPI"
job_variant "$work/groups.json" "source['kpi_groups'] = ['G2KPI110760']"
expect_exit 64 env PGUSER=report_reader "$BIN/nyckel-report" --area 0580 --job "$work/groups.json"
assert_contains "$(cat "$STDERR_FILE")" \
    'G2KPI110760\": no KPI group in mart.kpi_group has that id or title' \
    "a job's KPI group is looked up in the warehouse"

expect_exit 64 env PGUSER=report_reader "$BIN/nyckel-report" --area Atlantis --output "$work/x.html"
assert_contains "$(cat "$STDERR_FILE")" "--area Atlantis: no municipality" "unknown area"
expect_exit 64 env PGUSER=report_reader "$BIN/nyckel-report" --area 0580 --kpi N99999 \
    --output "$work/x.html"
assert_contains "$(cat "$STDERR_FILE")" "N99999" "unknown KPI named"
expect_exit 64 "$BIN/nyckel-report" --kpi N00945
[ ! -e "$work/x.html" ] || fail "a failed report left a file"
