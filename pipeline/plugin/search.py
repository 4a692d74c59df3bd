"""Static search: the Pagefind index of the complaint pages, built once Pelican wrote the site.

Only the complaint pages (`pengaduan/<id>/`, each marking its indexed part `data-pagefind-body`)
are indexed; confidential complaints have no page, so they can never be found. The index is
written to `pagefind/` in the output, on the same host as the site, and only the search page
(`cari/`, script `tema/cari.js`) ever loads it.
"""
from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)

INDEX_DIR = "pagefind"
PAGES = "pengaduan/*/index.html"


def pagefind_command(output: Path) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(output), "--output-subdir", INDEX_DIR,
            "--glob", PAGES, "--force-language", "id", "--silent"]


def build_index(output: Path) -> bool:
    """Index the built site in `output`; logs an error (which stops `pengaduan build`) on failure.
    A site without any public complaint gets no index (the search page says there is none)."""
    if not any(Path(output).glob(PAGES)):
        return True
    try:
        result = subprocess.run(pagefind_command(output), capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as err:
        logger.error("indeks pencarian (Pagefind) tidak dapat dibuat: %s", err)
        return False
    if result.returncode != 0:
        logger.error("indeks pencarian (Pagefind) gagal dibuat: %s",
                     (result.stderr or result.stdout).strip()[-2000:])
        return False
    return True


def finalized(pelican_object) -> None:
    build_index(Path(pelican_object.output_path))


def register() -> None:
    signals.finalized.connect(finalized)
