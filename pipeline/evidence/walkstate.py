"""The evidence walk kept between builds: a build reads only the commits it has not read yet.

A walk of the history of a tip commit leaves a state (`state`, a file in the build cache): the
tip, every commit of its history that changed a complaint file with those changes (paths, blob
ids, status: what `git log --raw -M` said), and for every blob they name whether that version
holds a `tanggapan`. The next walk, at a new tip that descends from the old one in a complete
history, reads only `git log --raw old..new` (and the blobs it names that are not judged yet),
and takes the rest from the state.

What the evidence depends on, and why the result is the full walk's:
- each commit's changes are what git says of that commit and its parents alone (the same text in
  any walk that shows it), and the history of `new` is the history of `old` plus `old..new`;
- whether a version holds a response depends on its bytes alone (its blob id);
- the order of the changes (which version is "first", `min` of equal dates, the order of
  `versions`) is git log's order of the *whole* history, which `old..new` alone does not give:
  a merged branch older than `old` puts its commits among the old ones. So the graph of the new
  tip is read again without diffs (`logread.read_graph`: a tenth of the full walk) and the
  commits are put in its order; the parents and dates for publication, for `undone` and for the
  commit times come from it too, so publication (a new first-parent line) is always worked out
  afresh from the whole graph.
Everything else (renames followed, responses undone, the judgement) runs on the walk exactly as
after a full read. The state is keyed by its format, this program's source, the Python, PyYAML
and git versions and git's diff/log/core settings, and carries a sha256 of itself: a state that
is missing, damaged, foreign, made by another program, or whose tip is unknown or not an ancestor
of the new tip (a force-push, a rewrite) means a full walk. It holds no file content and no name
outside the complaint folder in clear (such a rename's old name is kept as its sha256).
"""
from __future__ import annotations

import hashlib
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline.evidence import checkedjson, git
from pipeline.evidence.git import GitError
from pipeline.evidence.logread import COMPLAINTS, NO_REPLACE, Change, Commit, Walk, read_graph, read_history
from pipeline.records.timeutil import git_time

FORMAT = 1
_HIDDEN = "#sha256:"   # an old name outside the complaint folder, as the sha256 of its stem


@dataclass
class WalkStats:
    """How a walk went (for tests and benchmarks)."""
    path: str = ""          # "full" or "incremental"
    reason: str = ""        # why a full walk: no state, unreadable, other program, not an ancestor ...
    commits_read: int = 0   # commits whose diffs git log wrote
    blobs_read: int = 0     # complaint versions git cat-file read
    judged: int = 0         # complaints judged (the others' evidence kept: `keptevidence`)


@dataclass
class _Saved:
    tip: str
    commits: list     # [sha, [[status, old blob, new blob, old path, new path], ...]], in git log's
                      # order of the tip's history (the walk puts them in the order of the new tip's)
    presence: dict    # blob id -> holds a response


@dataclass
class Continued:
    """How a walk with a state went, for what is kept beside it (`keptevidence`)."""
    key: str                     # the state's key (this program, the libraries, git)
    old_tip: str | None = None   # the tip the walk went on from; None: a full walk
    new: frozenset = frozenset()   # the commits read since `old_tip`
    order_kept: bool = False     # the old commits are in the same order in the new tip's history


def read_walk(repo: Path, tip: str, at_tip: dict, state: Path | None,
              stats: WalkStats | None = None) -> tuple[Walk, dict[str, bool], Continued | None]:
    """The walk of `tip`'s history and the blobs' presence, as `logread.read_history` gives them,
    read only from where the state at `state` ended when it can be trusted; the state is then
    saved for `tip`. `state` None: a full walk, nothing saved (and no `Continued`)."""
    stats = stats if stats is not None else WalkStats()
    key = state_key(repo) if state is not None else ""
    saved = _load(state, key) if state is not None else None
    walk, continued = None, Continued(key) if state is not None else None
    if state is None:
        stats.reason = "tanpa cache"
    elif saved is None:
        stats.reason = "tidak ada keadaan yang sah"
    elif saved.tip != tip and not git.succeeds(repo, "merge-base", "--is-ancestor", saved.tip, tip,
                                                env=NO_REPLACE):
        stats.reason = "tip lama bukan leluhur tip baru"
    else:
        walk, presence, new, rows = _continue(repo, tip, at_tip, saved, stats)
        if walk is None:
            stats.reason = "keadaan tidak cocok dengan riwayat"
        else:
            old = [row[0] for row in rows if row[0] not in new]
            continued = Continued(key, saved.tip, frozenset(new), old == [row[0] for row in saved.commits])
            if saved.tip != tip:
                _save(state, key, tip, rows, presence)
    if walk is None:
        walk, presence = read_history(repo, tip, at_tip.values())
        stats.path, stats.commits_read, stats.blobs_read = "full", len(walk.parents), len(presence)
        if state is not None:
            named = {sha for commit in walk.commits for change in commit.changes
                     for sha in (change.old_sha, change.new_sha)} | set(at_tip.values())
            _save(state, key, tip, _rows(walk.commits), {sha: presence[sha] for sha in named if sha in presence})
    return walk, presence, continued


