"""Outputs: what the report becomes (pages, charts, open data, the workbook, text).
Imports records, evidence and report; never Pelican settings."""
