"""CSV bytes: RFC 4180 (header row, comma, double-quote quoting, CRLF line ends), UTF-8 without BOM,
and every text cell made inert for spreadsheets.

Spreadsheet programs run a cell that begins with =, +, -, @, a tab or a carriage return as a
formula (CSV injection; OWASP's list, to which its ASVS adds the null character), so such a
cell gets a leading apostrophe ('), which spreadsheets read
as "this is text". A cell that already begins with an apostrophe gets one more, so the rule is
reversible: to recover the exact value, drop one leading apostrophe from any cell that has one.
dataset.json carries the same values unchanged.
"""
from __future__ import annotations

import csv
import io
import json

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
ESCAPE = "'"
LINE_END = "\r\n"


def neutralize(value: str) -> str:
    if value.startswith(FORMULA_STARTS + (ESCAPE,)):
        return ESCAPE + value
    return value


def cell(value) -> str:
    """One value as CSV text: empty for null, true/false, JSON for lists, inert for text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    return neutralize(str(value))


def csv_bytes(header: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=LINE_END, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(row[name]) for name in header])
    return out.getvalue().encode("utf-8")
