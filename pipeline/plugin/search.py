"""Static search: the Pagefind index of the complaint pages, built once Pelican wrote the site.

Only the complaint pages (`pengaduan/<id>/`, each marking its indexed part `data-pagefind-body`)
are indexed; confidential complaints have no page, so they can never be found. The index is
written to `pagefind/` in the output, on the same host as the site, and only the search page
(`cari/`, script `tema/cari.js`) ever loads it.
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)

INDEX_DIR = "pagefind"
PAGES = "pengaduan/*/index.html"


async def _index(output: Path) -> int:
    from pagefind.index import IndexConfig, PagefindIndex
    config = IndexConfig(force_language="id", output_path=str(output / INDEX_DIR))
    async with PagefindIndex(config=config) as index:
        added = await index.add_directory(str(output), glob=PAGES)
    return int(added.get("page_count", 0))


def build_index(output: Path) -> bool:
    """Index the built site in `output` with Pagefind's Python API; logs an error (which stops
    `pengaduan build`) on failure. A site without any public complaint gets no index (the search
    page then says the index cannot be loaded and shows the listing by month)."""
    output = Path(output).resolve()
    if not any(output.glob(PAGES)):
        return True
    try:
        pages = asyncio.run(_index(output))
    except Exception as err:  # the Pagefind service reports its failures as any exception
        logger.error("indeks pencarian (Pagefind) tidak dapat dibuat: %s", err)
        return False
    logger.debug("indeks pencarian: %d halaman pengaduan", pages)
    return True


def finalized(pelican_object) -> None:
    build_index(Path(pelican_object.output_path))


def register() -> None:
    signals.finalized.connect(finalized)
