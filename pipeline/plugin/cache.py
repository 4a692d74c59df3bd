"""The build cache: what a site build may reuse from the previous build, and nothing it must not.

Everything here is content-addressed: an entry is used only when the key of everything it was
made from is the same, so a cache can make a build faster but never different (a test builds
clean and incrementally after random edits and compares the outputs byte for byte). The cache
lives outside the output (`pengaduan build --cache`, default `.cache/pengaduan/` of the
repository) and is safe to delete: an unreadable, foreign or damaged file is ignored.

Keys:
- `environment`: this program's own source files, the theme, the schemas, the policy file, every
  installed distribution with its version (`plugin.fingerprint.installed`; `holidays`: due times
  are kept), and the Pelican settings (without the output path);
- a complaint file: its git blob id (sha1 of "blob <size>\\0<bytes>", as `git hash-object` says),
  its path, plus the environment;
- a complaint's view: the file's key plus the evidence marks its page shows and whether its
  follow-up's target day has passed (its summary in `views.*.pickle`, the whole view on the shelf,
  `views/<key>`); its open-data rows and its listing entry (`plugin.keptentries`) likewise;
- a complaint's due times: the moment it was received and the stages' limits;
- a complaint's judgment (`report.keptjudgment`): its file's key, the sha256 of the kept-evidence
  file holding its evidence, what the trusted timestamps say of it, and the window of "now" it
  holds for; with its view's key, so the marks of an unchanged judgment are not keyed again;
- a page: the views it shows, its URL depth, and the values of the site-wide names its templates
  use (found in the templates themselves, so a theme that starts using one is still right);
- compiled templates (`plugin.kepttemplates`): the environment, a folder each (Jinja checks them
  against their source only, not against the options they were compiled with).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import zlib
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from pathlib import Path

from pipeline.outputs.realfolders import real_folders

CACHE_FORMAT = 1
SETTINGS_LEFT_OUT = {"OUTPUT_PATH", "PENGADUAN_WRITER", "PENGADUAN_CACHE", "PENGADUAN_SETTINGS_FILE"}


def key_of(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(stable(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def quick_key(*parts) -> str:
    """`key_of` through pickle (C speed): equal pickles are equal values. A value whose pickle
    varies from run to run (a set) only makes the key miss, never match wrongly."""
    try:
        return hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest()
    except Exception:
        return key_of(*parts)


def stable(value) -> str:
    """A text that names `value`'s content (never a memory address when it can be avoided)."""
    if isinstance(value, str):
        return "s" + repr(str(value))
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, (datetime, date)):
        return "t" + value.isoformat() + repr(getattr(value, "tzinfo", None))
    if isinstance(value, dict):
        return "{" + ",".join(stable(k) + ":" + stable(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable(item) for item in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "(" + ",".join(sorted(stable(item) for item in value)) + ")"
    if is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__ + stable({f.name: getattr(value, f.name) for f in fields(value)})
    if hasattr(value, "url") and hasattr(value, "title"):  # Pelican's pages in the menu
        # (its text as read: `content` replaces its links, too early for the images it links)
        return "page" + stable([value.url, value.title, getattr(value, "save_as", None),
                                getattr(value, "_content", None)])
    return type(value).__name__ + repr(value)


def _files_key(digest, folder: Path, suffixes: tuple | None = None) -> None:
    if not folder.is_dir():
        digest.update(b"-")
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and (suffixes is None or path.suffix in suffixes):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")


def environment_key(settings: dict, repo: Path) -> str:
    """The key of everything every cached thing depends on (see the module's docstring)."""
    from pipeline.outputs.site import project_root
    from pipeline.plugin.fingerprint import installed
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{sys.version}\0".encode())
    digest.update(installed())   # every library with its version (holidays: the kept due times)
    _files_key(digest, Path(__file__).resolve().parents[1], (".py",))       # this program
    _files_key(digest, project_root() / "schema")
    theme = settings.get("THEME")
    if theme:
        _files_key(digest, Path(theme))
    policy = repo / "puskesmas.yaml"
    digest.update(policy.read_bytes() if policy.is_file() else b"-")
    chosen = {name: value for name, value in sorted(settings.items()) if name not in SETTINGS_LEFT_OUT}
    digest.update(stable(chosen).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def tracked_files(repo: Path, folder: Path) -> list[str]:
    """What git tracks at `folder` (inside `repo`, as given, links not followed), under it, or at
    a folder or link on the way to it. A cache that came with the content is someone else's: its
    pickles would run their code, so it is never read."""
    from pipeline.evidence.git import GitError, run
    try:
        relative = Path(os.path.relpath(Path(folder).absolute(), Path(repo).absolute())).as_posix()
    except ValueError:
        return []
    if relative == ".." or relative.startswith("../"):
        return []   # outside the repository: git tracks nothing there
    try:
        listed = run(repo, "ls-files", "-z", "--", relative.split("/")[0]).decode("utf-8", "replace").split("\0")
    except GitError:
        return []   # not a repository: nothing came with it
    parts = relative.split("/")
    on_the_way = {"/".join(parts[:depth]) for depth in range(1, len(parts) + 1)}
    return [name for name in listed if name and (name in on_the_way or name.startswith(relative + "/"))]


class BuildCache:
    """Pickled entries in `folder`, each valid only for one environment key. The big ones
    (`SHARDED`: a value per complaint file) are kept in SHARDS files by their keys' checksum, and
    a build writes only the files whose keys changed: one change rewrote 52 MB at 10,000."""

    SHARDED = {"records", "rows", "gate-values", "views", "measures", "listing-entries"}
    SHARDS = 16

    def __init__(self, folder: Path | None, environment: str):
        self.folder = Path(folder) if folder else None
        self.environment = environment
        self._loaded_keys: dict = {}   # name -> {shard: its keys as loaded}
        self._shards: dict = {}   # key -> its shard, for the keys loaded
        self._all_keys: dict = {}   # name -> every key loaded, when each is in one shard and all were read

    def load(self, name: str) -> dict:
        if name not in self.SHARDED:
            return self._load_file(f"{name}.pickle") or {}
        entries: dict = {}
        loaded = self._loaded_keys[name] = {}
        count = 0
        for shard in range(self.SHARDS):
            found = self._load_file(f"{name}.{shard:02d}.pickle")
            loaded[shard] = None if found is None else frozenset(found)
            if found:
                count += len(found)
                entries.update(found)
                self._shards.update(dict.fromkeys(found, shard))   # (`save` need not work it out again)
        # every shard read, every key in one: `save` finds the shards to write from the keys that
        # came and went, without sorting 10,000 keys into shards again
        self._all_keys[name] = frozenset(entries) if count == len(entries) and None not in loaded.values() else None
        return entries

    def _load_file(self, file_name: str) -> dict | None:
        """The file's entries; None when it is missing, damaged or from another environment."""
        if self.folder is None:
            return None
        try:
            with open(self.folder / file_name, "rb") as stream:
                stored = pickle.load(stream)
        except Exception:  # missing, damaged or from another version: start afresh
            return None
        if not isinstance(stored, dict) or stored.get("environment") != self.environment or \
                not isinstance(stored.get("entries"), dict):
            return None
        return stored["entries"]

    def save(self, name: str, entries: dict) -> None:
        """Keep `entries` for the next build: each shard whose keys changed is written (equal keys,
        equal values: the entries are content-addressed)."""
        if name not in self.SHARDED:
            self._save_file(f"{name}.pickle", entries)
            return
        before, loaded = self._all_keys.get(name), self._loaded_keys.get(name, {})
        if before is None:   # (not loaded, or not every shard as expected): every shard worked out
            shards: dict = {shard: {} for shard in range(self.SHARDS)}
            for key, value in entries.items():
                shards[self._shard(key)][key] = value
            changed = [shard for shard, part in shards.items() if loaded.get(shard) != frozenset(part)]
        else:   # (one change at 10,000: two shards of a name to write; sorting every key took 30 ms)
            added = {key: self._shard(key) for key in entries.keys() - before}
            changed = sorted(set(added.values()) | {self._shards[key] for key in before.difference(entries)})
            shards = {shard: {key: entries[key] for key in loaded[shard] if key in entries} for shard in changed}
            for key, shard in added.items():
                shards[shard][key] = entries[key]
        for shard in changed:
            self._save_file(f"{name}.{shard:02d}.pickle", shards[shard])

    def _shard(self, key) -> int:
        shard = self._shards.get(key)
        return shard_of(key, self.SHARDS) if shard is None else shard

    def _save_file(self, file_name: str, entries: dict) -> None:
        if self.folder is None:
            return
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".cache-", dir=self.folder)
            with os.fdopen(handle, "wb") as stream:
                pickle.dump({"environment": self.environment, "entries": entries}, stream,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / file_name)
        except Exception:   # (a full disk, a value that does not pickle) the next build is only slower
            if temporary is not None and os.path.exists(temporary):
                os.unlink(temporary)


def saved_environment(folder: Path, name: str) -> str | None:
    """The environment key the last build saved the (small, unsharded) entry `name` with; None
    when it is missing or damaged."""
    try:
        with open(Path(folder) / f"{name}.pickle", "rb") as stream:
            stored = pickle.load(stream)
    except Exception:
        return None
    found = stored.get("environment") if isinstance(stored, dict) else None
    return found if isinstance(found, str) else None


def shard_of(key, shards: int) -> int:
    """The file of a sharded cache entry: its key's checksum (the same in every run)."""
    try:
        return zlib.crc32(pickle.dumps(key, protocol=4)) % shards
    except Exception:
        return 0


def referenced_names(env, template_name: str, seen: set | None = None) -> set[str]:
    """The names a template (with what it extends, includes or imports) takes from its context or
    from the environment's globals (the listing's helpers are globals)."""
    from jinja2 import Environment, meta
    seen = set() if seen is None else seen
    if template_name in seen:
        return set()
    seen.add(template_name)
    source = env.loader.get_source(env, template_name)[0]
    # A bare environment: one with globals set leaves their names out of "undeclared".
    tree = Environment(loader=env.loader, extensions=list(env.extensions)).parse(source)
    names = set(meta.find_undeclared_variables(tree))
    for child in meta.find_referenced_templates(tree):
        if child:
            names |= referenced_names(env, child, seen)
    return names


class Memo:
    """Entries of one cache file as a build uses them: what it read or made is what is saved, so
    entries of deleted or changed files do not pile up.

    Each value is kept pickled on its own (`packed`): a build unpickles only what it uses, and
    saving does not make one pickler remember every object of 10,000 records at once.
    `compressed`: each packed value zlib-compressed, for entries held while much else is (the open
    data's rows: 43 MB become 8 MB at 10,000, for 0.13 s of decompressing). `packed=False`: the
    values as they are, pickled with their shard (for the records, which every build reads: one
    pickle a shard shares their field names and short values, which 10,000 separate pickles
    held each on their own until a walk over every record shared them again, 0.35 s a build)."""

    def __init__(self, entries: dict, compressed: bool = False, packed: bool = True):
        self.entries = entries
        self.used: dict = {}
        self.keys_by_path: dict = {}
        self.compressed = compressed
        self.packed = packed

    def get(self, key):
        if key is not None and isinstance(key, tuple):
            self.keys_by_path[key[0]] = key
        packed = self.entries.get(key)
        if not self.packed:
            if packed is not None:
                self.used[key] = packed
            return packed
        if not isinstance(packed, bytes):
            return None
        try:
            value = pickle.loads(zlib.decompress(packed) if self.compressed else packed)
        except Exception:  # a damaged entry: made again
            return None
        self.used[key] = packed
        return value

    def put(self, key, value) -> None:
        if not self.packed:
            self.used[key] = value
            return
        try:
            packed = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            self.used[key] = zlib.compress(packed) if self.compressed else packed
        except Exception:
            pass  # not picklable: made again next time

    def reuse(self, key, make):
        """The value kept under `key`, else `make()`'s (kept for the next build)."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def keep(self, keys) -> None:
        """Keep the entries of `keys` for the next build, used by this one or not."""
        for key in keys:
            if key not in self.used and key in self.entries:
                self.used[key] = self.entries[key]

    def save_and_release(self, cache: "BuildCache", name: str) -> None:
        """Save what this build used as soon as it is made (every entry is content-addressed, so it
        holds whatever the build does next) and let go of the kept bytes: the rest of the build
        reuses their memory."""
        cache.save(name, self.used)
        self.entries, self.used = {}, {}


class Shelf:
    """Pickled values one file each in `folder`, named by their key (a hex digest): a build reads
    only the few it renders, and one change writes only its own file. `keep_only` removes the
    files a build no longer uses; a missing or damaged file only means the value is made again."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self._real = False   # (made a real folder once: a link in its place is removed, never followed)

    def _usable(self) -> bool:
        if not self._real and self.folder is not None:
            try:
                self.folder.parent.mkdir(parents=True, exist_ok=True)
                real_folders(str(self.folder), {str(self.folder.parent)})
                self._real = True
            except OSError:
                pass
        return self._real

    def _file(self, key: str) -> str:
        if not key.isalnum():   # keys are digests: never a path of their own
            raise ValueError(key)
        return os.path.join(self.folder, key)

    def read(self, key: str) -> bytes:
        if not self._usable():
            raise OSError(f"{self.folder}: no folder of the cache")
        with open(self._file(key), "rb") as stream:
            return stream.read()

    def write(self, key: str, data: bytes) -> bool:
        """True when the file now holds `data`."""
        if self.folder is None:
            return False
        target = self._file(key)
        if not self._usable():
            return False
        try:
            handle, temporary = tempfile.mkstemp(prefix=".", dir=self.folder)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
        except OSError:
            return False
        return True

    def keep_only(self, keys) -> None:
        if self.folder is None or not os.path.lexists(self.folder) or not self._usable():
            return
        keys = set(keys)
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name not in keys:
                    try:
                        os.unlink(entry.path)
                    except OSError:
                        pass


class LazyView(Mapping):
    """A view kept in the cache: its `summary` fields at hand, the rest read and unpickled on first
    use (`packed()` gives its bytes; a rebuild after one change renders a few pages, but lists
    every complaint), and let go again by `release()` once its page is written. `remake()` makes
    the view again should the kept bytes be missing or not unpickle."""

    __slots__ = ("summary", "packed", "remake", "_whole")

    def __init__(self, summary: dict, packed, remake):
        self.summary, self.packed, self.remake, self._whole = summary, packed, remake, None

    def whole(self) -> dict:
        if self._whole is None:
            try:
                self._whole = pickle.loads(self.packed())
            except Exception:  # missing or damaged: made again
                self._whole = self.remake()
        return self._whole

    def release(self) -> None:
        self._whole = None

    def __getitem__(self, key):
        if self._whole is None:
            try:
                return self.summary[key]   # (one lookup: 140,000 a rebuild at 10,000)
            except KeyError:
                pass
        return self.whole()[key]

    def __iter__(self):
        return iter(self.whole())

    def __len__(self) -> int:
        return len(self.whole())


# A result's fields its others and the key's other parts decide: its due time (the file's
# `diterima` and the policy, in the environment) and its done time (the proven time, else the
# claimed one unless the flags say it is not proven). Left out, a key pickles a third as many moments.
DERIVED_FIELDS = frozenset({"due_at", "done_at"})


def plain_marks(marks: dict | None):
    """A complaint's marks as plain values for its view's key (with its file's key): each result's
    fields but the derived ones (its stage by id: the stage itself is the policy's, in the
    environment; a moment as its instant and offset, which is all a page shows of it), so that
    keying them is one fast pickle (pickling 90,000 aware datetimes took 0.15 s at 10,000)."""
    if not marks:
        return marks
    return [(stage_id, sorted((name, plain_moment(value)) for name, value in mark.items()) if isinstance(mark, dict) else
             [(name, value.id if name == "stage" else plain_moment(value)) for name, value in vars(mark).items()
              if name not in DERIVED_FIELDS])
            for stage_id, mark in marks.items()]


def plain_moment(value):
    """A moment as (instant, offset in seconds); any other value as it is. (Numbers: a pickle names
    a time zone's offset object again by reference, so equal moments in two zone types differed.)"""
    if not isinstance(value, datetime):
        return value
    offset = value.utcoffset()
    return value.timestamp(), None if offset is None else offset.total_seconds()
