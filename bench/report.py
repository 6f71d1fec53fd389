#!/usr/bin/env python3
"""report.py: turn one benchmark run's measurements (bench/run.sh) into the
results table, the ratios against curl, plain COPY, pgloader and jq, the memory
scaling table and a met / not met line per aim; print it and append it to
RESULTS (unless RESULTS is "-").

Every number is computed from WORK: measurements.tsv (one line per timed
command: label, exit status, wall, user, system seconds, peak KiB, run
directory, values, bytes), the run directories' manifests, the data sets'
dataset.json and hyperfine's mart.json.

usage: report.py WORK RESULTS
"""
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

STAGES = ("extract", "transform", "load")
REFRESHES = (("full", "full refresh"), ("nochange", "incremental, nothing changed"),
             ("change", "incremental, 1 % changed, 0.1 % deleted"),
             ("publication", "incremental, a publication: a new year for a tenth of the KPIs, "
                             "0.1 % corrected"))


def read_measurements(work):
    out = {}
    with open(os.path.join(work, "measurements.tsv"), encoding="utf-8") as f:
        for line in f:
            label, status, wall, user, system, rss, run, values, size = \
                line.rstrip("\n").split("\t")
            out[label] = {"ok": status == "0", "status": status, "wall": float(wall),
                          "cpu": float(user) + float(system), "rss_kib": int(rss),
                          "run": None if run == "-" else run,
                          "values": None if values == "-" else int(values),
                          "bytes": None if size == "-" else int(size)}
    return out


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read_text(path, fields=None):
    try:
        with open(path, encoding="utf-8") as f:
            words = f.read().split()
    except OSError:
        return "unknown"
    return " ".join(words[:fields] if fields else words)


def run_sizes(run):
    """Values and bytes a refresh moved: raw bytes fetched, COPY bytes written."""
    extract = read_json(os.path.join(run, "extract", "manifest.json")) or {}
    transform = read_json(os.path.join(run, "transform", "manifest.json")) or {}
    raw = sum(f.get("size", 0) for f in extract.get("files", []))
    values = sum(t.get("rows", 0) for t in transform.get("tables", [])
                 if t.get("table") in ("fact_kpi_value", "fact_kpi_value_deleted"))
    copy = 0
    for t in transform.get("tables", []):
        path = os.path.join(run, "transform", t.get("file", ""))
        if os.path.isfile(path):
            copy += os.path.getsize(path)
    return {"values": values, "raw": raw, "copy": copy}


def stage_row(m, label, stage):
    """A measurement with the values and bytes its throughput counts."""
    entry = m.get(label)
    if entry is None or not entry["ok"]:
        return entry
    if entry["run"]:
        sizes = run_sizes(entry["run"])
        entry["values"] = sizes["values"]
        entry["bytes"] = sizes["copy"] if stage == "load" else sizes["raw"]
    return entry


def rate(entry, key):
    if entry is None or not entry["ok"] or entry[key] is None or entry["wall"] <= 0:
        return None
    return entry[key] / entry["wall"]


def fmt(x, digits=1):
    if x is None:
        return "–"
    if abs(x) >= 1000:
        return "{:,.0f}".format(x).replace(",", " ")
    return "{:.{}f}".format(x, digits)


def measured_cells(entry):
    if entry is None:
        return ["not run"] + [""] * 4
    if not entry["ok"]:
        return ["failed (exit %s)" % entry["status"]] + [""] * 4
    return [fmt(entry["wall"], 2), fmt(entry["cpu"], 2), fmt(rate(entry, "values"), 0),
            fmt(None if rate(entry, "bytes") is None else rate(entry, "bytes") / 1e6),
            fmt(entry["rss_kib"] / 1024)]


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def machine():
    cores = os.cpu_count()
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as f:
            mem_kib = int(f.readline().split()[1])
    except OSError:
        mem_kib = 0
    try:
        pg = subprocess.run(["psql", "-X", "-A", "-t", "-q", "-c", "SHOW server_version"],
                            capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pg = ""
    return "%d cores (%s), %.1f GiB memory, %s, PostgreSQL %s" % (
        cores, model or "unknown CPU", mem_kib / 1024 / 1024, platform.platform(terse=True),
        pg or "(server stopped)")


def git_commit(root):
    try:
        out = subprocess.run(["git", "-C", root, "describe", "--always", "--dirty"],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def run_lines(work):
    """The load average at the start and end, the note, and nyckel's commit."""
    out = ["- load average (1, 5, 15 min) at the start: %s; at the end: %s" % (
        read_text(os.path.join(work, "loadavg.start")), read_text("/proc/loadavg", 3))]
    if os.environ.get("BENCH_NOTE"):
        out.append("- note: %s" % os.environ["BENCH_NOTE"])
    out.append("- nyckel: %s" % git_commit(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))))
    return out


