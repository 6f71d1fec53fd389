# extract_archives.test.sh: file sources read from zip and tar.gz archives
# (members byte-exact, uri archive#member), each refusal a clear error naming
# archive and member (zip slip, absolute path, too many members, zip bomb),
# and the raw zone packed into a tar.zst that keeps only the newest runs.
. "$NYCKEL_ROOT/tests/lib/assert.sh"

TEST_DIR=$(mktemp -d)
trap 'rm -rf "$TEST_DIR"' EXIT
cd "$TEST_DIR"
mkdir exports
printf 'enhet;utfall\r\nHemtj\xe4nst;-2 118\r\n' >budget.csv
printf 'unit;hours\n1;2,5\n' >hours.csv
printf '{"values": []}' >kolada.json
python3 - <<'PY'
import io, tarfile, zipfile
with zipfile.ZipFile("exports/finance.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("budget.csv", "2024/budget.csv")
    z.write("kolada.json", "readme.json")
with tarfile.open("exports/care.tar.gz", "w:gz") as t:
    t.add("hours.csv", "hours.csv")
with zipfile.ZipFile("slip.zip", "w") as z:
    z.writestr("ok.csv", "a\n")
    z.writestr("../x.csv", "evil\n")
with zipfile.ZipFile("absolute.zip", "w") as z:
    z.writestr("/etc/x.csv", "evil\n")
with zipfile.ZipFile("many.zip", "w") as z:
    for i in range(4):
        z.writestr("m%d.csv" % i, "a\n")
with zipfile.ZipFile("bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("zeros.csv", b"0" * (20 << 20))
PY

job() { # paths-json extra-keys
    cat >job.json <<JOB
{"name": "files", "raw_archive": {"dir": "archive", "keep": 2},
 "extract": [{"name": "exports", "type": "files", "paths": $1, "members": "*.csv"$2}]}
JOB
}

job '["exports"]' ""
"$BIN/nyckel-extract" --job job.json --run-dir runs/r1 --log-format json 2>log ||
    fail "extract failed: $(tail -3 log)"
python3 - "$TEST_DIR" <<'PY' || fail "archive members in the raw zone"
import hashlib, json, os, sys
root = sys.argv[1]
m = json.load(open(os.path.join(root, "runs/r1/extract/manifest.json")))
uris = {f["uri"]: f for f in m["files"]}
want = {"file://%s/exports/care.tar.gz#hours.csv" % root: "hours.csv",
        "file://%s/exports/finance.zip#2024/budget.csv" % root: "budget.csv"}
assert set(uris) == set(want), sorted(uris)
for uri, original in want.items():
    body = open(os.path.join(root, "runs/r1/extract", uris[uri]["path"]), "rb").read()
    assert body == open(os.path.join(root, original), "rb").read(), uri
    assert uris[uri]["sha256"] == hashlib.sha256(body).hexdigest()
    assert uris[uri]["path"].endswith(".csv")
PY

refused() { # archive extra-keys expected-message
    job "[\"$1\"]" "$2"
    STDERR_FILE=$TEST_DIR/stderr
    expect_exit 65 "$BIN/nyckel-extract" --job job.json --run-dir runs/refused --log-format text
    assert_contains "$(cat "$STDERR_FILE")" "$3" "refusal of $1"
    [ ! -e runs/refused/extract/manifest.json ] || fail "$1: a refused archive left a manifest"
}
refused slip.zip "" "$TEST_DIR/slip.zip: member \"../x.csv\": refused: a \"..\" in its path"
[ ! -e x.csv ] && [ ! -e runs/x.csv ] || fail "zip slip wrote outside"
refused absolute.zip "" "$TEST_DIR/absolute.zip: member \"/etc/x.csv\": refused: an absolute path"
refused many.zip ', "max_members": 3' "$TEST_DIR/many.zip: member \"m3.csv\": refused: more than 3 members (max_members)"
refused bomb.zip "" "$TEST_DIR/bomb.zip: member \"zeros.csv\": refused: the archive unpacks to more than 100 times"

# A refused run packed nothing, and left no unfinished archive behind.
assert_eq "r1.tar.zst" "$(ls -A archive)" "archives after the refusals"

# The packed raw zone: raw files first, the manifest last; only 2 archives
# kept.  An unfinished archive untouched for a day goes too; one in use stays.
touch -d '2 days ago' archive/.killed.tar.zst.partial
touch archive/.running.tar.zst.partial
job '["exports"]' ""
"$BIN/nyckel-extract" --job job.json --run-dir runs/r2 2>/dev/null || fail "second run"
sleep 1
"$BIN/nyckel-extract" --job job.json --run-dir runs/r3 2>/dev/null || fail "third run"
assert_eq "r2.tar.zst r3.tar.zst" "$(cd archive && echo *)" "archives kept"
assert_eq ".running.tar.zst.partial" "$(cd archive && echo .*.partial)" "unfinished archives"
rm archive/.running.tar.zst.partial
members=$(tar --zstd -tf archive/r3.tar.zst)
assert_eq "extract/raw/exports/000001.csv
extract/raw/exports/000002.csv
extract/manifest.json" "$members" "members of the raw archive"
mkdir unpacked
tar --zstd -xf archive/r3.tar.zst -C unpacked
cmp -s unpacked/extract/manifest.json runs/r3/extract/manifest.json || fail "archived manifest"
cmp -s unpacked/extract/raw/exports/000001.csv runs/r3/extract/raw/exports/000001.csv ||
    fail "archived raw file"

# raw_archive.level reaches the compressor: zstd at 19 packs the same raw zone
# smaller than at -7, gzip at 1 larger than at 9, and each archive unpacks to
# the same bytes.
python3 - <<'PY'
import random
random.seed(7)
with open("exports/levels.csv", "w") as f:
    for i in range(40000):
        f.write("%d;%s;%d\n" % (i, random.choice(["vård", "skola", "omsorg"]), random.randrange(1000)))
PY
packed_size() { # format level
    cat >job.json <<JOB
{"name": "files", "raw_archive": {"dir": "levels", "format": "$1", "level": $2},
 "extract": [{"name": "exports", "type": "files", "paths": ["exports/levels.csv"]}]}
JOB
    rm -rf levels "runs/level$2"
    "$BIN/nyckel-extract" --job job.json --run-dir "runs/level$2" 2>log || fail "level $2: $(tail -1 log)"
    mkdir "levels/out"
    tar -xaf "levels/level$2.$1" -C levels/out
    cmp -s levels/out/extract/raw/exports/000001.csv exports/levels.csv || fail "$1 level $2: unpacked bytes differ"
    wc -c <"levels/level$2.$1" | tr -d ' '
}
small=$(packed_size tar.zst 19)
large=$(packed_size tar.zst -7)
[ "$small" -lt "$large" ] || fail "zstd level 19 gave $small bytes, level -7 $large: the level was not used"
small=$(packed_size tar.gz 9)
large=$(packed_size tar.gz 1)
[ "$small" -lt "$large" ] || fail "gzip level 9 gave $small bytes, level 1 $large: the level was not used"
