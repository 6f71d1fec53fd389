#!/usr/bin/env python3
"""gen_national.py: write the benchmark's national-scale data set in Kolada's
v3 shape, plus the changes later incremental refreshes are to see: a
scattered change, and after it a publication.

Areas are the real ones: the 290 municipalities of jobs/reference, the 21
county regions, Riket (0000) and 20 municipality groups.  KPIs are synthetic,
three in four divided by gender (T, K, M), the rest T only; 25 years.  The
number of KPIs follows from the wanted number of values (--values), so
10 000 000 values gives about 480 KPIs and 1 000 000 about 48.

Deterministic: the same arguments always write the same bytes.

Output (OUT_DIR):
  meta/kpi.json, meta/municipality.json, meta/municipality_groups.json,
  meta/kpi_groups.json        metadata, as lists of objects
  rows.bin                    every data row as compact v3 JSON, each
                              followed by a comma, ordered KPI, area, year
  rows.idx                    little-endian uint64 offsets into rows.bin:
                              row (k, a, y) is [idx[i], idx[i+1]) with
                              i = (k * areas + a) * years + y
  changes.bin, changes.idx    the from_date answer after the change: rows
                              holding only changed or deleted values (each
                              with "isdeleted"), and one line per row:
                              "k a y offset length"
  publication.bin, .idx       the from_date answer after the publication,
                              on top of the change: the year after the last
                              (year index --years) for every tenth KPI
                              (--published-share), and 0.1 % of the other
                              values corrected (--corrected-share; never
                              one the change deleted), in the same shape
  dataset.json                ids in index order and the counts the harness
                              checks the warehouse against

usage: gen_national.py OUT_DIR [--values N] [--years N] [--first-year Y]
                       [--changed-share F] [--deleted-share F]
                       [--published-share F] [--corrected-share F]
"""
import argparse
import array
import csv
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.path.join(ROOT, "jobs", "reference")
GROUP_COUNT = 20
SEED = 20261123
OPERATING_AREAS = ["Äldreomsorg", "Individ- och familjeomsorg",
                   "Ekonomiskt bistånd, Kostnader", "LSS", "Hälso- och sjukvård"]


def read_csv(name):
    with open(os.path.join(REFERENCE, name), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def areas():
    """Metadata of municipalities, regions and Riket; the groups with members."""
    municipalities = read_csv("municipalities.csv")
    counties = read_csv("counties.csv")
    listing = [{"id": m["municipality_code"], "title": m["municipality_name_short"],
                "type": "K"} for m in municipalities]
    listing += [{"id": "00" + c["county_code"], "title": "Region " + c["county_name_short"],
                 "type": "L"} for c in counties]
    listing.append({"id": "0000", "title": "Riket", "type": "L"})
    rng = random.Random(SEED)
    codes = [m["municipality_code"] for m in municipalities]
    groups = []
    for g in range(1, GROUP_COUNT + 1):
        members = sorted(rng.sample(codes, rng.randint(8, 30)))
        groups.append({"id": "G%05d" % (90000 + g), "title": "Liknande kommuner %d" % g,
                       "members": [{"member_id": c, "member_title": c} for c in members]})
    return listing, groups


def kpis(count):
    out = []
    for i in range(1, count + 1):
        out.append({"id": "N%05d" % (10000 + i), "title": "Nyckeltal %d" % i,
                    "description": "Syntetiskt nyckeltal för benchmark",
                    "operating_area": OPERATING_AREAS[i % len(OPERATING_AREAS)],
                    "is_divided_by_gender": i % 4 != 0, "municipality_type": "K",
                    "has_ou_data": False, "publication_date": "2025-03-01",
                    "prel_publication_date": None, "auspice": "X",
                    "perspective": "Resultat"})
    return out


def write_json(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))


def value_text(v):
    return "null" if v is None else repr(v)


class Writer:
    """Writes data rows and the from_date rows for the change, as it goes."""

    def __init__(self, out, changed_share, deleted_share, corrected_share):
        self.rows = open(os.path.join(out, "rows.bin"), "wb")
        self.changes = Changes(out, "changes")
        self.publication = Changes(out, "publication")
        self.offsets = array.array("Q", [0])
        self.offset = 0
        self.deleted_limit = deleted_share
        self.changed_limit = deleted_share + changed_share
        self.corrected_limit = corrected_share
        self.values = self.nulls = self.changed = self.deleted = 0
        self.published = self.corrected = 0
        self.change_rng = random.Random(SEED + 1)
        self.correction_rng = random.Random(SEED + 3)

    def row(self, k, a, y, head, values):
        parts = ['{"gender":"%s","count":1,"status":"","value":%s}' % (g, value_text(v))
                 for g, v in values]
        text = ('%s[%s]},' % (head, ",".join(parts))).encode()
        self.rows.write(text)
        self.offset += len(text)
        self.offsets.append(self.offset)
        self.values += len(values)
        self.change(k, a, y, head, values)

    def change(self, k, a, y, head, values):
        parts, corrections = [], []
        for g, v in values:
            if v is None:
                self.nulls += 1
            r = self.change_rng.random()
            deleted = r < self.deleted_limit
            if deleted:
                self.deleted += 1
                parts.append(change_part(g, v, True))
            elif r < self.changed_limit:
                self.changed += 1
                parts.append(change_part(g, round((v or 0.0) * 1.05 + 1.0, 1), False))
            # Another value than the change's, so that every correction writes a row.
            if self.correction_rng.random() < self.corrected_limit and not deleted:
                self.corrected += 1
                corrections.append(change_part(g, round((v or 0.0) * 0.97 - 2.0, 1), False))
        self.changes.row(k, a, y, head, parts)
        self.publication.row(k, a, y, head, corrections)

    def publish(self, k, a, y, head, values):
        """A row of the published year: every value new."""
        self.published += len(values)
        self.publication.row(k, a, y, head, [change_part(g, v, False) for g, v in values])

    def close(self, out):
        self.rows.close()
        self.changes.close()
        self.publication.close()
        with open(os.path.join(out, "rows.idx"), "wb") as f:
            self.offsets.tofile(f)


