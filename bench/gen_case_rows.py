#!/usr/bin/env python3
"""gen_case_rows.py: write the benchmark's row-level case-system export and
the job that reads it: one row per placement, as Treserva or Procapita
export them (docs/jobs.md, "Row-level exports").

A year of placements in 40 units, of 4 kinds, by one person in eight rows
(so most people have several placements over the year), Windows-1252 with
";" and CRLF, grouped thousands in "Kostnad (kr)", the personal number in
the three forms YYMMDD-NNNN, YYYYMMDDNNNN and YYYYMMDD-NNNN.  The numbers
are invented, with a correct check digit.

Deterministic: the same arguments always write the same bytes.

Output (OUT_DIR): placeringar.csv, case-rows.json (the job), and
dataset.json (rows, bytes, distinct people).

usage: gen_case_rows.py OUT_DIR [--rows N] [--municipalities FILE]
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
from pnr import check_digit  # noqa: E402

KINDS = (("HVB", 4500), ("Familjehem", 1200), ("Stödboende", 2100), ("Jourhem", 1800))


def people(count, rng):
    """count distinct invented numbers as (century, YYMMDD, NNNC)."""
    seen, out = set(), []
    while len(out) < count:
        year = rng.randint(1925, 2020)
        date = "%02d%02d%02d" % (year % 100, rng.randint(1, 12), rng.randint(1, 28))
        serial = "%03d" % rng.randint(0, 999)
        if (date, serial) in seen:
            continue
        seen.add((date, serial))
        out.append((str(year // 100), date, serial + check_digit(date + serial)))
    return out


def form(person, i):
    century, date, serial = person
    return (date + "-" + serial, century + date + serial, century + date + "-" + serial)[i % 3]


def write(out, rows, municipalities):
    rng = random.Random(19)
    pool = people(max(1, rows // 8), rng)
    units = ["Enhet %02d" % u for u in range(1, 41)]
    path = os.path.join(out, "placeringar.csv")
    with open(path, "w", encoding="cp1252", newline="") as f:
        f.write("Personnummer;Enhet;Månad;Placeringsform;Vårddygn;Kostnad (kr)\r\n")
        for i in range(rows):
            kind, price = KINDS[rng.randrange(len(KINDS))]
            days = rng.randint(1, 31)
            f.write("%s;%s;2023-%02d;%s;%d;%s\r\n" % (
                form(pool[rng.randrange(len(pool))], i), units[rng.randrange(len(units))],
                rng.randint(1, 12), kind, days, "{:,}".format(days * price).replace(",", " ")))
    job = {
        "name": "bench-case-rows",
        "description": "make bench: a row-level case-system export of %d placements" % rows,
        "extract": [{"name": "case", "type": "files", "paths": ["placeringar.csv"],
                     "mapping": "placements"}],
        "transform": {
            "max_rejects": 0, "municipalities": municipalities,
            "mappings": {"placements": {
                "encoding": "windows-1252", "separator": ";", "layout": "rows",
                "columns": {"unit": "Enhet", "period": "Månad", "breakdown": "Placeringsform"},
                "personal_numbers": ["Personnummer"], "constants": {"area": "0580"},
                "totals": ["quarter", "year"],
                "measures": {
                    "varddygn": {"title": "Vårddygn", "unit": "dygn"},
                    "kostnad": {"title": "Kostnad", "unit": "kr"},
                    "placeringar": {"title": "Placeringar", "unit": "st",
                                    "aggregate": "count_rows"},
                    "placerade": {"title": "Placerade personer", "unit": "personer",
                                  "aggregate": "count_people", "column": "Personnummer"}}}}},
    }
    with open(os.path.join(out, "case-rows.json"), "w", encoding="utf-8") as f:
        json.dump(job, f, indent=2, ensure_ascii=False)
    with open(os.path.join(out, "dataset.json"), "w", encoding="utf-8") as f:
        json.dump({"rows": rows, "bytes": os.path.getsize(path), "people": len(pool)}, f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--rows", type=int, default=1000000)
    parser.add_argument("--municipalities", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "jobs", "reference",
        "municipalities.csv"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    write(args.out, args.rows, os.path.abspath(args.municipalities))


if __name__ == "__main__":
    main()
