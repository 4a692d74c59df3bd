"""`pengaduan recap`: the recap figures for staff, and the accreditation evidence spreadsheet.

    pengaduan recap [--repo DIR] [--from DATE] [--to DATE] [--format text|csv|xlsx|json]
                    [--output FILE] [--ref REF] [--now ISO] [--include-private]

The period is the current year unless --from/--to say otherwise (DATE: YYYY, YYYY-MM or
YYYY-MM-DD, inclusive; --from alone runs to today, --to alone starts on 1 January of its year).
text, csv and json give the figures (counts only); xlsx gives the spreadsheet for the surveyor
and needs --output. An existing file is never overwritten. --include-private (xlsx only) adds
the reporter's identity and the internal notes, and the file says so on every sheet.
"""
from __future__ import annotations

import argparse
import calendar
import csv
import io
import json
import sys
from datetime import date
from pathlib import Path

from pipeline.commands.common import add_now, add_ref, add_repo, add_tsa_ca, report_or_why
from pipeline.outputs.csvcell import safe_row
from pipeline.outputs.recap_tables import CSV_COLUMNS, figure_rows, to_json
from pipeline.outputs.text import decimal_text, duration_text, limit_text
from pipeline.outputs.workbook import write_workbook
from pipeline.records.timeutil import YEARS
from pipeline.records.timeutil import date_text, format_local
from pipeline.report.figures import JUDGEMENTS, Figures, compute



def _date(value: str, end: bool) -> date:
    try:
        parts = [int(part) for part in value.split("-")]
        if parts[0] not in YEARS:
            raise argparse.ArgumentTypeError(f"'{value}': tahun {parts[0]} di luar {YEARS[0]} sampai {YEARS[-1]}")
        if len(parts) == 1:
            return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
        if len(parts) == 2:
            return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1] if end else 1)
        if len(parts) == 3:
            return date(*parts)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"'{value}' bukan tanggal; tulis YYYY, YYYY-MM atau YYYY-MM-DD, "
                                     "mis. 2026-01-31")


def add_arguments(parser):
    add_repo(parser)
    parser.add_argument("--from", dest="start", type=lambda value: _date(value, end=False), default=None,
                        metavar="DATE", help="awal periode (YYYY, YYYY-MM atau YYYY-MM-DD; default: 1 Januari "
                                             "tahun ini)")
    parser.add_argument("--to", dest="end", type=lambda value: _date(value, end=True), default=None,
                        metavar="DATE", help="akhir periode, ikut dihitung (default: 31 Desember tahun ini, "
                                             "atau hari ini bila hanya --from yang diberikan)")
    parser.add_argument("--format", choices=["text", "csv", "xlsx", "json"], default="text",
                        help="text/csv/json: angka rekap; xlsx: lembar bukti akreditasi (perlu --output)")
    parser.add_argument("--output", type=Path, default=None, metavar="FILE",
                        help="tulis ke berkas ini (tidak pernah menimpa berkas yang sudah ada)")
    add_ref(parser)
    add_now(parser)
    add_tsa_ca(parser)
    parser.add_argument("--include-private", action="store_true",
                        help="xlsx saja: ikut tulis identitas pelapor dan catatan internal (berkas diberi "
                             "tanda MEMUAT DATA PRIBADI)")


def period(args, now) -> tuple[date, date]:
    today = now.date()
    if args.start is None and args.end is None:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if args.end is None:
        return args.start, max(today, args.start)
    if args.start is None:
        return date(args.end.year, 1, 1), args.end
    return args.start, args.end


