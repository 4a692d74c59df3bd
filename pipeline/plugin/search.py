"""Static search: the Pagefind index of the complaint pages, written with the site.

Only the complaint pages (`pengaduan/<id>/`, each marking its indexed part `data-pagefind-body`)
are indexed, from the HTML the build rendered (or kept unchanged from the previous build);
confidential complaints have no page, so they can never be found. The index is written to
`pagefind/` in the output, on the same host as the site, and only the search page (`cari/`,
script `tema/cari.js`) ever loads it. Pagefind runs through its Python API (the `pagefind[bin]`
package: its own binary, no network).
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

INDEX_DIR = "pagefind"


async def _index(target: Path, pages: list[tuple[str, str]]) -> None:
    from pagefind.index import IndexConfig, PagefindIndex
    config = IndexConfig(force_language="id", output_path=str(target))
    async with PagefindIndex(config=config) as index:
        for url, html in pages:
            await index.add_html_file(content=html, url="/" + url.lstrip("/"))


def write_index(output: Path, pages: list[tuple[str, str]]) -> bool:
    """Index `pages` ([(url relative to the site root, html)]) into `output`/pagefind/; logs an
    error (which stops `pengaduan build`) on failure. No page, no index: the search page then
    says the index cannot be loaded and shows the listing by month."""
    if not pages:
        return True
    try:
        asyncio.run(_index(Path(output) / INDEX_DIR, pages))
    except Exception as err:  # the Pagefind service reports its failures as any exception
        logger.error("indeks pencarian (Pagefind) tidak dapat dibuat: %s", err)
        return False
    return True