def _continue(repo: Path, tip: str, at_tip: dict, saved: _Saved,
              stats: WalkStats) -> tuple[Walk | None, dict, set, list]:
    """The walk of `tip` from the state of its ancestor `saved.tip`: the diffs of the new commits
    only, the order and graph of the whole history (without diffs). Also the new commits' ids and
    the state's rows of every commit, in the walk's order."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        graph_read = pool.submit(read_graph, repo, tip)
        if saved.tip == tip:
            new, presence = Walk([], {}, {}, {}), saved.presence
        else:
            new, presence = read_history(repo, tip, at_tip.values(), since=saved.tip, known=saved.presence)
        graph = graph_read.result()
    if any(sha not in presence for sha in at_tip.values()):
        return None, presence, set(), []   # the state left out a version at the tip: not ours
    position = {sha: index for index, sha in enumerate(graph.parents)}
    try:
        commits = new.commits + [Commit(sha, git_time(graph.authored[sha]),
                                        [Change(*change) for change in changes])
                                 for sha, changes in saved.commits]
    except (KeyError, TypeError, ValueError):
        return None, presence, set(), []   # a commit the new tip's history does not hold
    if len({commit.sha for commit in commits}) != len(commits):
        return None, presence, set(), []
    _restore_hidden_names(commits)
    commits.sort(key=lambda commit: position[commit.sha])
    graph.commits = commits
    stats.path, stats.commits_read = "incremental", len(new.parents)
    stats.blobs_read = len(presence) - len(saved.presence)
    rows = sorted(saved.commits + _rows(new.commits), key=lambda row: position[row[0]])
    return graph, presence, {commit.sha for commit in new.commits}, rows


def _rows(commits: list) -> list:
    """Commits as the state keeps them (an old name outside the complaint folder hidden)."""
    return [[commit.sha, [[change.status, change.old_sha, change.new_sha, _public_path(change.old_path),
                           change.new_path] for change in commit.changes]] for commit in commits]


def _stem(path: str) -> str:
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _hidden(stem: str) -> str:
    return _HIDDEN + hashlib.sha256(stem.encode("utf-8", "surrogateescape")).hexdigest()


def _restore_hidden_names(commits: list) -> None:
    """An old name outside the complaint folder matters only when its stem is also the name of a
    complaint file (`follow_renames` looks up complaint ids): give those back their stem."""
    hidden = [commit for commit in commits
              if any(change.old_path and change.old_path.startswith(_HIDDEN) for change in commit.changes)]
    if not hidden:
        return
    stems = {_stem(path) for commit in commits for change in commit.changes
             for path in (change.new_path, change.old_path) if path and not path.startswith(_HIDDEN)}
    by_hash = {_hidden(stem): stem + ".md" for stem in stems}   # only its stem is ever read
    for commit in hidden:
        commit.changes = [change._replace(old_path=by_hash[change.old_path])
                          if change.old_path in by_hash else change for change in commit.changes]


def _public_path(path: str | None) -> str | None:
    if path is None or path.startswith(COMPLAINTS + "/"):
        return path
    return _hidden(_stem(path))


def state_key(repo: Path) -> str:
    """Everything a saved walk depends on besides the history: this program, the libraries that
    parse a version, and the git that wrote the diffs (its version and settings)."""
    import yaml
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{yaml.__version__}\0"
                            f"{getattr(yaml, '__with_libyaml__', None)}\0".encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(git.run(repo, "version"))
    try:
        digest.update(git.run(repo, "config", "-z", "--get-regexp", r"^(diff|log|core)\."))
    except GitError:
        digest.update(b"-")   # none of them set
    return digest.hexdigest()


def _load(state: Path, key: str) -> _Saved | None:
    data = checkedjson.load(state)
    try:
        if data["format"] != FORMAT or data["key"] != key:
            return None
        tip, commits = data["tip"], data["commits"]
        presence = dict.fromkeys(data["plain"], False)
        presence.update(dict.fromkeys(data["holding"], True))
        if not (isinstance(tip, str) and len(tip) == 40 and isinstance(commits, list)):
            return None
        return _Saved(tip, commits, presence)
    except (OSError, ValueError, TypeError, KeyError, UnicodeDecodeError):
        return None   # missing, damaged or foreign: a full walk


def _save(state: Path, key: str, tip: str, rows: list, presence: dict) -> None:
    data = {"format": FORMAT, "key": key, "tip": tip, "commits": rows,
            "holding": sorted(sha for sha, holds in presence.items() if holds),
            "plain": sorted(sha for sha, holds in presence.items() if not holds)}
    checkedjson.save(state, data, ".evidence-")
