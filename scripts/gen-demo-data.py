#!/usr/bin/env python3
"""gen-demo-data.py: write the bundled demo data in Kolada's v3 JSON shape.

The shapes are those of real v3 responses (tests/data/kolada-real/): KPI
fields in the API's order with "auspice" and booleans, group members as
{"member_id", "member_title"}.

The demo (make demo, jobs/demo.json) and the integration tests load these
files.  The values are synthetic but shaped like Kolada's: six social-services
KPIs for all 290 municipalities, the 21 regions, Riket and three peer groups,
2019-2024, by gender where the KPI is divided, and two KPI groups.  Regions, Riket and groups get
the unweighted mean of their members that reported, as Kolada computes group
values, with `count` saying how many did.

Deterministic: the same script always writes the same bytes, so the tests
can assert exact numbers.  Run:  python3 scripts/gen-demo-data.py [OUT_DIR]
"""
import csv
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.path.join(ROOT, "jobs", "reference")
YEARS = range(2019, 2025)
PAGE_SIZE = 5000  # Kolada's largest page

# KPI groups as Kolada's /kpi_groups lists them: id, title, members.  Their ids
# and titles are the demo's own; a member outside the demo's six KPIs (a KPI
# the warehouse has no value of) shows how the report names such members.
KPI_GROUPS = [
    ("G2KPI900001", "Äldreomsorg (demo)", ["N00945", "N31807", "N23890"]),
    ("G2KPI900002", "Individ- och familjeomsorg (demo)",
     ["N31820", "N02314", "N31842", "N01982"]),
]
OTHER_KPI_TITLES = {"N01982": "Invånare 25-64 år med eftergymnasial utbildning, andel (%)"}

# id, title, operating area, divided by gender, typical value, spread
KPIS = [
    ("N00945", "Kostnad äldreomsorg, kr/inv 80+", "Äldreomsorg", False, 240000, 40000),
    ("N31807", "Brukarbedömning hemtjänst äldreomsorg - helhetssyn, andel (%)",
     "Äldreomsorg", True, 88, 6),
    ("N23890", "Invånare 80+ i särskilt boende, andel (%)", "Äldreomsorg", True, 11, 3),
    ("N31820", "Ej återaktualiserade vuxna med missbruksproblem ett år efter avslutad "
     "utredning/insats, andel (%)", "Individ- och familjeomsorg", True, 80, 8),
    ("N02314", "Invånare som någon gång under året erhållit ekonomiskt bistånd, andel (%)",
     "Individ- och familjeomsorg", True, 3.5, 1.5),
    ("N31842", "Deltagare i arbetsmarknadsinsatser som gått vidare till arbete eller "
     "studier, andel (%)", "Individ- och familjeomsorg", True, 36.5, 9),
]

# Peer groups in the style of Kolada's "liknande kommuner" groups.
GROUPS = [
    ("G00001", "Liknande kommuner äldreomsorg, Linköping",
     ["0580", "0380", "1880", "1980", "0680", "1281", "2480", "0581"]),
    ("G00002", "Göteborgsregionen (GR)",
     ["1480", "1440", "1401", "1402", "1407", "1415", "1419", "1384", "1481", "1482",
      "1462", "1441", "1489"]),
    ("G00003", "Storstäder", ["0180", "1480", "1280"]),
]


def read_reference():
    with open(os.path.join(REFERENCE, "municipalities.csv"), encoding="utf-8") as f:
        municipalities = list(csv.DictReader(f))
    with open(os.path.join(REFERENCE, "counties.csv"), encoding="utf-8") as f:
        counties = list(csv.DictReader(f))
    return municipalities, counties


