# bad_inputs.test.sh: every hand-made bad input in tests/bad-inputs/ gets
# the outcome tests/bad-inputs/EXPECTED gives it (see that file for the
# table's format): the documented exit code and one clear error line, or a
# reject with its reason, or a NULL where PostgreSQL could not take the
# value.  A stage that fails leaves no manifest; a transform that succeeds
# reconciles.  All cases are run and every failure is listed before the
# test fails.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/reconcile.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cases=$NYCKEL_ROOT/tests/bad-inputs
mkdir -p "$work/generated/archive" "$work/meta"
cp "$NYCKEL_ROOT/jobs/demo-data/kolada/kpi.json" "$NYCKEL_ROOT/jobs/demo-data/kolada/municipality.json" \
    "$work/meta/"

# A zip bomb: 50 MiB of zeros in a 50 KiB archive, far past the default
# max_ratio of 100 once 1 MiB has been unpacked.
python3 - "$work/generated/archive/zip-bomb.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("zeros.json", "w") as member:
        block = b"\0" * (1 << 20)
        for _ in range(50):
            member.write(block)
PY

# A CSV cell of 100 MiB (far past max_field_kb), and a row of 10 001 fields.
python3 - "$work/generated/csv" <<'PY'
import os, sys
os.makedirs(sys.argv[1])
header = "Kommun;Enhet;Period;Kostnad (tkr);Personnummer\r\n".encode()
with open(os.path.join(sys.argv[1], "huge-field.csv"), "wb") as f:
    f.write(header + "Linköping;".encode())
    block = b"A" * (1 << 20)
    for _ in range(100):
        f.write(block)
    f.write(b";2023;12;\r\n")
with open(os.path.join(sys.argv[1], "too-many-fields.csv"), "wb") as f:
    f.write(header + "Linköping;Hemtjänst;2023;12".encode() + b";" * 10001 + b"\r\n")
PY
# A KPI id of 1 MiB: rejected, shown shortened, never passed on.
mkdir -p "$work/generated/kolada"
python3 - "$work/generated/kolada/kpi-id-1mib.json" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"count": 1, "values": [{"kpi": "' + "N" * (1 << 20) + '", "municipality": "0580", '
            '"period": 2023, "values": [{"gender": "T", "count": 1, "status": "", "value": 1}]}]}\n')
PY
# A value of 100 000 digits: its row does not fit in the first bytes read to
# tell what the page holds, and it is rejected all the same.
python3 - "$work/generated/kolada/value-100k-digits.json" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"count": 1, "values": [{"kpi": "N31807", "municipality": "0580", "period": 2023, '
            '"values": [{"gender": "T", "count": 1, "status": "", "value": ' + "5" * 100000 + '}]}]}\n')
PY
cat >"$work/export-job.json" <<JSON
{"name": "bad", "extract": [{"name": "e", "type": "files", "paths": ["in"], "mapping": "m"}],
 "raw_archive": {"format": "none"},
 "transform": {"max_rejects": "100%",
  "mappings": {"m": {"encoding": "utf-8", "separator": ";", "decimal_mark": ",",
   "columns": {"area": "Kommun", "unit": "Enhet", "period": "Period", "value": "Kostnad (tkr)"},
   "constants": {"measure": "kostnad", "scenario": "outcome"},
   "measures": {"kostnad": {"title": "Kostnad", "unit": "tkr"}},
   "personal_numbers": ["Personnummer"]}}}}
JSON

failures=0
succeeded=""
report() { # case message
    echo "FAIL $1: $2" >&2
    failures=$((failures + 1))
}

# run_stage NAME JOB RUN_DIR: run one stage, leaving its status in $status and stderr in $work/err.
run_stage() {
    set +e
    "$BIN/nyckel-$1" --log-format text --job "$2" --run-dir "$3" >/dev/null 2>"$work/err"
    status=$?
    set -e
}

# check_failure CASE STAGE RUN_DIR WANT_EXIT WANT_TEXT
check_failure() {
    if [ "$status" != "$4" ]; then
        report "$1" "$2: expected exit $4, got $status: $(cat "$work/err")"
        return
    fi
    errors=$(grep -c ' error ' "$work/err" || true)
    [ "$errors" = 1 ] || report "$1" "$2: expected one error line, found $errors: $(cat "$work/err")"
    grep -F -q -e "$5" "$work/err" || report "$1" "$2: expected the error to contain '$5', found: $(cat "$work/err")"
    [ ! -e "$3/$2/manifest.json" ] || report "$1" "$2 failed but left $2/manifest.json"
}

# check_success CASE RUN_DIR EXPECTATION [FILE]: "reject: TEXT" (a reject
# of FILE, when given) or "copy TABLE: TEXT".
check_success() {
    if [ "$status" != 0 ]; then
        report "$1" "transform: expected success, got exit $status: $(cat "$work/err")"
        return
    fi
    case $3 in
    reject:*)
        # The reason as rejects.jsonl writes it: a JSON string, quotes escaped.
        want=$(printf '%s' "${3#reject: }" | sed 's/"/\\"/g')
        grep -F -e "\"reason\":\"$want" "$2/transform/rejects.jsonl" | grep -F -q -e "/${4:-}\"," ||
            report "$1" "no reject of ${4:-the file} whose reason starts '$want' in: $(grep -F -e "/${4:-}\"," "$2/transform/rejects.jsonl")"
        ;;
    copy\ *)
        table=${3#copy }
        table=${table%%:*}
        want=$(printf '%s' "${3#copy *: }" | sed 's/\\t/\t/g')
        grep -F -q -e "$want" "$2/transform/$table.copy" 2>/dev/null ||
            report "$1" "no row in $table.copy contains '${3#copy *: }': $(cat "$2/transform/$table.copy" 2>/dev/null)"
        ;;
    *) report "$1" "EXPECTED: unknown expectation '$3'" ;;
    esac
}

