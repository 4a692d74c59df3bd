"""`pengaduan watch`: the daily deadline watch (one issue a day, kept up to date).

Every working day (the schedule fires Monday-Friday 08:00 WIB; this command itself skips days
that the policy calendar says are off, unless run by hand) it judges every complaint on the
default branch AND on every open pull request (a complaint recorded on a branch is already
recorded: the git evidence counts there too), then:

- lists the complaints with a stage past due (`overdue`) and those due by the end of the next
  working day (`due_soon`);
- keeps ONE open issue titled "Tenggat pengaduan YYYY-MM-DD" (label `tenggat`) with that list:
  created when something is listed, its body updated on later runs, closed when nothing is left;
- closes the watch issues of previous days with a comment pointing to today's.

Standard output is the Markdown of the list (the workflow appends it to the job summary);
what was done with the issues goes to standard error.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline.report.deadlines import build_report
from pipeline.report.plausibility import describe
from pipeline.commands.forge import Forge, ForgeError, write_outputs
from pipeline.evidence import git
from pipeline.evidence.git import GitError
from pipeline.evidence.history import resolve_ref
from pipeline.records.labels import STAGE_STATES
from pipeline.records.policy import Policy
from pipeline.records.timeutil import format_local, zone_label
from pipeline.report.workcalendar import WorkCalendar
from pipeline.commands.common import add_now, add_repo, now_or_clock, policy_or_why
from pipeline.commands.intake import LABEL as FORM_LABEL

# "terlambat, belum selesai": the one vocabulary's word for a step past its deadline, not done
LATE = STAGE_STATES["lewat_batas"].lower()

LABEL = "tenggat"
LABEL_COLOR = "d93f0b"
MARKER = "<!-- pengaduan-tenggat -->"
TITLE = "Tenggat pengaduan {date}"
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def add_arguments(parser):
    add_repo(parser)
    parser.add_argument("--ref", default="HEAD", help="cabang utama yang dinilai (default: HEAD)")
    parser.add_argument("--include-ref", action="append", default=[], metavar="REF",
                        help="nilai juga cabang/commit ini (boleh berulang); di GitHub Actions semua "
                             "pull request yang terbuka ikut dinilai otomatis")
    add_now(parser)
    parser.add_argument("--label", default=LABEL, help=f"label issue pantauan (default: {LABEL})")
    parser.add_argument("--mention", default=os.environ.get("PENGADUAN_MENTION", ""), metavar="AKUN",
                        help="siapa yang disebut di issue baru, mis. @org/tim-pengaduan "
                             "(default: $PENGADUAN_MENTION)")
    parser.add_argument("--always", action="store_true",
                        help="jalan juga pada hari libur (otomatis bila tidak dipicu jadwal)")
    parser.add_argument("--no-issue", action="store_true",
                        help="hanya cetak daftar; jangan sentuh issue walau GITHUB_TOKEN ada")


@dataclass
class Entry:
    id: str
    title: str
    path: str
    stage: str
    stage_name: str
    due_at: datetime
    where: list = field(default_factory=list)   # "main", "PR #12"
    flags: list = field(default_factory=list)   # plausibility flags of a stage whose time is doubted


def run(args) -> int:
    now = now_or_clock(args.now)
    policy, code = policy_or_why(args.repo, "watch")
    if policy is None:
        return code
    calendar = WorkCalendar.from_policy(policy)
    today = now.astimezone(policy.tz).date()
    scheduled = os.environ.get("GITHUB_EVENT_NAME") == "schedule"
    if scheduled and not args.always and not calendar.is_working_day(today):
        reason = calendar.day_off_reason(today)
        print(f"Hari ini ({today.isoformat()}) bukan hari kerja ({reason}): pantauan tenggat dilewati.",
              file=sys.stderr)
        write_outputs({"skipped": "true"})
        return 0
    forge = None if args.no_issue else Forge.from_env()
    refs = [(args.ref, _branch_label(args.repo, args.ref))]
    refs += [(ref, ref) for ref in args.include_ref]
    try:
        if forge is not None:
            refs += _open_pull_refs(args.repo, forge)
        overdue, soon, warnings, flagged = collect(args.repo, refs, now)
    except (GitError, ForgeError) as err:
        print(f"pengaduan watch: {err}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"peringatan: {warning}", file=sys.stderr)
    body = render(overdue, soon, now, policy, args.mention, flagged)
    print(body)
    write_outputs({"overdue": len(overdue), "due_soon": len(soon), "flagged": len(flagged), "skipped": "false"})
    if forge is None:
        return 0
    try:
        # The issue form labels its issues `pengaduan` only if that label exists: keep it there.
        forge.ensure_label(FORM_LABEL, "0e8a16", "Formulir pengaduan: menjadi berkas dan pull request")
        upkeep(forge, args.label, TITLE.format(date=today.isoformat()), body, bool(overdue or soon or flagged))
    except ForgeError as err:
        print(f"pengaduan watch: issue tidak dapat diperbarui: {err}", file=sys.stderr)
        return 1
    return 0


def _branch_label(repo: Path, ref: str) -> str:
    if ref != "HEAD":
        return ref
    try:
        branch = git.text(repo, "symbolic-ref", "--short", "-q", "HEAD").strip()
    except GitError:  # a detached HEAD (as in GitHub Actions)
        branch = ""
    return branch or os.environ.get("GITHUB_REF_NAME") or "HEAD"


def _open_pull_refs(repo: Path, forge: Forge) -> list[tuple[str, str]]:
    refs = []
    for pull in forge.open_pulls():
        sha, number = pull["head"]["sha"], pull["number"]
        if not _has_commit(repo, sha):
            git.succeeds(repo, "fetch", "-q", "origin", f"refs/pull/{number}/head")
        if _has_commit(repo, sha):
            refs.append((sha, f"PR #{number}"))
        else:
            print(f"peringatan: commit PR #{number} tidak tersedia; PR ini dilewati.", file=sys.stderr)
    return refs


def _has_commit(repo: Path, sha: str) -> bool:
    return git.succeeds(repo, "cat-file", "-e", f"{sha}^{{commit}}")


def collect(repo: Path, refs: list[tuple[str, str]], now: datetime):
    """Overdue and due-soon stages over all `refs`: a stage done on any of them is done; and the
    stages of the first ref whose time is doubted (plausibility flags)."""
    stages: dict[tuple[str, str], Entry] = {}
    flagged: list[Entry] = []
    done: set[tuple[str, str]] = set()
    overdue_keys: set[tuple[str, str]] = set()
    soon_keys: set[tuple[str, str]] = set()
    warnings: list[str] = []
    for index, (ref, label) in enumerate(refs):
        report, problems = _report_at(repo, ref, now)
        if report is None:
            warnings += [f"{label}: {problem.as_text()}" for problem in problems]
            continue
        broken = sorted({problem.path for problem in problems if problem.is_error})
        if broken:
            warnings.append(f"{label}: berkas tidak sah dilewati: {', '.join(broken)}")
        for item in report.complaints:
            complaint = item.complaint
            for result in item.stages:
                key = (complaint.id, result.stage.id)
                if result.flags and index == 0:
                    title = complaint.data["judul"] if complaint.is_public else "(pengaduan rahasia)"
                    flagged.append(Entry(complaint.id, title, complaint.shown, result.stage.id,
                                         result.stage.name, result.due_at, [label], list(result.flags)))
                if result.done_at is not None:
                    done.add(key)
                    continue
                entry = stages.get(key)
                if entry is None:
                    title = complaint.data["judul"] if complaint.is_public else "(pengaduan rahasia)"
                    entry = stages[key] = Entry(complaint.id, title, complaint.shown, result.stage.id,
                                                result.stage.name, result.due_at)
                if label not in entry.where:
                    entry.where.append(label)
                if result.status == "overdue":
                    overdue_keys.add(key)
                elif result.due_soon:
                    soon_keys.add(key)
    order = lambda entry: (entry.due_at, entry.id, entry.stage)  # noqa: E731
    overdue = sorted((stages[key] for key in overdue_keys - done), key=order)
    soon = sorted((stages[key] for key in soon_keys - done - overdue_keys), key=order)
    return overdue, soon, warnings, sorted(flagged, key=order)


def _report_at(repo: Path, ref: str, now: datetime):
    """The deadline report of `ref`: files as they are at that commit, evidence from its history."""
    if resolve_ref(repo, ref) is None:
        return None, []
    return build_report(repo, ref, now)


def render(overdue: list[Entry], soon: list[Entry], now: datetime, policy: Policy, mention: str = "",
           flagged: list[Entry] = ()) -> str:
    tz = policy.tz
    local = now.astimezone(tz)
    server = os.environ.get("GITHUB_SERVER_URL", "").rstrip("/")
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    lines = [MARKER, f"## Tenggat pengaduan {DAYS[local.weekday()]}, {format_local(now, tz)}", ""]
    if not overdue and not soon and not flagged:
        lines.append(f"Tidak ada tahap pengaduan yang {LATE} atau jatuh tempo sampai akhir hari kerja "
                     "berikutnya. ✔")
        return "\n".join(lines)

    def link(entry: Entry) -> str:
        if not (server and repository):
            return f"`{entry.id}`"
        where = entry.where[0]
        if where.startswith("PR #"):  # not on the default branch yet: point at its pull request
            return f"[`{entry.id}`]({server}/{repository}/pull/{where[4:]})"
        return f"[`{entry.id}`]({server}/{repository}/blob/HEAD/{entry.path})"

    def table(entries: list[Entry]) -> list[str]:
        rows = ["| Pengaduan | Judul | Tahap SOP | Batas | Di |", "|---|---|---|---|---|"]
        for entry in entries:
            title = entry.title.replace("|", "\\|")
            rows.append(f"| {link(entry)} | {title} | {entry.stage_name} (`{entry.stage}`) | "
                        f"{format_local(entry.due_at, tz)} | {', '.join(entry.where)} |")
        return rows

    if overdue:
        lines += [f"### ‼ {STAGE_STATES['lewat_batas']} ({len(overdue)})", ""] + table(overdue) + [""]
    if soon:
        lines += [f"### … Jatuh tempo sampai akhir hari kerja berikutnya ({len(soon)})", ""] + table(soon) + [""]
    if flagged:
        lines += [f"### ⚠ Waktu belum terverifikasi ({len(flagged)})", "",
                  "| Pengaduan | Tahap SOP | Tanda | Alasan |", "|---|---|---|---|"]
        lines += [f"| {link(entry)} | {entry.stage_name} (`{entry.stage}`) | {', '.join(entry.flags)} | "
                  f"{describe(entry.flags)} |" for entry in flagged]
        lines += ["", "Tanggal commit langkah ini diragukan: periksa siapa yang membuatnya dan kapan "
                  "(`pengaduan bukti`). Di situs publik tahap ini tertulis \"Waktu belum terverifikasi\".", ""]
    lines += ["Kerjakan langkah SOP yang tertunda di pull request pengaduannya (lihat "
              "`docs/panduan-petugas.md`). Daftar ini diperbarui otomatis setiap hari kerja pukul "
              f"08.00 {zone_label(tz, local)}; issue ini ditutup sendiri bila tidak ada lagi yang tertunda."]
    if mention:
        lines += ["", f"cc {mention}"]
    return "\n".join(lines)


def upkeep(forge: Forge, label: str, title: str, body: str, anything: bool) -> None:
    """Create/update/close today's watch issue; close the ones of previous days."""
    open_issues = [issue for issue in forge.issues(label) if MARKER in (issue.get("body") or "")
                   or issue.get("title", "").startswith(TITLE.format(date=""))]
    today = next((issue for issue in open_issues if issue.get("title") == title), None)
    if anything and today is None:
        forge.ensure_label(label, LABEL_COLOR, "Pantauan tenggat SOP pengaduan (otomatis)")
        today = forge.create_issue(title, body, [label])
        print(f"Issue #{today['number']} dibuat: {title}.", file=sys.stderr)
    elif anything:
        if today.get("body") != body:
            forge.update_issue(today["number"], body=body)
            print(f"Issue #{today['number']} diperbarui.", file=sys.stderr)
        else:
            print(f"Issue #{today['number']} sudah terbaru.", file=sys.stderr)
    elif today is not None:
        forge.comment(today["number"], f"Tidak ada lagi tahap pengaduan yang {LATE} atau jatuh tempo. "
                                       "Issue ini ditutup otomatis.")
        forge.close_issue(today["number"])
        print(f"Issue #{today['number']} ditutup: tidak ada yang tertunda.", file=sys.stderr)
        today = None
    for issue in open_issues:
        if today is not None and issue["number"] == today["number"]:
            continue
        if issue.get("title") == title:
            continue
        note = (f"Diganti oleh #{today['number']} ({title})." if today is not None else
                f"Per {title[len(TITLE.format(date='')):]} tidak ada lagi tahap pengaduan yang {LATE} "
                "atau jatuh tempo.")
        forge.comment(issue["number"], note + " Issue ini ditutup otomatis.")
        forge.close_issue(issue["number"])
        print(f"Issue lama #{issue['number']} ditutup.", file=sys.stderr)
