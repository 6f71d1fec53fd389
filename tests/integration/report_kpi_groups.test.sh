# report_kpi_groups.test.sh: KPI groups end to end.  The demo's KPI groups
# (jobs/demo-data/kolada/kpi_groups.json) load into nyckel.dim_kpi_group and
# kpi_group_member and show in mart.kpi_group and mart.kpi_group_member for
# a member of nyckel_bi; nyckel-report --kpi-group (an id or an exact title)
# reports exactly the group's KPIs that have values and names the member
# that has none; an unknown group is a usage error.  Then a changed group
# list replaces a group's members and keeps its old title in the history,
# and the same list loaded again changes nothing.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/report_fixture.sh"

pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT

report_build "$work" >/dev/null
bi() { PGUSER=report_reader pg_value "$1"; }
assert_eq "G2KPI900001|Äldreomsorg (demo)|3 G2KPI900002|Individ- och familjeomsorg (demo)|4" \
    "$(bi "SELECT string_agg(kpi_group_id || '|' || title || '|' || member_count, ' '
           ORDER BY kpi_group_id) FROM mart.kpi_group")" "mart.kpi_group as the BI role"
assert_eq "N01982|false|false N02314|true|true N31820|true|true N31842|true|true" \
    "$(bi "SELECT string_agg(kpi_id || '|' || in_warehouse || '|' || has_values, ' '
           ORDER BY kpi_id) FROM mart.kpi_group_member WHERE kpi_group_id = 'G2KPI900002'")" \
    "members, also the one the warehouse has no value of"
assert_eq "Invånare 25-64 år med eftergymnasial utbildning, andel (%)" \
    "$(bi "SELECT kpi_title FROM mart.kpi_group_member WHERE kpi_id = 'N01982'")" \
    "a member without metadata keeps the group's title for it"
assert_eq "0" "$(pg_value "SELECT count(*) FROM nyckel.dim_kpi WHERE kpi_id = 'N01982'")" \
    "a member is no inferred KPI"

# The report's KPIs: those of the standing table and the charts.
kpis_of() {
    python3 - "$1" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
rows = sorted(set(re.findall(r'<tr data-kpi="([^"]+)"', page)))
charts = sorted(set(re.findall(r'id="kpi-([^"]+)"', page)))
print(" ".join(rows), "/", " ".join(charts))
PY
}
report() { # OUTPUT OPTIONS...
    out=$1
    shift
    PGUSER=report_reader "$BIN/nyckel-report" --area 0580 --output "$out" "$@" >/dev/null \
        2>"$work/err" || fail "nyckel-report $*: $(cat "$work/err")"
}
report "$work/ifo.html" --kpi-group G2KPI900002
assert_eq "N02314 N31820 N31842 / N02314 N31820 N31842" "$(kpis_of "$work/ifo.html")" \
    "exactly the group's KPIs with values"
assert_contains "$(sed -n '/<section class="standing">/,/<\/section>/p' "$work/ifo.html")" \
    "N01982" "the member without values is named"
report "$work/both.html" --kpi-group "Äldreomsorg (demo)" --kpi-group G2KPI900002
assert_eq "N00945 N02314 N23890 N31807 N31820 N31842 / N00945 N02314 N23890 N31807 N31820 N31842" \
    "$(kpis_of "$work/both.html")" "two groups, one by its exact title"
report "$work/mixed.html" --kpi-group G2KPI900001 --kpi N31842
assert_eq "N00945 N23890 N31807 N31842 / N00945 N23890 N31807 N31842" \
    "$(kpis_of "$work/mixed.html")" "a group beside a KPI id"
expect_exit 64 env PGUSER=report_reader "$BIN/nyckel-report" --area 0580 --kpi-group G2KPI1 \
    --output "$work/x.html"
assert_contains "$(cat "$STDERR_FILE")" \
    'G2KPI1\": no KPI group in mart.kpi_group has that id or title' "unknown group"
