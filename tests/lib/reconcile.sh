# reconcile.sh: sourced by integration tests; checks that a run lost nothing.
#
#   assert_reconciled RUN_DIR...
#
# Transform (always): per source in transform/manifest.json, rows_read =
# rows_written + rows_rejected; the manifest's reject count equals the sum
# over sources and the lines of rejects.jsonl; each table's row count equals
# the lines of its COPY file.
# Load (when load/summary.json says "committed"): every staged fact row is
# accounted for: staged rows = inserted + updated + unchanged, and no more
# rows deleted than deletions staged.
# Warehouse (when PGDATABASE is set, as tests/lib/pg.sh does): the audit
# (nyckel.run_table for the summary's run_key) holds the summary's numbers,
# and the fact rows carrying that run_key number inserted + updated.
# Several run directories may be given (one python3 start for all of them).
# Fails the test (fail, from assert.sh) saying what did not add up.

assert_reconciled() {
    python3 - "$@" <<'PY' || fail "run(s) $* do not reconcile"
import json, os, subprocess, sys

FACTS = ("fact_kpi_value", "fact_ou_value", "fact_internal_value")

def check(run):
    problems = []

    def path(*parts):
        return os.path.join(run, *parts)

    def lines(p):
        if not os.path.exists(p):
            return 0
        with open(p, "rb") as f:
            return sum(1 for _ in f)

    transform = json.load(open(path("transform", "manifest.json"), encoding="utf-8"))
    for s in transform["sources"]:
        if s["rows_read"] != s["rows_written"] + s["rows_rejected"]:
            problems.append("source %s: read %d != written %d + rejected %d"
                            % (s.get("uri"), s["rows_read"], s["rows_written"], s["rows_rejected"]))
    rejected = sum(s["rows_rejected"] for s in transform["sources"])
    in_file = lines(path("transform", transform["rejects"]["file"]))
    if not transform["rejects"]["rows"] == rejected == in_file:
        problems.append("rejects: manifest says %d, sources add up to %d, rejects.jsonl has %d"
                        % (transform["rejects"]["rows"], rejected, in_file))
    staged = {}
    for t in transform["tables"]:
        staged[t["table"]] = t["rows"]
        if lines(path("transform", t["file"])) != t["rows"]:
            problems.append("table %s: manifest says %d rows, %s has %d"
                            % (t["table"], t["rows"], t["file"], lines(path("transform", t["file"]))))

    summary = None
    if os.path.exists(path("load", "summary.json")):
        summary = json.load(open(path("load", "summary.json"), encoding="utf-8"))
    if summary and summary.get("status") == "committed":
        counts = summary["tables"]
        for fact in FACTS:
            c = counts.get(fact, {})
            took = c.get("inserted", 0) + c.get("updated", 0) + c.get("unchanged", 0)
            if took != staged.get(fact, 0):
                problems.append("%s: %d rows staged, load accounts for %d (%s)"
                                % (fact, staged.get(fact, 0), took, c))
            deletions = staged.get(fact + "_deleted", 0)
            if c.get("deleted", 0) > deletions:
                problems.append("%s: %d rows deleted, only %d deletions staged"
                                % (fact, c.get("deleted", 0), deletions))

        if os.environ.get("PGDATABASE") and "run_key" in summary:
            key = int(summary["run_key"])
            def value(sql):
                return subprocess.run(["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                                       "-c", sql], check=True, capture_output=True,
                                      text=True).stdout.strip()
            audit = {}
            for row in value("SELECT table_name, inserted, updated, deleted, unchanged"
                             " FROM nyckel.run_table WHERE run_key = %d" % key).splitlines():
                name, i, u, d, n = row.split("|")
                audit[name] = {"inserted": int(i), "updated": int(u), "deleted": int(d),
                               "unchanged": int(n)}
            if audit != counts:
                problems.append("audit nyckel.run_table %s differs from load/summary.json %s"
                                % (audit, counts))
            for fact in FACTS:
                if fact not in counts:
                    continue
                rows = int(value("SELECT count(*) FROM nyckel.%s WHERE run_key = %d" % (fact, key)))
                touched = counts[fact]["inserted"] + counts[fact]["updated"]
                if rows != touched:
                    problems.append("nyckel.%s: %d rows carry run_key %d, the audit says %d "
                                    "inserted + updated" % (fact, rows, key, touched))

    return ["%s: %s" % (run, p) for p in problems]

problems = [p for run in sys.argv[1:] for p in check(run)]
for p in problems:
    print("not reconciled: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
}
