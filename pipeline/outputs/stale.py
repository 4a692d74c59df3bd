"""What a commit deletes from the output: the files and folders this build did not produce.

The previous build's files that this build did not write are deleted by name; a folder is listed
only when it is not as the previous build left it (anything added by hand changes its folder's
stat, `survey.folder_stat`), so a rebuild does not walk the site. `folders` then gives every folder
of the output with its stat, for the manifest (`sitewriter`). Without the previous build's
folders, every file of the output is looked at.
"""
from __future__ import annotations

import os
import shutil
from bisect import bisect_left

from pipeline.outputs.survey import folder_stat


class Stale:
    """The commit's deletions in the output folder `root`: `previous` (the last build's files),
    `entries` and `staged` (this build's files, and those it moved in), `folders` (the last
    build's folders and their stats, or None), the survey's `answer` and its `listings` (or None)."""

    def __init__(self, root: str, previous: dict, entries: dict, staged: set, folders, answer, listings=None):
        self._root, self.previous, self.entries, self.staged = root, previous, entries, staged
        self._previous_folders, self._answer = folders, answer
        self._listings = listings if answer is not None and listings is not None else {}
        self._folder_stats: dict = {}        # folder -> its stat after the commit (`delete`)
        self._wanted_folders: dict | None = None   # the folders of this build's files (`delete`)
        self._sorted_entries: list | None = None   # (`_names_in`)

    def delete(self) -> int:
        """Delete what this build did not produce (see the module); the number of files and links deleted."""
        folders = self._previous_folders
        if not isinstance(folders, dict) or "" not in folders:
            return self._delete_by_walking()
        deleted = 0
        for relative in self.previous:
            if relative not in self.entries and _unlink(os.path.join(self._root, relative)):
                deleted += 1
        # the previous build's folders, changed only around the files added or removed; each
        # folder's names worked out only if it is not as that build left it (a tree of all 26,000
        # files, once made whenever a folder changed, took 0.04 s of a rebuild at 10,000)
        wanted = self._wanted_folders = self._folders_now(folders)
        answer = self._answer
        touched = self._touched(folders, wanted) if answer is not None else None
        looked_at = self._to_look_at(folders, wanted, touched)
        for folder in sorted(looked_at, key=lambda name: -name.count("/") - bool(name)):
            path = os.path.join(self._root, folder) if folder else self._root
            if folder not in wanted:   # no file of this build is in it: gone, with whatever it holds
                if os.path.lexists(path):
                    deleted += _remove_tree(path)
                continue
            # (None: a link, never followed, or not a folder; one the commit did not touch is as the
            # survey found it when the build began)
            stat = folder_stat(path) if touched is None or folder in touched else \
                answer[2].get(folder, folders.get(folder))
            if stat is None and os.path.islink(path):   # what it points to is not the site's
                deleted += _remove_tree(path)
            elif stat is not None and stat != folders.get(folder):
                # (moved: restored from a cache, where the survey listed every folder: listed here,
                # 16,000 folders at 10,000 complaints took 0.26 s of the build's own time)
                listing = self._listings.get(folder)
                if listing is None:
                    deleted += _delete_unknown(path, self._names_in(folder))
                    stat = folder_stat(path)   # (also after an empty folder was removed: it counts no file)
                else:
                    unknown = self._not_produced(folder, listing, wanted)
                    deleted += sum(_remove_tree(os.path.join(path, name)) for name in unknown)
                    if unknown:   # (else as found above)
                        stat = folder_stat(path)
            self._folder_stats[folder] = stat   # (for the manifest: one stat a folder, not two)
        return deleted

    def _to_look_at(self, folders: dict, wanted: dict, touched: set | None) -> set[str]:
        """The folders `delete` must look at: without the survey's answer, all of them; with it,
        those the commit touched, those the survey found moved, those added or removed, and those
        that were no folder. The others are as the last build left them (after one change at
        10,000, 16,000 folders of which a few dozen are looked at: sorting and comparing them all
        took 0.02 s of the commit)."""
        if touched is None:
            return set(wanted) | set(folders)
        self._folder_stats.update(folders)   # (as the last build left them; those looked at are set again)
        came_or_went = set() if wanted is folders else wanted.keys() ^ folders.keys()
        return ((touched | self._answer[2].keys()) & (wanted.keys() | came_or_went)) | came_or_went | \
            {folder for folder, stat in folders.items() if stat is None}

    def _not_produced(self, folder: str, names: list, wanted: dict) -> list[str]:
        """The `names` listed in `folder` that are neither a file nor a folder of this build (those
        that the commit deleted already among them)."""
        prefix, entries = folder + "/" if folder else "", self.entries
        return [name for name in names if prefix + name not in entries and prefix + name not in wanted]

    def _touched(self, folders: dict, wanted: dict) -> set[str]:
        """The folders this commit may have changed: those holding a file it moved in or deleted,
        or a folder it removed (and each of their parents, where it may have made a folder)."""
        touched: set[str] = set()
        for relative in self.staged | (self.previous.keys() - self.entries.keys()):
            touched.update(_folders_of(relative))
        for folder in folders.keys() - wanted.keys():
            touched.update(_folders_of(folder))
        return touched

    def _folders_now(self, folders: dict) -> dict:
        """The folders holding a file of this build (as keys): the previous build's `folders`
        (every folder holding one of its files), with the folders of the files added and without
        those that the files removed left empty."""
        if self.entries.keys() == self.previous.keys():
            return folders
        wanted = dict(folders)
        for relative in self.entries.keys() - self.previous.keys():
            for folder in _folders_of(relative):
                wanted.setdefault(folder, None)
        for relative in self.previous.keys() - self.entries.keys():
            for folder in _folders_of(relative):
                if folder in wanted and not self._names_in(folder, first=True):
                    del wanted[folder]
        return wanted

    def _names_in(self, folder: str, first: bool = False) -> set[str]:
        """The names of the files and folders this build put in `folder` ("" is the output);
        `first`: only whether there is one (an empty set if not)."""
        if self._sorted_entries is None:   # (this build's files are all known by then)
            self._sorted_entries = sorted(self.entries)
        prefix, names, entries = folder + "/" if folder else "", set(), self._sorted_entries
        # (by index: a slice copied 26,000 names for each of 6,700 folders after one added, 0.3 s)
        for index in range(bisect_left(entries, prefix), len(entries)):
            relative = entries[index]
            if not relative.startswith(prefix):
                break
            names.add(relative[len(prefix):].split("/", 1)[0])
            if first:
                break
        return names

    def _delete_by_walking(self) -> int:
        """Without the previous build's folders: every file of the output is looked at."""
        deleted = 0
        root = self._root
        for folder, dirs, names in os.walk(root, topdown=False):
            prefix = "" if folder == root else os.path.relpath(folder, root).replace(os.sep, "/") + "/"
            for name in names:
                if prefix + name not in self.entries:
                    os.unlink(os.path.join(folder, name))
                    deleted += 1
            for name in dirs:
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    os.unlink(path)
                    deleted += 1
                elif not os.listdir(path):
                    os.rmdir(path)
        return deleted

    def folders(self) -> dict:
        """Every folder of the output (after the commit) with its stat (as `delete` left it)."""
        folders = set(self._wanted_folders) if self._wanted_folders is not None else {""}
        if self._wanted_folders is None:
            for relative in self.entries:
                parts = relative.split("/")[:-1]
                for depth in range(1, len(parts) + 1):
                    folders.add("/".join(parts[:depth]))
        known = self._folder_stats
        return {folder: known[folder] if folder in known else folder_stat(os.path.join(self._root, folder))
                for folder in sorted(folders)}


def _folders_of(relative: str) -> list[str]:
    """The folders that hold a file, from the output itself ("") down."""
    parts = relative.split("/")
    return ["/".join(parts[:depth]) for depth in range(len(parts))]


def _delete_unknown(path: str, names: set[str]) -> int:
    """Delete the entries of one folder that this build did not produce."""
    try:
        entries = list(os.scandir(path))
    except OSError:
        return 0
    return sum(_remove_tree(entry.path) for entry in entries if entry.name not in names)


def _unlink(path: str) -> bool:
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            return False
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False


def _remove_tree(path: str) -> int:
    """Remove a file, a link or a whole folder; the number of files and links removed."""
    if os.path.islink(path) or not os.path.isdir(path):
        try:
            os.unlink(path)
            return 1
        except FileNotFoundError:
            return 0
    count = sum(len(names) + sum(os.path.islink(os.path.join(base, name)) for name in dirs)
                for base, dirs, names in os.walk(path))
    shutil.rmtree(path, ignore_errors=True)
    return count
