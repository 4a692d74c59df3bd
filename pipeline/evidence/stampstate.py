"""The read of the stamp branch kept between runs: only the stamp commits not read yet are read.

`stamps.read_tokens` needs, for the stamp branch refs (local and remote-tracking), the files at
their tips and every file any of their commits ever wrote under `stempel/` (a token that a later
commit removed or replaced is still evidence, reported `removed`). Read in full that is one
`git log --raw` over the whole stamp branch, and the branch gets one commit per push: tens of
thousands of commits, each diffed against a folder of tens of thousands of runs.

What is kept (`.git/pengaduan/stamp-state.json`, beside `token_cache`): the tips it was read at,
every (path, blob id) ever written with the refs at whose tip it is, and the blob ids each list
(`daftar.txt`, by its own blob id) names. Nothing else: no file content besides those lists
(which only name blob ids, and are on the pushed branch anyway), no complaint data.

Why the kept read is the full read:
- the files ever written are the union, over the commits reachable from the tips, of what each
  commit wrote against each of its parents (`--full-history -m --root`: no history
  simplification, a merge's own changes included, the root's files as added). That is a function
  of each commit alone, so for new tips of which every old tip is an ancestor, the history of the
  new tips is the old history plus `git log NEW... ^OLD...`, and the union is the old union plus
  what those commits wrote;
- the files at a tip are read again (`ls-tree`) for every ref whose tip moved;
- a list's blob id is its content.
When an old tip is not an ancestor of a new one (a rewritten or force-pushed stamp branch, a
deleted ref), the state is missing, damaged (a sha256 of it is checked), of another format, or
cannot be read, everything is read again in full: tokens the rewrite dropped are then no longer
in the history, as for any full read. Replacement objects are ignored in every read. Like
`token_cache`, the file is only as trustworthy as the clone it is in (whoever can write `.git/`
can also change the program): an auditor reads a clone of their own.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.evidence import checkedjson, git
from pipeline.evidence.git import GitError
from pipeline.evidence.logread import NO_REPLACE

FORMAT = 1
NAME = "pengaduan/stamp-state.json"
_LOG = ("log", "--raw", "-z", "--no-renames", "--no-abbrev", "--full-history", "-m", "--root", "--format=%x1e")


@dataclass
class StampStats:
    """How the stamp branch was read (for tests and benchmarks)."""
    path: str = ""       # "same" (nothing new), "incremental" or "full"
    reason: str = ""     # why a full read
    written: int = 0     # (path, blob id) entries the log wrote


@dataclass
class StampFiles:
    tips: dict                                   # ref -> commit
    at_tip: set                                  # (path, blob id) at some tip now
    ever: set                                    # (path, blob id) ever written (at_tip included)
    lists: dict = field(default_factory=dict)    # list blob id -> [blob id] it names (as _blob_list)
    _mask: dict = field(default_factory=dict)    # (path, blob id) -> bit per ref (REFS order) at its tip
    state: Path | None = None
    changed: bool = False

    def remember_lists(self, found: dict) -> None:
        new = {sha: blobs for sha, blobs in found.items() if sha not in self.lists}
        if new:
            self.lists.update(new)
            self.changed = True

    def save(self) -> None:
        if self.state is None or not self.changed:
            return
        refs = sorted(self.tips)
        entries = [[path, sha, self._mask.get((path, sha), 0)] for path, sha in sorted(self.ever)]
        data = {"format": FORMAT, "refs": refs, "tips": [self.tips[ref] for ref in refs],
                "entries": entries, "lists": self.lists}
        checkedjson.save(self.state, data, ".stamp-state-")
        self.changed = False


def locate(repo: Path) -> Path | None:
    """The state file of `repo` (in its git directory), None outside a repository."""
    try:
        where = git.run(repo, "rev-parse", "--git-path", NAME).decode().strip()
    except GitError:
        return None
    return Path(where) if os.path.isabs(where) else repo / where


def read_files(repo: Path, tips: dict, refs_order: tuple, folder: str, keep: bool = True,
               stats: StampStats | None = None) -> StampFiles:
    """The files at the tips and ever written under `folder` on the refs `tips` ({ref: commit}),
    from the kept state when it can be trusted (then saved for these tips by `StampFiles.save`).
    `keep` False: a full read, nothing kept."""
    stats = stats if stats is not None else StampStats()
    state = locate(repo) if keep else None
    saved = _load(state) if state is not None else None
    bits = {ref: 1 << index for index, ref in enumerate(refs_order)}
    if state is None:
        stats.reason = "tanpa cache"
    elif saved is None:
        stats.reason = "tidak ada keadaan yang sah"
    elif saved.tips == tips:
        stats.path = "same"
        saved.state = state
        return saved
    elif not all(any(old == new or _ancestor(repo, old, new) for new in tips.values())
                 for old in saved.tips.values()):
        stats.reason = "tip lama bukan leluhur tip baru"
    else:
        moved = [ref for ref in tips if saved.tips.get(ref) != tips[ref]]
        written = _written(repo, list(tips.values()), list(saved.tips.values()), folder)
        stats.path, stats.written = "incremental", len(written)
        mask = dict(saved._mask)
        cleared = sum(bits.get(ref, 0) for ref in set(saved.tips) | set(tips) if ref not in tips or ref in moved)
        for key in [key for key, value in mask.items() if value & cleared]:
            mask[key] &= ~cleared
        for ref in moved:
            for entry in _at_tip(repo, tips[ref], folder):
                mask[entry] = mask.get(entry, 0) | bits[ref]
        at_tip = {key for key, value in mask.items() if value}
        return StampFiles(dict(tips), at_tip, saved.ever | written | at_tip, saved.lists,
                          {key: value for key, value in mask.items() if value}, state, True)
    mask: dict = {}
    for ref, tip in tips.items():
        for entry in _at_tip(repo, tip, folder):
            mask[entry] = mask.get(entry, 0) | bits[ref]
    written = _written(repo, list(tips.values()), [], folder)
    stats.path, stats.written = "full", len(written)
    return StampFiles(dict(tips), set(mask), set(mask) | written, {}, mask, state, state is not None)


def _ancestor(repo: Path, old: str, new: str) -> bool:
    return git.succeeds(repo, "merge-base", "--is-ancestor", old, new, env=NO_REPLACE)


def _at_tip(repo: Path, tip: str, folder: str) -> list[tuple[str, str]]:
    listed = git.run(repo, "ls-tree", "-r", "-z", "--full-tree", tip, "--", folder, env=NO_REPLACE)
    found = []
    for entry in listed.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        if path:
            found.append((path.decode("utf-8", "replace"), meta.split(b" ")[2].decode()))
    return found


def _written(repo: Path, tips: list[str], exclude: list[str], folder: str) -> set[tuple[str, str]]:
    """(path, blob id) of every file under `folder` any commit reachable from `tips` and not from
    `exclude` wrote (added or changed), against any of its parents."""
    if not tips:
        return set()
    raw = git.run(repo, *_LOG, *tips, *(f"^{sha}" for sha in exclude), "--", folder, env=NO_REPLACE)
    found = set()
    fields = raw.split(b"\0")
    for index, meta in enumerate(fields):
        meta = meta.strip(b"\x1e\n")
        if meta.startswith(b":") and index + 1 < len(fields):
            _, _, _, new_sha, status = meta.decode().split(" ")
            if status[0] in "AMT":
                found.add((fields[index + 1].decode("utf-8", "replace"), new_sha))
    return found


def _load(state: Path) -> StampFiles | None:
    data = checkedjson.load(state)
    try:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        refs, tips, lists = data["refs"], data["tips"], data["lists"]
        if not (isinstance(refs, list) and isinstance(tips, list) and len(refs) == len(tips)
                and all(isinstance(tip, str) and len(tip) in (40, 64) for tip in tips)
                and isinstance(lists, dict) and all(isinstance(blobs, list) for blobs in lists.values())):
            return None
        mask = {}
        ever = set()
        for path, sha, bits in data["entries"]:
            if not (isinstance(path, str) and isinstance(sha, str) and isinstance(bits, int)):
                return None
            ever.add((path, sha))
            if bits:
                mask[(path, sha)] = bits
        return StampFiles(dict(zip(refs, tips)), set(mask), ever, lists, mask)
    except (OSError, ValueError, TypeError, KeyError, UnicodeDecodeError):
        return None   # missing, damaged or foreign: a full read
