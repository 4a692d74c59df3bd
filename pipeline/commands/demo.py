"""`pengaduan demo`: replay the example content with its timeline, report deadlines, build the site."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pipeline.records.loader import load
from pipeline.records.problems import render
from pipeline.evidence.git import GitError
from pipeline.evidence.replay import TimelineError, load_timeline, replay
from pipeline.commands.build import build
from pipeline.commands.common import add_repo
from pipeline.report.deadlines import build_report
from pipeline.commands.deadlines import render_text



def add_arguments(parser):
    add_repo(parser)
    parser.add_argument("--into", type=Path, default=None, metavar="DIR",
                        help="folder repositori demo (harus belum ada; default: folder sementara)")
    parser.add_argument("--output", type=Path, default=Path("output"), metavar="DIR",
                        help="folder hasil situs (default: output)")
    parser.add_argument("--no-build", action="store_true", help="jangan bangun situs")


def run(args) -> int:
    loaded = load(args.repo)
    if not loaded.ok:
        print(render(loaded.problems, "text", loaded.files_checked), file=sys.stderr)
        return 1
    try:
        timeline = load_timeline(args.repo, loaded.policy)
    except TimelineError as err:
        for problem in err.problems:
            print(problem.as_text(), file=sys.stderr)
        return 1
    target = args.into or Path(tempfile.mkdtemp(prefix="pengaduan-demo-")) / "repo"
    if target.exists():
        print(f"pengaduan demo: '{target}' sudah ada; pilih folder lain (tidak ada yang ditimpa).",
              file=sys.stderr)
        return 2
    try:
        replay(args.repo, target, timeline)
    except GitError as err:
        print(f"pengaduan demo: {err}", file=sys.stderr)
        return 2
    print(f"Repositori demo: {target}\n")
    report, _ = build_report(target, "main", timeline.now)
    print(render_text(report))
    if args.no_build:
        return 0
    print()
    return build(target, args.output.resolve(), now=timeline.now)
