"""Static search: the Pagefind index of the complaint pages, written with the site.

Only the complaint pages (`pengaduan/<id>/`, each marking its indexed part `data-pagefind-body`)
are indexed, from the HTML the build rendered (or kept unchanged from the previous build);
confidential complaints have no page, so they can never be found. The index is written to
`pagefind/` in the output, on the same host as the site, and only the search page (`cari/`,
script `tema/cari.js`) ever loads it.

Pagefind runs as its command-line program (from the `pagefind[bin]` package: its own binary, no
network) on a temporary copy of those pages, in its own process while the build makes the other
pages, and its files go through the build's writer like every other file (unchanged bytes are
not rewritten; the privacy gate reads them). The copy is flat (`pengaduan/<id>.html`: one folder,
not one per page), so the index names each page `/pengaduan/<id>.html` and the search page links
to `/pengaduan/<id>/`. Not through Pagefind's Python API (1.5.2): it waits 0.1 s for each page's
answer (17 minutes for 10,000 pages), and stops the service while it may still be writing,
leaving files empty (fixed upstream after 1.5.2, "flush output files before they drop",
Pagefind#1272). The program ends only after its files are written.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

INDEX_DIR = "pagefind"
PAGES = "pengaduan"


def _executable() -> str:
    from pagefind_bin import get_executable
    return str(get_executable())


class SearchIndex:
    """The complaint pages handed over one by one (`add`), indexed by Pagefind in the background
    (`start`), its files collected at the end (`files`). `close` always: it removes the copy."""

    def __init__(self, beside: Path | None = None):
        # beside the output: the same disk, so a kept page is linked, not copied
        self._folder = tempfile.TemporaryDirectory(prefix=".cari-", dir=beside)
        root = Path(self._folder.name)
        self._site, self._bundle = root / "situs", root / INDEX_DIR
        (self._site / PAGES).mkdir(parents=True)
        self._process: subprocess.Popen | None = None
        self.count = 0

    def add(self, url: str, html: str | None = None, source: Path | None = None) -> None:
        """A complaint page (`url` "pengaduan/<id>/"): its HTML, or the file that holds it."""
        parts = url.strip("/").split("/")
        if len(parts) != 2 or parts[0] != PAGES or parts[1] in ("", ".", ".."):
            raise ValueError(f"not a complaint page: {url}")
        target = self._site / PAGES / f"{parts[1]}.html"
        if html is not None:
            target.write_text(html, encoding="utf-8")
        else:
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
        self.count += 1

    def start(self) -> None:
        if self.count and self._process is None:
            self._process = subprocess.Popen(
                [_executable(), "--site", str(self._site), "--output-path", str(self._bundle),
                 "--force-language", "id", "--silent"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def files(self) -> list[tuple[str, bytes]] | None:
        """[(path relative to the site root, bytes)] of the index; None (and an error logged, which
        stops `pengaduan build`) on failure. No page, no index: the search page then says the
        index cannot be loaded and shows the listing by month."""
        self.start()
        if self._process is None:
            return []
        said, _ = self._process.communicate()
        if self._process.returncode != 0:
            logger.error("indeks pencarian (Pagefind) tidak dapat dibuat: %s",
                         said.decode("utf-8", "replace").strip()[-2000:])
            return None
        return [(f"{INDEX_DIR}/{path.relative_to(self._bundle).as_posix()}", path.read_bytes())
                for path in sorted(self._bundle.rglob("*")) if path.is_file() and not path.is_symlink()]

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._folder.cleanup()