def municipality_values(municipalities):
    """value[(kpi, area, year, gender)] for every municipality; None = not reported."""
    rng = random.Random(20261123)
    values = {}
    for kpi, _, _, divided, typical, spread in KPIS:
        decimals = 0 if typical > 1000 else 1
        for m in municipalities:
            code = m["municipality_code"]
            level = rng.gauss(typical, spread)
            trend = rng.uniform(-0.02, 0.03) * typical
            for year in YEARS:
                if rng.random() < 0.02:
                    total = None
                else:
                    total = max(0.0, level + trend * (year - 2019) + rng.gauss(0, spread / 5))
                    if typical < 100:
                        total = min(total, 100.0)
                    total = round(total, decimals)
                values[(kpi, code, year, "T")] = total
                if divided:
                    for gender, shift in (("K", 1.04), ("M", 0.96)):
                        g = None if total is None else round(min(total * shift, 100.0 if typical < 100 else total * 2), decimals)
                        values[(kpi, code, year, gender)] = g
    return values


def mean_of(values, kpi, members, year, gender, decimals):
    reported = [values[(kpi, m, year, gender)] for m in members
                if values.get((kpi, m, year, gender)) is not None]
    if not reported:
        return None, 0
    return round(sum(reported) / len(reported), decimals), len(reported)


def data_rows(municipalities, counties, values):
    by_county = {}
    for m in municipalities:
        by_county.setdefault(m["county_code"], []).append(m["municipality_code"])
    aggregates = [("0000", [m["municipality_code"] for m in municipalities])]
    aggregates += [("00" + c["county_code"], by_county[c["county_code"]]) for c in counties]
    aggregates += [(gid, members) for gid, _, members in GROUPS]
    rows = []
    for kpi, _, _, divided, typical, _ in KPIS:
        decimals = 0 if typical > 1000 else 1
        genders = ["T", "K", "M"] if divided else ["T"]
        for year in YEARS:
            for m in municipalities:
                code = m["municipality_code"]
                rows.append({"kpi": kpi, "municipality": code, "period": year, "values": [
                    {"gender": g, "count": 1, "status": "", "value": values[(kpi, code, year, g)]}
                    for g in genders]})
            for area, members in aggregates:
                entries = []
                for g in genders:
                    value, count = mean_of(values, kpi, members, year, g, decimals)
                    entries.append({"gender": g, "count": count, "status": "", "value": value})
                rows.append({"kpi": kpi, "municipality": area, "period": year, "values": entries})
    return rows


def write(path, values):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"count": len(values), "values": values}, f, ensure_ascii=False,
                  separators=(",", ":"))
        f.write("\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "jobs", "demo-data", "kolada")
    os.makedirs(out, exist_ok=True)
    municipalities, counties = read_reference()
    areas = [{"id": m["municipality_code"], "title": m["municipality_name_short"], "type": "K"}
             for m in municipalities]
    areas += [{"id": "00" + c["county_code"], "title": "Region " + c["county_name_short"], "type": "L"}
              for c in counties]
    areas.append({"id": "0000", "title": "Riket", "type": "L"})
    write(os.path.join(out, "municipality.json"), areas)
    titles = {m["municipality_code"]: m["municipality_name_short"] for m in municipalities}
    write(os.path.join(out, "municipality_groups.json"),
          [{"id": gid, "title": title,
            "members": [{"member_id": m, "member_title": titles[m]} for m in members]}
           for gid, title, members in GROUPS])
    write(os.path.join(out, "kpi.json"), [
        {"id": kpi, "title": title, "description": title + " (synthetic demo data)",
         "is_divided_by_gender": divided, "municipality_type": "K", "auspice": "X",
         "operating_area": area, "perspective": "Resultat", "prel_publication_date": None,
         "publication_date": "2025-04-01", "publ_period": "2024", "has_ou_data": False}
        for kpi, title, area, divided, _, _ in KPIS])
    kpi_titles = dict(OTHER_KPI_TITLES, **{k[0]: k[1] for k in KPIS})
    write(os.path.join(out, "kpi_groups.json"),
          [{"id": gid, "title": title,
            "members": [{"member_id": k, "member_title": kpi_titles[k]} for k in members]}
           for gid, title, members in KPI_GROUPS])
    rows = data_rows(municipalities, counties, municipality_values(municipalities))
    for page, start in enumerate(range(0, len(rows), PAGE_SIZE), 1):
        write(os.path.join(out, "data-%04d.json" % page), rows[start:start + PAGE_SIZE])


if __name__ == "__main__":
    main()
