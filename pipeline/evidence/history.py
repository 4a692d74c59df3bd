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

A step is read from the parsed front matter of each version (the loader's own parser): the
response is done at the first version whose record holds a `tanggapan`, and undone when a later
version takes it out (a response is counted only if the file at the ref still holds it, from the
versions after its last removal). A shallow or grafted history is refused (`IncompleteHistory`):
what is missing could hold any step. Replacement refs (`git replace`) are ignored.

Cost: one `git log --raw` of the whole graph (hashes, dates and parents in the same pass; the
changes are filtered to content/complaints here) and, running beside it, one `git cat-file
--batch` that is handed each complaint blob as soon as the log names it; a version is parsed only
when it can hold a response (its bytes name `tanggapan`, or hold a backslash that a quoted key
could spell it with).
"""
from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator

from pipeline.evidence import git
from pipeline.evidence.git import GitError
from pipeline.evidence.steps import CommitTimes, Evidence, Steps, commit_times, follow_renames
from pipeline.records.complaint import COMPLAINT_DIR, version_record

__all__ = ["CommitTimes", "Evidence", "IncompleteHistory", "collect_evidence", "commit_time", "export_files",
           "resolve_ref"]

_NULL_SHA = "0" * 40
_COMPLAINTS = COMPLAINT_DIR.as_posix()
_COMPLAINTS_BYTES = _COMPLAINTS.encode() + b"/"
# Replacement objects (`git replace`) could show a history that is not the one committed.
_NO_REPLACE = {"GIT_NO_REPLACE_OBJECTS": "1"}
# One record per commit: \x1e, then hash, author date, committer date, parents (\x1f between).
_LOG_FORMAT = "--format=%x1e%H%x1f%aI%x1f%cI%x1f%P"
_CHUNK = 1 << 20  # bytes of `git log` output handled at a time


class IncompleteHistory(GitError):
    """A shallow or grafted repository: the missing history could hold any step."""


INCOMPLETE_MESSAGE = (
    "riwayat git tidak lengkap ({what}): waktu langkah SOP tidak dapat dibuktikan, jadi tidak ada "
    "yang dinilai. Ambil riwayat lengkap dengan `git fetch --unshallow` (di GitHub Actions: "
    "`fetch-depth: 0` pada langkah actions/checkout), lalu jalankan lagi.")


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


def _git(repo: Path, *args: str) -> bytes:
    return git.run(repo, *args, env=_NO_REPLACE)


def resolve_ref(repo: Path, ref: str) -> str | None:
    """The commit a ref points at, or None in a repository with no commit yet."""
    if not git.succeeds(repo, "rev-parse", "--git-dir"):
        raise GitError(f"'{repo}' bukan repositori git. Jalankan `git init` atau pakai --repo.")
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except GitError:
        if ref == "HEAD":
            return None  # an empty repository: nothing is recorded yet
        raise GitError(f"ref `{ref}` tidak ditemukan di repositori. Periksa nama cabangnya "
                           "(mis. main) dan pastikan riwayat lengkap diambil (fetch-depth: 0).") from None


def check_complete(repo: Path) -> None:
    """Raise IncompleteHistory for a shallow clone or a repository with grafts."""
    shallow, grafts = _git(repo, "rev-parse", "--is-shallow-repository", "--git-path",
                           "info/grafts").decode().splitlines()[:2]
    if shallow.strip() == "true":
        raise IncompleteHistory(INCOMPLETE_MESSAGE.format(what="shallow clone"))
    grafts_file = Path(grafts) if os.path.isabs(grafts) else repo / grafts
    try:
        lines = grafts_file.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return
    if any(line.strip() and not line.startswith("#") for line in lines):
        raise IncompleteHistory(INCOMPLETE_MESSAGE.format(what=f"graft di {grafts}"))


def collect_evidence(repo: Path, ref: str = "HEAD") -> dict[str, Evidence]:
    """Evidence per complaint id for the history of `ref`."""
    tip = resolve_ref(repo, ref)
    if tip is None:
        return {}
    check_complete(repo)
    at_tip = _tip_versions(repo, tip)
    walk, presence = _read_history(repo, tip, at_tip.values())
    raw: dict[str, Steps] = {}
    renamed_to: dict[str, str] = {}
    for commit in walk.commits:
        for change in commit.changes:
            complaint_id = _stem(change.new_path)
            if change.old_path and _stem(change.old_path) != complaint_id:
                renamed_to[_stem(change.old_path)] = complaint_id
            raw.setdefault(complaint_id, Steps()).add(commit, change, presence)
    evidence = {complaint_id: steps.judge(walk, presence.get(at_tip.get(complaint_id, ""), False))
                for complaint_id, steps in follow_renames(raw, renamed_to).items()}
    _add_publication(walk, tip, evidence)
    return evidence


def _tip_versions(repo: Path, tip: str) -> dict[str, str]:
    """Complaint id -> blob id of its file at the tip."""
    listed = _git(repo, "ls-tree", "-r", "-z", "--full-tree", tip, "--", _COMPLAINTS)
    versions = {}
    for entry in listed.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        if path.endswith(b".md") and meta.split(b" ")[1:2] == [b"blob"]:
            versions[_stem(path.decode("utf-8", "surrogateescape"))] = meta.split(b" ")[2].decode()
    return versions


def _stem(path: str) -> str:
    """PurePosixPath(path).stem for a path as git writes it (normalised, "/"), without building
    a path object: this runs for every change of the history."""
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


@dataclass
class _Walk:
    """What the one `git log` pass tells: complaint changes, and the graph for publication."""
    commits: list        # _Commit, newest first: only those that touched a complaint file
    parents: dict        # sha -> [parent sha, ...] of every commit of the ref
    committed: dict      # sha -> committer date (ISO text, parsed only when needed)
    authored: dict       # sha -> author date (ISO text)


def _read_history(repo: Path, tip: str, also: object = ()) -> tuple[_Walk, dict[str, bool]]:
    """One pass over the history of `tip`, and for every complaint blob it names whether that
    version holds a `tanggapan`. The blobs are read by `git cat-file` while the log is still
    being written, so reading them costs (almost) no time of its own."""
    walk = _Walk([], {}, {}, {})
    blobs = _BlobReader(repo)
    for sha in also:  # the versions at the tip (a merge may have made one the log does not name)
        blobs.want(sha)
    log = _log_records(repo, tip)
    try:
        for records in log:
            for record in records:
                _add_record(walk, record, blobs)
            blobs.send()  # once per chunk: few, large writes
        return walk, blobs.finish()
    finally:
        log.close()  # on a failure half-way: stop git log too
        blobs.close()


def _add_record(walk: _Walk, record: bytes, blobs: "_BlobReader") -> None:
    """One commit of the log: its place in the graph, and its complaint changes if any."""
    header, _, body = record.partition(b"\0")
    sha, author_date, committer_date, parents = header.decode().split("\x1f")
    walk.parents[sha] = parents.split()
    walk.committed[sha] = committer_date
    walk.authored[sha] = author_date
    if _COMPLAINTS_BYTES not in body:  # most commits of a busy repository: skip the parsing
        return
    changes = _parse_raw(body)
    if changes:
        walk.commits.append(_Commit(sha, datetime.fromisoformat(author_date), changes))
        for change in changes:
            blobs.want(change.old_sha)
            blobs.want(change.new_sha)


def _log_records(repo: Path, tip: str) -> Iterator[list[bytes]]:
    """The commits of `git log --raw -M -z`, a chunk's worth of complete records at a time, as
    git writes them (not after it is done): the caller works while git still walks."""
    # No pathspec: git limits paths per commit more slowly than we filter its output.
    command = ["log", _LOG_FORMAT, "--raw", "-M", "--no-abbrev", "-z", "--no-color", tip]
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a chatty git never blocks
        process = git.start(repo, *command, stdout=subprocess.PIPE, stderr=errors, env=_environment())
        try:
            rest = b""
            while chunk := process.stdout.read1(_CHUNK):
                records = (rest + chunk).split(b"\x1e")
                rest = records.pop()  # the last record may be cut off: wait for the next chunk
                yield [record for record in records if record]
            if rest:
                yield [rest]
        finally:
            process.stdout.close()
            returncode = process.wait()
        if returncode != 0:
            errors.seek(0)
            raise git.failure(command, errors.read())


def _environment() -> dict:
    return {**os.environ, **_NO_REPLACE}


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
        name = new_path.rpartition("/")[2]   # what discover() reads: no README.md, _draft.md, .hidden.md
        if status[0] != "D" and new_path.endswith(".md") and new_path.startswith(_COMPLAINTS + "/") \
                and not name.startswith(("_", ".", "README")):
            changes.append(_Change(status[0], old_sha, new_sha, old_path, new_path))
    return changes


class _BlobReader:
    """`git cat-file --batch` beside the log: blob ids go in as the log names them, and a
    thread reads the blobs out as they come, noting for each whether it holds a `tanggapan`."""

    def __init__(self, repo: Path):
        self._errors = tempfile.TemporaryFile()
        # --buffer: git writes the blobs in large blocks instead of flushing after each one.
        self._process = git.start(repo, "cat-file", "--batch", "--buffer", env=_environment(),
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors)
        self._asked: set[str] = {_NULL_SHA}   # the null id is "no file": never ask for it
        self._waiting: list[str] = []
        self._presence: dict[str, bool] = {}
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def want(self, sha: str) -> None:
        if sha not in self._asked:
            self._asked.add(sha)
            self._waiting.append(sha)

    def send(self) -> None:
        if self._waiting:
            try:
                self._process.stdin.write(("\n".join(self._waiting) + "\n").encode())
            except BrokenPipeError:
                pass  # git stopped early; finish() reports why
            self._waiting.clear()

    def finish(self) -> dict[str, bool]:
        """Every blob asked for -> whether its front matter holds a `tanggapan`."""
        self.send()
        try:
            self._process.stdin.close()  # end of input: git writes out the rest and exits
        except BrokenPipeError:
            pass
        self._thread.join()
        if self._process.wait() != 0 or self._failure is not None:
            self._errors.seek(0)
            said = self._errors.read().decode("utf-8", "replace").strip()
            raise git.failure(["cat-file"], said or f"{self._failure}")
        return self._presence

    def close(self) -> None:
        """Stop git and the thread (after finish, or when the log failed half-way)."""
        if self._process.poll() is None:
            self._process.kill()  # its output then ends, and so does the reading thread
        self._process.wait()
        self._thread.join()
        for pipe in (self._process.stdin, self._process.stdout):
            try:
                pipe.close()
            except OSError:
                pass  # unwritten input of a killed process
        self._errors.close()

    def _read(self) -> None:
        """Thread: for each blob, a line `<sha> blob <size>`, the content, a newline."""
        output = self._process.stdout
        try:
            while header := output.readline():
                sha, kind, *size = header.split()
                if kind != b"blob" or not size:  # `<sha> missing`: the history is incomplete
                    raise ValueError(f"objek {sha.decode()} tidak ada atau bukan blob")
                content = output.read(int(size[0]) + 1)[:-1]  # + the newline after it
                self._presence[sha.decode()] = holds_response(content)
        except (OSError, ValueError) as err:
            self._failure = err


def holds_response(content: bytes) -> bool:
    """Whether this version's parsed front matter holds a `tanggapan`. A version that neither
    names `tanggapan` nor holds a backslash (a quoted key can spell a letter as an escape) cannot
    hold one, so it is not parsed."""
    if b"tanggapan" not in content and b"\\" not in content:
        return False
    record = version_record(content)
    return bool(record and record.get("tanggapan"))


def _add_publication(walk: _Walk, tip: str, evidence: dict[str, Evidence]) -> None:
    """published_at: the first-parent commit of the ref that brought the response onto it. And,
    for every step, the dates of the first-parent commit that brought it (`Evidence.brought`),
    with the latest committer date of the first-parent line before it: a merge dated before a
    commit already on the line shows dates going backwards, wherever the step's own commit is."""
    parents = walk.parents
    chain, sha = [], tip
    while sha:
        chain.append(sha)
        sha = parents[sha][0] if parents[sha] else None
    brought_by: dict[str, str] = {}
    latest_before: dict[str, datetime | None] = {}   # first-parent commit -> latest date before it
    latest = None
    for mainline in reversed(chain):  # oldest first: each commit is claimed by the first that brings it
        latest_before[mainline] = latest
        committed = datetime.fromisoformat(walk.committed[mainline])
        latest = committed if latest is None else max(latest, committed)
        stack = [mainline]
        while stack:
            sha = stack.pop()
            if sha in brought_by:
                continue
            brought_by[sha] = mainline
            stack.extend(parents.get(sha, []))

    def line_times(mainline: str) -> CommitTimes:
        times = commit_times(walk, mainline, first_parent=True)
        times.parent_committed = latest_before[mainline]
        return times

    for found in evidence.values():
        for step in ("recorded", "responded"):
            commit = getattr(found, f"{step}_commit")
            if commit in brought_by:
                found.brought[step] = line_times(brought_by[commit])
        if found.responded_commit:
            found.published_commit = brought_by[found.responded_commit]
            found.published_at = datetime.fromisoformat(walk.committed[found.published_commit])
            found.times["published"] = found.brought["published"] = line_times(found.published_commit)


def export_files(repo: Path, ref: str, paths: list[str], folder: Path) -> None:
    """Write the files `paths` (files or folders) as they are at `ref` into `folder`; a path
    that does not exist at `ref` is left out (e.g. no complaint folder yet)."""
    tip = resolve_ref(repo, ref)
    if tip is None:
        return
    listed = _git(repo, "ls-tree", "-r", "-z", "--name-only", tip, "--", *paths)
    names = [name for name in listed.decode("utf-8", "surrogateescape").split("\0") if name]
    if not names:
        return
    archive = _git(repo, "archive", "--format=tar", tip, "--", *names)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        try:
            tar.extractall(folder, filter="data")
        except TypeError:  # Python without extraction filters (before 3.10.12)
            tar.extractall(folder)


def commit_time(repo: Path, ref: str = "HEAD") -> datetime | None:
    """Committer date of `ref`: the moment a build of that commit describes."""
    tip = resolve_ref(repo, ref)
    if tip is None:
        return None
    return datetime.fromisoformat(_git(repo, "log", "-1", "--format=%cI", tip).decode().strip())


def people(repo: Path) -> set[tuple[str, str]]:
    """(name, e-mail) of every author and committer in the history of every branch; empty
    outside a git repository. The build's privacy gate looks for them in the built site."""
    try:
        raw = git.run(repo, "log", "--all", "--format=%an%x00%ae%x00%cn%x00%ce%x00")
    except GitError:
        return set()
    fields = raw.decode("utf-8", "replace").replace("\n", "").split("\x00")
    return {(fields[i].strip(), fields[i + 1].strip()) for i in range(0, len(fields) - 1, 2)}
