"""Writing a built site: only the files whose bytes changed, swapped in when the build succeeded.

A build writes every new or changed file into a staging folder beside the output (never into the
site being served; a rebuild's side by side in one folder of it, `FLAT`), and names the files it
kept as they were. Only when the whole build succeeded does `commit` move each staged file into
the output with an atomic rename (a reader sees the old file or the new one, never half of one),
delete the files no build produced any more (a complaint made confidential loses its page), and
record a manifest of the output. A failed build leaves the site exactly as it was: `discard`
removes the staging folder.

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
from urllib.parse import quote

from pipeline.outputs.realfolders import real_folders
from pipeline.outputs.stale import Stale
from pipeline.outputs.survey import Survey, as_left, differences, file_stat, folder_stat, listed

MANIFEST_VERSION = 5   # 3: pickled (a tenth of JSON's time for 15,000 entries); 4, 5: kept files' entries apart, in parts
PIECE = 1 << 20   # bytes read at a time when a staged file is compared with the output's
# A rebuild stages the files it writes side by side in this folder of the staging folder, each named
# by its path (`flat_name`): after one added at 10,000 complaints, 5,700 listing pages staged in
# their own folders were 6,700 folders made and removed again (on a disk, new inodes that the next
# build's files then waited for). A first build stages its files in place: the staging folder
# becomes the output.
FLAT = ".berkas"
FLAT_NAME_MAX = 200   # a longer name (a path of many folders) is staged in place


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def flat_name(relative: str) -> str:
    """A file's name in the staging folder's FLAT folder: its path, "/" and "%" quoted."""
    return quote(relative, safe="")


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
        self.flat = self.output.is_dir()   # (a rebuild: `FLAT`)
        self._adopted: set[str] = set()     # staged by others, in place (`adopt_staged_files`)
        self.fingerprint: str | None = None  # of everything this build read (plugin.fingerprint)
        self.messages: list[str] = []        # the warnings this build printed
        self.on_final = None   # told of files another process staged, their bytes final (`final`)
        self._written_shas: dict = {}   # staged files' sha256 as their writer worked it out (`final`)
        self._real_folders: dict = {"": True}   # folder -> whether it and those on its way are folders
        self._prepared: list[bytes] = []   # the kept files' entries pickled, a part at a time (`prepare_manifest`)
        self._pickled: dict = {}   # relative -> the entry pickled in them

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
        the output still holds exactly the files it wrote: nothing to build. Files with the same
        bytes and another stat (an output restored from a cache) count as the files it wrote:
        their stats of now are then saved, so the next build need not read them again."""
        if fingerprint is None or self.previous_meta.get("fingerprint") != fingerprint or not self.previous:
            return False
        # A file added by hand changes its folder's time: every folder of the output must be as
        # the last build left it (a stat each, no listing of 15,000 folders), or hold only its files.
        folders = self.previous_meta.get("folders")
        if not isinstance(folders, dict) or not folders:
            return False
        answer = self._survey.answer()
        listings = self._survey.listings()
        if answer is None:   # (no child: the same here)
            answer = differences(self._root, self.previous, folders)
            listings = listed(self._root, answer[2])
        changed, restored, moved = answer
        if changed or any(stat is None or not self._holds_only_its_own(folder, (listings or {}).get(folder), folders)
                          for folder, stat in moved.items()):
            return False
        if restored or moved:
            self.entries, self.fingerprint = {**self.previous}, fingerprint
            for relative, stat in restored.items():
                self.entries[relative] = {**self.previous[relative], "stat": stat}
            self.messages = self.previous_meta["messages"]
            try:
                self._save_manifest({**folders, **moved})
            except OSError:   # (a full disk, say: the next build only reads these files again)
                pass
        return True

    def _holds_only_its_own(self, folder: str, listing: list | None, folders: dict) -> bool:
        """Whether the names `listing` found in `folder` are all files and folders of the last build."""
        prefix = folder + "/" if folder else ""
        return listing is not None and all(prefix + name in self.previous or prefix + name in folders
                                           for name in listing)

    def _intact(self, relative: str) -> dict | None:
        """The previous build's entry of `relative` when the output file is still that file."""
        entry = self.previous.get(relative)
        if not isinstance(entry, dict):
            return None
        answer = self._survey.answer()
        if answer is not None:
            if relative in answer[0]:
                return None
            stat = answer[1].get(relative)
            return entry if stat is None else {**entry, "stat": stat}
        if not self._on_folders(relative):   # (the survey's check, made here: `survey.under_no_folder`)
            return None
        return as_left(self._root + "/" + relative, entry)

    def _on_folders(self, relative: str) -> bool:
        """Whether every folder on the way from the output to `relative` is a real folder: a file's
        own stat and bytes are read through a link on its way, and what the link points to is not
        the site's (a page kept there would be gone once the commit deletes the link)."""
        folder = os.path.dirname(relative)
        known = self._real_folders.get(folder)
        if known is None:
            known = self._real_folders[folder] = (not folder or self._on_folders(folder)) and \
                folder_stat(self._root + "/" + folder) is not None
        return known

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

    def file_of(self, relative: str) -> str:
        """The file holding this build's bytes of `relative` (written or kept) until the commit:
        staged, else the output's."""
        return self.staged_file(relative) if relative in self.staged else os.path.join(self._root, relative)

    def staged_file(self, relative: str) -> str:
        """Where `relative` is (or would be) staged: in `FLAT` when this writer staged it in a
        rebuild, else in place."""
        name = flat_name(relative)
        if self.flat and relative not in self._adopted and len(name) <= FLAT_NAME_MAX:
            return os.path.join(self.staging, FLAT, name)
        return os.path.join(self.staging, relative)

    def flat_staged(self) -> set[str]:
        """The staged files in `FLAT` (the privacy gate reads them there)."""
        folder = os.path.join(self.staging, FLAT, "")
        return {relative for relative in self.staged if self.staged_file(relative).startswith(folder)}

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
        target = Path(self.staged_file(relative))
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
        stat = file_stat(path) if self._on_folders(relative) else None
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
        stat = file_stat(path) if self._on_folders(relative) else None
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
        for folder, folders, names in os.walk(root):
            if folder == root and self.flat and FLAT in folders:
                folders.remove(FLAT)   # (this writer's own)
            # (names as text: a path object for each of 16,000 files took 0.25 s of a full build)
            prefix = folder[len(root) + 1:].replace(os.sep, "/") + "/" if folder != root else ""
            for name in names:
                relative = prefix + name
                if relative in self.staged:
                    continue
                self._adopted.add(relative)
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
        stale = Stale(self._root, self.previous, self.entries, self.staged, self.previous_meta.get("folders"),
                      self._survey.answer(), self._survey.listings())
        if not self.output.exists() and not self.flat:
            os.chmod(self.staging, 0o755)
            os.rename(self.staging, self.output)
        else:
            folders = {self._root}   # (texts, and each folder asked once: 5,700 files moved in after one added at 10,000)
            for relative in sorted(self.staged):
                target = os.path.join(self._root, relative)
                parent = os.path.dirname(target)
                real_folders(parent, folders)   # (a link on the way is never moved in through)
                if os.path.isdir(target) and not os.path.islink(target):
                    shutil.rmtree(target)
                os.replace(self.staged_file(relative), target)
            counts["deleted"] = stale.delete()
            shutil.rmtree(self.staging, ignore_errors=True)
        for relative in self.staged:
            self.entries[relative]["stat"] = file_stat(os.path.join(self._root, relative))
        self._save_manifest(stale.folders())
        self._survey.close()
        return counts

    def discard(self) -> None:
        self._survey.close()
        shutil.rmtree(self.staging, ignore_errors=True)

    def prepare_manifest(self) -> None:
        """The manifest's entries of the files the commit does not move in (all but the staged
        ones), those not pickled yet, pickled now as one more part: the build asks while it waits
        for Pagefind and for the privacy gate's answer, and the commit pickles only the rest
        (26,000 entries took 0.02 s of the commit at 10,000 complaints, then of the gate's wait)."""
        staged, pickled = self.staged, self._pickled
        part = {relative: entry for relative, entry in self.entries.items()
                if relative not in staged and relative not in pickled}
        if part:
            self._prepared.append(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
            pickled.update(part)

    def _prepared_parts(self) -> list[bytes] | None:
        """The entries of every file not staged, pickled in parts: `prepare_manifest`'s, and one
        more of the files kept since. None (the caller pickles them all) when an entry pickled has
        been replaced since (a file not staged never has its entry changed in place), or there is
        none."""
        entries = self.entries
        if any(entries.get(relative) is not entry for relative, entry in self._pickled.items()):
            return None
        self.prepare_manifest()
        return self._prepared or None

    def _save_manifest(self, folders: dict) -> None:
        """What this build wrote, for the next one. A manifest that cannot be saved (a full disk, a
        folder in its place) only makes the next build look at every file: the site is committed
        already, and no older manifest is left to describe it."""
        if self.manifest_file is None:
            return
        files, kept = self.entries, self._prepared_parts()
        if kept is not None:
            files = {relative: self.entries[relative] for relative in self.staged}
        data = {"version": MANIFEST_VERSION, "output": str(self.output), "fingerprint": self.fingerprint,
                "messages": self.messages, "folders": folders, "files": files, "kept": kept}
        name = None
        try:
            self.manifest_file.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=".manifest-", dir=self.manifest_file.parent)
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(name, self.manifest_file)
        except OSError:
            for stale in (name, self.manifest_file):
                try:
                    if stale is not None and not os.path.isdir(stale):
                        os.unlink(stale)
                except OSError:
                    pass
        except BaseException:   # (no half-written manifest left beside the cache)
            if name is not None:
                os.unlink(name)
            raise


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
    kept = data.get("kept")   # (`prepare_manifest`'s parts): the staged files' entries go over them
    if kept is not None:
        files: dict = {}
        try:
            for part in kept:
                found = pickle.loads(part)
                if not isinstance(found, dict):
                    return None
                files.update(found)
        except Exception:
            return None
        files.update(data["files"])
        data["files"] = files
    return data


def _file_sha(path: Path) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def place_file(target: Path, data: bytes, source: Path | None) -> None:
    """`target` holds `data`: `source` (which holds it) moved there, else the bytes written."""
    if source is not None:
        try:
            os.replace(source, target)
            return
        except OSError:
            pass   # another file system: written
    target.write_bytes(data)
