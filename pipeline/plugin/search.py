"""Static search: the Pagefind index of the complaint pages, written with the site.

Only the complaint pages (`pengaduan/<id>/`, each marking its indexed part `data-pagefind-body`)
are indexed, from the HTML the build rendered (or kept unchanged from the previous build);
confidential complaints have no page, so they can never be found. The index is written to
`pagefind/` in the output, on the same host as the site, and only the search page (`cari/`,
script `tema/cari.js`) ever loads it.

Pagefind runs as its command-line program (from the `pagefind[bin]` package: its own binary, no
network) on a temporary copy of those pages, and its files go through the build's writer like
every other file (unchanged bytes are not rewritten; the privacy gate reads them). Not through
its Python API (Pagefind 1.5.2): that API waits 0.1 s for each page's answer (17 minutes for
10,000 pages), and stops the service while it may still be writing, leaving files empty (fixed
upstream after 1.5.2, "flush output files before they drop", Pagefind#1272). The program ends
only after its files are written.
"""
from __future__ import annotations

import logging
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

INDEX_DIR = "pagefind"


def _executable() -> str:
    from pagefind_bin import get_executable
    return str(get_executable())


def index_files(pages: list[tuple[str, str]]) -> list[tuple[str, bytes]] | None:
    """The index of `pages` ([(url relative to the site root, html)]) as [(path relative to the
    site root, bytes)]; None (and an error logged, which stops `pengaduan build`) on failure.
    No page, no index: the search page then says the index cannot be loaded and shows the
    listing by month."""
    if not pages:
        return []
    with tempfile.TemporaryDirectory(prefix="pengaduan-cari-") as folder:
        site, bundle = Path(folder) / "situs", Path(folder) / INDEX_DIR
        for url, html in pages:
            target = site / url.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        try:
            result = subprocess.run([_executable(), "--site", str(site), "--output-path", str(bundle),
                                     "--force-language", "id", "--silent"],
                                    capture_output=True, text=True, check=False)
        except (OSError, ImportError) as err:
            logger.error("indeks pencarian (Pagefind) tidak dapat dibuat: %s", err)
            return None
        if result.returncode != 0:
            logger.error("indeks pencarian (Pagefind) tidak dapat dibuat: %s",
                         (result.stderr or result.stdout).strip()[-2000:])
            return None
        return [(f"{INDEX_DIR}/{path.relative_to(bundle).as_posix()}", path.read_bytes())
                for path in sorted(bundle.rglob("*")) if path.is_file() and not path.is_symlink()]
