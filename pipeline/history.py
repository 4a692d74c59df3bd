"""Git history as evidence: when each complaint was really recorded, answered and published.

Declared times in a file are claims; commits show when a step reached the repository. For each
complaint id we derive, in one pass over the history of a ref:

- recorded_at:  author date of the earliest commit in which the complaint file exists (renames
                are followed, so an earlier file name counts);
- responded_at: author date of the earliest commit in which its `tanggapan` is present;
- published_at: committer date of the first-parent commit of the ref that brought the response
                onto it: the merge commit of the pull request, or with a rebase merge the rebased
                commit itself (its committer date is the merge time).

What each merge strategy means for the evidence is documented in the README ("Evidence").

Cost: one `git log` of the whole graph (hashes, parents, committer dates), one `git log --raw`
(filtered to content/complaints here), and one `git cat-file --batch` for the complaint blobs
that changed. No YAML is parsed: whether a version holds a response is read off its text.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from .records import COMPLAINT_DIR

_NULL_SHA = "0" * 40
_COMPLAINTS = COMPLAINT_DIR.as_posix()
_COMPLAINTS_BYTES = _COMPLAINTS.encode() + b"/"
# A top-level `tanggapan:` key followed by an indented line or an inline value that is not empty.
_HAS_RESPONSE = re.compile(rb"^tanggapan:[ \t]*(?:#[^\n]*)?\n[ \t]+[^\s#]|^tanggapan:[ \t]*[^\s#~n{]"
                           rb"|^tanggapan:[ \t]*\{[ \t]*[^\s}]", re.M)
_FRONT_MATTER_END = re.compile(rb"^(?:---|\.\.\.)[ \t]*$", re.M)


class HistoryError(Exception):
    """Git could not be read (not a repository, unknown ref): the message says what to do."""


@dataclass
class Evidence:
    recorded_at: datetime | None = None
    responded_at: datetime | None = None
    published_at: datetime | None = None
    recorded_commit: str | None = None
    responded_commit: str | None = None
    published_commit: str | None = None


@dataclass
class _Change:
    status: str
    old_sha: str
    new_sha: str
    old_path: str | None
    new_path: str


@dataclass
class _Commit:
    sha: str
    author_date: datetime
    changes: list


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True,
                              check=False)
    except FileNotFoundError:
        raise HistoryError("perintah `git` tidak ditemukan; pasang git terlebih dahulu.") from None
    if done.returncode != 0:
        raise HistoryError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} gagal")
    return done.stdout


def resolve_ref(repo: Path, ref: str) -> str | None:
    """The commit a ref points at, or None in a repository with no commit yet."""
    try:
        _git(repo, "rev-parse", "--git-dir")
    except HistoryError:
        raise HistoryError(f"'{repo}' bukan repositori git. Jalankan `git init` atau pakai --repo.") from None
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except HistoryError:
        if ref == "HEAD":
            return None  # an empty repository: nothing is recorded yet
        raise HistoryError(f"ref `{ref}` tidak ditemukan di repositori. Periksa nama cabangnya "
                           "(mis. main) dan pastikan riwayat lengkap diambil (fetch-depth: 0).") from None


def collect_evidence(repo: Path, ref: str = "HEAD") -> dict[str, Evidence]:
    """Evidence per complaint id for the history of `ref`."""
    tip = resolve_ref(repo, ref)
    if tip is None:
        return {}
    commits = _changes(repo, tip)
    presence = _response_presence(repo, commits)
    evidence: dict[str, Evidence] = {}
    renamed_to: dict[str, str] = {}
    for commit in commits:
        for change in commit.changes:
            complaint_id = PurePosixPath(change.new_path).stem
            if change.old_path and PurePosixPath(change.old_path).stem != complaint_id:
                renamed_to[PurePosixPath(change.old_path).stem] = complaint_id
            found = evidence.setdefault(complaint_id, Evidence())
            if change.status == "A":
                _keep_earliest(found, "recorded", commit)
            if presence.get(change.new_sha) and not presence.get(change.old_sha):
                _keep_earliest(found, "responded", commit)
    evidence = _follow_renames(evidence, renamed_to)
    _add_publication(repo, tip, evidence)
    return evidence


def _keep_earliest(found: Evidence, step: str, commit: _Commit) -> None:
    current = getattr(found, f"{step}_at")
    if current is None or commit.author_date < current:
        setattr(found, f"{step}_at", commit.author_date)
        setattr(found, f"{step}_commit", commit.sha)


def _follow_renames(evidence: dict, renamed_to: dict) -> dict:
    """Fold the evidence of an earlier file name into the id the file has now."""
    merged: dict[str, Evidence] = {}
    for complaint_id, found in evidence.items():
        final, seen = complaint_id, {complaint_id}
        while final in renamed_to and renamed_to[final] not in seen:
            final = renamed_to[final]
            seen.add(final)
        target = merged.setdefault(final, Evidence())
        for step in ("recorded", "responded"):
            moment = getattr(found, f"{step}_at")
            if moment is not None and (getattr(target, f"{step}_at") is None
                                       or moment < getattr(target, f"{step}_at")):
                setattr(target, f"{step}_at", moment)
                setattr(target, f"{step}_commit", getattr(found, f"{step}_commit"))
    return merged


def _changes(repo: Path, tip: str) -> list[_Commit]:
    """Every commit of the ref that touched a complaint file, with what it changed."""
    # No pathspec: git limits paths per commit more slowly than we filter its output.
    raw = _git(repo, "log", "--format=%x1e%H%x1f%aI", "--raw", "-M", "--no-abbrev", "-z",
               "--no-color", tip)
    commits = []
    for record in raw.split(b"\x1e")[1:]:
        header, _, body = record.partition(b"\0\n")
        changes = _parse_raw(body) if _COMPLAINTS_BYTES in body else []
        if changes:
            sha, author_date = header.rstrip(b"\0\n").decode().split("\x1f")
            commits.append(_Commit(sha, datetime.fromisoformat(author_date), changes))
    return commits


def _parse_raw(body: bytes) -> list[_Change]:
    tokens = body.split(b"\0")
    changes, index = [], 0
    while index < len(tokens):
        meta = tokens[index].strip()
        index += 1
        if not meta.startswith(b":"):
            continue
        _, _, old_sha, new_sha, status = meta.decode().split(" ")
        if status[0] in "RC":
            old_path, new_path = tokens[index].decode(), tokens[index + 1].decode()
            index += 2
        else:
            old_path, new_path = None, tokens[index].decode()
            index += 1
        if status[0] != "D" and new_path.endswith(".md") and new_path.startswith(_COMPLAINTS + "/"):
            changes.append(_Change(status[0], old_sha, new_sha, old_path, new_path))
    return changes


def _response_presence(repo: Path, commits: list[_Commit]) -> dict[str, bool]:
    """For every blob that changed, whether its front matter holds a `tanggapan`."""
    shas = sorted({sha for commit in commits for change in commit.changes
                   for sha in (change.old_sha, change.new_sha) if sha != _NULL_SHA})
    if not shas:
        return {}
    output = _git(repo, "cat-file", "--batch", stdin="\n".join(shas).encode() + b"\n")
    presence, position = {}, 0
    for sha in shas:
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split(b" ")[2])
        content = output[header_end + 1:header_end + 1 + size]
        position = header_end + 1 + size + 1
        presence[sha] = _front_matter_has_response(content)
    return presence


def _front_matter_has_response(content: bytes) -> bool:
    content = content.replace(b"\r\n", b"\n")
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    if not content.startswith(b"---"):
        return False
    end = _FRONT_MATTER_END.search(content, 4)
    front = content[4:end.start()] if end else content[4:]
    return bool(_HAS_RESPONSE.search(front))


def _add_publication(repo: Path, tip: str, evidence: dict[str, Evidence]) -> None:
    """published_at: the first-parent commit of the ref that brought the response onto it."""
    parents, committed = {}, {}
    for line in _git(repo, "log", "--format=%H %cI %P", tip).decode().splitlines():
        sha, committer_date, *rest = line.split(" ")
        parents[sha], committed[sha] = rest, committer_date
    chain, sha = [], tip
    while sha:
        chain.append(sha)
        sha = parents[sha][0] if parents[sha] else None
    brought_by: dict[str, str] = {}
    for mainline in reversed(chain):  # oldest first: each commit is claimed by the first that brings it
        stack = [mainline]
        while stack:
            sha = stack.pop()
            if sha in brought_by:
                continue
            brought_by[sha] = mainline
            stack.extend(parents.get(sha, []))
    for found in evidence.values():
        if found.responded_commit:
            found.published_commit = brought_by[found.responded_commit]
            found.published_at = datetime.fromisoformat(committed[found.published_commit])


def commit_time(repo: Path, ref: str = "HEAD") -> datetime | None:
    """Committer date of `ref`: the moment a build of that commit describes."""
    tip = resolve_ref(repo, ref)
    if tip is None:
        return None
    return datetime.fromisoformat(_git(repo, "log", "-1", "--format=%cI", tip).decode().strip())
