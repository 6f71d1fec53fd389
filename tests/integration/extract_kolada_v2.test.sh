# extract_kolada_v2.test.sh: nyckel-extract against the retired v2 API, as
# old mirrors still serve it: next_page links (with previous_page) followed
# to the end, every page once, api_version 2 in the manifest.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/kolada_fixture.sh"

kolada_start --municipalities 5 --kpis 3 --years 3 --first-year $(( $(date -u +%Y) - 3 )) --page-size 4
TEST_DIR=$(mktemp -d)
cat >"$TEST_DIR/job.json" <<JOB
{"name": "v2", "raw_archive": {"format": "none"},
 "extract": [{"name": "mirror", "type": "kolada-api", "api_version": 2,
   "base_url": "$KOLADA_URL/v2", "kpis": ["N00001", "N00002", "N00003"],
   "municipality_groups": ["G100"], "years": {"latest": 2}, "rate_limit": 0,
   "incremental": false}]}
JOB
"$BIN/nyckel-extract" --job "$TEST_DIR/job.json" --run-dir "$TEST_DIR/run" --log-format json \
    2>"$TEST_DIR/log" || fail "extract failed: $(tail -3 "$TEST_DIR/log")"
kolada_check "$TEST_DIR/run" --no-repeats

last=$(( $(date -u +%Y) - 1 ))
query="/v2/data/kpi/N00001,N00002,N00003/municipality/0110,0310,0410/year/$((last - 1)),$last"
assert_contains "$(kolada_paths)" "$query?per_page=5000" "data query of the group's members and the latest 2 years"
python3 - "$TEST_DIR/run/extract/manifest.json" <<'PY' || fail "v2 manifest"
import json, sys
m = json.load(open(sys.argv[1]))
assert all(f["api_version"] == 2 for f in m["files"])
pages = [f for f in m["files"] if f["endpoint"] == "municipality"]
assert len(pages) == 1, pages
PY
# 3 KPIs x 3 areas x 2 years, 4 rows a page: 5 pages, followed by next_page.
assert_eq 5 "$(kolada_paths | grep -c "^$query")" "data pages"
assert_contains "$(cat "$TEST_DIR"/run/extract/raw/mirror/*.json)" '"next_page": null' "v2 last page"
