"""CSV cells that a spreadsheet cannot run as a formula (OWASP "CSV Injection").

OWASP's rule: a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is
prefixed with a single quote, so Excel, LibreOffice and Google Sheets show it as text
(`=HYPERLINK(...)` in a complaint's summary stays text in data/complaints.csv). The CSV's own
quoting (RFC 4180) takes care of commas, quotes and line breaks.
"""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as written to a CSV cell: text that starts like a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: dict) -> dict:
    return {key: safe_cell(value) for key, value in row.items()}