def run(args) -> int:
    if args.format == "xlsx" and args.output is None:
        print("pengaduan recap: format xlsx perlu --output, mis. --output rekap-2026.xlsx", file=sys.stderr)
        return 2
    if args.include_private and args.format != "xlsx":
        print("pengaduan recap: --include-private hanya untuk --format xlsx (angka rekap tidak memuat data "
              "pribadi).", file=sys.stderr)
        return 2
    if args.output is not None and (args.output.exists() or args.output.is_symlink()):
        print(f"pengaduan recap: berkas '{args.output}' sudah ada dan tidak akan ditimpa. Hapus atau pindahkan "
              "dulu, atau pilih nama lain.", file=sys.stderr)
        return 2
    if args.output is not None and not args.output.parent.is_dir():
        print(f"pengaduan recap: folder '{args.output.parent}' tidak ada.", file=sys.stderr)
        return 2
    report, code = report_or_why(args, "recap", "tidak dihitung")
    if report is None:
        return code
    uncounted = len(report.skipped)
    if uncounted:
        print(f"PERHATIAN: {uncounted} berkas pengaduan tidak sah dan TIDAK DIHITUNG dalam rekap ini; "
              "perbaiki dulu dengan `pengaduan check`, lalu buat rekap lagi.", file=sys.stderr)
    policy = report.policy
    start, end = period(args, report.now.astimezone(policy.tz))
    if start > end:
        print(f"pengaduan recap: --from ({start}) sesudah --to ({end}).", file=sys.stderr)
        return 2
    if args.format == "xlsx":
        try:
            figures = write_workbook(args.output, report, policy, start, end, args.include_private,
                                     uncounted)
        except FileExistsError:
            print(f"pengaduan recap: berkas '{args.output}' sudah ada dan tidak akan ditimpa.", file=sys.stderr)
            return 2
        note = " (MEMUAT DATA PRIBADI: jangan dibagikan)" if args.include_private else ""
        print(f"Lembar bukti akreditasi ditulis ke {args.output}{note}: {figures.total} pengaduan, "
              f"{date_text(start)} s.d. {date_text(end)}.")
        return 1 if uncounted else 0
    year = start.year if (start, end) == (date(start.year, 1, 1), date(start.year, 12, 31)) else None
    figures = compute(report, year, policy=policy, start=None if year else start, end=None if year else end)
    text = RENDERERS[args.format](figures)
    if args.output is None:
        sys.stdout.write(text)
        return 1 if uncounted else 0
    try:
        with args.output.open("x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError:
        print(f"pengaduan recap: berkas '{args.output}' sudah ada dan tidak akan ditimpa.", file=sys.stderr)
        return 2
    print(f"Rekap ditulis ke {args.output}.")
    return 1 if uncounted else 0


def render_text(figures: Figures) -> str:
    tz = figures.now.tzinfo
    lines = [f"Rekap Pengaduan {figures.puskesmas}",
             f"Periode {date_text(figures.start)} s.d. {date_text(figures.end)} (ref {figures.ref}, per "
             f"{format_local(figures.now, tz)})", "",
             f"Jumlah pengaduan: {figures.total} (terbuka {figures.public}, rahasia {figures.confidential})",
             f"Ditanggapi: {figures.answered.text}",
             f"Memiliki rencana tindak lanjut: {figures.with_plan.text}",
             f"Rencana tindak lanjut terlaksana: {figures.plan_done.text}"]
    for heading, counts in (("Per bulan", figures.months), ("Per kanal", figures.channels),
                            ("Per unit", figures.units), ("Per jenis", figures.kinds),
                            ("Per status", figures.statuses)):
        lines += ["", heading]
        width = max((len(row.label) for row in counts), default=0)
        lines += [f"  {row.label:<{width}}  {row.n:>4}  {row.share.text}" for row in counts]
    lines += ["", "Tahap SOP (bukti riwayat git)" + ("" if figures.evidence else ": BELUM ADA BUKTI GIT")]
    for stage in figures.stages:
        lines.append(f"  {stage.name} (batas {limit_text(stage.limit_hours)})")
        if stage.judged:
            counts = "; ".join(f"{JUDGEMENTS[key]} {stage.counts[key]}" for key in JUDGEMENTS)
            lines.append(f"    tepat waktu {stage.on_time.text}; {counts}")
        median = (f"{decimal_text(stage.median_working_hours)} jam kerja ({duration_text(stage.median_hours)} "
                  "kalender)" if stage.measured else "–")
        lines.append(f"    median sejak diterima: {median}; diukur pada {stage.measured} pengaduan")
    return "\n".join(lines) + "\n"


def render_csv(figures: Figures) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in figure_rows(figures):
        writer.writerow(safe_row({key: "" if value is None else value for key, value in row.items()}))
    return buffer.getvalue()


def render_json(figures: Figures) -> str:
    return json.dumps(to_json(figures), ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"text": render_text, "csv": render_csv, "json": render_json}
