#!/usr/bin/env python3
"""gen-export-samples.py: write the internal-export samples in tests/data/exports/.

The files imitate what municipal systems export (see shared/DOMAIN.md):

  finance-2023.csv        finance system: net cost per unit in tkr, budget,
                          forecast and outcome; Windows-1252, ';', CRLF, a
                          title line, a two-row header ("2023" above "Budget",
                          "Prognos", "Utfall"), blank cells meaning "same as
                          above", total rows, decimal comma, U+00A0 grouping
  finance-2024.csv        the same system a year later, exported as UTF-8 with
                          a byte order mark: U+2212 minus, U+202F grouping,
                          one amount in mnkr, one damaged cell
  case-monthly.zip        case system: placements, care days, cost per care
                          day and home-care hours per unit and month, with a
                          personnummer column that the mapping drops, units
                          that merged, a unit given twice under two names,
                          an impossible month and an unknown unit
  case-monthly-leak.zip   the same export where a personnummer has slipped
                          into the unit column: the whole file is rejected
  municipalities.csv      a survey benchmark per municipality, with names
                          spelled many ways, damaged ones included
  survey.xlsx             the survey benchmark as a workbook: shared and
                          inline strings, numbers stored by Excel
  org-units.csv           the social services' units; Bistånd and Hälsa och
                          sjukvård merged into one unit in 2019

Run it from the repository root; the files are committed, so tests never
need to run it.  The personal identity numbers are the Tax Agency's
published test numbers.
"""
import io
import os
import zipfile

OUT = os.path.join("tests", "data", "exports")
NBSP = "\u00a0"
NNBSP = "\u202f"
MINUS = "\u2212"


def grouped(value, space, minus="-", decimals=0):
    """A Swedish amount: decimal comma, digits grouped by space."""
    text = f"{abs(value):,.{decimals}f}".replace(",", space).replace(".", ",")
    return (minus if value < 0 else "") + text


def write(name, text, encoding, bom=False):
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


FINANCE_UNITS = [
    ("Socialförvaltningen", "Äldreomsorg", "Hemtjänst Norr", -41250),
    ("", "", "Hemtjänst Söder", -38900),
    ("", "", "Särskilt boende Ekbacken", -62100),
    ("", "", "Totalt Äldreomsorg", None),
    ("", "Individ- och familjeomsorg", "Barn och unga", -28400),
    ("", "", "Ekonomiskt bistånd", -19800),
    ("", "", "Totalt Individ- och familjeomsorg", None),
    ("Totalt", "", "", None),
]


def finance_2023():
    lines = ["Ekonomirapport socialnämnden, belopp i tkr;;;;;",
             "Förvaltning;Verksamhet;Enhet;2023;;",
             ";;;Budget;Prognos;Utfall"]
    for admin, area, unit, budget in FINANCE_UNITS:
        if budget is None:
            lines.append(f"{admin};{area};{unit};;;")
            continue
        forecast = budget * 1.031
        outcome = budget * 1.027
        lines.append(";".join([admin, area, unit, grouped(budget, NBSP),
                               grouped(forecast, NBSP, decimals=1),
                               grouped(outcome, NBSP, decimals=1)]))
    write("finance-2023.csv", "\r\n".join(lines) + "\r\n", "cp1252")


def finance_2024():
    lines = ["Ekonomirapport socialnämnden, belopp i tkr;;;;",
             "Förvaltning;Verksamhet;Enhet;2024;",
             ";;;Budget;Prognos"]
    for admin, area, unit, budget in FINANCE_UNITS:
        if budget is None:
            lines.append(f"{admin};{area};{unit};;")
            continue
        budget = budget * 1.04
        lines.append(";".join([admin, area, unit, grouped(budget, NNBSP, MINUS),
                               grouped(budget * 1.02, NNBSP, MINUS, decimals=1)]))
    # One unit reported in mnkr, one cell that says nothing, one damaged cell.
    lines[3] = lines[3].rsplit(";", 1)[0] + ";" + MINUS + "44,2 mnkr"
    lines[4] = lines[4].rsplit(";", 1)[0] + ";.."
    lines[7] = lines[7].rsplit(";", 1)[0] + ";-28,4,5"
    write("finance-2024.csv", "\r\n".join(lines) + "\r\n", "utf-8", bom=True)


CASE_HEADER = ("Enhet;Period;Personnummer;Antal placeringar;Vårddygn;Kostnad per dygn;"
               "Beviljade timmar;Utförda timmar;Kommentar")