def change_part(gender, value, deleted):
    return '{"gender":"%s","count":1,"status":"","value":%s,"isdeleted":%s}' % (
        gender, value_text(value), "true" if deleted else "false")


class Changes:
    """One from_date answer: NAME.bin, rows of changed values, and NAME.idx."""

    def __init__(self, out, name):
        self.rows = open(os.path.join(out, name + ".bin"), "wb")
        self.index = open(os.path.join(out, name + ".idx"), "w")
        self.offset = 0

    def row(self, k, a, y, head, parts):
        if not parts:
            return
        text = ('%s[%s]},' % (head, ",".join(parts))).encode()
        self.rows.write(text)
        self.index.write("%d %d %d %d %d\n" % (k, a, y, self.offset, len(text)))
        self.offset += len(text)

    def close(self):
        self.rows.close()
        self.index.close()


def generate(kpi_list, area_ids, years, published_every, writer):
    rng = random.Random(SEED + 2)
    # Its own stream, so that the data set is the same with or without it.
    published_rng = random.Random(SEED + 4)
    for k, kpi in enumerate(kpi_list):
        genders = ("T", "K", "M") if kpi["is_divided_by_gender"] else ("T",)
        typical = rng.choice((5.0, 40.0, 80.0, 1500.0, 250000.0))
        for a, area in enumerate(area_ids):
            level = typical * rng.uniform(0.6, 1.4)
            for y, year in enumerate(years):
                writer.row(k, a, y, row_head(kpi, area, year), row_values(rng, level, genders))
            if k % published_every == 0:
                writer.publish(k, a, len(years), row_head(kpi, area, years[-1] + 1),
                               row_values(published_rng, level, genders))


def row_head(kpi, area, year):
    return '{"kpi":"%s","municipality":"%s","period":%d,"values":' % (kpi["id"], area, year)


def row_values(rng, level, genders):
    """One row's values, about 2 % null, within a tenth of the area's level."""
    return [(g, None if rng.random() < 0.02 else round(level * rng.uniform(0.9, 1.1), 1))
            for g in genders]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--values", type=int, default=10_000_000)
    p.add_argument("--years", type=int, default=25)
    p.add_argument("--first-year", type=int, default=2000)
    p.add_argument("--changed-share", type=float, default=0.01)
    p.add_argument("--deleted-share", type=float, default=0.001)
    p.add_argument("--published-share", type=float, default=0.1)
    p.add_argument("--corrected-share", type=float, default=0.001)
    args = p.parse_args()

    listing, groups = areas()
    area_ids = [g["id"] for g in groups] + [a["id"] for a in listing]
    years = list(range(args.first_year, args.first_year + args.years))
    per_kpi = len(area_ids) * len(years) * 2.5  # three KPIs in four have three genders
    kpi_list = kpis(max(1, round(args.values / per_kpi)))

    os.makedirs(os.path.join(args.out, "meta"), exist_ok=True)
    write_json(os.path.join(args.out, "meta", "kpi.json"), kpi_list)
    write_json(os.path.join(args.out, "meta", "municipality.json"), listing)
    write_json(os.path.join(args.out, "meta", "municipality_groups.json"), groups)
    write_json(os.path.join(args.out, "meta", "kpi_groups.json"),
               [{"id": "G_BENCH", "title": "Alla benchmark-nyckeltal",
                 "members": [{"member_id": k["id"], "member_title": k["title"]}
                             for k in kpi_list[:25]]}])

    writer = Writer(args.out, args.changed_share, args.deleted_share, args.corrected_share)
    generate(kpi_list, area_ids, years, max(1, round(1 / args.published_share)), writer)
    writer.close(args.out)
    raw_bytes = writer.offset
    write_json(os.path.join(args.out, "dataset.json"), {
        "kpis": [k["id"] for k in kpi_list], "areas": area_ids, "years": years,
        "groups": [g["id"] for g in groups],
        "rows": len(kpi_list) * len(area_ids) * len(years), "values": writer.values,
        "null_values": writer.nulls, "changed_values": writer.changed,
        "deleted_values": writer.deleted, "publication_year": years[-1] + 1,
        "published_kpis": len(range(0, len(kpi_list), max(1, round(1 / args.published_share)))),
        "published_values": writer.published, "corrected_values": writer.corrected,
        "row_bytes": raw_bytes})
    print("%d KPIs x %d areas x %d years: %d values (%d changed, %d deleted later; then %d "
          "published, %d corrected), %.1f MB"
          % (len(kpi_list), len(area_ids), len(years), writer.values, writer.changed,
             writer.deleted, writer.published, writer.corrected, raw_bytes / 1e6),
          file=sys.stderr)


if __name__ == "__main__":
    main()
