#!/usr/bin/env python3
"""build.py CSV_DIR VERSION OUT_DIR: the excerpts in ../v2 and ../v3, from the
CSV files export.R writes out of rKolada's R/sysdata.rda (see ../README.md).

rKolada kept the values of each response, not the envelope: this puts the
values back into {"count": N, "values": [...]}.  Its data frames are the
/data rows unnested one line per gender, with the municipality's name added:
this nests them again, one row per KPI, municipality and year, in the order
rKolada kept them, and drops the added name.  R's NA is written as null.
Run once by hand; the tests read the JSON it wrote, not this.
"""
import csv
import json
import os
import sys

KPIS = ["N00945", "N03702", "N03703", "N00003", "N00009", "N00014", "N00053", "N00408",
        "N01928", "N01967", "U00200", "U79253"]
GROUPS = ["G114418", "G176199"]


def read(directory, name):
    with open(os.path.join(directory, name), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def scalar(text, column):
    if text == "NA":
        return None
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    if column == "is_divided_by_gender":  # v2 sent 0/1, kept by R as integers
        return int(text)
    return text


def kpis(directory):
    by_id = {row["id"]: row for row in read(directory, "kpi_df.csv")}
    return [{k: scalar(v, k) for k, v in by_id[i].items()} for i in KPIS]


def areas(directory):
    return [dict(row) for row in read(directory, "munic.csv")]


def groups(directory):
    out = {}
    for row in read(directory, "munic_g.csv"):
        if row["id"] not in GROUPS:
            continue
        group = out.setdefault(row["id"], {"id": row["id"], "title": row["title"], "members": []})
        member = {"member_id": row["member_id"], "member_title": row["member_title"]}
        if member not in group["members"]:
            group["members"].append(member)
    return [out[g] for g in GROUPS]


def data(directory, names, v2):
    rows, seen = [], {}
    for name in names:
        for line in read(directory, name):
            key = (line["kpi"], line["municipality_id"], line["year"])
            if key not in seen:
                seen[key] = {"kpi": key[0], "municipality": key[1],
                             "period": key[2] if v2 else int(key[2]), "values": []}
                rows.append(seen[key])
            value = None if line["value"] == "NA" else float(line["value"])
            entry = {"gender": line["gender"], "count": int(line["count"]),
                     "status": line["status"], "value": value}
            if entry not in seen[key]["values"]:
                seen[key]["values"].append(entry)
    return rows


def write(path, values):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"count": len(values), "values": values}, f, ensure_ascii=False, indent=1)
        f.write("\n")


def main():
    directory, version, out = sys.argv[1], sys.argv[2], sys.argv[3]
    v2 = version == "v2"
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "kpi.json"), kpis(directory))
    write(os.path.join(out, "municipality.json"), areas(directory))
    write(os.path.join(out, "municipality_groups.json"), groups(directory))
    write(os.path.join(out, "data-N00945.json"), data(directory, ["n00945.csv"], v2))
    write(os.path.join(out, "data-N03702-N03703.json"),
          data(directory, ["kld_data.csv", "grp_data.csv"], v2))


if __name__ == "__main__":
    main()
