"""Options and helpers shared by several commands."""
from __future__ import annotations

import argparse
import gc
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.records.policy import Policy, load_policy
from pipeline.records.timeutil import YEARS, one_offset_object

if TYPE_CHECKING:  # imported when used: `pengaduan check` and `new` never judge deadlines
    from pipeline.report.deadlines import Report

# --ref of the commands that judge the folder without it (deadlines, recap): the one rule of
# `build_report`, said in their help.
REF_HELP = ("cabang atau commit yang dinilai: berkas yang di-commit di sana, dengan riwayatnya "
            "(default: berkas di folder kerja, termasuk yang belum di-commit, dengan riwayat HEAD)")


def add_repo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", type=Path, default=Path("."), metavar="DIR",
                        help="folder repositori (default: folder saat ini)")


def add_now(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--now", type=parse_now, default=None, metavar="ISO",
                        help="anggap 'sekarang' adalah waktu ini (ISO 8601 dengan zona), "
                             "agar hasilnya dapat diulang")


def parse_now(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' bukan waktu ISO 8601, mis. 2026-01-05T09:30:00+07:00") from None
    if moment.tzinfo is None:
        # (Python reads "2026-12-01+07:00" as 07.00 without a zone: the example keeps the date only)
        raise argparse.ArgumentTypeError(f"'{value}' perlu tanggal, jam dan zona waktu: tulis mis. "
                                         f"{moment:%Y-%m-%d}T00:00+07:00 (WIB; WITA +08:00, WIT +09:00)")
    if moment.year not in YEARS:
        raise argparse.ArgumentTypeError(f"'{value}': tahun {moment.year} di luar {YEARS[0]} sampai {YEARS[-1]}")
    return one_offset_object(moment)


def now_or_clock(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


TSA_CA_HELP = ("sertifikat CA TSA (PEM) yang dipercaya auditor (boleh berulang). Bila diberikan, HANYA "
               "CA ini yang dipercaya: bukan CA TSA publik yang dipin program, bukan bukti.tsa di "
               "puskesmas.yaml (berkas di repositori itu dapat diubah orang dalam)")


def add_tsa_ca(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tsa-ca", type=Path, action="append", default=[], metavar="PEM", help=TSA_CA_HELP)


def add_ref(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ref", default=None, help=REF_HELP)


def policy_or_why(repo: Path, command: str) -> tuple[Policy | None, int]:
    """(the repository's policy, 0), or (None, exit code) after printing why it cannot be used:
    2 when the folder does not exist, 1 when its puskesmas.yaml is missing or invalid."""
    if not repo.is_dir():
        print(f"pengaduan {command}: folder repositori '{repo}' tidak ditemukan.", file=sys.stderr)
        return None, 2
    policy, problems = load_policy(repo)
    if policy is None:
        for problem in problems:
            print(problem.as_text(), file=sys.stderr)
        print(f"pengaduan {command}: perbaiki puskesmas.yaml dahulu.", file=sys.stderr)
        return None, 1
    return policy, 0


def report_or_why(args, command: str, not_counted: str) -> tuple[Report | None, int]:
    """The one evidence report for a command with --repo, --ref (`add_ref`) and --now; the
    loader's problems are printed. (report, 0), or (None, exit code) after saying why."""
    from pipeline.evidence.git import GitError
    from pipeline.report.deadlines import build_report

    try:
        report, problems = build_report(args.repo, args.ref or "HEAD", now_or_clock(args.now),
                                        worktree=args.ref is None, extra_ca=getattr(args, "tsa_ca", None))
    except GitError as err:
        print(f"pengaduan {command}: {err}", file=sys.stderr)
        return None, 2
    for problem in problems:
        print(problem.as_text(), file=sys.stderr)
    if report is None:
        return None, 1
    if report.skipped:
        print(f"Berkas yang tidak sah {not_counted}; perbaiki dulu dengan `pengaduan check`.", file=sys.stderr)
    return report, 0


@contextmanager
def no_automatic_collections():
    """Python's garbage collector stopped while the site is made and checked.

    A build holds every record, view and report at once and makes few reference cycles: the full
    collections walked all it holds (some 3 s of a 15 s rebuild at 10,000 complaints) and the young
    ones, run every 700 new objects, took 0.3 s of a 5 s rebuild after one change, to free almost
    nothing (measured at 10,000: a full build peaked at 275 MiB with young collections, 278
    without). The generator lets go of its records, views and report itself when it is done
    (`ComplaintsGenerator.finish`): a collection after Pelican took 0.28 s to free 1,400 objects
    and no memory after one change, 36,000 objects and 4 MB after a full build.

    What the build made is then moved to the oldest generation without being walked: left young,
    the first collection after the build walked every object made while it was stopped (0.1 s
    after one change at 10,000). A later full collection frees its cycles, as it would have."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()     # (every object moved to the permanent generation, unwalked,
            gc.unfreeze()   # then to the oldest one)
            gc.enable()