expect_exit 64 env PGUSER=report_reader "$BIN/nyckel-report" --area 0580 \
    --kpi-group "äldreomsorg (demo)" --output "$work/x.html"
assert_contains "$(cat "$STDERR_FILE")" "ldreomsorg (demo)\\\": no KPI group" "a title is matched exactly"
[ ! -e "$work/x.html" ] || fail "a failed report left a file"

# A changed list: group 1 renamed and given a key nyckel does not know, group 2 without
# N01982 and with N00945, its title for N02314 changed.  Loaded twice: the second load
# changes nothing.
python3 - "$NYCKEL_ROOT/jobs/demo-data/kolada/kpi_groups.json" "$work/groups" <<'PY'
import json, os, sys
page = json.load(open(sys.argv[1], encoding="utf-8"))
first, second = page["values"]
first["title"] = "Äldreomsorg, nytt namn (demo)"
first["description"] = "a key nyckel does not know"
second["members"] = [m for m in second["members"] if m["member_id"] != "N01982"]
second["members"].append({"member_id": "N00945", "member_title": "Kostnad äldreomsorg, kr/inv 80+"})
second["members"][1]["member_title"] = "Ekonomiskt bistånd, andel (%)"
os.makedirs(sys.argv[2])
json.dump(page, open(os.path.join(sys.argv[2], "kpi_groups.json"), "w"), ensure_ascii=False)
PY
cat >"$work/groups.json" <<JOB
{"name": "groups", "run_root": "$work/runs",
 "extract": [{"name": "kolada-groups", "type": "kolada-files", "paths": ["$work/groups/*.json"]}]}
JOB
run_groups() {
    "$BIN/nyckel-run" --run-root "$work/runs" "$work/groups.json" 2>"$work/err" | tail -1 ||
        fail "groups run: $(cat "$work/err")"
}
changes() { # RUN_DIR: inserted/updated/deleted of the KPI group tables
    python3 -c 'import json, sys
tables = json.load(open(sys.argv[1]))["tables"]
idle = {"inserted": 0, "updated": 0, "deleted": 0}  # a table without change may go unlisted
rows = [(n, tables.get(n, idle)) for n in ("dim_kpi_group", "dim_kpi_group_history", "kpi_group_member")]
print(" ".join("%s:%d/%d/%d" % (n, t["inserted"], t["updated"], t["deleted"]) for n, t in rows))' \
        "$1/load/summary.json"
}
second=$(run_groups)
assert_contains "$(cat "$work/err")" 'a Kolada group with the key \"description\", which nyckel does not know' \
    "an unknown key is warned of"
assert_eq "dim_kpi_group:0/1/0 dim_kpi_group_history:1/1/0 kpi_group_member:1/1/1" \
    "$(changes "$second")" "a title, a member added, one retitled, one gone"
assert_eq "N00945 N02314 N31820 N31842" \
    "$(bi "SELECT string_agg(kpi_id, ' ' ORDER BY kpi_id) FROM mart.kpi_group_member
           WHERE kpi_group_id = 'G2KPI900002'")" "the delivered member list replaces the old"
assert_eq "Äldreomsorg (demo)|false Äldreomsorg, nytt namn (demo)|true" \
    "$(bi "SELECT string_agg(title || '|' || is_current, ' ' ORDER BY valid_from)
           FROM mart.dim_kpi_group_history WHERE kpi_group_id = 'G2KPI900001'")" \
    "the old title kept in the history"
report "$work/changed.html" --kpi-group G2KPI900002
assert_eq "N00945 N02314 N31820 N31842 / N00945 N02314 N31820 N31842" \
    "$(kpis_of "$work/changed.html")" "the report follows the new membership"
third=$(run_groups)
assert_eq "dim_kpi_group:0/0/0 dim_kpi_group_history:0/0/0 kpi_group_member:0/0/0" \
    "$(changes "$third")" "the same list again changes nothing"
