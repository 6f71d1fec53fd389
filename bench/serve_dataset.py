#!/usr/bin/env python3
"""serve_dataset.py: the Kolada fixture server (tests/fixtures/kolada_server.py)
serving the benchmark's pre-generated data set (bench/gen_national.py) on
127.0.0.1, fast enough for ten million values.

Metadata (/kpi, /municipality, /municipality_groups, /kpi_groups) goes
through the fixture's own routing, paging and id limits, from the data set's
meta/ files.  /data pages are cut from rows.bin with rows.idx instead of
being built and encoded per request: a page is a few hundred slices of one
memory-mapped file.

With from_date, the answer depends on the control file (--control), read on
every request: {"changes": false} (or no file) answers that nothing changed;
{"changes": true} answers with the rows of changes.bin, whose values carry
"isdeleted", and {"changes": "publication"} with those of publication.bin,
which hold the year after the data set's last (asked for only with
from_date: a full pull of it answers nothing).  The harness sets it
between refreshes.

The request log (--log) has one JSON line per request: path, status, bytes.

usage: serve_dataset.py DATASET_DIR --port-file F --log F [--control F]
"""
import argparse
import array
import json
import mmap
import os
import sys
import threading
from http.server import ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True  # leave no __pycache__ in tests/fixtures
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "fixtures"))
import kolada_server  # noqa: E402  (the fixture, found through the path above)

PER_PAGE = 5000


