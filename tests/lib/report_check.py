#!/usr/bin/env python3
"""report_check.py: checks of a page nyckel-report wrote, for the report tests.

  report_check.py figures HTML AREA_ID   strict HTML, one chart per KPI, nothing
                                        outside the file, no count of 1-4, every
                                        figure of "where we stand" against the marts
                                        (read with psql as the current PG* user)
  report_check.py layout DOM            the layout result the probe wrote into a
                                        page dumped by chromium --dump-dom
  report_check.py ink PNG|PPM MIN       at least MIN of the pixels are not white
  report_check.py probe HTML OUT        OUT: HTML with the layout probe script added

Each check prints what failed and exits 1.
"""
import re
import struct
import subprocess
import sys
import zlib
from decimal import Decimal
from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source"}
SVG_LEAVES = {"path", "line", "rect", "circle", "polyline"}
JUDGED = {"good": 1, "fair": 2, "weak": 3, "bad": 4}
failures = []


def fail(message):
    failures.append(message)


class Page(HTMLParser):
    """Parses strictly: every element closed, in order; collects the figures."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.rows, self.cell = [], [], None
        self.svgs, self.sections, self.count_cells, self.doctype = [], [], [], False
        self.ids = set()

    def handle_decl(self, decl):
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            if a["id"] in self.ids:
                fail(f"id {a['id']} given twice")
            self.ids.add(a["id"])
        if tag == "svg":
            self.svgs.append(a.get("class", ""))
        if tag == "section" and a.get("class") == "kpi":
            self.sections.append(a.get("data-kpi"))
        if tag == "tr" and "data-kpi" in a:
            self.rows.append({"kpi": a["data-kpi"], "gender": a["data-gender"],
                              "direction": a["data-direction"], "cells": {}})
        if tag == "td":
            classes = a.get("class", "").split()
            self.cell = {"col": a.get("data-col"), "classes": classes, "text": ""}
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID and tag not in SVG_LEAVES:
            fail(f"<{tag}/> closes itself but is no void or SVG leaf element")

    def handle_endtag(self, tag):
        if tag in VOID:
            fail(f"</{tag}> closes a void element")
            return
        if not self.stack or self.stack[-1] != tag:
            open_tag = self.stack[-1] if self.stack else "-"
            fail(f"</{tag}> at line {self.getpos()[0]} closes <{open_tag}>")
            return
        self.stack.pop()
        if tag == "td" and self.cell is not None:
            if self.rows and self.cell["col"] and self.stack[-1:] == ["tr"]:
                self.rows[-1]["cells"][self.cell["col"]] = self.cell
            if "count" in self.cell["classes"]:
                self.count_cells.append(self.cell["text"])
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data


def number(text):
    """The Decimal a cell shows, or None for the dash of a missing figure."""
    text = text.strip().replace("\u00a0", "").replace("\u2212", "-").replace("+", "")
    if text == "\u2013":
        return None
    return Decimal(text.replace(",", "."))


def psql(sql):
    out = subprocess.run(["psql", "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-c", sql], capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def check_row(row, area):
    latest = (f"(SELECT max(year) FROM mart.benchmark WHERE area_id = '{area}'"
              f" AND kpi_id = '{row['kpi']}' AND value IS NOT NULL)")
    found = psql("SELECT year, value::numeric, riket_value::numeric, difference_to_riket, rank,"
                 " ranked_count, quartile, change_since_previous_year, direction"
                 f" FROM mart.benchmark WHERE area_id = '{area}' AND kpi_id = '{row['kpi']}'"
                 f" AND gender = '{row['gender']}' AND year = {latest}")
    if len(found) != 1:
        fail(f"{row['kpi']} {row['gender']}: {len(found)} benchmark rows for the latest year")
        return
    year, value, riket, diff, rank, ranked, quartile, change, direction = found[0]
    cells = row["cells"]
    where = f"{row['kpi']} {row['gender']}"
    if cells["year"]["text"] != year:
        fail(f"{where}: year {cells['year']['text']}, mart {year}")
    for col, expected in (("value", value), ("riket", riket), ("difference", diff),
                          ("change", change)):
        shown = number(cells[col]["text"])
        if shown != (Decimal(expected) if expected else None):
            fail(f"{where}: {col} shows {cells[col]['text']!r}, mart has {expected!r}")
    if cells["rank"]["text"].split() != [rank, cells["rank"]["text"].split()[1], ranked]:
        fail(f"{where}: rank shows {cells['rank']['text']!r}, mart has {rank} of {ranked}")
    q = cells["quartile"]
    if not q["text"].startswith(quartile):
        fail(f"{where}: quartile shows {q['text']!r}, mart has {quartile}")
    judged = [c for c in q["classes"] if c in JUDGED]
    if row["direction"] != direction:
        fail(f"{where}: direction {row['direction']}, mart {direction}")
    if direction == "unknown" and (judged or "nodir" not in q["classes"]):
        fail(f"{where}: direction unknown but the quartile is coloured {q['classes']}")
    if direction != "unknown" and [JUDGED[c] for c in judged] != [int(quartile)]:
        fail(f"{where}: quartile {quartile} coloured {q['classes']}")


def figures(path, area):
    html = open(path, encoding="utf-8").read()
    page = Page()
    page.feed(html)
    page.close()
    if not page.doctype:
        fail("no <!DOCTYPE html>")
    if page.stack:
        fail(f"elements never closed: {page.stack}")
    for pattern in (r"(?i)\s(href|src|srcset|action|poster|xlink:href)\s*=", r"(?i)url\s*\(",
                    r"(?i)@import", r"(?i)<(script|link|img|iframe|object|embed)\b"):
        for m in re.finditer(pattern, html):
            fail(f"points outside the file: {html[max(0, m.start() - 30):m.end() + 30]!r}")
    kpis = [r[0] for r in psql(f"SELECT DISTINCT kpi_id FROM mart.benchmark WHERE area_id = "
                               f"'{area}' AND value IS NOT NULL ORDER BY 1")]
    charts = [c for c in page.svgs if c == "kpi-chart"]
    if sorted(page.sections) != kpis or len(charts) != len(kpis):
        fail(f"KPI sections {page.sections}, {len(charts)} charts; the marts have {kpis}")
    expected = {tuple(r) for r in psql(
        "SELECT kpi_id, gender FROM mart.benchmark b WHERE area_id = '" + area + "'"
        " AND value IS NOT NULL AND year = (SELECT max(year) FROM mart.benchmark l"
        " WHERE l.area_id = b.area_id AND l.kpi_id = b.kpi_id AND l.value IS NOT NULL)")}
    shown = {(r["kpi"], r["gender"]) for r in page.rows}
    if shown != expected or len(page.rows) != len(expected):
        fail(f"summary rows {sorted(shown)}, marts {sorted(expected)}")
    for row in page.rows:
        check_row(row, area)
    suppressed = 0
    for text in page.count_cells:
        if text.strip() == "<5":
            suppressed += 1
        elif number(text) is not None and 0 < number(text) < 5:
            fail(f"a count of 1-4 people is shown: {text!r}")
    print(f"{len(page.rows)} summary rows, {len(charts)} charts, {len(page.count_cells)} count "
          f"cells of which {suppressed} suppressed")


PROBE = """<script>
window.addEventListener('load', function () {
  var out = [], doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1)
    out.push('page ' + doc.scrollWidth + ' wider than ' + doc.clientWidth);
  document.querySelectorAll('svg').forEach(function (svg, i) {
    var box = svg.getBoundingClientRect(), parent = svg.parentElement.getBoundingClientRect();
    var view = svg.viewBox.baseVal;
    if (box.width < 100 || box.height < 50)
      out.push('svg ' + i + ' is ' + box.width + 'x' + box.height);
    if (box.left < parent.left - 0.5 || box.right > parent.right + 0.5)
      out.push('svg ' + i + ' overflows its box: ' + box.left + '..' + box.right +
               ' in ' + parent.left + '..' + parent.right);
    svg.querySelectorAll('text, path, rect, line').forEach(function (e) {
      var b = e.getBBox();
      if (b.x < view.x - 0.5 || b.y < view.y - 0.5 || b.x + b.width > view.x + view.width + 0.5 ||
          b.y + b.height > view.y + view.height + 0.5)
        out.push('svg ' + i + ': <' + e.tagName + '> ' + (e.textContent || '') +
                 ' outside the viewBox');
    });
  });
  var p = document.createElement('pre');
  p.id = 'layout-result';
  p.textContent = 'svgs=' + document.querySelectorAll('svg').length + '\\n' + out.join('\\n');
  document.body.appendChild(p);
});
</script>
"""


def probe(path, out):
    html = open(path, encoding="utf-8").read()
    open(out, "w", encoding="utf-8").write(html.replace("</body>", PROBE + "</body>"))


def layout(path):
    dom = open(path, encoding="utf-8").read()
    m = re.search(r'<pre id="layout-result">(.*?)</pre>', dom, re.S)
    if not m:
        fail("the layout probe wrote nothing (did the page load?)")
        return
    lines = m.group(1).strip().splitlines()
    print(lines[0])
    for line in lines[1:]:
        fail(line)


def pixels(path):
    """(width, height, bytes per pixel, rows of raw pixels) of an 8-bit PNG or a P6 PPM."""
    data = open(path, "rb").read()
    if data.startswith(b"P6"):
        fields = data.split(maxsplit=4)
        w, h = int(fields[1]), int(fields[2])
        raw = fields[4]
        return w, h, 3, [raw[y * w * 3:(y + 1) * w * 3] for y in range(h)]
    w, h, depth, colour = struct.unpack(">IIBB", data[16:26])
    bpp = {2: 3, 6: 4}[colour]
    assert depth == 8, "8-bit PNG expected"
    chunks, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            chunks += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw, rows, prev, stride = zlib.decompress(chunks), [], bytearray(w * bpp), w * bpp
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def ink(path, minimum):
    w, h, bpp, rows = pixels(path)
    inked = sum(1 for row in rows for x in range(0, w * bpp, bpp) if min(row[x:x + 3]) < 200)
    share = inked / (w * h)
    print(f"{path}: {w}x{h}, {share:.1%} of the pixels inked")
    if share < minimum:
        fail(f"{path} looks blank: {share:.2%} inked, expected at least {minimum:.0%}")


def main():
    what = sys.argv[1]
    if what == "figures":
        figures(sys.argv[2], sys.argv[3])
    elif what == "probe":
        probe(sys.argv[2], sys.argv[3])
    elif what == "layout":
        layout(sys.argv[2])
    elif what == "ink":
        ink(sys.argv[2], float(sys.argv[3]))
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    sys.exit(1 if failures else 0)


main()
