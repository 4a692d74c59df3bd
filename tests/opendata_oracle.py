"""The open-data documents made whole in memory, the plain way: the oracle that
`opendata.write_all` (which streams one record at a time) must equal byte for byte."""
from __future__ import annotations

import csv
import io

from pipeline.outputs import opendata


def complaints_json(report, policy, base_url=None) -> dict:
    records = [opendata.record(item, policy, base_url, report.now) for item in opendata.public_items(report)]
    return {**opendata._json_head(report, policy, len(records)), "pengaduan": records}


def complaints_csv(report, policy, base_url=None) -> str:
    """RFC 4180 CSV (UTF-8, comma, CRLF), one row per public complaint."""
    columns = opendata.csv_columns(policy)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="raise")
    writer.writeheader()
    for data in complaints_json(report, policy, base_url)["pengaduan"]:
        writer.writerow(opendata.csv_cells(data, columns))
    return buffer.getvalue()


def requests_json(report, policy) -> list[dict]:
    """GeoReport v2 GET requests: every public complaint, newest request first."""
    return [opendata.open311_request(item, policy, report.now) for item in reversed(opendata.public_items(report))]
