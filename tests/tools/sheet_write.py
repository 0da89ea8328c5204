"""Writes a spreadsheet the way an office's program would, with writers nobody here
wrote, for Raccordo's imports to read: an .xlsx with `openpyxl`, an .ods (LibreOffice)
with `odfpy`, an old Excel .xls with `xlwt` (in all three, dates as real date cells,
numbers as numbers), a CSV with Python's `csv` in the encoding and separator asked
(Italian Excel saves `;` and Windows-1252; a program may write `,` and UTF-8).

Usage: sheet_write.py OUT [--encoding ENC] [--delimiter D] < {"heads": [...], "rows": [[...]]}
A cell is a string, a number, null, or {"date": "aaaa-mm-gg"} (in a CSV: gg/mm/aaaa)."""
import argparse
import csv
import datetime
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--encoding", default="utf-8-sig")
parser.add_argument("--delimiter", default=";")
args = parser.parse_args()
spec = json.load(sys.stdin)


def value(cell, for_csv):
    if isinstance(cell, dict) and "date" in cell:
        d = datetime.date.fromisoformat(cell["date"])
        return d.strftime("%d/%m/%Y") if for_csv else d
    return cell


if args.out.endswith(".xlsx"):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = spec.get("sheet", "Foglio1")
    sheet.append(spec["heads"])
    for row in spec["rows"]:
        sheet.append([value(c, False) for c in row])
        for c in sheet[sheet.max_row]:
            if isinstance(c.value, datetime.date):
                c.number_format = "DD/MM/YYYY"
    book.save(args.out)
elif args.out.endswith(".ods"):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=spec.get("sheet", "Foglio1"))

    def ods_cell(v):
        v = value(v, False)
        if v is None:
            return TableCell()
        if isinstance(v, datetime.date):
            c = TableCell(valuetype="date", datevalue=v.isoformat())
            c.addElement(P(text=v.strftime("%d/%m/%Y")))
            return c
        if isinstance(v, (int, float)):
            c = TableCell(valuetype="float", value=v)
        else:
            c = TableCell(valuetype="string")
        c.addElement(P(text=str(v)))
        return c

    for row in [spec["heads"]] + spec["rows"]:
        tr = TableRow()
        for v in row:
            tr.addElement(ods_cell(v))
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(args.out)
elif args.out.endswith(".xls"):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet(spec.get("sheet", "Foglio1"))
    dated = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, row in enumerate([spec["heads"]] + spec["rows"]):
        for c, v in enumerate(row):
            v = value(v, False)
            if isinstance(v, datetime.date):
                sheet.write(r, c, v, dated)
            elif v is not None:
                sheet.write(r, c, v)
    book.save(args.out)
else:
    with open(args.out, "w", encoding=args.encoding, newline="") as f:
        w = csv.writer(f, delimiter=args.delimiter, lineterminator="\r\n")
        w.writerow(spec["heads"])
        for row in spec["rows"]:
            w.writerow(["" if c is None else value(c, True) for c in row])
