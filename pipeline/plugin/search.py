"""Static search: the Pagefind index of the complaint pages, a bundle per year (or part of a big one), written with the site.

Only the complaint pages (`pengaduan/<id>/`, each marking its indexed part `data-pagefind-body`)
are indexed, from the HTML the build rendered (or kept unchanged from the previous build);
confidential complaints have no page, so they can never be found. The index is written to
`pagefind/<bundle>/` in the output, one Pagefind bundle per year of the complaint's number
(`ADU-YYYYMMDD-XXXX`): `pagefind/2025/`. A year of more than PART_PAGES pages (a city's site, a
big Puskesmas) is cut into parts of whole months, each at most PART_PAGES pages when no month alone
has more, named by their first month (`pagefind/2025-01/`, `pagefind/2025-04/`): Pagefind takes
some 0.3 ms a page (1 s for a year of 3,200), and one changed page is indexed again with its part,
not its whole year. Months are grouped from January, so a page added late in the year changes the
last part only. The bundles are on the same host as the site, and only the search page (`cari/`,
script `tema/cari.js`) ever loads them: the newest bundle with its program, the others merged into
it (`mergeIndex`: their entry, metadata and chunks, never a second WebAssembly).

A bundle is keyed by its name and pages (sorted numbers and sha256 of their bytes), the Pagefind
version and our arguments: when a rebuild finds the previous build's files of that bundle written
from the same key and untouched, the site writer keeps them and Pagefind does not run for it
(`kept`, `indexed` say which bundles). A bundle's index depends on its pages only, so a rebuild
equals a clean build.

Pagefind runs as its command-line program (from the `pagefind[bin]` package: its own binary, no
network), one process per bundle to index, on a temporary copy of its pages, each page as its
search extract only (`outputs.searchextract`: the part Pagefind indexes; the same index in 0.6 of
the time; a page the cut cannot read with certainty is linked whole), started as soon as the
build has written that bundle's pages (`SearchIndex.expect`) and running while the build
makes the other pages; its files go through the build's writer like every other file (unchanged
bytes are not rewritten; the privacy gate reads them). The files of Pagefind's own interfaces,
which the search page never loads, are left out. The copy is flat (`pengaduan/<id>.html`: one
folder, not one per page), so the index names each page `/pengaduan/<id>.html` and the search
page links to `/pengaduan/<id>/`. Not through Pagefind's Python API (1.5.2): it waits 0.1 s for
each page's answer (17 minutes for 10,000 pages), and stops the service while it may still be
writing, leaving files empty (fixed upstream after 1.5.2, "flush output files before they drop",
Pagefind#1272). The program ends only after its files are written.

Pagefind writes a bundle's files (a fragment a page) from many threads at once into one folder.
On a disk's file system those creations queue on the folder's lock: 800 fragments took 1.2 s on
the bench's ext4 against 0.45 s in memory, and a build after one change waited for it. So the
bundles, with their copy of the pages, are
written in a folder in memory (`RAM_FOLDER`, /dev/shm on Linux) when it has room for them, else
beside the output; a bundle that fails there is indexed again beside the output. Only
the files that changed are then written to the site, one at a time. Such a folder left by a build
that was killed is removed by a later build once it is a day old.

A page's extract is cut from the HTML when the build rendered the page, else taken from the build
cache (`search-extracts-<bundle>`: each page's extract by the sha256 of its bytes, saved once
Pagefind has started), else cut from the page's file: after one change, the other 600 to 800 pages
of its bundle are not read again (cutting takes some 0.08 ms a page).
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from pipeline.outputs.searchextract import search_extract

logger = logging.getLogger(__name__)

INDEX_DIR = "pagefind"
PAGES = "pengaduan"
ARGUMENTS = ["--force-language", "id", "--silent"]
SHARD_FORMAT = 2     # our layout of a bundle: change it and every bundle is indexed again
PART_PAGES = 1000    # PENGADUAN_SEARCH_PART_PAGES: a year of more pages is indexed in parts
RAM_FOLDER = "/dev/shm"   # a tmpfs on Linux; used only with room to spare (`_bundle_folder`)
PAGE_BYTES = 8192         # a page's share of its bundle, with a margin (4.2 KB measured at 10,000)
RAM_SPARE = 64 << 20      # left free in RAM_FOLDER for the machine's other programs
LEFT_BEHIND_AFTER = 86400  # seconds: a folder of ours this old in RAM_FOLDER is a killed build's
RAM_PREFIX = "pengaduan-cari-"
EXTRACTS = "search-extracts"   # the build cache's entry of a bundle's pages' extracts
MISSING = object()
_OPEN: list = []   # indexes not yet closed (`close_all`)
# Pagefind's allocator (jemalloc, built in): one arena and transparent huge pages. Its default
# touched some 31,000 fresh 4 KB pages for a bundle of 630 pages (a third of its CPU time in the
# kernel); these options take that to 3,400 and the bundle from 0.18 to 0.13 s, with the same
# peak memory and the same files. Where the system has no huge pages they change nothing.
ALLOCATOR = ("_RJEM_MALLOC_CONF", "narenas:1,thp:always,metadata_thp:always")
# Pagefind's ready-made interfaces: the search page uses its JavaScript API only.
UNUSED = {"pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"}


def _executable() -> str:
    from pagefind_bin import get_executable
    return str(get_executable())


def _environment() -> dict:
    """Pagefind's environment: ours, with `ALLOCATOR` unless the machine's owner set their own."""
    name, options = ALLOCATOR
    return {**os.environ, name: os.environ.get(name, options)}


@functools.lru_cache(maxsize=None)
def _version() -> str:
    from importlib import metadata
    return metadata.version("pagefind_bin")


def year_of(url: str) -> tuple[str, str]:
    """(year, id) of a complaint page's url "pengaduan/ADU-YYYYMMDD-XXXX/"."""
    parts = url.strip("/").split("/")
    if len(parts) != 2 or parts[0] != PAGES or parts[1] in ("", ".", ".."):
        raise ValueError(f"not a complaint page: {url}")
    number = parts[1]
    year = number[4:8] if number[:4].upper() == "ADU-" else ""
    return (year if len(year) == 4 and year.isdigit() else "lain"), number


