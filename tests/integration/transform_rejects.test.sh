# transform_rejects.test.sh: rows transform cannot use are recorded with
# their reasons, every source reconciles (read = written + rejected), and a
# job's max_rejects turns too many rejects into exit 65 with no manifest,
# so load cannot run on a half-good transform.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"
work=$(mktemp -d)
mkdir -p "$work/kolada"
cp "$NYCKEL_ROOT/jobs/demo-data/kolada/kpi.json" "$NYCKEL_ROOT/jobs/demo-data/kolada/municipality.json" "$work/kolada/"
cat >"$work/kolada/data.json" <<'JSON'
{"count": 4, "values": [
 {"kpi": "N31807", "municipality": "0580", "period": 2023,
  "values": [{"gender": "T", "count": 1, "status": "", "value": 91.5},
             {"gender": "K", "count": 1, "status": "", "value": null},
             {"gender": "X", "count": 1, "status": "", "value": 12}]},
 {"kpi": "N99999", "municipality": "0580", "period": 2023,
  "values": [{"gender": "T", "count": 1, "status": "", "value": 1}]},
 {"kpi": "N31807", "municipality": "9999", "period": 2023,
  "values": [{"gender": "T", "count": 1, "status": "", "value": 1}]},
 {"kpi": "N31807", "municipality": "0580", "period": "20x3",
  "values": [{"gender": "T", "count": 1, "status": "", "value": 1}]}
]}
JSON
job() { # max_rejects
    cat >"$work/job.json" <<JSON
{"name": "rejects", "extract": [{"name": "k", "type": "kolada-files", "paths": ["kolada"]}],
 "transform": {"max_rejects": $1}}
JSON
}

job 4
"$BIN/nyckel-extract" --job "$work/job.json" --run-dir "$work/run" 2>/dev/null
"$BIN/nyckel-transform" --job "$work/job.json" --run-dir "$work/run" 2>/dev/null ||
    fail "transform failed with 4 rejects allowed"
assert_eq "4" "$(wc -l <"$work/run/transform/rejects.jsonl" | tr -d ' ')" "rejected rows"
assert_reconciled "$work/run"
python3 - "$work/run/transform" <<'PY' || fail "rejects or reconciliation wrong"
import json, sys
d = sys.argv[1]
rejects = [json.loads(l) for l in open(d + "/rejects.jsonl")]
reasons = sorted(r["reason"] for r in rejects)
assert reasons == [
    'values[0]: expected a "gender" of "T", "K" or "M"',
    'values[1]: unknown KPI "N99999": no metadata for it in this run',
    'values[2]: unknown area "9999": no metadata for it in this run',
    'values[3]: expected a "period" year from 1900 to 2100',
], reasons
assert all(r["source"].endswith("/kolada/data.json") for r in rejects)
assert any('{"gender": "X", "count": 1, "status": "", "value": 12}' == r["raw"] for r in rejects)
m = json.load(open(d + "/manifest.json"))
for s in m["sources"]:
    assert s["rows_read"] == s["rows_written"] + s["rows_rejected"], s
data = [s for s in m["sources"] if s["uri"].endswith("/data.json")][0]
assert (data["rows_read"], data["rows_written"], data["rows_rejected"]) == (6, 2, 4), data
assert m["rejects"]["rows"] == 4
facts = [t for t in m["tables"] if t["table"] == "fact_kpi_value"][0]
assert facts["rows"] == 2, facts
PY
grep -q "$(printf 'N31807\t0580\t2023\tK\t\\\\N\t1')" "$work/run/transform/fact_kpi_value.copy" ||
    fail "a null value must stay NULL in the staged facts"

job 3
STDERR_FILE=$work/stderr
expect_exit 65 "$BIN/nyckel-transform" --job "$work/job.json" --run-dir "$work/run"
assert_contains "$(cat "$STDERR_FILE")" "4 of 324 row(s) rejected, more than transform.max_rejects (3): 1 x expected a" "threshold message"
assert_contains "$(cat "$STDERR_FILE")" "see transform/rejects.jsonl" "threshold message names the rejects"
[ ! -f "$work/run/transform/manifest.json" ] || fail "a transform over the threshold must not leave a manifest"
[ -f "$work/run/transform/rejects.jsonl" ] || fail "the rejects must stay for inspection"

job '"50%"'
"$BIN/nyckel-transform" --job "$work/job.json" --run-dir "$work/run" 2>/dev/null ||
    fail "4 of 6 + metadata rows is under 50%"
job '"1%"'
expect_exit 65 "$BIN/nyckel-transform" --job "$work/job.json" --run-dir "$work/run"
assert_contains "$(cat "$STDERR_FILE")" "row(s) rejected, more than transform.max_rejects (1%)" "percentage threshold"

# A raw file that is not a Kolada response at all fails the run: exit 65.
printf 'not json' >"$work/kolada/broken.json"
job 100
"$BIN/nyckel-extract" --job "$work/job.json" --run-dir "$work/run2" 2>/dev/null
expect_exit 65 "$BIN/nyckel-transform" --job "$work/job.json" --run-dir "$work/run2"
assert_contains "$(cat "$STDERR_FILE")" "not a Kolada response: invalid JSON" "broken page"
rm -rf "$work"
