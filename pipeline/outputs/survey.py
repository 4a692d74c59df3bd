"""The last build's output checked against its manifest beside the build.

A rebuild trusts a file of the last build only while its size, times and inode are as that build
left them, or, when only its times or inode changed, while its bytes still have the sha256 that
build recorded (`as_left`): an output restored from a cache (a workflow's `actions/cache`, a copy)
has a new inode for every file, and its pages need not be rendered again. A folder is listed again
only when its stat changed (`stale`). At 10,000 complaints that is 23,000 files and 13,000
folders: 0.15 s of stat calls in the build's own process after one change. A child forked when the build starts makes them on the second core while
the build reads its records, and hands back only what is not as the manifest says (nothing, unless
someone changed the output by hand). The build then checks each file against that answer instead.
Then the child lists the folders it found moved (`listed`; a restored output: every folder), for
the commit, which must find in them what the build did not make (`stale`): 0.26 s of the build's
own time at 10,000 complaints when the commit listed them itself.

The answer is what the output was when the build started; a file changed by hand during the build
could already be changed after its own stat. Only the process that forked the child reads its
answer: a process forked from the build before it came (the open data's, the listing pages') makes
its own stat calls, as does the build when the child fails or there is no fork; one forked after it
would hold it already (the pid is asked only until the answer came, not at each of 23,000 files).
"""
from __future__ import annotations

import hashlib
import os
from stat import S_ISDIR, S_ISREG

from pipeline.outputs import forked

SURVEY_FROM = 2000   # fewer files: the fork would cost about what it spares


def file_stat(path: str) -> list | None:
    """A regular file's stat; None for a link (never followed: what it points to is not the
    site's), a folder or nothing. With its change time: a file edited in place keeps its inode,
    and its time can be set back by hand, but not its change time."""
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns] if S_ISREG(stat.st_mode) else None


def folder_stat(path: str) -> list | None:
    """A folder's stat: its time changes when an entry is added, removed or renamed in it, and its
    change time even when that time is set back by hand."""
    try:
        stat = os.lstat(path)   # one call: a link is not a folder of the site
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns] if S_ISDIR(stat.st_mode) else None


def as_left(path: str, entry) -> dict | None:
    """The last build's `entry` of the file at `path` when the file is still what that build wrote:
    the entry itself when its stat is as recorded, the entry with the stat of now when only the
    stat moved and the bytes of the regular file there (never a link) still have the recorded
    sha256 and size; else None."""
    if not isinstance(entry, dict):
        return None
    recorded = entry.get("stat")
    now = file_stat(path)
    if now == recorded:
        return entry
    if now is None or not isinstance(recorded, list) or not recorded or now[0] != recorded[0] or \
            not isinstance(entry.get("sha"), str):
        return None
    try:
        # (never a link; a FIFO put in the file's place after its stat must not block the open)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        stat = os.fstat(descriptor)
        if not S_ISREG(stat.st_mode) or stat.st_size != recorded[0] or \
                _sha256(descriptor, stat.st_size) != entry["sha"]:
            return None
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return {**entry, "stat": [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns]}


def _sha256(descriptor: int, size: int) -> str:
    """The sha256 of an open file's bytes, read whole with `os.read` when small (`hashlib.file_digest`
    zero-fills a 256 KB buffer for each file: 20,000 pages took 0.40 s, 0.26 s so)."""
    digest, piece = hashlib.sha256(), min(size + 1, 1 << 20)
    while chunk := os.read(descriptor, piece):
        digest.update(chunk)
    return digest.hexdigest()


def differences(root: str, files: dict, folders: dict) -> tuple[set, dict, dict]:
    """(the files of `files` no longer as the last build wrote them, {file: its stat of now} for
    those with the same bytes and another stat (`as_left`), {folder of `folders`: its stat now}
    for the folders not as recorded). Paths are relative to `root`, with "/". (Stats, not whole
    entries: 26,000 entries restored at 10,000 complaints took the build 0.085 s to unpickle.)"""
    changed, restored = set(), {}
    for relative, entry in files.items():
        now = as_left(root + "/" + relative, entry)
        if now is None:
            changed.add(relative)
        elif now is not entry:
            restored[relative] = now["stat"]
    moved = {}
    for folder, recorded in folders.items():
        now = folder_stat(root + "/" + folder if folder else root)
        if now != recorded:
            moved[folder] = now
    for relative in under_no_folder(files, moved):   # (a file's own stat follows a link on its way)
        changed.add(relative)
        restored.pop(relative, None)
    return changed, restored, moved


def under_no_folder(files, folders: dict) -> list[str]:
    """The files (relative paths) under a folder of `folders` ({folder: its stat now}) that is no
    folder now: a link put in its place (what it points to is not the site's), a file, nothing."""
    prefixes = tuple(folder + "/" for folder, now in folders.items() if now is None and folder)
    return [relative for relative in files if relative.startswith(prefixes)] if prefixes else []


class Survey:
    """`differences` of the output `root` made by a forked child (`answer()`; None: make the stat
    calls yourself), then the names in each folder it found moved (`listings()`). `close()` always."""

    def __init__(self, root: str, files: dict, folders: dict):
        self._owner = os.getpid()
        self._answer: tuple | None = None
        self._listings: dict | None = None
        self._taken = 0   # values taken from the child: its answer, then its listings
        self._started = None
        if len(files) >= SURVEY_FROM and (os.cpu_count() or 1) >= 2:
            self._started = forked.start_series(lambda: _survey(root, files, folders))

    def answer(self) -> tuple[set, dict, dict] | None:
        """`differences`' (changed files, restored files, moved folders), once the child is done."""
        if self._taken == 0 and self._started is not None:
            if os.getpid() != self._owner:   # (forked before the answer came: not its pipe to read)
                return None
            answer = self._take()
            self._answer = answer if isinstance(answer, tuple) and len(answer) == 3 else None
            if self._answer is None:
                self.close()
        return self._answer

    def listings(self) -> dict | None:
        """{moved folder: the names in it} as the child listed them after its answer (`listed`);
        None: list them yourself."""
        if os.getpid() != self._owner or self.answer() is None:
            return None
        if self._taken == 1 and self._started is not None:
            found = self._take()
            self._listings = found if isinstance(found, dict) else None
            self.close()
        return self._listings

    def _take(self):
        self._taken += 1
        try:
            return forked.take(self._started)
        except (forked.ChildFailed, OSError):   # (the caller makes the calls itself)
            return None

    def close(self) -> None:
        if os.getpid() == self._owner and self._started is not None:
            forked.stop(self._started)
            self._started = None


def _survey(root: str, files: dict, folders: dict):
    """The child's values: its answer first (the build waits for it to write its first page),
    then the listings (wanted only when the site is committed)."""
    found = differences(root, files, folders)
    yield found
    yield listed(root, found[2])


def listed(root: str, moved: dict) -> dict:
    """{folder: the names in it} of each `moved` folder that is still a folder (a restored
    output: every one, whose listing the commit needs to find what it must delete)."""
    names = {}
    for folder, stat in moved.items():
        if stat is not None:
            try:
                names[folder] = os.listdir(root + "/" + folder if folder else root)
            except OSError:
                pass
    return names