def parts(year: str, numbers: list[str], most: int) -> dict[str, list[str]]:
    """{bundle name: its page numbers (sorted)} of one year: the year whole when it has at most
    `most` pages, else runs of whole months from January, a run closed before the month that
    would take it over `most` pages (a month of more is a part of its own)."""
    numbers = sorted(numbers)
    if len(numbers) <= most or not year.isdigit():
        return {year: numbers}
    months: dict[str, list[str]] = {}
    for number in numbers:
        month = number[8:10]
        months.setdefault(month if month.isdigit() else "00", []).append(number)
    found: dict[str, list[str]] = {}
    run: list[str] = []
    first = ""
    for month in sorted(months):
        if run and len(run) + len(months[month]) > most:
            found[f"{year}-{first}"], run = run, []
        if not run:
            first = month
        run += months[month]
    found[f"{year}-{first}"] = run
    return found


class SearchIndex:
    """The complaint pages handed over one by one (`add`), indexed by Pagefind in the background
    per bundle (`start`), the files of the bundles indexed collected at the end (`files`). `keep`
    (the site writer's `keep_folder_if_rendered_from`) keeps a bundle's files of the previous build
    when its key is the same. `close` always: it removes the copy.

    Told every page first (`expect`), a bundle starts as soon as its last page is added, while the
    build still writes the others: the changed complaint of a rebuild is mostly a recent one, among
    the first pages written (at 10,000 complaints they took 0.15 s to write)."""

    def __init__(self, beside: Path | None = None, keep=None, most: int = PART_PAGES, cache=None):
        # beside the output: a bundle's copy and its index when memory has no room for them
        self._folder = tempfile.TemporaryDirectory(prefix=".cari-", dir=beside)
        self._root = Path(self._folder.name)
        self._in_ram: list[tempfile.TemporaryDirectory] = []   # bundles' folders in memory
        self._keep = keep
        self._most = most
        self._cache = cache   # (plugin.cache.BuildCache) each bundle's pages' extracts, by page sha256
        self._extracts: dict[str, bytes | None] = {}   # id -> its extract, cut from the HTML rendered here
        self._pages: dict[str, tuple[str, Path | None]] = {}   # id -> (sha, file)
        self._years: dict[str, list[str]] = {}                 # year -> ids
        self._bundles: dict[str, list[str]] | None = None      # name -> ids
        self._bundle_of: dict[str, str] | None = None          # id -> its bundle (`expect`)
        self._expected: dict[str, tuple] = {}                  # url -> (year, id) (`expect`)
        self._left: dict[str, int] = {}                        # bundle -> its pages not yet added
        self._begun: set[str] = set()                          # bundles kept or handed to Pagefind
        self._sites: dict[str, Path] = {}                      # bundle -> its copy of the site
        self._written: dict[str, Path] = {}                    # bundle -> where Pagefind writes it
        self._processes: dict[str, subprocess.Popen] = {}
        self._keys: dict[str, str] = {}
        self._started = False
        self.count = 0
        self.kept: list[str] = []      # bundles whose previous files were kept
        self.indexed: list[str] = []   # bundles Pagefind ran for
        _OPEN.append(self)

    def expect(self, urls) -> None:
        """Every page that will be added (`url`s "pengaduan/<id>/"), before the first is."""
        if self.count or self._bundles is not None:
            raise RuntimeError("the pages are expected before the first is added")
        numbers: dict[str, list[str]] = {}
        expected = self._expected
        for url in urls:
            expected[url] = year, number = year_of(url)
            numbers.setdefault(year, []).append(number)
        self._bundles = {name: part for year, found in numbers.items()
                         for name, part in parts(year, found, self._most).items()}
        self._bundle_of = {number: name for name, part in self._bundles.items() for number in part}
        self._left = {name: len(part) for name, part in self._bundles.items()}

    def add(self, url: str, html: str | None = None, source: str | Path | None = None,
            sha: str | None = None) -> None:
        """A complaint page (`url` "pengaduan/<id>/"): the file that holds it (linked from the
        index's copy of the site), else its HTML (written beside the output); `sha`, the sha256 of
        its bytes, when the writer knows it."""
        year, number = self._expected.pop(url, None) or year_of(url)   # (worked out once a page)
        if self._started or (self._bundles is not None and
                             (self._bundle_of is None or number not in self._bundle_of)):
            raise RuntimeError(f"the bundles are made: no page can be added ({url})")
        if source is None:
            data = html.encode("utf-8")
            source = self._root / "halaman" / f"{number}.html"
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_bytes(data)
            sha = sha or hashlib.sha256(data).hexdigest()
        elif sha is None:
            sha = hashlib.sha256(html.encode("utf-8") if html is not None else Path(source).read_bytes()).hexdigest()
        if number in self._pages:
            raise RuntimeError(f"a page added twice: {url}")
        if html is not None:
            self._extracts[number] = search_extract(html.encode("utf-8"))
        self._pages[number] = (sha, source)
        self._years.setdefault(year, []).append(number)
        self.count += 1
        if self._bundle_of is not None:
            name = self._bundle_of[number]
            self._left[name] -= 1
            if not self._left[name]:
                self._begin(name)

    def bundles(self) -> list[str]:
        """The bundles' names, newest first (the search page loads the first, merges the rest)."""
        if self._bundles is None:
            self._bundles = {name: part for year, numbers in self._years.items()
                             for name, part in parts(year, numbers, self._most).items()}
        return sorted(self._bundles, reverse=True)

    def key(self, name: str) -> str:
        """What the bundle is made from: its pages (number and sha256 each), Pagefind and our way
        of running it (a page's pair as text, not through JSON: 26 bundles took 30 ms at 10,000)."""
        digest = hashlib.sha256(json.dumps([SHARD_FORMAT, _version(), ARGUMENTS, sorted(UNUSED), name]).encode())
        pages = self._pages
        digest.update("".join(f"\0{number}\0{pages[number][0]}" for number in self._bundles[name]).encode())
        return digest.hexdigest()

    def _index(self, name: str, bundle: Path) -> subprocess.Popen:
        return subprocess.Popen(
            [_executable(), "--site", str(self._sites[name]), "--output-path", str(bundle), *ARGUMENTS],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=_environment())

    def start(self) -> None:
        """Every bundle not begun yet (all of them, without `expect`): no page is added after."""
        if self._started:
            return
        missing = [name for name, left in self._left.items() if left]
        if missing:
            raise RuntimeError(f"pages expected but not added: {len(missing)} bundle(s), {missing[0]} first")
        self._started = True
        for name in self.bundles():
            self._begin(name)

    def _begin(self, name: str) -> None:
        """The bundle kept as the last build wrote it, else Pagefind started for it."""
        if name in self._begun:
            return
        self._begun.add(name)
        key = self._keys[name] = self.key(name)
        if self._keep is not None and self._keep(f"{INDEX_DIR}/{name}/", key):
            self.kept.append(name)
            for number in self._bundles[name]:
                self._extracts.pop(number, None)
            return
        # the copy is in the bundle's folder in memory when there is room (beside the output, hard
        # links took 13 ms to make for 1,000 pages on the bench's ext4 and 5.5 ms to remove)
        in_ram = _bundle_folder(len(self._bundles[name]))
        if in_ram is not None:
            self._in_ram.append(in_ram)
        place = Path(in_ram.name) if in_ram is not None else self._root
        try:
            (place / f"situs-{name}" / PAGES).mkdir(parents=True)
        except OSError:   # (memory full meanwhile?) beside the output
            place = self._root
            (place / f"situs-{name}" / PAGES).mkdir(parents=True, exist_ok=True)
        self._sites[name] = place / f"situs-{name}"
        made = self._copy(name, str(self._sites[name] / PAGES))
        self._written[name] = place / f"indeks-{name}"
        self.indexed.append(name)
        self._processes[name] = self._index(name, self._written[name])
        if self._cache is not None and made is not None:
            self._cache.save(f"{EXTRACTS}-{name}", made)

    def _copy(self, name: str, folder: str) -> dict | None:
        """The bundle's pages into `folder`, each as its search extract: cut from the HTML rendered
        in this build, else kept from the last build that indexed the page (by its sha256), else cut
        from its file; a page that cannot be cut is linked whole. Returns the extracts to keep for
        the next build, None when they are the kept ones."""
        kept = self._cache.load(f"{EXTRACTS}-{name}") if self._cache is not None else {}
        if not all(extract is None or type(extract) is bytes for extract in kept.values()):
            kept = {}   # (a damaged entry: cut again)
        extracts, changed = {}, False
        for number in self._bundles[name]:
            sha, source = self._pages[number]
            extract = self._extracts.pop(number, MISSING)
            if extract is MISSING:
                extract = kept.get(sha, MISSING)
            if extract is MISSING:
                try:
                    with open(source, "rb") as stream:
                        extract = search_extract(stream.read())
                except OSError:
                    extract = None
            changed = changed or sha not in kept
            extracts[sha] = extract
            target = os.path.join(folder, f"{number}.html")
            if extract is None:
                # (texts, not paths: asking each page's `Path.parents` took 0.1 s of a first build at
                # 10,000; a link, not a copy, and beside the output no page is touched: a hard link
                # moved its change time, which tells the next build of a hand's edit)
                try:
                    os.symlink(os.path.abspath(source), target)
                except OSError:   # (a file system without links)
                    shutil.copyfile(source, target)
            else:
                with open(target, "wb") as stream:
                    stream.write(extract)
        return extracts if changed or len(extracts) != len(kept) else None

    def files(self) -> list[tuple[str, Path, str]] | None:
        """[(path relative to the site root, its file, key of its bundle)] of the bundles indexed in
        this build; None (and an error logged, which stops `pengaduan build`) on failure. No page, no
        index: the search page then says the index cannot be loaded and shows the listing by month."""
        self.start()
        self._forget_other_bundles()   # (while Pagefind runs)
        found: list[tuple[str, bytes, str]] = []
        failed = False
        for name, process in sorted(self._processes.items()):
            said, _ = process.communicate()
            bundle, on_disk = self._written[name], self._root / f"indeks-{name}"
            if process.returncode != 0 and bundle != on_disk:   # (memory full meanwhile?) again, on disk
                shutil.rmtree(bundle, ignore_errors=True)
                bundle = self._written[name] = on_disk
                process = self._processes[name] = self._index(name, bundle)
                said, _ = process.communicate()
            if process.returncode != 0:
                logger.error("indeks pencarian (Pagefind) %s tidak dapat dibuat: %s", name,
                             said.decode("utf-8", "replace").strip()[-2000:])
                failed = True
                continue
            found += self._found(name, bundle)
        return None if failed else found

    def _forget_other_bundles(self) -> None:
        """The build cache's extracts of bundles this site no longer has (a year's parts moved to
        other months) are deleted: they would never be read again."""
        folder = self._cache.folder if self._cache is not None else None
        if folder is None or self._bundles is None:
            return
        current = {f"{EXTRACTS}-{name}.pickle" for name in self._bundles}
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith(f"{EXTRACTS}-") and entry.name.endswith(".pickle") and \
                            entry.name not in current and entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)
        except OSError:   # (a cache that cannot be read or written: the next build is only slower)
            return

    def _found(self, name: str, bundle: Path) -> list[tuple[str, Path, str]]:
        return [(f"{INDEX_DIR}/{name}/{path.relative_to(bundle).as_posix()}", path, self._keys[name])
                for path in sorted(bundle.rglob("*"))
                if path.is_file() and not path.is_symlink() and path.name not in UNUSED]

    def close(self) -> None:
        if self in _OPEN:
            _OPEN.remove(self)
        for process in self._processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
        self._folder.cleanup()
        for folder in self._in_ram:
            folder.cleanup()