# run_files CASE RUN_DIR JOB WANT_EXIT EXPECTATION: extract, then transform.
run_files() {
    run_stage extract "$3" "$2"
    if [ "$status" != 0 ]; then
        check_failure "$1" extract "$2" "$4" "$5"
        return
    fi
    run_stage transform "$3" "$2"
    if [ "$4" = 0 ]; then
        [ "$status" != 0 ] || succeeded="$succeeded $2"
        check_success "$1" "$2" "$5"
    else
        check_failure "$1" transform "$2" "$4" "$5"
    fi
}

run_case() { # FILE EXIT EXPECTATION
    file=${1%% (generated)}
    name=$(basename "$file")
    dir=$work/case/$file
    src=$cases/$file
    [ "$file" = "$1" ] || src=$work/generated/$file
    [ -f "$src" ] || { report "$1" "no such file"; return; }
    case $file:$3 in
    kolada/*:reject:* | csv/*:reject:* | xlsx/*:reject:*)
        batch_add "${file%%/*}" "$src" "$1" "$3"
        return
        ;;
    esac
    mkdir -p "$dir"
    case $file in
    job/*)
        run_stage extract "$src" "$dir/run"
        check_failure "$1" extract "$dir/run" "$2" "$3"
        [ ! -e "$dir/run" ] || report "$1" "an invalid job must not create its run directory"
        ;;
    kolada/*)
        mkdir -p "$dir/pages"
        cp "$work/meta/"*.json "$dir/pages/"
        cp "$src" "$dir/pages/zz-$name"
        printf '{"name": "bad", "extract": [{"name": "k", "type": "kolada-files", "paths": ["pages"]}],\n "transform": {"max_rejects": "100%%"}}\n' >"$dir/job.json"
        run_files "$1" "$dir/run" "$dir/job.json" "$2" "$3"
        ;;
    archive/*)
        cp "$src" "$dir/$name"
        printf '{"name": "bad", "extract": [{"name": "a", "type": "kolada-files", "paths": ["%s"]}],\n "transform": {"max_rejects": "100%%"}}\n' "$name" >"$dir/job.json"
        run_files "$1" "$dir/run" "$dir/job.json" "$2" "$3"
        ;;
    csv/* | xlsx/*)
        mkdir -p "$dir/in"
        cp "$src" "$dir/in/$name"
        cp "$work/export-job.json" "$dir/job.json"
        run_files "$1" "$dir/run" "$dir/job.json" "$2" "$3"
        ;;
    *) report "$1" "EXPECTED: no stage for this folder" ;;
    esac
}

# Cases whose rows are only rejected share one run per kind, each file one
# more source of it (a reject names its source): a run is what takes time.
batch_dir() { # KIND
    echo "$work/batch/$1"
}

batch_add() { # KIND SOURCE_FILE CASE EXPECTATION
    dir=$(batch_dir "$1")
    if [ ! -d "$dir" ]; then
        mkdir -p "$dir/in"
        if [ "$1" = kolada ]; then
            cp "$work/meta/"*.json "$dir/in/"
            printf '{"name": "bad", "extract": [{"name": "k", "type": "kolada-files", "paths": ["in"]}],\n "transform": {"max_rejects": "100%%"}}\n' >"$dir/job.json"
        else
            cp "$work/export-job.json" "$dir/job.json"
        fi
    fi
    cp "$2" "$dir/in/zz-$(basename "$2")"
    printf '%s|%s|%s\n' "$3" "$4" "zz-$(basename "$2")" >>"$dir/cases"
}

batch_run() { # KIND
    dir=$(batch_dir "$1")
    [ -d "$dir" ] || return 0
    run_stage extract "$dir/job.json" "$dir/run"
    [ "$status" = 0 ] || { report "$1 cases" "extract failed: $(cat "$work/err")"; return; }
    run_stage transform "$dir/job.json" "$dir/run"
    [ "$status" != 0 ] || succeeded="$succeeded $dir/run"
    while IFS='|' read -r case expectation stored; do
        check_success "$case" "$dir/run" "$expectation" "$stored"
    done <"$dir/cases"
}

trim() { # VALUE: print it without leading and trailing spaces
    set -- "${1#"${1%%[! ]*}"}"
    printf '%s' "${1%"${1##*[! ]}"}"
}

count=0
while IFS='|' read -r file want expectation; do
    file=$(trim "$file")
    case $file in '' | '#'*) continue ;; esac
    want=$(trim "$want")
    expectation=$(trim "$expectation")
    count=$((count + 1))
    run_case "$file" "$want" "$expectation"
done <"$cases/EXPECTED"
for kind in kolada csv xlsx; do
    batch_run $kind
done

# shellcheck disable=SC2086
[ -z "$succeeded" ] || (assert_reconciled $succeeded) 2>"$work/reconcile" ||
    report "reconciliation" "$(cat "$work/reconcile")"

# Every committed bad input has its line in the table.
for f in "$cases"/*/*; do
    rel=${f#"$cases"/}
    grep -q "^$rel " "$cases/EXPECTED" || report "$rel" "not listed in tests/bad-inputs/EXPECTED"
done
[ "$count" -ge 50 ] || report EXPECTED "only $count cases"
echo "$count bad inputs checked, $failures failure(s)"
[ "$failures" = 0 ] || fail "$failures bad input(s) not handled as EXPECTED says"
