"""The last build's output checked against its manifest beside the build.

A rebuild trusts a file of the last build only while its size, time and inode are as that build
left them, and lists a folder again only when its stat changed (`sitewriter`). At 10,000
complaints that is 23,000 files and 13,000 folders: 0.15 s of stat calls in the build's own
process after one change. A child forked when the build starts makes them on the second core while
the build reads its records, and hands back only what is not as the manifest says (nothing, unless
someone changed the output by hand). The build then checks each file against that answer instead.

The answer is what the output was when the build started; a file changed by hand during the build
could already be changed after its own stat. Only the process that forked the child reads its
answer: a process forked from the build later (the open data's) makes its own stat calls, as does
the build when the child fails or there is no fork.
"""
from __future__ import annotations

import os
from stat import S_ISDIR

from pipeline.outputs import forked

SURVEY_FROM = 2000   # fewer files: the fork would cost about what it spares


def file_stat(path: str) -> list | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def folder_stat(path: str) -> list | None:
    """A folder's stat: its time changes when an entry is added, removed or renamed in it, and its
    change time even when that time is set back by hand."""
    try:
        stat = os.lstat(path)   # one call: a link is not a folder of the site
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns] if S_ISDIR(stat.st_mode) else None


def differences(root: str, files: dict, folders: dict) -> tuple[set, dict]:
    """(the files of `files` not as their entry's stat says, {folder of `folders`: its stat now}
    for the folders not as recorded). Paths are relative to `root`, with "/"."""
    changed = {relative for relative, entry in files.items()
               if not isinstance(entry, dict) or file_stat(root + "/" + relative) != entry.get("stat")}
    moved = {}
    for folder, recorded in folders.items():
        now = folder_stat(root + "/" + folder if folder else root)
        if now != recorded:
            moved[folder] = now
    return changed, moved


class Survey:
    """`differences` of the output `root` made by a forked child (`answer()`; None: make the stat
    calls yourself). `close()` always."""

    def __init__(self, root: str, files: dict, folders: dict):
        self._owner = os.getpid()
        self._answer: tuple | None = None
        self._started = None
        if len(files) >= SURVEY_FROM and (os.cpu_count() or 1) >= 2:
            self._started = forked.start(lambda: differences(root, files, folders))

    def answer(self) -> tuple[set, dict] | None:
        """(files not as recorded, {folder not as recorded: its stat}), once the child is done."""
        if os.getpid() != self._owner:
            return None
        if self._started is not None:
            started, self._started = self._started, None
            try:
                answer = forked.finish(started)
            except (forked.ChildFailed, OSError):   # (the caller makes the calls itself)
                answer = None
            self._answer = answer if isinstance(answer, tuple) and len(answer) == 2 else None
        return self._answer

    def close(self) -> None:
        if os.getpid() == self._owner and self._started is not None:
            forked.stop(self._started)
            self._started = None