def close_all() -> None:
    """Stop every index still open: a build that failed after its search index started (the
    complaint pages are written before Pelican's other pages) leaves no Pagefind running and no
    copy of its pages beside the output."""
    for index in list(_OPEN):
        index.close()


def _bundle_folder(pages: int) -> tempfile.TemporaryDirectory | None:
    """A new folder in memory for a bundle of `pages` pages, when RAM_FOLDER has room for them
    and some to spare (a container's 64 MB /dev/shm may not); None: beside the output."""
    if not pages:
        return None
    _remove_left_behind()
    try:
        free = os.statvfs(RAM_FOLDER)
        if free.f_bavail * free.f_frsize < pages * PAGE_BYTES + RAM_SPARE:
            return None
        return tempfile.TemporaryDirectory(prefix=RAM_PREFIX, dir=RAM_FOLDER)
    except OSError:
        return None


def _remove_left_behind() -> None:
    """Folders of ours in RAM_FOLDER that a build killed before its clean-up left there hold
    memory until the machine restarts: removed once they are a day old (no build runs that long)."""
    try:
        entries = list(os.scandir(RAM_FOLDER))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        try:
            if entry.name.startswith(RAM_PREFIX) and entry.is_dir(follow_symlinks=False):
                stat = entry.stat(follow_symlinks=False)
                if stat.st_uid == os.getuid() and now - stat.st_mtime > LEFT_BEHIND_AFTER:
                    shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            continue
