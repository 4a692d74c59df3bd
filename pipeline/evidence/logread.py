"""Reading the history: `git log --raw` and, beside it, `git cat-file --batch` for the blobs.

`read_history` is the one pass `history.collect_evidence` builds on: one `git log --raw` of the
whole graph (hashes, dates and parents in the same pass; the changes are filtered to
content/complaints here) and, running beside it, one `git cat-file --batch` that is handed each
complaint blob as soon as the log names it; a version is parsed only when it can hold a response
(its bytes name `tanggapan`, or hold a backslash that a quoted key could spell it with).

The same pass reads a part of the history (`read_history(..., since=old_tip)`: the commits of
`old..tip`, blobs already judged left out) or only the graph (`read_graph`: no diffs, no blobs,
a tenth of the time); `walkstate` builds the incremental walk from them.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator, NamedTuple

from pipeline.evidence import git
from pipeline.records.complaint import COMPLAINT_DIR, is_complaint_name, version_record
from pipeline.records.timeutil import git_time

NULL_SHA = "0" * 40
COMPLAINTS = COMPLAINT_DIR.as_posix()
_COMPLAINTS_BYTES = COMPLAINTS.encode() + b"/"
# Replacement objects (`git replace`) could show a history that is not the one committed.
NO_REPLACE = {"GIT_NO_REPLACE_OBJECTS": "1"}
# One record per commit: \x1e, then hash, author date, committer date, parents (\x1f between).
_LOG_FORMAT = "--format=%x1e%H%x1f%aI%x1f%cI%x1f%P"
_CHUNK = 1 << 20  # bytes of `git log` output handled at a time


class Change(NamedTuple):
    status: str
    old_sha: str
    new_sha: str
    old_path: str | None
    new_path: str


@dataclass
class Commit:
    sha: str
    author_date: datetime
    changes: list


@dataclass
class Walk:
    """What the one `git log` pass tells: complaint changes, and the graph for publication."""
    commits: list        # Commit, in git log's order: only those that touched a complaint file
    parents: dict        # sha -> [parent sha, ...] of every commit read, in git log's order
    committed: dict      # sha -> committer date (ISO text, parsed only when needed)
    authored: dict       # sha -> author date (ISO text)


def read_history(repo: Path, tip: str, also: object = (), since: str | None = None,
                 known: dict | None = None) -> tuple[Walk, dict[str, bool]]:
    """One pass over the history of `tip` (only `since..tip` when `since` is given), and for every
    complaint blob it names whether that version holds a `tanggapan` (`known`: blobs already
    judged, not read again). The blobs are read by `git cat-file` while the log is still being
    written, so reading them costs (almost) no time of its own."""
    walk = Walk([], {}, {}, {})
    blobs = BlobReader(repo, known)
    for sha in also:  # the versions at the tip (a merge may have made one the log does not name)
        blobs.want(sha)
    log = log_records(repo, tip, *([f"^{since}"] if since else []))
    try:
        for records in log:
            for record in records:
                _add_record(walk, record, blobs)
            blobs.send()  # once per chunk: few, large writes
        return walk, blobs.finish()
    finally:
        log.close()  # on a failure half-way: stop git log too
        blobs.close()


def read_graph(repo: Path, tip: str) -> Walk:
    """The graph of the history of `tip` (parents and dates, in git log's order), no changes."""
    walk = Walk([], {}, {}, {})
    for records in log_records(repo, tip, raw=False):
        for record in records:
            _add_record(walk, record, None)
    return walk


def _add_record(walk: Walk, record: bytes, blobs: "BlobReader | None") -> None:
    """One commit of the log: its place in the graph, and its complaint changes if any."""
    header, _, body = record.partition(b"\0")
    sha, author_date, committer_date, parents = header.decode().strip("\n").split("\x1f")
    walk.parents[sha] = parents.split()
    walk.committed[sha] = committer_date
    walk.authored[sha] = author_date
    if blobs is None or _COMPLAINTS_BYTES not in body:  # most commits of a busy repository
        return
    changes = _parse_raw(body)
    if changes:
        walk.commits.append(Commit(sha, git_time(author_date), changes))
        for change in changes:
            blobs.want(change.old_sha)
            blobs.want(change.new_sha)


def log_records(repo: Path, *revisions: str, raw: bool = True) -> Iterator[list[bytes]]:
    """The commits of `git log --raw -M -z`, a chunk's worth of complete records at a time, as
    git writes them (not after it is done): the caller works while git still walks. Without
    `raw`, the same walk (the same order) without the diffs."""
    # No pathspec: git limits paths per commit more slowly than we filter its output.
    command = ["log", _LOG_FORMAT, *(["--raw", "-M"] if raw else []), "--no-abbrev", "-z", "--no-color",
               *revisions]
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
    return {**os.environ, **NO_REPLACE}


def _parse_raw(body: bytes) -> list[Change]:
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
        if status[0] != "D" and new_path.startswith(COMPLAINTS + "/") and is_complaint_name(name):
            changes.append(Change(status[0], old_sha, new_sha, old_path, new_path))
    return changes


class BlobReader:
    """`git cat-file --batch` beside the log: blob ids go in as the log names them, and a
    thread reads the blobs out as they come, noting for each whether it holds a `tanggapan`.
    `known`: blobs already judged (by an earlier walk), never asked for again."""

    def __init__(self, repo: Path, known: dict | None = None):
        self._errors = tempfile.TemporaryFile()
        # --buffer: git writes the blobs in large blocks instead of flushing after each one.
        self._process = git.start(repo, "cat-file", "--batch", "--buffer", env=_environment(),
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors)
        self._asked: set[str] = {NULL_SHA, *(known or ())}   # the null id is "no file": never ask
        self._waiting: list[str] = []
        self._presence: dict[str, bool] = dict(known or {})
        self.read = 0   # blobs read by git here
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
        """Every blob asked for (and known) -> whether its front matter holds a `tanggapan`."""
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
                self.read += 1
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
