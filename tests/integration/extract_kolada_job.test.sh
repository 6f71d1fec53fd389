# extract_kolada_job.test.sh: a bad "kolada-api" source in a job file is
# refused before any request, with file, line, column, key path, what was
# expected and what was found.
. "$NYCKEL_ROOT/tests/lib/assert.sh"

TEST_DIR=$(mktemp -d)
trap 'rm -rf "$TEST_DIR"' EXIT
cd "$TEST_DIR"
mkdir jobs
cat >jobs/x.json <<'JOB'
{
  "name": "x",
  "extract": [
    {
      "name": "kolada",
      "type": "kolada-api",
      "kpis": ["N00001"],
      "riket": true,
      "rate_limit": 5,
      "concurrency": 2,
      "years":
      true
    }
  ]
}
JOB
STDERR_FILE=$TEST_DIR/stderr
expect_exit 78 "$BIN/nyckel-extract" --job jobs/x.json --run-dir run --log-format text
assert_contains "$(cat "$STDERR_FILE")" \
    'jobs/x.json:12:7: extract[0].years: expected a year or a range like "2015..2024", found true' \
    "bad years"

sed 's/      true/      ["2015..2016", "2019..2017"]/' jobs/x.json >jobs/y.json
expect_exit 78 "$BIN/nyckel-extract" --job jobs/y.json --run-dir run --log-format text
assert_contains "$(cat "$STDERR_FILE")" \
    'extract[0].years[1]: expected a year or a range like "2015..2024", found a string' \
    "bad range in a list"

sed 's/      true/      {"latest": 0}/' jobs/x.json >jobs/z.json
expect_exit 78 "$BIN/nyckel-extract" --job jobs/z.json --run-dir run --log-format text
assert_contains "$(cat "$STDERR_FILE")" 'extract[0].years.latest: expected a whole number of years from 1 to 100, found' "bad latest"

sed 's/"riket": true/"riket": false/; s/      true/      2023/' jobs/x.json >jobs/w.json
expect_exit 78 "$BIN/nyckel-extract" --job jobs/w.json --run-dir run --log-format text
assert_contains "$(cat "$STDERR_FILE")" 'extract[0]: expected at least one of "areas"' "no areas"

sed 's/"N00001"/"N00001\/x"/; s/      true/      2023/' jobs/x.json >jobs/v.json
expect_exit 78 "$BIN/nyckel-extract" --job jobs/v.json --run-dir run --log-format text
assert_contains "$(cat "$STDERR_FILE")" 'extract[0].kpis[0]: expected a Kolada id like "N00945" or "0180", found a string' "id with a slash"
