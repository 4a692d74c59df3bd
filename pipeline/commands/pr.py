"""`pengaduan pr`: what the pull-request workflow runs, usable by hand too.

- `pengaduan pr files`      the complaint files the pull request adds or changes;
- `pengaduan pr check`      `pengaduan check` on those files (all files when the policy or the
                            schemas change, or when no complaint changes);
- `pengaduan pr deadlines`  the deadline report of just those complaints, as Markdown (for the
                            job summary), and with --comment one pull-request comment that is
                            updated on every push (found by its hidden marker);
- `pengaduan pr preview`    the public view of each changed complaint as the site will show it
                            (the same code), and which private fields changed (never their
                            values): what the head approves by merging; --comment as above.

The base of the comparison is the pull request's base commit (read from $GITHUB_EVENT_PATH), else
--base, else origin/main.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.report.deadlines import build_report
from pipeline.commands.forge import EventError, Forge, ForgeError, load_event, write_outputs
from pipeline.evidence import git
from pipeline.evidence.git import GitError
from pipeline.evidence.history import check_complete, collect_evidence
from pipeline.records.complaint import COMPLAINT_DIR
from pipeline.commands import check
from pipeline.commands.common import add_now, add_repo, now_or_clock
from pipeline.commands.deadlines import render_markdown

MARKER = "<!-- pengaduan-deadlines -->"
# A change to one of these can make any complaint invalid: then every file is checked.
GLOBAL_FILES = ("puskesmas.yaml", "schema/")


def add_arguments(parser):
    actions = parser.add_subparsers(dest="action", metavar="AKSI", required=True,
                                    help="salah satu aksi berikut")
    files = actions.add_parser("files", help="daftar berkas pengaduan yang diubah pull request",
                               description="daftar berkas pengaduan yang ditambah atau diubah pull request")
    checker = actions.add_parser("check", help="pengaduan check pada berkas yang diubah",
                                 description="pengaduan check pada berkas yang diubah pull request (semua "
                                             "berkas bila puskesmas.yaml atau schema/ ikut berubah)")
    report = actions.add_parser("deadlines", help="laporan tenggat pengaduan yang diubah (Markdown)",
                                description="laporan tenggat pengaduan yang diubah pull request, dalam "
                                            "Markdown (ringkasan job dan satu komentar PR)")
    preview = actions.add_parser("preview", help="pratinjau publik pengaduan yang diubah (Markdown)",
                                 description="pratinjau publik setiap pengaduan yang diubah pull request, "
                                             "dibuat dengan kode yang sama dengan situs, dan kolom rahasia "
                                             "yang berubah (tanpa isinya)")
    for sub in (files, checker, report, preview):
        add_repo(sub)
        sub.add_argument("--base", default=None, metavar="REF",
                         help="commit dasar pembanding (default: base pull request dari "
                              "$GITHUB_EVENT_PATH, atau origin/main)")
        sub.add_argument("--event", type=Path, default=None, metavar="FILE",
                         help="payload event GitHub (default: $GITHUB_EVENT_PATH)")
    checker.add_argument("--format", choices=["text", "github", "json"], default="text",
                         help="bentuk keluaran (github: anotasi pada diff)")
    add_now(checker)
    for sub in (report, preview):
        sub.add_argument("--ref", default="HEAD", help="cabang atau commit yang dinilai (default: HEAD)")
        add_now(sub)
        sub.add_argument("--comment", action="store_true",
                         help="tulis/perbarui satu komentar di pull request (butuh GITHUB_TOKEN)")
        sub.add_argument("--pr", type=int, default=None, metavar="NOMOR",
                         help="nomor pull request (default: dari payload event)")


def run(args) -> int:
    event = _event(args.event)
    if event is None:
        return 2
    base = args.base or ((event.get("pull_request") or {}).get("base") or {}).get("sha") or "origin/main"
    try:
        changed, global_change = changed_files(args.repo, base, getattr(args, "ref", "HEAD"))
    except GitError as err:
        print(f"pengaduan pr: {err}", file=sys.stderr)
        return 2
    if args.action == "files":
        return _files(changed, global_change)
    if args.action == "check":
        return _check(args, changed, global_change)
    if args.action == "preview":
        return _preview(args, event, base, changed)
    return _deadlines(args, event, base, changed)


def _event(path: Path | None) -> dict | None:
    path = path or (Path(os.environ["GITHUB_EVENT_PATH"]) if os.environ.get("GITHUB_EVENT_PATH") else None)
    if path is None or not path.is_file():
        return {}
    try:
        return load_event(path)
    except EventError as err:
        print(f"pengaduan pr: {err}", file=sys.stderr)
        return None


def changed_files(repo: Path, base: str, ref: str = "HEAD") -> tuple[list[str], bool]:
    """Complaint files added, changed or renamed since the merge base, and whether the policy
    or a schema changed too."""
    try:
        git.run(repo, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    except GitError:
        raise GitError(f"commit dasar `{base}` tidak ada di repositori. Ambil riwayat lengkap "
                           "(actions/checkout dengan fetch-depth: 0) atau sebutkan --base.") from None
    names = git.text(repo, "diff", "--name-only", "-z", "--diff-filter=ACMR", f"{base}...{ref}").split("\0")
    prefix = COMPLAINT_DIR.as_posix() + "/"
    complaints = [name for name in names if name.startswith(prefix) and name.endswith(".md")]
    global_change = any(name == item or (item.endswith("/") and name.startswith(item))
                        for name in names for item in GLOBAL_FILES)
    return complaints, global_change


def _files(changed: list[str], global_change: bool) -> int:
    for name in changed:
        print(name)
    write_outputs({"files": "\n".join(changed), "count": len(changed),
                   "policy_changed": str(global_change).lower()})
    return 0


def _check(args, changed: list[str], global_change: bool) -> int:
    everything = global_change or not changed
    why = ("kebijakan atau skema berubah" if global_change else "tidak ada berkas pengaduan yang berubah")
    print(f"Memeriksa {'semua berkas (' + why + ')' if everything else f'{len(changed)} berkas yang berubah'}.",
          file=sys.stderr)
    paths = [] if everything else [args.repo / name for name in changed]
    return check.run(argparse.Namespace(repo=args.repo, paths=paths, format=args.format, now=args.now))


def _changed_report(args, pull: dict, base: str, changed: list[str], now):
    """(report of the changed complaints at --ref, or None, exit code, files not judged)."""
    try:
        report, problems = build_report(args.repo, args.ref, now)
        on_base = collect_evidence(args.repo, base)
    except GitError as err:
        print(f"pengaduan pr: {err}", file=sys.stderr)
        return None, 2, 0
    for problem in problems:
        if problem.path in changed:
            print(problem.as_text(), file=sys.stderr)
    if report is None:
        return None, 1, 0
    wanted = set(changed)
    report.complaints = [item for item in report.complaints if item.complaint.shown in wanted]
    report.ref = pull.get("head", {}).get("ref") or args.ref
    for item in report.complaints:
        # "Published" means on the base branch (main), not merely committed on this branch.
        published = on_base.get(item.complaint.id)
        item.evidence.published_at = published.published_at if published else None
    return report, 0, len(wanted) - len(report.complaints)


NOT_JUDGED = ("berkas pengaduan yang berubah tidak sah dan tidak dinilai: lihat anotasi langkah "
              "pemeriksaan (`pengaduan check`).")


def _deadlines(args, event: dict, base: str, changed: list[str]) -> int:
    now = now_or_clock(args.now)
    pull = event.get("pull_request") or {}
    number = args.pr or pull.get("number")
    try:
        check_complete(args.repo)  # a shallow checkout cannot prove anything, changed files or not
    except GitError as err:
        print(f"pengaduan pr: {err}", file=sys.stderr)
        return 2
    if not changed:
        text = ("### Tenggat SOP pengaduan\n\nPull request ini tidak mengubah berkas pengaduan; "
                "tidak ada tenggat yang dinilai.")
    else:
        report, status, skipped = _changed_report(args, pull, base, changed, now)
        if report is None:
            return status
        text = render_markdown(report) if report.complaints else "### Tenggat SOP pengaduan\n"
        if skipped:
            text += f"\n\n{skipped} {NOT_JUDGED}"
    print(text)
    if args.comment:
        head = (pull.get("head") or {}).get("sha", "")
        body = (f"{MARKER}\n{text}\n\n<sub>Diperbarui otomatis oleh workflow pemeriksaan"
                f"{' pada commit ' + head[:7] if head else ''}. Bukti tenggat dibaca dari tanggal commit "
                "(author date); pakai *Create a merge commit* saat menggabungkan.</sub>")
        return _comment(number, MARKER, body, bool(changed), "tenggat")
    return 0


def _preview(args, event: dict, base: str, changed: list[str]) -> int:
    from pipeline.outputs.preview import MARKER as PREVIEW, comment, private_changes, private_note, \
        public_view_markdown
    from pipeline.report.deadlines import stage_marks
    pull = event.get("pull_request") or {}
    sections = []
    if changed:
        report, status, skipped = _changed_report(args, pull, base, changed, now_or_clock(args.now))
        if report is None:
            return status
        marks = stage_marks(report, report.policy)
        before = _complaints_at(args.repo, base, changed)
        for item in report.complaints:
            complaint = item.complaint
            old = before.get(complaint.shown)
            touched = private_changes(old.data if old else None, old.body if old else None,
                                      complaint.data, complaint.body)
            sections.append(public_view_markdown(complaint, report.policy, marks.get(complaint.id))
                            + "\n\n" + private_note(touched))
        if skipped:
            sections.append(f"{skipped} {NOT_JUDGED}")
    text = comment(sections, (pull.get("head") or {}).get("sha", ""))
    print(text)
    if args.comment:
        return _comment(args.pr or pull.get("number"), PREVIEW, text, bool(changed), "pratinjau")
    return 0


def _complaints_at(repo: Path, ref: str, paths: list[str]) -> dict:
    """{path: Complaint} of the files as they are at `ref` (those that exist and can be read)."""
    import tempfile
    from pipeline.evidence.history import export_files
    from pipeline.records.complaint import read_complaint
    from pipeline.records.source import SourceError
    found = {}
    with tempfile.TemporaryDirectory(prefix="pengaduan-base-") as folder:
        export_files(repo, ref, paths, Path(folder))
        for name in paths:
            if (Path(folder) / name).is_file():
                try:
                    found[name] = read_complaint(Path(folder) / name, Path(folder), keep_going=True)
                except SourceError:
                    continue
    return found


def _comment(number, marker: str, body: str, changed: bool, what: str) -> int:
    forge = Forge.from_env()
    if forge is None or not number:
        print("Komentar dilewati: GITHUB_TOKEN, GITHUB_REPOSITORY atau nomor pull request tidak ada.",
              file=sys.stderr)
        return 0
    try:
        done = forge.upsert_comment(int(number), marker, body, create=changed)
    except ForgeError as err:
        if err.forbidden:
            print(f"::notice title=Komentar {what} dilewati::Token tidak boleh menulis komentar "
                  f"(mis. pull request dari fork): {err.message}. Isinya tetap ada di ringkasan job.",
                  file=sys.stderr)
            return 0
        print(f"pengaduan pr: komentar gagal: {err}", file=sys.stderr)
        return 1
    print(f"Komentar {what} di PR #{number}: {done}.", file=sys.stderr)
    return 0
