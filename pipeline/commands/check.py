"""`pengaduan check`: validate the policy and every complaint (or the given files)."""
from __future__ import annotations

import sys
from pathlib import Path

from ..loader import load
from ..problems import render
from .common import add_now, add_repo

HELP = "periksa puskesmas.yaml dan berkas pengaduan"


def add_arguments(parser):
    add_repo(parser)
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="berkas pengaduan yang diperiksa (default: semuanya)")
    parser.add_argument("--format", choices=["text", "github", "json"], default="text",
                        help="bentuk keluaran (github: anotasi untuk pull request)")
    add_now(parser)


def run(args) -> int:
    missing = [path for path in args.paths if not path.is_file()]
    if not args.repo.is_dir() or missing:
        what = missing[0] if missing else args.repo
        print(f"pengaduan check: '{what}' tidak ditemukan.", file=sys.stderr)
        return 2
    loaded = load(args.repo, args.paths or None, args.now)
    output = render(loaded.problems, args.format, loaded.files_checked)
    if output:
        print(output)
    return 0 if loaded.ok else 1
