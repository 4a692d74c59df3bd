"""Who changed what the repository says about trust, and when: the commits that touched a TSA CA
file of `bukti.tsa[].ca` or the `bukti:` block of `puskesmas.yaml` (for `pengaduan bukti`).

A CA file in the repository is only a claim by whoever committed it; an auditor reads here who
added or replaced it, with the commit's dates (themselves claims, but on record).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.evidence import git
from pipeline.evidence.git import GitError
from pipeline.records.policy import POLICY_FILE
from pipeline.records.source import SourceError, decode_text, parse_yaml


@dataclass
class TrustChange:
    sha: str
    author: str
    authored: str      # ISO
    committed: str     # ISO
    subject: str
    paths: list        # what it changed: CA files, and/or "puskesmas.yaml (bukti)"


def trust_changes(repo: Path, ref: str, ca_paths: list[str]) -> list[TrustChange]:
    """The commits of `ref`'s history that changed a CA file or the policy's `bukti` block,
    newest first."""
    paths = sorted({path for path in ca_paths if path and not Path(path).is_absolute()})
    try:
        raw = git.run(repo, "log", "--format=%x1e%H%x1f%an%x1f%aI%x1f%cI%x1f%s", "--name-only", "-z",
                      ref, "--", POLICY_FILE, *paths).decode("utf-8", "replace")
    except GitError:
        return []
    changes = []
    for record in raw.split("\x1e"):
        if not record.strip():
            continue
        header, _, names = record.partition("\n")
        header = header.rstrip("\0")   # (-z ends the format with a NUL too)
        sha, author, authored, committed, subject = header.split("\x1f")
        touched = [name.strip("\n") for name in names.split("\0") if name.strip("\n")]
        shown = [name for name in touched if name in paths]
        if POLICY_FILE in touched and _bukti_changed(repo, sha):
            shown.append(f"{POLICY_FILE} (bukti)")
        if shown:
            changes.append(TrustChange(sha, author, authored, committed, subject.strip(), shown))
    return changes


def _bukti_changed(repo: Path, sha: str) -> bool:
    return _bukti_at(repo, sha) != _bukti_at(repo, f"{sha}^")


def _bukti_at(repo: Path, rev: str):
    """The `bukti` block of the policy at `rev`, read as the policy's loader reads it; the text when
    that loader refuses it (YAML aliases too: two versions of a "billion laughs" compared would
    be walked 9^9 times)."""
    try:
        text = git.run(repo, "show", f"{rev}:{POLICY_FILE}")
    except GitError:
        return None   # no parent, or no policy there
    try:
        data = parse_yaml(decode_text(text, POLICY_FILE), POLICY_FILE).data
    except SourceError:
        return text   # unreadable: compare as text
    return data.get("bukti") if isinstance(data, dict) else None
