#!/usr/bin/env python3
"""report_citus.py: the results of `BENCH_CITUS=1 make bench` (bench/run.sh,
citus_bench): each refresh's load into plain PostgreSQL and into a Citus
coordinator with two workers, the ratio, the warehouse's values after each
(they must agree), and the benchmark mart query on both, with the shards
EXPLAIN says it reads on Citus; print it and append it to RESULTS (unless
RESULTS is "-").  The shared pieces (measurements, machine, formatting) are
report.py's.

usage: report_citus.py WORK RESULTS
"""
import datetime
import os
import re
import statistics

from report import (REFRESHES, fmt, machine, read_json, read_measurements, read_text,
                    run_lines, table)
from report import main as report_main


def mean_ms(path):
    try:
        with open(path, encoding="utf-8") as f:
            times = [float(line) for line in f if line.strip()]
    except (OSError, ValueError):
        return None
    return statistics.mean(times) if times else None


def count(m, label):
    entry = m.get("count-%s" % label)
    return entry["values"] if entry else None


def loads(m):
    rows = []
    for key, title in REFRESHES:
        plain, citus = m.get("main-%s-load" % key), m.get("citus-%s-load" % key)
        cells = [title]
        for entry in (plain, citus):
            ok = entry is not None and entry["ok"]
            cells += [fmt(entry["wall"], 2) if ok else "failed", fmt(entry["cpu"], 2) if ok else ""]
        ok = plain and citus and plain["ok"] and citus["ok"] and plain["wall"] > 0
        cells.append("×%.2f" % (citus["wall"] / plain["wall"]) if ok else "–")
        same = count(m, "main-" + key) == count(m, "citus-" + key)
        cells.append(fmt(count(m, "citus-" + key), 0) + ("" if same else " (PostgreSQL: %s)" %
                                                         fmt(count(m, "main-" + key), 0)))
        rows.append(cells)
    return rows


def shards_read(explain):
    tasks = re.findall(r"Task Count: (\d+)", explain)
    if not tasks:
        return "EXPLAIN shows no Citus task: %s" % (explain[:120] or "no EXPLAIN")
    return "Citus tasks per step of EXPLAIN: %s (1: one shard)" % ", ".join(tasks)


def report(work):
    m = read_measurements(work)
    main = read_json(os.path.join(work, "main", "dataset.json")) or {}
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = ["## %s — Citus beside PostgreSQL (BENCH_CITUS=1), %s values" % (
        now, fmt(main.get("values"), 0)), ""]
    out.append("- machine: %s" % machine())
    out += run_lines(work)
    out.append("- cluster: a coordinator and two workers on this one machine (tests/lib/"
               "citus.sh), %s shards per distributed table; every node and the plain "
               "PostgreSQL share its cores and disk" % os.environ.get("CITUS_SHARD_COUNT", "32"))
    if main:
        out.append("- data: %d KPIs × %d areas × %d years = %s values; then %s changed and %s "
                   "deleted" % (len(main["kpis"]), len(main["areas"]), len(main["years"]),
                                fmt(main["values"], 0), fmt(main["changed_values"], 0),
                                fmt(main["deleted_values"], 0)))
    out.append("- each refresh extracted and transformed once (full: %s s), its run directory "
               "loaded into both" % fmt((m.get("main-full-extract") or {}).get("wall"), 1))
    out += ["", "### Load", ""]
    out += table(["refresh", "PostgreSQL wall s", "CPU s", "Citus wall s", "CPU s",
                  "Citus ÷ PostgreSQL", "values after"], loads(m))
    out += ["", "### The mart query (one municipality, all KPIs, latest year)", ""]
    out.append("- PostgreSQL: %s ms, Citus: %s ms (mean of 30 in an open session)" % (
        fmt(mean_ms(os.path.join(work, "mart-session.ms")), 1),
        fmt(mean_ms(os.path.join(work, "citus-mart-session.ms")), 1)))
    out.append("- on Citus: %s" % shards_read(read_text(os.path.join(work,
                                                                       "citus-mart-explain.txt"))))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    report_main(report)
