"""Reads a spreadsheet the way an office's program would, with readers nobody here
wrote: a CSV with Python's `csv` (UTF-8 with its byte order mark, `;` between
fields, as Italian Excel writes and reads them), an .xlsx with `openpyxl`. Prints the
rows as JSON: CSV fields as text; workbook cells typed (a date as "aaaa-mm-gg", a time
as "hh:mm", a number as a number, an empty cell as null), with each cell's number
format for the dates and amounts."""
import csv
import datetime
import json
import sys

path = sys.argv[1]
if path.endswith(".xlsx"):
    import openpyxl

    sheet = openpyxl.load_workbook(path).active

    def value(c):
        v = c.value
        if isinstance(v, datetime.datetime):
            return v.strftime("%H:%M") if v.year < 1901 else v.date().isoformat()
        if isinstance(v, datetime.time):
            return v.strftime("%H:%M")
        if isinstance(v, datetime.date):
            return v.isoformat()
        return v

    rows = [[value(c) for c in row] for row in sheet.iter_rows()]
    formats = [[c.number_format for c in row] for row in sheet.iter_rows(min_row=2, max_row=2)]
    print(json.dumps({"sheet": sheet.title, "frozen": sheet.freeze_panes, "rows": rows, "formats": formats}, ensure_ascii=False))
else:
    raw = open(path, "rb").read()
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=";"))
    print(json.dumps({"bom": raw.startswith(b"\xef\xbb\xbf"), "crlf": b"\r\n" in raw, "rows": rows}, ensure_ascii=False))
