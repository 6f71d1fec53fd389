# pnr_file_name.test.sh: a file named after a person (an export per client,
# "klient 19121212-1212.json") must not carry the personal identity number
# into the staged files, the rejects or the transform manifest, from which
# load fills nyckel.dim_source.  The raw zone keeps the file as received.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"
work=$(mktemp -d)
mkdir -p "$work/in"
cp "$NYCKEL_ROOT/jobs/demo-data/kolada/kpi.json" "$NYCKEL_ROOT/jobs/demo-data/kolada/municipality.json" "$work/in/"
printf '{"values": [{"kpi": "N31807", "municipality": "0580", "period": 2023, "values": [{"gender": "T", "value": 1}, {"gender": "Q", "value": 2}]}]}' \
    >"$work/in/klient 19121212-1212 och 1212121212 och 811218 9876.json"
printf '{"name": "pnr", "extract": [{"name": "k", "type": "kolada-files", "paths": ["in"]}],\n "transform": {"max_rejects": 1}}' >"$work/job.json"
"$BIN/nyckel-extract" --job "$work/job.json" --run-dir "$work/run" 2>"$work/log"
"$BIN/nyckel-transform" --job "$work/job.json" --run-dir "$work/run" 2>>"$work/log" || fail "transform failed: $(cat "$work/log")"
for number in 19121212-1212 191212121212 121212-1212 1212121212 "811218 9876" 8112189876; do
    if grep -r -l -- "$number" "$work/run/transform" "$work/log"; then
        fail "the personal identity number $number left the raw zone"
    fi
done
assert_contains "$(cat "$work/run/transform/source.copy")" "klient [personnummer] och [personnummer] och [personnummer].json" "masked uri"
assert_reconciled "$work/run"
assert_contains "$(cat "$work/run/transform/rejects.jsonl")" "klient [personnummer] och [personnummer] och [personnummer].json" \
    "masked reject source"
ls "$work/run/extract/raw/k" >/dev/null
rm -rf "$work"
