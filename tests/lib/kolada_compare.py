#!/usr/bin/env python3
"""kolada_compare.py DUMP_DIR SOURCE.json...: compare the warehouse, as dumped
by kolada_real.test.sh (one psql file per table), with Kolada responses,
every value, null, KPI attribute, area, group and membership, one by one.

The sources are read in order, a later one standing over an earlier one
where both deliver the same thing, as a load does: a fact or an area by its
key, a KPI attribute by its key only if the later source has the field
(under any name Kolada gave it), a group's member list whole; a value
marked deleted (isdeleted, v2's is_deleted: true or 1) is gone.  The
warehouse must hold exactly that: nothing missing, nothing different,
nothing more.  Prints each difference; exits 1 if there is one.
"""
import json
import os
import sys

# dim_kpi's attributes and every name Kolada has used for each.
KPI_FIELDS = [("title", ["title"]), ("description", ["description"]),
              ("operating_area", ["operating_area"]),
              ("is_divided_by_gender", ["is_divided_by_gender"]),
              ("municipality_type", ["municipality_type"]), ("has_ou_data", ["has_ou_data"]),
              ("publication_date", ["publication_date"]), ("auspices", ["auspice", "auspices"]),
              ("perspective", ["perspective"])]


def text(value):
    """A JSON value as psql -A prints it (NULL as the empty string marked by \\N)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, float):  # as PostgreSQL prints a double: 254, 31.32959689
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def flag(value):
    return text(bool(value)) if value in (0, 1) and not isinstance(value, float) else text(None)


def kpi_field(column, value):
    if column in ("is_divided_by_gender", "has_ou_data"):
        return flag(value)
    if column == "publication_date" and value is not None:
        return value[:10]
    return text(value)


def area_type(area):
    if area["id"] == "0000":
        return "country"
    return "region" if area["type"] == "L" else "municipality"


class Expected:
    def __init__(self):
        self.kpis, self.areas, self.members, self.facts = {}, {}, {}, {}

    def kpi(self, k):
        row = self.kpis.setdefault(k["id"], {})
        for column, names in KPI_FIELDS:
            present = [n for n in names if n in k]
            if present:
                row[column] = kpi_field(column, k[present[0]])

    def read(self, path):
        with open(path, encoding="utf-8") as f:
            values = json.load(f)["values"]
        for v in values:
            if "operating_area" in v:
                self.kpi(v)
            elif "members" in v:
                self.areas[v["id"]] = (v["title"], "group")
                self.members[v["id"]] = {m["member_id"] for m in v["members"]}
            elif "kpi" in v:
                for x in v["values"]:
                    key = (v["kpi"], v["municipality"], str(v["period"]), x["gender"])
                    if x.get("isdeleted", x.get("is_deleted")) in (True, 1):
                        self.facts.pop(key, None)
                        continue
                    self.facts[key] = (text(x["value"]), text(x["count"]),
                                       text(x["status"] or None))
            else:
                self.areas[v["id"]] = (v["title"], area_type(v))


COPY_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "b": "\b", "f": "\f", "v": "\v"}


def field(raw):
    """A field of COPY's text format: \\N stays the NULL marker, other escapes are undone."""
    if raw == "\\N":
        return raw
    out, i = [], 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw):
            out.append(COPY_ESCAPES.get(raw[i + 1], raw[i + 1]))
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def dump(directory, name):
    with open(os.path.join(directory, name + ".tsv"), encoding="utf-8") as f:
        return [[field(x) for x in line.rstrip("\n").split("\t")] for line in f if line.strip()]


def compare(what, expected, actual, problems):
    for key in sorted(set(expected) | set(actual)):
        if key not in actual:
            problems.append("%s %s: missing from the warehouse (source: %s)"
                            % (what, key, expected[key]))
        elif key not in expected:
            problems.append("%s %s: in the warehouse, in no source: %s" % (what, key, actual[key]))
        elif expected[key] != actual[key]:
            problems.append("%s %s: warehouse %s, source %s"
                            % (what, key, actual[key], expected[key]))


def main():
    directory, sources = sys.argv[1], sys.argv[2:]
    e = Expected()
    for path in sources:
        e.read(path)
    problems = []
    kpis = {r[0]: dict(zip([c for c, _ in KPI_FIELDS], r[1:])) for r in dump(directory, "dim_kpi")}
    compare("KPI", e.kpis, {k: {c: v[c] for c in e.kpis.get(k, v)} for k, v in kpis.items()},
            problems)
    areas = {r[0]: (r[1], r[2]) for r in dump(directory, "dim_area") if r[3] == "f"}
    compare("area", e.areas, areas, problems)
    members = {}
    for group, member in dump(directory, "area_group_member"):
        members.setdefault(group, set()).add(member)
    compare("group", e.members, members, problems)
    facts = {tuple(r[:4]): (r[4], r[5], r[6]) for r in dump(directory, "fact_kpi_value")}
    compare("value", e.facts, facts, problems)
    for p in problems:
        print(p)
    print("compared %d KPIs (%d attributes), %d areas, %d groups (%d members), %d values: "
          "%d difference(s)" % (len(e.kpis), sum(len(k) for k in e.kpis.values()), len(e.areas),
                                len(e.members), sum(len(m) for m in e.members.values()),
                                len(e.facts), len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
