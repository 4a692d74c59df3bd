"""Static search: the Pagefind index of the complaint pages, one bundle per year, written with the site.

Only the complaint pages (`pengaduan/<id>/`, each marking its indexed part `data-pagefind-body`)
are indexed, from the HTML the build rendered (or kept unchanged from the previous build);
confidential complaints have no page, so they can never be found. The index is written to
`pagefind/<year>/` in the output, one Pagefind bundle per year of the complaint's number
(`ADU-YYYYMMDD-XXXX`), on the same host as the site, and only the search page (`cari/`, script
`tema/cari.js`) ever loads it: the newest year's bundle with its program, the other years merged
into it (`mergeIndex`: their entry, metadata and chunks, never a second WebAssembly).

A year's bundle is keyed by its pages (sorted numbers and sha256 of their bytes), the Pagefind
version and our arguments: when a rebuild finds the previous build's files of that year written
from the same key and untouched, the site writer keeps them and Pagefind does not run for that
year (`kept`, `indexed` say which years). A year's index depends on its pages only, so a rebuild
equals a clean build.

Pagefind runs as its command-line program (from the `pagefind[bin]` package: its own binary, no
network), one process per year to index, on a temporary copy of that year's pages, while the build
makes the other pages; its files go through the build's writer like every other file (unchanged
bytes are not rewritten; the privacy gate reads them). The files of Pagefind's own interfaces,
which the search page never loads, are left out. The copy is flat (`pengaduan/<id>.html`: one
folder, not one per page), so the index names each page `/pengaduan/<id>.html` and the search
page links to `/pengaduan/<id>/`. Not through Pagefind's Python API (1.5.2): it waits 0.1 s for
each page's answer (17 minutes for 10,000 pages), and stops the service while it may still be
writing, leaving files empty (fixed upstream after 1.5.2, "flush output files before they drop",
Pagefind#1272). The program ends only after its files are written.
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
from pathlib import Path

logger = logging.getLogger(__name__)

INDEX_DIR = "pagefind"
PAGES = "pengaduan"
ARGUMENTS = ["--force-language", "id", "--silent"]
SHARD_FORMAT = 1     # our layout of a year's bundle: change it and every year is indexed again
# Pagefind's ready-made interfaces: the search page uses its JavaScript API only.
UNUSED = {"pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"}


def _executable() -> str:
    from pagefind_bin import get_executable
    return str(get_executable())


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


class SearchIndex:
    """The complaint pages handed over one by one (`add`), indexed by Pagefind in the background
    per year (`start`), the files of the years indexed collected at the end (`files`). `keep`
    (the site writer's `keep_folder_if_rendered_from`) keeps a year's files of the previous build
    when its key is the same. `close` always: it removes the copy."""

    def __init__(self, beside: Path | None = None, keep=None):
        # beside the output: the same disk, so a kept page is linked, not copied
        self._folder = tempfile.TemporaryDirectory(prefix=".cari-", dir=beside)
        self._root = Path(self._folder.name)
        self._keep = keep
        self._pages: dict[str, dict[str, tuple[str, Path | None]]] = {}   # year -> id -> (sha, kept file)
        self._processes: dict[str, subprocess.Popen] = {}
        self._keys: dict[str, str] = {}
        self._started = False
        self.count = 0
        self.kept: list[str] = []      # years whose previous files were kept
        self.indexed: list[str] = []   # years Pagefind ran for

    def add(self, url: str, html: str | None = None, source: str | Path | None = None,
            sha: str | None = None) -> None:
        """A complaint page (`url` "pengaduan/<id>/"): its HTML, or the file that holds it; `sha`,
        the sha256 of its bytes, when the writer knows it."""
        year, number = year_of(url)
        if html is not None:
            data = html.encode("utf-8")
            target = self._site(year) / PAGES / f"{number}.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            sha, source = sha or hashlib.sha256(data).hexdigest(), None
        elif sha is None:
            sha = hashlib.sha256(Path(source).read_bytes()).hexdigest()
        self._pages.setdefault(year, {})[number] = (sha, source)
        self.count += 1

    def years(self) -> list[str]:
        """The years with pages, newest first (the search page loads the first, merges the rest)."""
        return sorted(self._pages, reverse=True)

    def key(self, year: str) -> str:
        pages = sorted((number, sha) for number, (sha, _) in self._pages[year].items())
        return hashlib.sha256(json.dumps([SHARD_FORMAT, _version(), ARGUMENTS, sorted(UNUSED),
                                          year, pages]).encode()).hexdigest()

    def _site(self, year: str) -> Path:
        return self._root / f"situs-{year}"

    def _bundle(self, year: str) -> Path:
        return self._root / f"indeks-{year}"

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        for year in self.years():
            key = self._keys[year] = self.key(year)
            if self._keep is not None and self._keep(f"{INDEX_DIR}/{year}/", key):
                self.kept.append(year)
                continue
            folder = self._site(year) / PAGES
            folder.mkdir(parents=True, exist_ok=True)
            for number, (_, source) in sorted(self._pages[year].items()):
                if source is not None:
                    target = folder / f"{number}.html"
                    try:
                        os.link(source, target)
                    except OSError:
                        shutil.copyfile(source, target)
            self.indexed.append(year)
            self._processes[year] = subprocess.Popen(
                [_executable(), "--site", str(self._site(year)), "--output-path", str(self._bundle(year)),
                 *ARGUMENTS],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def files(self) -> list[tuple[str, Path, str]] | None:
        """[(path relative to the site root, its file, key of its year)] of the years indexed in this
        build; None (and an error logged, which stops `pengaduan build`) on failure. No page, no
        index: the search page then says the index cannot be loaded and shows the listing by month."""
        self.start()
        found: list[tuple[str, bytes, str]] = []
        failed = False
        for year, process in sorted(self._processes.items()):
            said, _ = process.communicate()
            if process.returncode != 0:
                logger.error("indeks pencarian (Pagefind) tahun %s tidak dapat dibuat: %s", year,
                             said.decode("utf-8", "replace").strip()[-2000:])
                failed = True
                continue
            bundle = self._bundle(year)
            found += [(f"{INDEX_DIR}/{year}/{path.relative_to(bundle).as_posix()}", path, self._keys[year])
                      for path in sorted(bundle.rglob("*"))
                      if path.is_file() and not path.is_symlink() and path.name not in UNUSED]
        return None if failed else found

    def close(self) -> None:
        for process in self._processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
        self._folder.cleanup()
