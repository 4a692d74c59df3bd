"""Writing a built site: only the files whose bytes changed, swapped in when the build succeeded.

A build writes every new or changed file into a staging folder beside the output (never into the
site being served), and names the files it kept as they were. Only when the whole build succeeded
does `commit` move each staged file into the output with an atomic rename (a reader sees the old
file or the new one, never half of one), delete the files no build produced any more (a complaint
made confidential loses its page), and record a manifest of the output. A failed build leaves the
site exactly as it was: `discard` removes the staging folder.

The manifest (path -> sha256, size, modification and change times, inode, and the key of the
inputs the file was rendered from) lets the next build skip rendering a page whose inputs did not
change and skip writing a file whose bytes did not change. It lives in the build cache, outside the
output; a file whose stat no longer matches is trusted only when its bytes still have that sha256
(`survey.as_left`: restored from a cache, touched), never when edited, replaced by a link or deleted,
and without a manifest every file is compared with the output's bytes: deleting it changes no output.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from bisect import bisect_left
from pathlib import Path

from pipeline.outputs.survey import Survey, as_left, file_stat, folder_stat

MANIFEST_VERSION = 3   # 3: pickled (a tenth of JSON's time for 15,000 entries), like the build cache
PIECE = 1 << 20   # bytes read at a time when a staged file is compared with the output's


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SiteWriter:
    """Stages a build's changed files for `output` and commits them in one step."""

    def __init__(self, output: Path, staging: Path, manifest_file: Path | None = None):
        self.output = Path(output)
        self._root = str(self.output)
        self.staging = Path(staging)
        self.manifest_file = manifest_file
        self.previous_meta: dict = {}
        self.previous = self._read_manifest() if self.output.is_dir() else {}
        folders = self.previous_meta.get("folders")
        # the last build's files and folders checked on the second core meanwhile (`survey`)
        self._survey = Survey(self._root, self.previous, folders if isinstance(folders, dict) else {})
        self._previous_sorted: list | None = None
        self.entries: dict[str, dict] = {}   # this build's files: relative path -> entry
        self.staged: set[str] = set()
        self.fingerprint: str | None = None  # of everything this build read (plugin.fingerprint)
        self.messages: list[str] = []        # the warnings this build printed
        self.on_final = None   # told of files another process staged, their bytes final (`final`)
        self._folder_stats: dict = {}        # folder -> its stat after the commit (`_delete_stale`)
        self._wanted_folders: dict | None = None   # the folders of this build's files (`_delete_stale`)
        self._sorted_entries: list | None = None   # (`_names_in`)
        self._written_shas: dict = {}   # staged files' sha256 as their writer worked it out (`final`)

    # -- the previous build ------------------------------------------------------------------------

    def _read_manifest(self) -> dict:
        data = read_manifest(self.manifest_file, self.output)
        if data is None:
            return {}
        self.previous_meta = {"fingerprint": data.get("fingerprint"), "messages": data.get("messages") or [],
                              "folders": data.get("folders")}
        return data["files"]

    def up_to_date(self, fingerprint: str | None) -> bool:
        """True when the previous build read exactly what this one would (same fingerprint) and
        the output still holds exactly the files it wrote: nothing to build."""
        if fingerprint is None or self.previous_meta.get("fingerprint") != fingerprint or not self.previous:
            return False
        # A file added by hand changes its folder's time: every folder of the output must be as
        # the last build left it (a stat each, no listing of 15,000 folders).
        folders = self.previous_meta.get("folders")
        if not isinstance(folders, dict) or not folders:
            return False
        answer = self._survey.answer()   # (a file restored with the same bytes: built again, its stat saved)
        if answer is not None:
            return not any(answer)
        if any(not isinstance(entry, dict) or file_stat(self._root + "/" + relative) != entry.get("stat")
               for relative, entry in self.previous.items()):
            return False
        return all(folder_stat(os.path.join(self._root, folder)) == stat for folder, stat in folders.items())

    def _intact(self, relative: str) -> dict | None:
        """The previous build's entry of `relative` when the output file is still that file."""
        entry = self.previous.get(relative)
        if not isinstance(entry, dict):
            return None
        answer = self._survey.answer()
        if answer is not None:
            return None if relative in answer[0] else answer[1].get(relative, entry)
        return as_left(self._root + "/" + relative, entry)

    # -- this build --------------------------------------------------------------------------------

    def keep_if_rendered_from(self, relative: str, key: str) -> bool:
        """True (and the file kept as it is) when the output's `relative` was rendered from inputs
        with this `key` and is untouched: the caller need not render it again."""
        entry = self._intact(relative)
        if entry is None or entry.get("key") != key:
            return False
        self.entries[relative] = entry
        return True

    def keep_folder_if_rendered_from(self, prefix: str, key: str) -> bool:
        """True (and every file kept as it is) when the previous build's files under `prefix` (a
        folder, "a/b/") were all rendered from inputs with this `key` and are all untouched."""
        if self._previous_sorted is None:   # (one sort, then a range per folder: 13 folders at 10,000)
            self._previous_sorted = sorted(self.previous)
        names = []
        for relative in self._previous_sorted[bisect_left(self._previous_sorted, prefix):]:
            if not relative.startswith(prefix):
                break
            names.append(relative)
        entries = [self._intact(relative) for relative in names]
        if not names or any(entry is None or entry.get("key") != key for entry in entries):
            return False
        self.entries.update(zip(names, entries))
        return True

    def kept_file(self, relative: str) -> tuple[Path, str] | None:
        """The output's `relative` and its sha256 when it is still the file the last build left."""
        entry = self._intact(relative)
        return (self.output / relative, entry["sha"]) if entry is not None and entry.get("sha") else None

    def sha_of(self, relative: str) -> str | None:
        """The sha256 of this build's `relative` (written or kept)."""
        return (self.entries.get(relative) or {}).get("sha")

    def write(self, relative: str, data: bytes, key: str | None = None, source: Path | None = None) -> None:
        """This build's `relative` holds `data`: staged unless the output already holds it.
        `source`: a file of another program's (the search index) holding `data`, staged by moving
        it (a copy is one more file created and one more deleted)."""
        relative = relative.lstrip("/")
        sha = digest(data)
        entry = self._intact(relative) or self._same_bytes(relative, data)
        if entry is not None and entry.get("sha") == sha:
            self.entries[relative] = {**entry, "key": key}
            return
        target = self.staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        place_file(target, data, source)
        self.staged.add(relative)
        self.entries[relative] = {"sha": sha, "key": key}

    def final(self, relatives: list[str], shas: dict | None = None) -> None:
        """Files another process staged (the open data's), their bytes final (and `shas`, not read
        again): `on_final` (the privacy gate's first worker) may read them before the build ends."""
        self._written_shas.update(shas or {})
        if self.on_final is not None:
            self.on_final([self.staging / relative for relative in relatives])

    def mark(self) -> tuple[set, set]:
        """What this build has written so far (for `since`)."""
        return set(self.entries), set(self.staged)

    def since(self, mark: tuple[set, set]) -> tuple[dict, set]:
        """What was written after `mark`: entries and staged names, for another process's writer."""
        entries, staged = mark
        return {name: entry for name, entry in self.entries.items() if name not in entries}, self.staged - staged

    def take(self, written: tuple[dict, set]) -> None:
        """Files another process wrote for this build (`since` of its copy of this writer)."""
        entries, staged = written
        self.entries.update(entries)
        self.staged |= staged

    def _same_bytes(self, relative: str, data: bytes) -> dict | None:
        """No manifest for this file: compare with the output's bytes (never trust a guess)."""
        path = self.output / relative
        stat = file_stat(path)
        if stat is None or stat[0] != len(data):
            return None
        try:
            same = path.read_bytes() == data
        except OSError:
            return None
        return {"sha": digest(data), "stat": stat} if same else None

    def _same_file(self, relative: str, staged: Path, sha: str) -> dict | None:
        """`_same_bytes` for a file written into the staging folder, read a piece at a time (the
        open data is 20 MB at 10,000 complaints)."""
        path = self.output / relative
        stat = file_stat(path)
        try:
            if stat is None or stat[0] != os.path.getsize(staged):
                return None
            with open(path, "rb") as one, open(staged, "rb") as other:
                while True:
                    piece = one.read(PIECE)
                    if piece != other.read(PIECE):
                        return None
                    if not piece:
                        return {"sha": sha, "stat": stat}
        except OSError:
            return None

    def adopt_staged_files(self) -> None:
        """Files that others (Pelican's own writer, the open data) wrote into the staging folder:
        kept out of the output when the output already holds the same bytes."""
        root = str(self.staging)
        for folder, _, names in os.walk(root):
            # (names as text: a path object for each of 16,000 files took 0.25 s of a full build)
            prefix = folder[len(root) + 1:].replace(os.sep, "/") + "/" if folder != root else ""
            for name in names:
                relative = prefix + name
                if relative in self.staged:
                    continue
                path = Path(folder, name)
                sha = self._written_shas.get(relative) or _file_sha(path)
                same = self._intact(relative) or self._same_file(relative, path, sha)
                if same is not None and same.get("sha") == sha:
                    path.unlink()
                    self.entries[relative] = {**same, "key": None}
                else:
                    self.staged.add(relative)
                    self.entries[relative] = {"sha": sha, "key": None}

    # -- the swap ----------------------------------------------------------------------------------

    def changed(self) -> list[str]:
        return sorted(self.staged)

    def commit(self, adopted: bool = False) -> dict:
        """Move the staged files in, delete stale files, save the manifest. Returns counts.
        `adopted`: nothing was written into the staging folder since `adopt_staged_files` (its walk
        of 6,700 folders after one added at 10,000 took 0.08 s)."""
        if not adopted:
            self.adopt_staged_files()
        counts = {"written": len(self.staged), "kept": len(self.entries) - len(self.staged), "deleted": 0}
        if not self.output.exists():
            os.chmod(self.staging, 0o755)
            os.rename(self.staging, self.output)
        else:
            for relative in sorted(self.staged):
                target = self.output / relative
                if not target.parent.is_dir():
                    if target.parent.exists() or target.parent.is_symlink():   # a file or a link
                        target.parent.unlink()
                    target.parent.mkdir(parents=True, exist_ok=True)
                elif target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                os.replace(self.staging / relative, target)
            counts["deleted"] = self._delete_stale()
            shutil.rmtree(self.staging, ignore_errors=True)
        for relative in self.staged:
            self.entries[relative]["stat"] = file_stat(os.path.join(self._root, relative))
        self._save_manifest()
        self._survey.close()
        return counts

    def discard(self) -> None:
        self._survey.close()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _delete_stale(self) -> int:
        """Delete what this build did not produce. The previous build's files it did not write are
        deleted by name; a folder is listed only when it is not as the previous build left it
        (anything added by hand changes its folder's stat), so a rebuild does not walk the site."""
        folders = self.previous_meta.get("folders")
        if not isinstance(folders, dict) or "" not in folders:
            return self._delete_stale_by_walking()
        deleted = 0
        for relative in self.previous:
            if relative not in self.entries and _unlink(os.path.join(self._root, relative)):
                deleted += 1
        # the previous build's folders, changed only around the files added or removed; each
        # folder's names worked out only if it is not as that build left it (a tree of all 26,000
        # files, once made whenever a folder changed, took 0.04 s of a rebuild at 10,000)
        wanted = self._wanted_folders = self._folders_now(folders)
        answer = self._survey.answer()
        touched = self._touched(folders, wanted) if answer is not None else None
        for folder in sorted(set(wanted) | set(folders), key=lambda name: -name.count("/") - bool(name)):
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
                deleted += _delete_unknown(path, self._names_in(folder))
                stat = folder_stat(path)   # (also after an empty folder was removed: it counts no file)
            self._folder_stats[folder] = stat   # (for the manifest: one stat a folder, not two)
        return deleted

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

    def _delete_stale_by_walking(self) -> int:
        """Without the previous build's folders: every file of the output is looked at."""
        deleted = 0
        root = str(self.output)
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

    def _folders(self) -> dict:
        """Every folder of the output (after the commit) with its stat (as `_delete_stale` left it)."""
        folders = set(self._wanted_folders) if self._wanted_folders is not None else {""}
        if self._wanted_folders is None:
            for relative in self.entries:
                parts = relative.split("/")[:-1]
                for depth in range(1, len(parts) + 1):
                    folders.add("/".join(parts[:depth]))
        known = self._folder_stats
        return {folder: known[folder] if folder in known else folder_stat(os.path.join(self._root, folder))
                for folder in sorted(folders)}

    def _save_manifest(self) -> None:
        if self.manifest_file is None:
            return
        self.manifest_file.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": MANIFEST_VERSION, "output": str(self.output), "fingerprint": self.fingerprint,
                "messages": self.messages, "folders": self._folders(), "files": self.entries}
        handle, name = tempfile.mkstemp(prefix=".manifest-", dir=self.manifest_file.parent)
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(name, self.manifest_file)


def read_manifest(manifest_file: Path | None, output: Path) -> dict | None:
    """The manifest the last build of `output` left (its "files": relative path -> entry), or None
    when it is missing, damaged or foreign (no previous build to compare with)."""
    if manifest_file is None:
        return None
    try:
        with open(manifest_file, "rb") as stream:
            data = pickle.load(stream)
    except Exception:
        return None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION or \
            data.get("output") != str(output) or not isinstance(data.get("files"), dict):
        return None
    return data


def _file_sha(path: Path) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


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


def place_file(target: Path, data: bytes, source: Path | None) -> None:
    """`target` holds `data`: `source` (which holds it) moved there, else the bytes written."""
    if source is not None:
        try:
            os.replace(source, target)
            return
        except OSError:
            pass   # another file system: written
    target.write_bytes(data)