def total(m, size, refresh):
    entries = [m.get("%s-%s-%s" % (size, refresh, s)) for s in STAGES]
    if any(e is None or not e["ok"] for e in entries):
        return None
    return sum(e["wall"] for e in entries)


class Aims:
    def __init__(self):
        self.lines = []

    def add(self, aim, measured, value, limit, at_least):
        """value against limit; None when it could not be measured."""
        if value is None:
            verdict = "not measured"
        else:
            verdict = "met" if (value >= limit if at_least else value < limit) else "not met"
        self.lines.append([aim, measured, verdict])


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def copy_then_key(m, suffix=""):
    """Plain COPY and then the primary key on the copied rows, as one measurement
    (suffix: "-again-N" for refresh_again's Nth time)."""
    copy, key = m.get("copy" + suffix), m.get("copy-key" + suffix)
    if not (copy and key and copy["ok"] and key["ok"]):
        return None
    both = dict(copy)
    both["wall"] = copy["wall"] + key["wall"]
    both["cpu"] = copy["cpu"] + key["cpu"]
    return both


def refresh_series(m):
    """Each series of the main size's full, change and publication loads (the
    refreshes, then refresh_again's main-again-N), with plain COPY and its key
    timed beside it: a list of dicts of wall seconds, None where one failed."""
    out = []
    for n in range(0, 100):
        prefix = "main" if n == 0 else "main-again-%d" % n
        if n and ("%s-full-load" % prefix) not in m:
            break
        walls = {}
        for label in ("full", "change", "publication"):
            e = m.get("%s-%s-load" % (prefix, label))
            walls[label] = e["wall"] if e and e["ok"] else None
        copy_key = copy_then_key(m, "" if n == 0 else "-again-%d" % n)
        walls["copy_key"] = copy_key["wall"] if copy_key else None
        out.append(walls)
    return out


