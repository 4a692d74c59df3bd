"""Benchmark the recap on a synthetic history: figures, pages, open data and the spreadsheet.

Builds the same repository as bench_deadlines.py (N complaints, 3 commits each), then times
separately: the deadline report (loading + git evidence: what the site already pays for), the
figures of every year, rendering every recap/board/data page, writing the four open-data files,
and writing the accreditation spreadsheet of one year. Prints the peak memory.

    python bench/bench_recap.py [N]      # default 5000
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_deadlines import build_repository  # noqa: E402
from recap_render import render_page, site_defaults  # noqa: E402

from pipeline.outputs import opendata, recap_pages, workbook  # noqa: E402
from pipeline.report import deadlines, figures  # noqa: E402
from pipeline.records.loader import load  # noqa: E402


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    print(f"  {label:<44} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory(prefix="bench-recap-") as folder:
        repo = Path(folder) / "repo"
        commits = build_repository(repo, count)
        print(f"{count} pengaduan, {commits} commit")
        now = datetime.fromisoformat("2026-12-31T12:00:00+07:00")
        loaded = timed("muat berkas", lambda: load(repo, now=now))
        report = timed("bukti git + tenggat (build_report)",
                       lambda: deadlines.build_report(repo, "main", now, loaded=loaded)[0])
        policy = loaded.policy
        years = sorted({item.complaint.received_at.astimezone(policy.tz).year for item in report.complaints})
        timed(f"angka rekap {len(years)} tahun (compute)",
              lambda: [figures.compute(report, year, policy=policy) for year in years])
        site = site_defaults(policy)
        pages = timed("halaman rekap, papan, data (site_pages)", lambda: recap_pages.site_pages(report, policy, site=site))
        timed(f"render {len(pages)} halaman", lambda: [render_page(page, site) for page in pages])
        timed("data terbuka (write_all)", lambda: opendata.write_all(Path(folder) / "out", loaded, report))
        start, end = figures.year_period(years[0])
        timed(f"lembar xlsx {years[0]}", lambda: workbook.write_workbook(Path(folder) / "r.xlsx", report, policy,
                                                                       start, end))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  memori puncak: {peak:.0f} MB")


if __name__ == "__main__":
    main()
