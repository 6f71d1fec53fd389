# extract_kolada_v3.test.sh: nyckel-extract against the Kolada v3 fixture:
# the exact requests (selection by group, all municipalities, Riket and
# county regions; the 25-id split; every page once), unit data, metadata,
# and a byte-exact raw zone with its checksums and manifest fields.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/kolada_fixture.sh"

kolada_start --municipalities 30 --kpis 4 --years 3 --first-year 2021 --page-size 7
TEST_DIR=$(mktemp -d)
cat >"$TEST_DIR/job.json" <<JOB
{"name": "kolada-v3", "raw_archive": {"format": "none"},
 "extract": [{"name": "kolada", "type": "kolada-api", "base_url": "$KOLADA_URL/v3",
   "kpis": ["N00001"], "kpi_groups": ["G1KPI"],
   "all_municipalities": true, "riket": true, "county_regions": true,
   "years": "2021..2023", "ou_data": ["0110"], "rate_limit": 0, "concurrency": 4,
   "state_dir": "$TEST_DIR/state"}]}
JOB
"$BIN/nyckel-extract" --job "$TEST_DIR/job.json" --run-dir "$TEST_DIR/run" --log-format json \
    2>"$TEST_DIR/log" || fail "extract failed: $(tail -3 "$TEST_DIR/log")"

# Byte-exact, every page once, none twice.
kolada_check "$TEST_DIR/run" --no-repeats

paths=$(kolada_paths)
first_pages=$(printf '%s\n' "$paths" | grep -v '[?&]page=' | sort)
expected=$(sort <<EXPECTED
/v3/kpi_groups?per_page=5000
/v3/municipality_groups?per_page=5000
/v3/municipality?per_page=5000
/v3/kpi/N00001,N00002,N00003?per_page=5000
/v3/ou?municipality=0110&per_page=5000
/v3/data/kpi/N00001,N00002,N00003/municipality/0000,0110,0310,0410,0510,0610,0710,0810,0910,1010,1210,1310,1410,1710,1810,1910,2010,2110,2210,2310,2410,2510,0111,0311,0411/year/2021,2022,2023?per_page=5000
/v3/data/kpi/N00001,N00002,N00003/municipality/0511,0611,0711,0811,0911,1011,0001,0003,0004,0005,0006,0007,0008,0009,0010,0012,0013,0014,0017,0018,0019,0020,0021,0022,0023/year/2021,2022,2023?per_page=5000
/v3/data/kpi/N00001,N00002,N00003/municipality/0024,0025/year/2021,2022,2023?per_page=5000
/v3/oudata/kpi/N00003/ou/V15E011001001,V15E011001002/year/2021,2022,2023?per_page=5000
EXPECTED
)
assert_eq "$expected" "$first_pages" "the first page of every query"

# Paging: the 25-area data queries hold 3 KPIs x 25 areas x 3 years = 225 rows,
# 7 a page: pages 2..33 follow, each exactly once (kolada_check).
pages=$(printf '%s\n' "$paths" | grep -c '^/v3/data/kpi/N00001,N00002,N00003/municipality/0000,.*[?&]page=')
assert_eq 32 "$pages" "follow-up pages of the first data query"
assert_eq "" "$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["status"] != 200 or r["user_agent"] != "nyckel/" + sys.argv[2]: print(r)' \
    "$KOLADA_DIR/requests.log" "$(sed -n 's/.*NYCKEL_VERSION "\(.*\)"/\1/p' "$NYCKEL_ROOT/lib/base/version.h")")" \
    "every request answered 200 and sent User-Agent nyckel/<version>"

# The manifest fields of the run-directory contract.
python3 - "$TEST_DIR/run/extract/manifest.json" <<'PY' || fail "manifest fields"
import json, sys
m = json.load(open(sys.argv[1]))
endpoints = set()
for f in m["files"]:
    assert set(f) == {"path", "source", "uri", "endpoint", "api_version", "incremental",
                      "http_status", "sha256", "size", "fetched_at"}, f
    assert f["source"] == "kolada" and f["api_version"] == 3 and f["http_status"] == 200, f
    assert f["incremental"] is False and f["path"].startswith("raw/kolada/"), f
    endpoints.add(f["endpoint"])
    if f["endpoint"] == "data":
        assert "/data/" in f["uri"], f
assert endpoints == {"kpi", "kpi_groups", "municipality", "municipality_groups", "ou", "data",
                     "oudata"}, endpoints
PY

# Each request was logged with URL, status, bytes and time.
assert_contains "$(cat "$TEST_DIR/log")" "GET $KOLADA_URL/v3/kpi_groups?per_page=5000: HTTP 200, " "request log line"

# "ou_data": true asks for the units of every selected municipality, and of
# no region or Riket.
: >"$KOLADA_DIR/requests.log"
cat >"$TEST_DIR/ou.json" <<JOB
{"name": "kolada-v3-ou", "raw_archive": {"format": "none"},
 "extract": [{"name": "kolada", "type": "kolada-api", "base_url": "$KOLADA_URL/v3",
   "kpis": ["N00003"], "areas": ["0110", "0310", "0001", "0000"], "years": "2021",
   "ou_data": true, "rate_limit": 0, "incremental": false}]}
JOB
"$BIN/nyckel-extract" --job "$TEST_DIR/ou.json" --run-dir "$TEST_DIR/run-ou" \
    2>"$TEST_DIR/log-ou" || fail "extract with ou_data true failed: $(tail -3 "$TEST_DIR/log-ou")"
assert_eq "/v3/ou?municipality=0110,0310&per_page=5000" "$(kolada_paths | grep '^/v3/ou?')" \
    "ou_data true: the units of the selected municipalities"
