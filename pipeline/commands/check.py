"""`pengaduan check`: validate the policy and every complaint (or the given files)."""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline.records.loader import load
from pipeline.records.problems import render
from pipeline.commands.common import add_now, add_repo



def add_arguments(parser):
    add_repo(parser)
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="berkas pengaduan yang diperiksa (default: semuanya)")
    parser.add_argument("--format", choices=["text", "github", "json"], default="text",
                        help="bentuk keluaran (github: anotasi untuk pull request)")
    add_now(parser)


def run(args) -> int:
    if not args.repo.is_dir():
        print(f"pengaduan check: folder repositori '{args.repo}' tidak ditemukan.", file=sys.stderr)
        return 2
    paths: list[Path] = []
    for path in args.paths:
        if path.is_dir():
            print(f"pengaduan check: '{path}' adalah folder, bukan berkas pengaduan. Sebutkan "
                  "berkas .md-nya, atau jalankan tanpa PATH untuk memeriksa semuanya.", file=sys.stderr)
            return 2
        if not path.exists():
            print(f"pengaduan check: berkas '{path}' tidak ditemukan.", file=sys.stderr)
            return 2
        if path.resolve() not in {known.resolve() for known in paths}:  # each file once
            paths.append(path)
    loaded = load(args.repo, paths or None, args.now)
    output = render(loaded.problems, args.format, loaded.files_checked)
    if output:
        print(output)
    return 0 if loaded.ok else 1
