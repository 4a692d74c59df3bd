"""Replay the example content into a fresh git repository, as a team would have recorded it.

The bundled examples were committed while the product was written, so their commit times say
nothing about the SOP. `demo/timeline.yaml` says when each step happened; this module makes a
repository in which every complaint is recorded on its own branch (`pengaduan/<id>`), answered
on it, and merged into main by the head, with those author and committer times.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.evidence import git
from pipeline.records.policy import Policy
from pipeline.records.problems import Problem
from pipeline.records.complaint import discover, field_at, read_complaint
from pipeline.records.source import SourceError, parse_yaml, read_text
from pipeline.records.timeutil import is_waktu, parse_waktu

TIMELINE = Path("demo") / "timeline.yaml"
# What the demo repository starts from: everything but the complaints themselves.
SCAFFOLD = ["puskesmas.yaml", "pelicanconf.py", "publishconf.py", "theme", "content", "admin", ".gitignore"]
_RESPONSE_BLOCK = re.compile(r"^(tanggapan|status):.*\n(?:[ \t]+.*\n|[ \t]*\n)*", re.M)


class TimelineError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message)
        self.problems = problems


@dataclass
class Step:
    complaint_id: str
    path: Path
    recorded: datetime
    responded: datetime | None
    merged: datetime | None       # None: the pull request is still open


@dataclass
class Timeline:
    start: datetime
    now: datetime
    steps: list


def load_timeline(repo: Path, policy: Policy) -> Timeline:
    shown = TIMELINE.as_posix()
    try:
        document = parse_yaml(read_text(repo / TIMELINE, shown), shown)
    except SourceError as err:
        raise TimelineError([err.problem]) from None
    data = document.data if isinstance(document.data, dict) else {}
    problems = []

    def moment(path, required=True):
        value = field_at(data, path)
        if value is None and not required:
            return None
        if not is_waktu(value):
            line, column = document.position(path)
            problems.append(Problem(shown, line, column, f"`{'.'.join(path)}` bukan waktu yang sah.",
                                    "Tulis mis. \"2026-10-05 14:00\" atau 2026-10-05T14:00:00+07:00.",
                                    ".".join(path)))
            return None
        return parse_waktu(value, policy.tz)

    start, now = moment(("mulai",)), moment(("sekarang",))
    entries = data.get("pengaduan") if isinstance(data.get("pengaduan"), dict) else {}
    complaints = {read_complaint(path, repo).id: path for path in discover(repo)}
    steps = []
    for complaint_id, path in sorted(complaints.items()):
        if complaint_id not in entries:
            line, column = document.position(("pengaduan",))
            problems.append(Problem(shown, line, column, f"pengaduan `{complaint_id}` tidak ada di linimasa.",
                                    "Tambahkan `dicatat:` (dan `dijawab:`, `digabung:`) untuk id ini.",
                                    "pengaduan"))
            continue
        base = ("pengaduan", complaint_id)
        steps.append(Step(complaint_id, path, moment(base + ("dicatat",)),
                          moment(base + ("dijawab",), required=False),
                          moment(base + ("digabung",), required=False)))
    for complaint_id in entries:
        if complaint_id not in complaints:
            line, column = document.position(("pengaduan", complaint_id))
            problems.append(Problem(shown, line, column, f"`{complaint_id}` tidak ada di content/complaints.",
                                    "Hapus entri ini atau perbaiki id-nya.", f"pengaduan.{complaint_id}"))
    if problems:
        raise TimelineError(problems)
    return Timeline(start, now, steps)


def recorded_version(text: str) -> str:
    """The file as first recorded: the same front matter without the response and status."""
    head, separator, rest = text.partition("\n---")
    return _RESPONSE_BLOCK.sub("", head + "\n").rstrip("\n") + separator + rest


class _Git:
    """git in the demo repository, as the demo's staff, at the timeline's times."""

    def __init__(self, path: Path):
        self.path = path

    def __call__(self, *args: str, when: datetime | None = None, author: datetime | None = None) -> str:
        env = {"GIT_AUTHOR_NAME": "Petugas Pengaduan", "GIT_AUTHOR_EMAIL": "pengaduan@puskesmas.example",
               "GIT_COMMITTER_NAME": "Kepala Puskesmas", "GIT_COMMITTER_EMAIL": "kepala@puskesmas.example"}
        if when:
            env["GIT_COMMITTER_DATE"] = when.isoformat()
            env["GIT_AUTHOR_DATE"] = (author or when).isoformat()
        return git.text(self.path, *args, env=env)


def replay(source: Path, target: Path, timeline: Timeline) -> None:
    """Build the demo repository at `target` (which must not exist yet: nothing is overwritten)."""
    target.mkdir(parents=True)
    for name in SCAFFOLD:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name,
                            ignore=shutil.ignore_patterns("complaints", "__pycache__"))
        elif (source / name).is_file():
            shutil.copy2(source / name, target / name)
    git = _Git(target)
    git("init", "-q", "-b", "main")
    git("config", "commit.gpgsign", "false")
    git("add", "-A")
    git("commit", "-q", "-m", "Start the complaint register", when=timeline.start)
    for step in sorted(timeline.steps, key=lambda s: (s.merged or timeline.now, s.recorded)):
        _replay_one(source, target, git, step)


def _replay_one(source: Path, target: Path, git: _Git, step: Step) -> None:
    text = step.path.read_text(encoding="utf-8")
    relative = step.path.relative_to(source)
    branch = f"pengaduan/{step.complaint_id}"
    # The branch starts from main as it was when the complaint was recorded (as a real team's
    # would): dates never go backwards along the history (plausibility flag history_backwards).
    base = git("rev-list", "-1", "--first-parent", f"--before={step.recorded.isoformat()}", "main").strip()
    git("checkout", "-q", "-b", branch, base or "main")
    (target / relative).parent.mkdir(parents=True, exist_ok=True)
    (target / relative).write_text(recorded_version(text) if step.responded else text, encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", f"Record complaint {step.complaint_id}", when=step.recorded)
    if step.responded:
        (target / relative).write_text(text, encoding="utf-8")
        git("commit", "-q", "-am", f"Respond to complaint {step.complaint_id}", when=step.responded)
    git("checkout", "-q", "main")
    if step.merged:
        git("merge", "-q", "--no-ff", branch, "-m", f"Merge pull request: {step.complaint_id}",
            when=step.merged)
