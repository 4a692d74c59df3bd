"""Options and helpers shared by several commands."""
from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path


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
        raise argparse.ArgumentTypeError(f"'{value}' perlu zona waktu, mis. +07:00")
    return moment


def now_or_clock(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)
