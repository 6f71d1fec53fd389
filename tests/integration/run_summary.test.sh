# run_summary.test.sh: the end-of-run summary (RUN_DIR/summary.json and the
# printed table) carries exactly the numbers of the stages' manifests:
# extract files[].size, transform tables[].rows and sources[].rows_*, load
# per-table inserted/updated/deleted/unchanged.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/fake_stages.sh"
fake_stages_install
FAKE_DATA=$NYCKEL_ROOT/tests/fixtures/run
export FAKE_DATA

"$RUN" --log-format text "$JOB" >"$WORK/out" 2>"$WORK/err"
dir=$(cat "$WORK/out")

python3 - "$dir" <<'PY' || fail "summary.json does not match the manifests: $(cat "$dir/summary.json")"
import json, os, sys
run = sys.argv[1]
def load(*p): return json.load(open(os.path.join(run, *p)))
s = load("summary.json")
ex, tr, lo = s["stages"]
em, tm, ls = load("extract", "manifest.json"), load("transform", "manifest.json"), load("load", "summary.json")

assert [x["stage"] for x in s["stages"]] == ["extract", "transform", "load"]
assert all(x["state"] == "done" and x["seconds"] >= 0 for x in s["stages"]), s["stages"]

assert ex["files"] == len(em["files"])
assert ex["bytes"] == sum(f["size"] for f in em["files"])
by_source = {}
for f in em["files"]:
    b = by_source.setdefault(f["source"], [0, 0]); b[0] += 1; b[1] += f["size"]
assert {x["source"]: [x["files"], x["bytes"]] for x in ex["sources"]} == by_source, ex["sources"]

for key in ("rows_read", "rows_written", "rows_rejected"):
    assert tr[key] == sum(x[key] for x in tm["sources"]), key
assert [(x["path"], x["rows_read"], x["rows_written"], x["rows_rejected"]) for x in tr["sources"]] == \
       [(x["path"], x["rows_read"], x["rows_written"], x["rows_rejected"]) for x in tm["sources"]]
assert [(x["table"], x["rows"]) for x in tr["tables"]] == [(x["table"], x["rows"]) for x in tm["tables"]]
for x in tr["tables"]:
    assert x["bytes"] == os.path.getsize(os.path.join(run, "transform", x["table"] + ".copy")), x
assert tr["bytes"] == sum(x["bytes"] for x in tr["tables"])
assert tr["rejects"] == tm["rejects"]["rows"]

rows = {x["table"]: x["rows"] for x in tm["tables"]}
got = {x["table"]: x for x in lo["tables"]}
assert set(got) == set(ls["tables"]), got
for table, counts in ls["tables"].items():
    for key in ("inserted", "updated", "deleted", "unchanged"):
        assert got[table][key] == counts[key], (table, key)
    assert got[table]["rows_in"] == rows[table]
for key in ("inserted", "updated", "deleted", "unchanged"):
    assert lo[key] == sum(c[key] for c in ls["tables"].values()), key
assert lo["rows_in"] == sum(rows.values())
assert lo["warehouse_status"] == "committed"
assert s["status"] == "succeeded" and s["dry_run"] is False and s["exit_code"] == 0
PY

# The printed table shows the same numbers.
err=$(cat "$WORK/err")
for number in 23410 23400 10 23412 17 22972 1.5; do
    assert_contains "$err" " $number" "printed summary"
done
assert_contains "$err" "raw/kolada/000002.json" "printed summary lists sources"
assert_contains "$err" "-> fact_kpi_value" "printed summary lists tables"

# With JSON logs the summary is one more JSON log line, not a table.
"$RUN" --log-format json "$JOB" >/dev/null 2>"$WORK/err"
python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <"$WORK/err" ||
    fail "JSON log with summary: $(cat "$WORK/err")"
assert_contains "$(cat "$WORK/err")" "23429 rows read, 23412 written, 17 rejected" "summary log line"

# A failed run's summary has the stages that completed and none of the rest.
FAKE_EXIT_load=69 "$RUN" "$JOB" >"$WORK/out" 2>/dev/null || true
dir=$(cat "$WORK/out")
python3 - "$dir" <<'PY' || fail "summary of a failed run: $(cat "$dir/summary.json")"
import json, sys
s = json.load(open(sys.argv[1] + "/summary.json"))
ex, tr, lo = s["stages"]
assert (ex["state"], tr["state"], lo["state"]) == ("done", "done", "failed"), s["stages"]
assert tr["rows_read"] == 23429 and "inserted" not in lo and "tables" not in lo, lo
assert s["status"] == "failed" and s["exit_code"] == 69 and s["failed_stage"] == "load"
PY
