"""`pengaduan check`: validate the policy and every complaint (or the given files)."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from pipeline.outputs.markup import dropped_html
from pipeline.outputs.pages import PAGES_DIR, page_files, read_page
from pipeline.plugin.staticimages import logo_problems
from pipeline.records.loader import load
from pipeline.records.policy import POLICY_FILE, check_ca_files, load_policy
from pipeline.records.complaint import field_at
from pipeline.records.privacy import PUBLIC_TEXT_FIELDS
from pipeline.records.problems import Problem, render
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
            named = sorted((args.repo / "content" / "complaints").glob(f"*/{path.name}.md")) \
                if re.fullmatch(r"ADU-\d{8}-[0-9A-Z]{4}", path.name) else []   # (an id, not a file)
            print(f"pengaduan check: berkas '{path}' tidak ditemukan."
                  + (f" Untuk pengaduan {path.name}, sebutkan berkasnya: pengaduan check "
                     f"{os.path.relpath(named[0])}" if named else ""), file=sys.stderr)
            return 2
        if path.resolve() not in {known.resolve() for known in paths}:  # each file once
            paths.append(path)
    pages, complaints = _split_pages(args.repo, paths)
    policy_file = Path(os.path.abspath(args.repo / POLICY_FILE))
    named_policy = [path for path in complaints if Path(os.path.abspath(path)) == policy_file]
    complaints = [path for path in complaints if path not in named_policy]   # (the policy is read anyway)
    loaded = load(args.repo, complaints or None, args.now) if complaints or not paths else None
    problems = list(loaded.problems) if loaded else []
    policy = loaded.policy if loaded else None
    if loaded is None and named_policy:
        policy, policy_problems = load_policy(args.repo)
        problems += policy_problems
    if policy is not None:
        problems += check_ca_files(args.repo)   # the TSA CA files the policy names
        problems += logo_problems(args.repo, policy)   # the logo the site shows
    problems += html_warnings(loaded.complaints) if loaded else []
    for page in pages:  # staff pages pass the same gate before the site is built
        problems += read_page(page, args.repo).problems
    files = (loaded.files_checked if loaded else len(named_policy)) + len(pages)
    output = render(problems, args.format, files)
    if output:
        print(output)
    failed = (loaded is not None and not loaded.ok) or any(problem.is_error for problem in problems)
    return 1 if failed else 0


def html_warnings(complaints) -> list[Problem]:
    """A warning for each public text holding HTML the site leaves out (a pasted `<img>`)."""
    problems = []
    for complaint in complaints:
        for path in PUBLIC_TEXT_FIELDS:
            if path == ("judul",):
                continue   # (a title is shown as written, never as Markdown)
            dropped = dropped_html(field_at(complaint.data, path))
            if dropped:
                line, column = complaint.position(*path)
                dotted = ".".join(path)
                problems.append(Problem(
                    complaint.shown, line, column,
                    f"`{dotted}` memuat HTML yang tidak ditampilkan di situs ({', '.join(dropped)}): bagian itu "
                    "dibuang saat diterbitkan.",
                    "Tulis teks biasa; untuk tebal, miring atau daftar pakai **tebal**, *miring* dan baris yang "
                    "diawali `- `. Hapus tag HTML-nya.", dotted, "warning"))
    return problems


def _split_pages(repo: Path, paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The staff pages to check (all of them without PATH) and the complaint files named."""
    if not paths:
        return page_files(repo), []
    folder, real = Path(os.path.abspath(repo / PAGES_DIR)), (repo / PAGES_DIR).resolve()
    pages = [path for path in paths if folder in Path(os.path.abspath(path)).parents
             or real in path.resolve().parents]
    return pages, [path for path in paths if path not in pages]