class Data:
    """The generated data set: ids in index order, rows and changed rows."""

    def __init__(self, directory):
        with open(os.path.join(directory, "dataset.json"), encoding="utf-8") as f:
            doc = json.load(f)
        self.kpi_index = {k: i for i, k in enumerate(doc["kpis"])}
        self.area_index = {a: i for i, a in enumerate(doc["areas"])}
        self.year_index = {y: i for i, y in enumerate(doc["years"])}
        self.changed_year_index = dict(self.year_index)
        self.changed_year_index[doc["publication_year"]] = len(doc["years"])
        self.areas = len(doc["areas"])
        self.years = len(doc["years"])
        with open(os.path.join(directory, "rows.bin"), "rb") as f:
            self.rows = memoryview(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
        self.offsets = array.array("Q")
        with open(os.path.join(directory, "rows.idx"), "rb") as f:
            self.offsets.frombytes(f.read())
        self.changes = {"changes": ChangedRows(directory, "changes"),
                        "publication": ChangedRows(directory, "publication")}

    def indices(self, ids, index):
        return [index[i] for i in ids if i in index]

    def full_slices(self, kpis, areas, years, first, last):
        """rows.bin slices of rows first..last-1 of the kpis x areas x years product."""
        per_kpi = len(areas) * len(years)
        slices = []
        row = first
        while row < last:
            k, rest = divmod(row, per_kpi)
            a, y = divmod(rest, len(years))
            base = (kpis[k] * self.areas + areas[a]) * self.years
            start = y
            end = min(len(years), y + (last - row))
            # Consecutive wanted years are consecutive rows in the file: one slice.
            stop = start + 1
            while stop < end and years[stop] == years[stop - 1] + 1:
                stop += 1
            slices.append(self.rows[self.offsets[base + years[start]]:
                                    self.offsets[base + years[stop - 1] + 1]])
            row += stop - start
        return slices



class ChangedRows:
    """One from_date answer (gen_national.py's NAME.bin and NAME.idx), by KPI and area."""

    def __init__(self, directory, name):
        with open(os.path.join(directory, name + ".bin"), "rb") as f:
            self.rows = f.read()
        self.index = {}
        with open(os.path.join(directory, name + ".idx"), encoding="ascii") as f:
            for line in f:
                k, a, y, offset, length = map(int, line.split())
                self.index.setdefault((k, a), []).append((y, offset, offset + length))

    def slices(self, kpis, areas, years):
        wanted = set(years)
        slices = []
        for k in kpis:
            for a in areas:
                for y, start, end in self.index.get((k, a), ()):
                    if y in wanted:
                        slices.append(self.rows[start:end])
        return slices


def page_body(slices, count, next_url):
    """The page, copied once: slices are views of rows.bin, each row ending in a comma."""
    tail = b',"next_url":' + json.dumps(next_url).encode() if next_url else b""
    if not slices:
        return b'{"count":0,"values":[]%s}' % tail
    return b"".join([b'{"count":%d,"values":[' % count, *slices[:-1], slices[-1][:-1],
                     b"]", tail, b"}"])


class Handler(kolada_server.Handler):
    def record(self, status, body):
        # The fixture hashes every body for its tests; here that would be a
        # second consumer of CPU beside the extract being measured.
        entry = {"path": self.path, "status": status, "bytes": len(body)}
        with self.server.log_lock:
            with open(self.server.log_path, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def answer(self):
        parts = [p for p in urlsplit(self.path).path.split("/") if p]
        if len(parts) < 2 or parts[:2] != ["v3", "data"] or len(self.path) > self.server.max_url:
            return super().answer()
        segments = dict(zip(parts[2::2], parts[3::2]))
        if len(parts) % 2 != 0 or set(segments) != {"kpi", "municipality", "year"}:
            return 404, "the benchmark serves /v3/data/kpi/K/municipality/M/year/Y only"
        query = parse_qs(urlsplit(self.path).query)
        data = self.server.data
        kpis = data.indices(self.ids(segments["kpi"]), data.kpi_index)
        areas = data.indices(self.ids(segments["municipality"]), data.area_index)
        asked = [int(y) for y in self.ids(segments["year"])]
        if "from_date" in query:
            changes = self.changes_on()
            years = data.indices(asked, data.changed_year_index)
            slices = data.changes[changes].slices(kpis, areas, years) if changes else []
            return 200, self.paged(slices, query)
        years = sorted(data.indices(asked, data.year_index))
        total = len(kpis) * len(areas) * len(years)
        per_page = min(int(query.get("per_page", [str(PER_PAGE)])[0]), self.server.page_size)
        page = int(query.get("page", ["1"])[0])
        first, last = (page - 1) * per_page, min(total, page * per_page)
        slices = data.full_slices(kpis, areas, years, first, last) if first < last else []
        return 200, page_body(slices, max(0, last - first),
                              self.next_url(query, page, per_page) if last < total else None)

    def paged(self, rows, query):
        per_page = min(int(query.get("per_page", [str(PER_PAGE)])[0]), self.server.page_size)
        page = int(query.get("page", ["1"])[0])
        chunk = rows[(page - 1) * per_page: page * per_page]
        more = page * per_page < len(rows)
        return page_body(chunk, len(chunk), self.next_url(query, page, per_page) if more else None)

    def next_url(self, query, page, per_page):
        q = {k: v[0] for k, v in query.items()}
        q["page"] = str(page + 1)
        q["per_page"] = str(per_page)
        return "http://127.0.0.1:%d%s?%s" % (self.server.server_port,
                                             urlsplit(self.path).path,
                                             "&".join("%s=%s" % (k, q[k]) for k in sorted(q)))

    def changes_on(self):
        """The from_date answer the control file asks for, or None: nothing changed."""
        path = self.server.control_path
        if not path or not os.path.exists(path):
            return None
        with open(path, encoding="utf-8") as f:
            text = f.read()
        changes = json.loads(text).get("changes") if text.strip() else None
        return "changes" if changes is True else "publication" if changes == "publication" else None


def metadata(directory):
    """The fixture's dataset attributes, from meta/."""
    def read(name):
        with open(os.path.join(directory, "meta", name), encoding="utf-8") as f:
            return json.load(f)
    kpis = read("kpi.json")
    areas = read("municipality.json")
    return SimpleNamespace(kpis={k["id"]: k for k in kpis}, areas={a["id"]: a for a in areas},
                           municipality_groups=read("municipality_groups.json"),
                           kpi_groups=read("kpi_groups.json"), ous={})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dataset")
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--control")
    args = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.dataset = metadata(args.dataset)
    server.data = Data(args.dataset)
    server.faults = kolada_server.Faults(None)
    server.control_path = args.control
    server.log_path = args.log
    server.log_lock = threading.Lock()
    server.page_size = PER_PAGE
    server.max_url = 4000
    kolada_server.announce_and_serve(server, args.port_file, args.log)


if __name__ == "__main__":
    main()