def median_of(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def first_load_times(series):
    """The medians over the series of the full load and of plain COPY and its key, and
    their ratio."""
    full = median_of(s["full"] for s in series)
    copy_key = median_of(s["copy_key"] for s in series)
    return ratio(full, copy_key), full, copy_key


def series_share(series, part):
    """The median over the series of part's load as a share of the full load's, and each."""
    shares = [ratio(s[part], s["full"]) for s in series]
    return median_of(shares), shares


def transform_beside_jq(m):
    """Transform timed just before and just after jq, as one measurement: their mean."""
    before = stage_row(m, "transform-before-jq", "transform")
    after = stage_row(m, "transform-after-jq", "transform")
    if not (before and after and before["ok"] and after["ok"]):
        return None
    mean = dict(before)
    mean["wall"] = (before["wall"] + after["wall"]) / 2
    mean["cpu"] = (before["cpu"] + after["cpu"]) / 2
    return mean


def extract_pulls(m):
    """The full refresh's extract and the full pulls after it, and the median of them."""
    labels = ["main-full-extract"] + sorted(k for k in m if k.startswith("main-extract-again-"))
    pulls = [e for e in (stage_row(m, label, "extract") for label in labels) if e and e["ok"]]
    if not pulls:
        return [], None
    return pulls, sorted(pulls, key=lambda e: e["wall"])[len(pulls) // 2]


def aims(m, mart, sizes_differ, pulls, median, beside):
    """The verdicts; pulls and median are extract_pulls(m), beside transform_beside_jq(m)."""
    a = Aims()
    mbs = None if median is None else rate(median, "bytes") / 1e6
    a.add("extract ≥ 200 MB/s from the loopback fixture",
          "–" if mbs is None else "%s MB/s (median of %d full pulls)" % (fmt(mbs), len(pulls)),
          mbs, 200, True)
    transform = beside or m.get("main-full-transform")
    jq = m.get("jq")
    load = stage_row(m, "main-full-load", "load")
    copy = m.get("copy")
    pgloader = m.get("pgloader")

    speedup = ratio(rate(transform, "values"), rate(jq, "values"))
    a.add("transform ≥ 10× faster than jq", "%s×" % fmt(speedup, 1), speedup, 10, True)
    share = ratio(rate(load, "values"), rate(copy, "values"))
    keyed = ratio(rate(copy_then_key(m), "values"), rate(copy, "values"))
    a.add("load ≥ half the speed of plain COPY",
          "%s of COPY's values/s (COPY and then its primary key: %s)" % (
              "–" if share is None else "%.0f %%" % (100 * share),
              "–" if keyed is None else "%.0f %%" % (100 * keyed)),
          share, 0.5, True)
    speedup = ratio(rate(load, "values"), rate(pgloader, "values"))
    a.add("load ≥ 3× faster than pgloader", "%s×" % fmt(speedup, 1), speedup, 3, True)
    series = refresh_series(m)
    for refresh, what, limit in (("change", "1 % changed and 0.1 % deleted, scattered", 0.10),
                                 ("publication", "a publication (a new year for a tenth of "
                                                 "the KPIs, 0.1 % corrected)", 0.05)):
        share, shares = series_share(series, refresh)
        a.add("load of %s ≤ %.0f %% of the full load's" % (what, 100 * limit),
              "–" if share is None else "%.1f %% (median of %d series: %s)" % (
                  100 * share, len(shares),
                  ", ".join("–" if s is None else "%.1f %%" % (100 * s) for s in shares)),
              share, limit, False)
    times, full, copy_key = first_load_times(series)
    a.add("first load ≤ 2 × plain COPY and then its primary key",
          "–" if times is None else "%.2f× (medians of %d series: %s s against %s s)" % (
              times, len(series), fmt(full, 2), fmt(copy_key, 2)),
          times, 2, False)
    share = ratio(total(m, "main", "nochange"), total(m, "main", "full"))
    a.add("no-change incremental refresh < 5 % of a full refresh",
          "–" if share is None else "%.1f %% (%s s of %s s)" % (
              100 * share, fmt(total(m, "main", "nochange"), 1), fmt(total(m, "main", "full"), 1)),
          share, 0.05, False)
    for stage in STAGES:
        small, big = m.get("scale-full-" + stage), m.get("main-full-" + stage)
        growth = None
        if small and big and small["ok"] and big["ok"] and sizes_differ:
            growth = big["rss_kib"] / small["rss_kib"]
        a.add("%s peak memory flat (within 10 %%) from the small to the main size" % stage,
              "–" if growth is None else "×%.2f" % growth,
              None if growth is None else abs(growth - 1), 0.10, False)
    session = mart.get("session")
    mean = session["mean"] if session else None
    a.add("mart query (one municipality, all KPIs, latest year) < 100 ms",
          "–" if mean is None else "%.1f ms (mean in an open session)" % (1000 * mean),
          mean, 0.1, False)
    return a.lines


def mart_timing(work):
    doc = read_json(os.path.join(work, "mart.json"))
    result = {}
    if doc and doc.get("results"):
        r = doc["results"][0]
        result = {"mean": r["mean"], "min": r["min"], "max": r["max"]}
    try:
        with open(os.path.join(work, "mart-session.ms"), encoding="ascii") as f:
            times = sorted(float(line) / 1000 for line in f if line.strip())
    except OSError:
        times = []
    if times:
        result["session"] = {"mean": sum(times) / len(times), "median": times[len(times) // 2],
                             "max": times[-1], "runs": len(times)}
    explain = read_json(os.path.join(work, "mart-explain.json"))
    if explain:
        result["server_ms"] = explain[0].get("Execution Time")
    return result


def slow_statements(work, limit=8):
    """The slowest statements in the server log (those over a second), slowest first."""
    found = []
    try:
        with open(os.path.join(work, "server.log"), encoding="utf-8", errors="replace") as f:
            for line in f:
                match = re.search(r"(?:db=bench_(\w+) )?\w+:  duration: ([0-9.]+) ms  "
                                  r"(?:statement|execute [^:]*): (.*)", line)
                if match:
                    text = " ".join(match.group(3).split())
                    found.append((float(match.group(2)) / 1000, match.group(1) or "", text[:110]))
    except OSError:
        return []
    return sorted(found, reverse=True)[:limit]


def count_line(m, label, expected, what):
    entry = m.get("count-" + label)
    if entry is None or entry["values"] is None:
        return "- %s: not measured" % what
    found = entry["values"]
    verdict = "as expected" if found == expected else "MISMATCH, expected %s" % fmt(expected, 0)
    return "- %s: %s (%s)" % (what, fmt(found, 0), verdict)


def slice_line(m, refresh):
    """The stored benchmark after a refresh against one computed from all facts."""
    entry = m.get("slices-main-" + refresh)
    what = "benchmark slices differing from a computation from all facts, after the %s" % (
        "full refresh" if refresh == "full" else "1 % change" if refresh == "change"
        else "publication")
    if entry is None or entry["values"] is None:
        return "- %s: not measured" % what
    return "- %s: %s (%s)" % (what, fmt(entry["values"], 0),
                              "as expected" if entry["values"] == 0 else "MISMATCH, expected 0")


def case_rows(work, m):
    """The row-level export's lines: transform's records a second and memory."""
    data = read_json(os.path.join(work, "case-rows", "dataset.json"))
    entry = m.get("case-rows-transform")
    if not data or entry is None:
        return []
    out = ["", "### Row-level export (case system)", "",
           "%s placements, one row each, %s MB of Windows-1252 CSV, %s distinct people; "
           "added up per unit × kind × month, quarter and year, and all kinds together "
           "(bench/gen_case_rows.py)." % (fmt(data["rows"], 0), fmt(data["bytes"] / 1e6),
                                          fmt(data["people"], 0)), ""]
    out += table(["stage", "wall s", "CPU s", "rows/s", "MB/s", "peak MB"],
                 [[stage] + measured_cells(m.get("case-rows-" + stage))
                  for stage in ("extract", "transform")])
    manifest = read_json(os.path.join(work, "case-rows", "run", "transform", "manifest.json"))
    if manifest:
        facts = sum(t.get("rows", 0) for t in manifest.get("tables", [])
                    if t.get("table") == "fact_internal_value")
        rejected = manifest.get("rejects", {}).get("rows")
        out += ["", "- facts written: %s; rows rejected: %s" % (fmt(facts, 0), rejected)]
    return out


def report(work):
    m = read_measurements(work)
    if "main-generate" not in m:
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        out = ["## %s — the row-level export alone (BENCH_ONLY=case-rows)" % now, "",
               "- machine: %s" % machine(),
               "- load average (1, 5, 15 min) at the end: %s" % read_text("/proc/loadavg", 3),
               "- nyckel: %s" % git_commit(os.path.dirname(os.path.dirname(
                   os.path.abspath(__file__))))]
        if os.environ.get("BENCH_NOTE"):
            out.append("- note: %s" % os.environ["BENCH_NOTE"])
        return "\n".join(out + case_rows(work, m)) + "\n"
    main = read_json(os.path.join(work, "main", "dataset.json")) or {}
    scale = read_json(os.path.join(work, "scale", "dataset.json"))
    mart = mart_timing(work)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = ["## %s — %s values" % (now, fmt(main.get("values"), 0)), ""]
    out.append("- machine: %s" % machine())
    speeds = [(read_text(os.path.join(work, "speed." + when)), title)
              for when, title in (("before", "before the main size"),
                                  ("after-extract", "after its three extracts"),
                                  ("end", "at the end"))]
    out.append("- machine speed (MB/s of `gzip -1` over up to 64 MB of the data set, median of "
               "three): %s" % ", ".join("%s %s" % s for s in speeds))
    out += run_lines(work)
    if main:
        out.append("- data: %d KPIs × %d areas × %d years = %s values in %s MB of v3 JSON; "
                   "then %s changed and %s deleted; then a publication: %s values of %d "
                   "for %d KPIs, and %s corrected" % (
                       len(main["kpis"]), len(main["areas"]), len(main["years"]),
                       fmt(main["values"], 0), fmt(main["row_bytes"] / 1e6),
                       fmt(main["changed_values"], 0), fmt(main["deleted_values"], 0),
                       fmt(main["published_values"], 0), main["publication_year"],
                       main["published_kpis"], fmt(main["corrected_values"], 0)))
    started = read_text(os.path.join(work, "started"))
    if started.isdigit():
        out.append("- the whole benchmark (both sizes, every tool) took %.1f min" % (
            (datetime.datetime.now().timestamp() - int(started)) / 60))
    gen = m.get("main-generate")
    if gen and gen["ok"]:
        out.append("- generating it took %s s (not part of any stage)" % fmt(gen["wall"], 1))
    out += ["", "### Stages", ""]
    header = ["run", "stage", "wall s", "CPU s", "values/s", "MB/s", "peak MB"]
    rows = []
    for refresh, title in REFRESHES:
        for stage in STAGES:
            entry = stage_row(m, "main-%s-%s" % (refresh, stage), stage)
            rows.append([title, stage] + measured_cells(entry))
    for label, title in (("curl", "curl --parallel, the same responses to files"),
                         ("copy", "psql \\copy, unindexed table"),
                         ("copy-key", "that table's primary key, added afterwards"),
                         ("pgloader", "pgloader, CSV into the fact table's shape"),
                         ("jq", "jq, pages to TSV")):
        rows.append(["same data", title] + measured_cells(m.get(label)))
    out += table(header, rows)
    out += ["", "MB/s counts JSON fetched (extract, curl), JSON read (transform, jq), COPY "
            "text (load, \\copy) and CSV (pgloader); peak MB is the process's peak resident "
            "memory (for load, the client, not the PostgreSQL server).", ""]
    out += ["### Ratios", ""]
    pulls, median = extract_pulls(m)
    if pulls:
        out.append("- extract, %d full pulls in a row: %s s; the median, %s MB/s, is what "
                   "the aim is judged on" % (
                       len(pulls), ", ".join(fmt(e["wall"], 2) for e in pulls),
                       fmt(rate(median, "bytes") / 1e6)))
        r = ratio(rate(median, "bytes"), rate(m.get("curl"), "bytes"))
        out.append("- extract (that median) vs curl fetching the same responses (MB/s): %s" % (
            "–" if r is None else "%.2f×" % r))
    beside = transform_beside_jq(m)
    if beside:
        out.append("- transform timed just before and just after jq: %s s and %s s" % (
            fmt(m["transform-before-jq"]["wall"], 2), fmt(m["transform-after-jq"]["wall"], 2)))
    for what, a, b in (("transform vs jq (values/s)", "main-full-transform", "jq"),
                       ("load vs plain COPY (values/s)", "main-full-load", "copy"),
                       ("load vs pgloader (values/s)", "main-full-load", "pgloader")):
        ours, theirs = stage_row(m, a, a.rsplit("-", 1)[1]), m.get(b)
        if b == "jq" and beside:
            what, ours = "transform (their mean) vs jq (values/s)", beside
        r = ratio(rate(ours, "values"), rate(theirs, "values"))
        line = "- %s: %s" % (what, "–" if r is None else "%.2f×" % r)
        # Both do their work in their own process only when neither is a database client.
        if b == "jq" and ours and theirs and ours["ok"] and theirs["ok"]:
            cpu = ratio(theirs["cpu"], ours["cpu"])
            line += " (by CPU seconds: %s)" % ("–" if cpu is None else "%.2f×" % cpu)
        out.append(line)
    r = ratio(rate(copy_then_key(m), "values"), rate(m.get("copy"), "values"))
    out.append("- plain COPY and then its primary key vs plain COPY alone (values/s): %s" % (
        "–" if r is None else "%.2f×" % r))
    out += ["- full refresh total: %s s; no change: %s s; 1 %% changed: %s s; "
            "a publication: %s s" % (
                fmt(total(m, "main", "full"), 1), fmt(total(m, "main", "nochange"), 1),
                fmt(total(m, "main", "change"), 1), fmt(total(m, "main", "publication"), 1))]
    series = refresh_series(m)
    for refresh in ("change", "publication"):
        r, _ = series_share(series, refresh)
        out.append("- load of the %s vs the full load (wall, median of %d series): %s" % (
            "1 % change" if refresh == "change" else "publication", len(series),
            "–" if r is None else "%.1f %%" % (100 * r)))
    r, _, _ = first_load_times(series)
    out += ["- full load vs plain COPY and then its primary key (wall, medians): %s" % (
        "–" if r is None else "%.2f×" % r), ""]
    out += ["### Refresh series (load wall s)", "",
            "The full, change and publication loads again from the same run directories "
            "into a new database, and plain COPY and its key into a new table "
            "(run.sh refresh_again); the refresh-cost aims take the medians.", ""]
    out += table(["series", "full load", "1 % change", "publication",
                  "plain COPY + key", "change / full", "publication / full"],
                 [[str(n + 1)] + [fmt(s[k], 2) for k in ("full", "change", "publication",
                                                          "copy_key")] +
                  ["–" if ratio(s[k], s["full"]) is None else
                   "%.1f %%" % (100 * ratio(s[k], s["full"])) for k in ("change", "publication")]
                  for n, s in enumerate(series)])
    out.append("")
    out += ["### Memory scaling (full refresh, peak MB)", ""]
    small_values = fmt(scale["values"], 0) if scale else "–"
    rows = []
    for stage in STAGES:
        small, big = m.get("scale-full-" + stage), m.get("main-full-" + stage)
        cells = [stage]
        for e in (small, big):
            cells.append(fmt(e["rss_kib"] / 1024) if e and e["ok"] else "not run")
        cells.append("×%.2f" % (big["rss_kib"] / small["rss_kib"])
                     if small and big and small["ok"] and big["ok"] else "–")
        rows.append(cells)
    out += table(["stage", "%s values" % small_values, "%s values" % fmt(main.get("values"), 0),
                  "growth"], rows)
    out += ["", "### Mart query", ""]
    out.append("Query: mart.benchmark for municipality 0580, all KPIs, its latest year.")
    out.append("")
    session = mart.get("session")
    if session:
        out.append("- in an open psql session (\\timing, after 3 warm-up runs): mean %.1f ms, "
                   "median %.1f ms, max %.1f ms over %d runs" % (
                       1000 * session["mean"], 1000 * session["median"], 1000 * session["max"],
                       session["runs"]))
    else:
        out.append("- in an open session: not measured")
    if mart.get("mean") is not None:
        out.append("- a new psql each time, connection included (hyperfine, 30 runs): "
                   "mean %.1f ms, min %.1f ms, max %.1f ms" % (
                       1000 * mart["mean"], 1000 * mart["min"], 1000 * mart["max"]))
    else:
        out.append("- with a new psql each time: not measured")
    if mart.get("server_ms") is not None:
        out.append("- server execution time (EXPLAIN ANALYZE): %.1f ms" % mart["server_ms"])
    entry = m.get("count-mart")
    if entry and entry["values"] is not None:
        out.append("- rows returned: %d" % entry["values"])
    out += ["", "### Checks", ""]
    if main:
        out.append(count_line(m, "main-full", main["values"], "warehouse values after the full refresh"))
        out.append(count_line(m, "main-nochange", main["values"],
                              "after the no-change refresh"))
        out.append(count_line(m, "main-nochange-written", 0,
                              "values the no-change refresh wrote"))
        out.append(count_line(m, "main-change", main["values"] - main["deleted_values"],
                              "after the change (deleted values gone)"))
        out.append(count_line(m, "main-change-written", main["changed_values"],
                              "values the change refresh wrote (the changed ones)"))
        out.append(count_line(m, "main-publication",
                              main["values"] - main["deleted_values"] + main["published_values"],
                              "after the publication (its new year added)"))
        out.append(count_line(m, "main-publication-written",
                              main["published_values"] + main["corrected_values"],
                              "values the publication wrote (new and corrected)"))
        for refresh in ("full", "change", "publication"):
            out.append(slice_line(m, refresh))
        rows_loaded = m.get("copy", {}).get("values") if m.get("copy") else None
        out.append(count_line(m, "jq", rows_loaded, "jq TSV lines against the COPY file's rows"))
        out.append(count_line(m, "pgloader", rows_loaded, "pgloader rows"))
    if scale:
        out.append(count_line(m, "scale-full", scale["values"], "small size, after its full refresh"))
    slow = slow_statements(work)
    if slow:
        out += ["", "### Slowest statements (server log)", ""]
        out += table(["seconds", "size", "statement (start)"],
                     [["%.1f" % t, size, "`%s`" % text.replace("|", "\\|")]
                      for t, size, text in slow])
    out += case_rows(work, m)
    out += ["", "### Aims", ""]
    sizes_differ = bool(scale and main and scale["values"] != main["values"])
    out += table(["aim", "measured", "verdict"],
                 aims(m, mart, sizes_differ, pulls, median, beside))
    return "\n".join(out) + "\n"


def main(make_report=report):
    """Print make_report(WORK) and append it to RESULTS (argv), unless that is "-"."""
    work, results = sys.argv[1], sys.argv[2]
    text = make_report(work)
    sys.stdout.write(text)
    if results != "-":
        with open(results, "a", encoding="utf-8") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
