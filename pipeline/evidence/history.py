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

Cost: one `git log --raw` of the whole graph beside one `git cat-file --batch` (`logread`). With
a kept walk (`walkstate`, the site build's cache), only the commits after the last walked tip are
read with their diffs, and the graph of the rest without them; the evidence is the same. With
the evidence kept beside that walk (`keptevidence`), only the complaints the new commits touch are
judged again.
"""
from __future__ import annotations

import io
import os
import re
import tarfile
from datetime import datetime
from pathlib import Path

from pipeline.evidence import git
from pipeline.evidence.git import GitError
from pipeline.evidence.keptevidence import KeptEvidence, keep, read_index
from pipeline.evidence.logread import COMPLAINTS, NO_REPLACE, Walk, holds_response
from pipeline.evidence.steps import CommitTimes, Evidence, Steps, commit_times, final_id, follow_renames
from pipeline.evidence.walkstate import WalkStats, read_walk
from pipeline.records.timeutil import git_time

__all__ = ["CommitTimes", "Evidence", "IncompleteHistory", "WalkStats", "collect_evidence", "commit_time",
           "committed_files", "export_files", "holds_response", "resolve_ref"]


class IncompleteHistory(GitError):
    """A shallow or grafted repository: the missing history could hold any step."""


INCOMPLETE_MESSAGE = (
    "riwayat git tidak lengkap ({what}): waktu langkah SOP tidak dapat dibuktikan, jadi tidak ada "
    "yang dinilai. Ambil riwayat lengkap dengan `git fetch --unshallow` (di GitHub Actions: "
    "`fetch-depth: 0` pada langkah actions/checkout), lalu jalankan lagi.")


def _git(repo: Path, *args: str) -> bytes:
    return git.run(repo, *args, env=NO_REPLACE)


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


def collect_evidence(repo: Path, ref: str = "HEAD", state: Path | None = None,
                     stats: WalkStats | None = None, files: bool = False):
    """Evidence per complaint id for the history of `ref`. `state`: a file of the build cache
    where the walk is kept, so that the next walk reads only the commits it has not read
    (`walkstate`; the evidence is the same as without it), and the evidence beside it, so that
    only the complaints the new commits touch are judged again (`keptevidence`); `stats` is told
    how the walk went. `files` (with a state): the kept evidence's index, whose `load()` gives the
    evidence, when it could be kept (the site build's second process hands back only that)."""
    tip = resolve_ref(repo, ref)
    if tip is None:
        return {}
    check_complete(repo)
    at_tip = _tip_versions(repo, tip)
    walk, presence, continued = read_walk(repo, tip, at_tip, state, stats)
    new = continued.new if continued else frozenset()
    raw: dict[str, Steps] = {}
    renamed_to: dict[str, str] = {}
    renamed_before: dict[str, str] = {}   # the renames of the commits before the new ones
    for commit in walk.commits:
        for change in commit.changes:
            complaint_id = _stem(change.new_path)
            if change.old_path and _stem(change.old_path) != complaint_id:
                renamed_to[_stem(change.old_path)] = complaint_id
                if commit.sha not in new:
                    renamed_before[_stem(change.old_path)] = complaint_id
            raw.setdefault(complaint_id, Steps()).add(commit, change, presence)
    merged = follow_renames(raw, renamed_to)
    if continued is None:
        return _judged(walk, tip, at_tip, presence, merged, merged)
    old = _kept_before(state.parent, walk, tip, continued)
    stale = merged if old is None else _stale(walk, new, raw, merged, renamed_to, renamed_before, old)
    judged = _judged(walk, tip, at_tip, presence, merged, stale)
    kept = keep(state.parent, continued.key, tip, list(merged), judged, old)
    if kept is None and old is not None:   # a kept shard lost: all judged again
        judged = _judged(walk, tip, at_tip, presence, merged, merged)
        kept = keep(state.parent, continued.key, tip, list(merged), judged, None)
    if stats is not None:
        stats.judged = len(judged)
    if kept is None:
        return judged   # (all of them: the folder cannot be written)
    if files:
        return kept
    found = kept.load()
    return found if found is not None else _judged(walk, tip, at_tip, presence, merged, merged)


def _judged(walk: Walk, tip: str, at_tip: dict, presence: dict, merged: dict, ids) -> dict[str, Evidence]:
    """The evidence of the complaints `ids` of `merged` (their steps), in `merged`'s order."""
    shared: dict = {}   # (one CommitTimes a commit, not one a complaint that it shows)
    evidence = {complaint_id: steps.judge(walk, presence.get(at_tip.get(complaint_id, ""), False), shared)
                for complaint_id, steps in merged.items() if complaint_id in ids}
    _add_publication(walk, tip, evidence)
    return evidence


def _kept_before(folder: Path, walk: Walk, tip: str, continued) -> KeptEvidence | None:
    """The evidence kept at the tip the walk went on from, when what it holds can still be true
    (`keptevidence`): the old commits in the same order, the old tip on the new first-parent line."""
    if continued.old_tip is None or not continued.order_kept:
        return None
    sha = tip
    while sha != continued.old_tip:
        parents = walk.parents.get(sha)
        if not parents:
            return None   # the old tip is off the first-parent line: publication moved
        sha = parents[0]
    return read_index(folder, continued.key, continued.old_tip)


def _stale(walk: Walk, new: frozenset, raw: dict, merged: dict, renamed_to: dict, renamed_before: dict,
           old: KeptEvidence) -> set:
    """The complaint ids whose kept evidence may no longer hold: those a new commit changed, and
    every id whose names' renames lead elsewhere now (before and after), and those not kept."""
    touched = {_stem(path) for commit in walk.commits if commit.sha in new
               for change in commit.changes for path in (change.new_path, change.old_path) if path}
    stale = set(touched)
    for complaint_id in raw:
        now, before = final_id(complaint_id, renamed_to), final_id(complaint_id, renamed_before)
        if complaint_id in touched or now != before:
            stale.update((now, before))
    kept = set(old.order)
    return stale | {complaint_id for complaint_id in merged if complaint_id not in kept}


def _tip_versions(repo: Path, tip: str) -> dict[str, str]:
    """Complaint id -> blob id of its file at the tip."""
    listed = _git(repo, "ls-tree", "-r", "-z", "--full-tree", tip, "--", COMPLAINTS)
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


def _add_publication(walk: Walk, tip: str, evidence: dict[str, Evidence]) -> None:
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
        committed = git_time(walk.committed[mainline])
        latest = committed if latest is None else max(latest, committed)
        stack = [mainline]
        while stack:
            sha = stack.pop()
            if sha in brought_by:
                continue
            brought_by[sha] = mainline
            stack.extend(parents.get(sha, []))

    made: dict[str, CommitTimes] = {}   # (one a first-parent commit, shared by the complaints it brought)

    def line_times(mainline: str) -> CommitTimes:
        if mainline not in made:
            times = made[mainline] = commit_times(walk, mainline, first_parent=True)
            times.parent_committed = latest_before[mainline]
        return made[mainline]

    for found in evidence.values():
        for step in ("recorded", "responded"):
            commit = getattr(found, f"{step}_commit")
            if commit in brought_by:
                found.brought[step] = line_times(brought_by[commit])
        if found.responded_commit:
            found.published_commit = brought_by[found.responded_commit]
            found.published_at = git_time(walk.committed[found.published_commit])
            found.times["published"] = found.brought["published"] = line_times(found.published_commit)


def committed_files(repo: Path, ref: str, paths: list[str]) -> dict[str, bytes] | None:
    """{name: bytes} of the files `paths` (files or folders) as they are at `ref`, all read by one
    `git cat-file --batch`; a path that does not exist at `ref` is left out (e.g. no complaint
    folder yet). None when the tree holds anything but regular files with plain names (a
    symbolic link, a submodule, a name no checkout would write): then only `export_files` gives
    what a checkout would."""
    tip = resolve_ref(repo, ref)
    if tip is None:
        return {}
    entries = _tree_entries(repo, tip, paths)
    if not all(mode in ("100644", "100755") and kind == "blob" and _plain_name(name)
               for mode, kind, _, name in entries):
        return None
    contents = git.read_blobs(repo, sorted({sha for _, _, sha, _ in entries}), env=NO_REPLACE)
    return {name: contents[sha] for _, _, sha, name in entries}


def _tree_entries(repo: Path, tip: str, paths: list[str]) -> list[tuple[str, str, str, str]]:
    """(mode, type, object id, name) of every file under `paths` at the commit `tip`."""
    listed = _git(repo, "ls-tree", "-r", "-z", tip, "--", *paths)
    entries = []
    for entry in listed.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, name = entry.partition("\t")
        if name:
            mode, kind, sha = meta.split(" ")
            entries.append((mode, kind, sha, name))
    return entries


def export_files(repo: Path, ref: str, paths: list[str], folder: Path) -> None:
    """Write the files `paths` (files or folders) as they are at `ref` into `folder`; a path
    that does not exist at `ref` is left out (e.g. no complaint folder yet). Regular files are
    written from one `git cat-file --batch` (`committed_files`: a tenth of the time of extracting
    an archive with its per-file metadata); a tree holding anything else goes through
    `git archive` and the tar extraction's data filter."""
    tip = resolve_ref(repo, ref)
    if tip is None:
        return
    files = committed_files(repo, tip, paths)
    if files is not None:
        made = set()
        for name, data in files.items():
            target = folder / name
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
        return
    names = [name for *_, name in _tree_entries(repo, tip, paths)]
    archive = _git(repo, "archive", "--format=tar", tip, "--", *names)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        try:
            tar.extractall(folder, filter="data")
        except TypeError:  # Python without extraction filters (before 3.10.12)
            tar.extractall(folder)


def _plain_name(name: str) -> bool:
    """A relative name of plain parts: nothing that could leave the folder or reach .git."""
    parts = name.split("/")
    return all(part not in ("", ".", "..") and part.lower() != ".git" and "\\" not in part for part in parts)


def commit_time(repo: Path, ref: str = "HEAD") -> datetime | None:
    """Committer date of `ref`: the moment a build of that commit describes."""
    tip = resolve_ref(repo, ref)
    if tip is None:
        return None
    return git_time(_git(repo, "log", "-1", "--format=%cI", tip).decode().strip())


# author, committer, and the co-authors GitHub writes as trailers (a squash merge, an accepted
# suggestion: `Co-authored-by: Name <address>`), each commit's five fields ended by NUL
PEOPLE_FORMAT = "--format=%an%x00%ae%x00%cn%x00%ce%x00%(trailers:key=Co-authored-by,valueonly,unfold,separator=%x01)%x00"
_CO_AUTHOR = re.compile(r"\s*(.*?)\s*<([^<>]*)>\s*$")


def people(repo: Path, kept: dict | None = None) -> set[tuple[str, str]]:
    """(name, e-mail) of every author and committer in the history of every branch (every ref and
    HEAD, as `git log --all`); empty outside a git repository. The build's privacy gate looks for
    them in the built site. `kept` (the build cache's, read and left holding this history's): the
    commits the refs named last time and their history's people; when each of those commits is
    still in the history of a ref now, only the commits since are read (the people of a history
    are its old part's and its new part's; 15,000 commits took git 0.09 s after one change)."""
    return people_later(repo, kept)()


def people_later(repo: Path, kept: dict | None = None):
    """`people`, as a function to call when they are needed: the history's git starts now and
    writes into a temporary file while the caller goes on (the site build)."""
    try:
        tips = sorted(set(git.run(repo, "rev-list", "--no-walk", "--all").decode().split()))
        old = _kept_people(kept)
        if old is not None and not (set(old[0]) <= set(tips) or _all_reachable(repo, old[0], tips)):
            old = None
        revisions = "\n".join(tips + [f"^{tip}" for tip in (old[0] if old else [])]) + "\n"
        pending = git.output_later(repo, "log", "--stdin", PEOPLE_FORMAT, stdin=revisions.encode()) if tips \
            else (lambda: b"")
    except GitError:
        return lambda: set()

    def result() -> set[tuple[str, str]]:
        try:
            found = _people_of(pending()) | (old[1] if old else set())
        except GitError:
            return set()
        if kept is not None:
            kept.clear()
            kept.update(tips=tips, people=sorted(found), format=PEOPLE_FORMAT)
        return found
    return result


def _kept_people(kept) -> tuple[list[str], set] | None:
    """(tips, people) of a kept state that is whole and well formed, else None."""
    if not isinstance(kept, dict) or kept.get("format") != PEOPLE_FORMAT:   # (read with fewer fields)
        return None
    tips, found = kept.get("tips"), kept.get("people")
    if not (isinstance(tips, list) and tips and all(isinstance(tip, str) and len(tip) in (40, 64) and
                                                    all(c in "0123456789abcdef" for c in tip) for tip in tips)):
        return None
    if not (isinstance(found, list) and all(isinstance(pair, (list, tuple)) and len(pair) == 2 and
                                            all(isinstance(part, str) for part in pair) for pair in found)):
        return None
    return tips, {tuple(pair) for pair in found}


def _all_reachable(repo: Path, old: list[str], tips: list[str]) -> bool:
    """Whether every commit of `old` is in the history of `tips` (none was removed or rewritten)."""
    if not tips:
        return False
    try:
        left = git.run(repo, "rev-list", "--count", "--stdin",
                       stdin=("\n".join(old + [f"^{tip}" for tip in tips]) + "\n").encode())
    except GitError:   # (an old commit git no longer has)
        return False
    return left.strip() == b"0"


def _people_of(raw: bytes) -> set[tuple[str, str]]:
    fields = raw.decode("utf-8", "replace").replace("\n", "").split("\x00")
    found = set()
    for i in range(0, len(fields) - 4, 5):
        found |= {(fields[i].strip(), fields[i + 1].strip()), (fields[i + 2].strip(), fields[i + 3].strip())}
        for trailer in filter(None, fields[i + 4].split("\x01")):
            match = _CO_AUTHOR.match(trailer)
            found.add((match.group(1), match.group(2).strip()) if match else (trailer.strip(), ""))
    return found
