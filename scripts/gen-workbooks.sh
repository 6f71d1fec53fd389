#!/bin/sh
# gen-workbooks.sh: write the finance workbook of tests/data/workbooks/ with
# two real spreadsheet writers, as an export would be saved:
#
#   finance-openpyxl.xlsx      by python3-openpyxl (inline strings)
#   finance-libreoffice.xlsx   by LibreOffice from finance.fods (shared strings)
#
# Both hold the same sheet "Ekonomi": "Enhet" merged over rows 1-2, 2023
# merged over Budget, Prognos and Utfall, a comment column, numbers stored as
# numbers and as text ("-42 528,8"), a blank cell, a date cell in a value
# column, and an empty row.  The files are kept in the repository (a
# LibreOffice start takes seconds); run this only to make them again:
#
#   scripts/gen-workbooks.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/tests/data/workbooks
"$root/scripts/setup.sh" --extra python3-openpyxl libreoffice-calc-nogui

# Debian's python3 (not one first on PATH) is the one with python3-openpyxl.
/usr/bin/python3 - "$out/finance-openpyxl.xlsx" <<'PY'
import datetime, sys
from openpyxl import Workbook

wb = Workbook()
ws = wb.active
ws.title = "Ekonomi"
ws["A1"] = "Enhet"
ws.merge_cells("A1:A2")
ws["B1"] = 2023
ws.merge_cells("B1:D1")
ws["E1"] = "Kommentar"
ws["B2"], ws["C2"], ws["D2"] = "Budget", "Prognos", "Utfall"
rows = {3: ["Hemtjänst Norr", -41250, "-42 528,8", -42363.8, "ok"],
        4: ["Hemtjänst Söder", -38900, None, -39950.3, None],
        5: ["Särskilt boende Ekbacken", datetime.date(2024, 3, 1), -64025.1, "-63 776,7", None],
        7: ["Barn och unga", -28400, -29280.4, -29166.8, None]}
for r, values in rows.items():
    for c, v in enumerate(values, start=1):
        if v is not None:
            ws.cell(row=r, column=c, value=v)
wb.save(sys.argv[1])
PY

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
HOME=$tmp libreoffice --headless --convert-to xlsx --outdir "$tmp" "$out/finance.fods" >/dev/null
mv "$tmp/finance.xlsx" "$out/finance-libreoffice.xlsx"