CASE_ROWS = [
    ("Hemtjänst Norr", "2018-12", "121212-1212", "", "", "", "4 210", "3 980,5", "Ny rutin"),
    ("Hemtjänst Norr", "januari 2019", "811218-9876", "", "", "", "4 305", "4 102", ""),
    ("Bistånd", "2018-12", "19121212-1212", "14", "412", "3 500kr/dygn", "", "", ""),
    ("Bistånd", "201901", "640823-3234", "15", "455", "3 650kr/dygn", "", "", "Se akt"),
    ("Hälsa och sjukvård", "2018-12", "", "3", "88", "4 100kr/dygn", "", "", ""),
    ("HSL", "2019-02", "", "2", "61", "4 180 kr/dygn", "", "", ""),
    ("Biståndsenheten", "2019-01", "", "15", "455", "3 650kr/dygn", "", "", ""),
    ("Barn och unga", "2019-01", "701063-2391", "9", "270", "2 950kr/dygn", "", "", ""),
    ("Barn och unga", "2019-13", "", "9", "270", "2 950kr/dygn", "", "", ""),
    ("Okänd enhet", "2019-01", "", "1", "31", "3 000kr/dygn", "", "", ""),
    ("Totalt", "", "", "52", "1 597", "", "8 515", "8 084,5", ""),
]


def case_csv(rows):
    lines = [CASE_HEADER] + [";".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def write_zip(name, member, data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo(member, date_time=(2019, 2, 1, 6, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(buffer.getvalue())


def case_exports():
    write_zip("case-monthly.zip", "export/placeringar-2019-01.csv", case_csv(CASE_ROWS))
    leak = list(CASE_ROWS)
    leak[4] = ("Hälsa och sjukvård, rättelse för 19121212-1212",) + leak[4][1:]
    write_zip("case-monthly-leak.zip", "export/placeringar-2019-01.csv", case_csv(leak))


def municipalities():
    rows = ["Kommun;År;Andel nöjda %",
            "Linköping;2023;84,1",
            "Linkdping;2022;83,0",
            "Link6ping;2021;82,4",
            "NORRKÖPINGS KOMMUN;2023;79,9",
            "0180;2023;77,5",
            "Motala;2023;x",
            "Ankeborg;2023;70,0"]
    write("municipalities.csv", "\n".join(rows) + "\n", "utf-8")


XLSX_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def survey_xlsx():
    """A minimal workbook: an info sheet first, the data on sheet "Enkät"."""
    shared = ["Kommun", "År", "Andel nöjda %", "Linköping", "Norrköping"]
    rows = [[("s", 0), ("s", 1), ("s", 2)],
            [("s", 3), ("n", "2023"), ("n", "84.1")],
            [("s", 4), ("n", "2023"), ("n", "77.125")],
            [("inlineStr", "Linköpings kommun"), ("n", "2020"), ("str", "..")]]
    cells = []
    for r, row in enumerate(rows, start=1):
        out = []
        for c, (kind, value) in enumerate(row):
            ref = "ABC"[c] + str(r)
            if kind == "inlineStr":
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
            elif kind == "n":
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="{kind}"><v>{value}</v></c>')
        cells.append(f'<row r="{r}">' + "".join(out) + "</row>")
    members = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{XLSX_NS}" xmlns:r="{XLSX_REL}">'
                           '<sheets><sheet name="Info" sheetId="1" r:id="rId1"/>'
                           '<sheet name="Enkät" sheetId="2" r:id="rId2"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                      '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
                                      '<Relationship Id="rId2" Type="worksheet" Target="worksheets/sheet2.xml"/>'
                                      '</Relationships>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><sst xmlns="{XLSX_NS}">'
                                + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>",
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{XLSX_NS}"><sheetData>'
                                    '<row r="1"><c r="A1" t="inlineStr"><is><t>Enkät 2023</t></is></c></row>'
                                    "</sheetData></worksheet>",
        "xl/worksheets/sheet2.xml": f'<?xml version="1.0"?><worksheet xmlns="{XLSX_NS}"><sheetData>'
                                    + "".join(cells) + "</sheetData></worksheet>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in members.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2023, 12, 1, 8, 0, 0)), text.encode("utf-8"))
    with open(os.path.join(OUT, "survey.xlsx"), "wb") as f:
        f.write(buffer.getvalue())


def org_units():
    rows = ["unit_id;title;parent_id;level;valid_from;valid_to;successor_id;names",
            "SOC;Socialförvaltningen;;administration;;;;",
            "SOC-AO;Äldreomsorg;SOC;service_area;;;;",
            "SOC-HTN;Hemtjänst Norr;SOC-AO;unit;;;;Hemtjänsten Norr",
            "SOC-IFO;Individ- och familjeomsorg;SOC;service_area;;;;IFO",
            "SOC-BOU;Barn och unga;SOC-IFO;unit;;;;",
            "SOC-BIS;Bistånd;SOC-IFO;unit;;2018-12-31;SOC-BHS;Biståndsenheten",
            "SOC-HS;Hälsa och sjukvård;SOC-AO;unit;;2018-12-31;SOC-BHS;HSL",
            "SOC-BHS;Bistånd och hälsa;SOC-AO;unit;2019-01-01;;;"]
    write("org-units.csv", "\n".join(rows) + "\n", "utf-8")


def main():
    os.makedirs(OUT, exist_ok=True)
    finance_2023()
    finance_2024()
    case_exports()
    municipalities()
    survey_xlsx()
    org_units()


if __name__ == "__main__":
    main()
