"""The steps one complaint file's versions show, and the dates of the commits that show them.

`history` reads the log and hands each complaint's changes here (`Steps.add`); `Steps.judge`
decides, once the file at the ref is known, when each step was done: the file was recorded by the
earliest commit that created it (under any earlier name), the response by the earliest commit
that took it in and was not undone by a later removal, and only while the file at the ref still
holds it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pipeline.records.timeutil import git_time


@dataclass
class CommitTimes:
    """The dates of the commit that shows a step, for the plausibility checks."""
    sha: str
    authored: datetime
    committed: datetime
    parent_committed: datetime | None   # the latest committer date of its parents (None: root)


@dataclass
class Evidence:
    recorded_at: datetime | None = None
    responded_at: datetime | None = None
    published_at: datetime | None = None
    recorded_commit: str | None = None
    responded_commit: str | None = None
    published_commit: str | None = None
    versions: list = field(default_factory=list)     # blob ids of every version in the history
    responses: list = field(default_factory=list)    # blob ids of the versions holding the response
    times: dict = field(default_factory=dict)        # "recorded"/"responded"/"published" -> CommitTimes
    # step -> CommitTimes of the first-parent commit of the ref that brought it there, its
    # parent_committed being the latest committer date of the first-parent line before it
    brought: dict = field(default_factory=dict)


@dataclass
class Steps:
    """What the changes of one complaint file show, before the ref's state is known."""
    added: list = field(default_factory=list)      # commits that created the file
    adds: list = field(default_factory=list)       # commits whose version took the response in
    removals: list = field(default_factory=list)   # commits whose version took it out
    versions: list = field(default_factory=list)   # (commit sha, blob id, holds the response)

    def add(self, commit: "Commit", change: "Change", presence: dict) -> None:
        holds, held = presence.get(change.new_sha, False), presence.get(change.old_sha, False)
        if change.status == "A":
            self.added.append(commit)
        if holds and not held:
            self.adds.append(commit)
        elif held and not holds:
            self.removals.append(commit)
        self.versions.append((commit.sha, change.new_sha, holds))

    def merge(self, other: "Steps") -> None:
        for name in ("added", "adds", "removals", "versions"):
            getattr(self, name).extend(getattr(other, name))

    def judge(self, walk: "Walk", held_at_tip: bool, shared: dict | None = None) -> Evidence:
        """`shared`: `commit_times`' memo, one for every complaint of the walk."""
        found = Evidence(versions=list(dict.fromkeys(sha for _, sha, _ in self.versions)))
        _keep_earliest(found, "recorded", self.added, walk, shared)
        if not held_at_tip:
            return found  # the file at the ref has no response (any more): not done
        undone = _ancestors(walk.parents, [commit.sha for commit in self.removals])
        _keep_earliest(found, "responded", [commit for commit in self.adds if commit.sha not in undone], walk, shared)
        found.responses = list(dict.fromkeys(sha for commit, sha, holds in self.versions
                                             if holds and commit not in undone))
        return found


def _ancestors(parents: dict, shas: list) -> set:
    """The commits `shas` and all their ancestors."""
    seen: set = set()
    stack = list(shas)
    while stack:
        sha = stack.pop()
        if sha not in seen:
            seen.add(sha)
            stack.extend(parents.get(sha, ()))
    return seen


def _keep_earliest(found: Evidence, step: str, commits: list, walk: "Walk", shared: dict | None = None) -> None:
    if not commits:
        return
    commit = min(commits, key=lambda each: each.author_date)
    setattr(found, f"{step}_at", commit.author_date)
    setattr(found, f"{step}_commit", commit.sha)
    found.times[step] = commit_times(walk, commit.sha, commit.author_date, shared=shared)


def commit_times(walk: "Walk", sha: str, authored: datetime | None = None,
                 first_parent: bool = False, shared: dict | None = None) -> CommitTimes:
    """`shared`: a memo of the walk's, so that the complaints one commit shows share one object
    (35,000 became 30,000 at 10,000 complaints: fewer to make, to pickle and to send back)."""
    if shared is not None:
        key = (sha, authored, first_parent)
        if key not in shared:
            shared[key] = commit_times(walk, sha, authored, first_parent)
        return shared[key]
    parents = walk.parents.get(sha, [])[:1] if first_parent else walk.parents.get(sha, [])
    committed = [git_time(walk.committed[parent]) for parent in parents
                 if parent in walk.committed]
    return CommitTimes(sha, authored or git_time(walk.authored[sha]),
                       git_time(walk.committed[sha]), max(committed, default=None))


def follow_renames(raw: dict, renamed_to: dict) -> dict:
    """Fold the changes of an earlier file name into the id the file has now."""
    merged: dict[str, Steps] = {}
    for complaint_id, steps in raw.items():
        merged.setdefault(final_id(complaint_id, renamed_to), Steps()).merge(steps)
    return merged


def final_id(complaint_id: str, renamed_to: dict) -> str:
    """The id a file's changes are folded into: its renames followed (a cycle stops)."""
    final, seen = complaint_id, {complaint_id}
    while final in renamed_to and renamed_to[final] not in seen:
        final = renamed_to[final]
        seen.add(final)
    return final
