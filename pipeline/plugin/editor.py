"""Pelican plugin: the web editor (admin/ of the repository) copied into the built site as /admin/.

A repository without admin/config.yml or without the vendored Decap CMS gets a site without the
editor, and the build says so (the public site does not need it).
"""
from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

from pipeline.outputs.editor import ADMIN_DIR, CONFIG_FILE, DECAP_SCRIPT, copy_into_site

logger = logging.getLogger(__name__)


def copy_editor(pelican) -> None:
    repo = Path(pelican.settings.get("PENGADUAN_REPO") or pelican.settings.get("PATH", ".")).resolve()
    if not copy_into_site(repo, Path(pelican.output_path)):
        logger.warning("Editor web /admin/ tidak disertakan: %s atau %s tidak ada di %s. Jalankan "
                       "`pengaduan editor` (dan salin admin/vendor/ dari templat) bila ingin memakainya.",
                       f"{ADMIN_DIR}/{CONFIG_FILE}", f"{ADMIN_DIR}/{DECAP_SCRIPT}", repo)


def register():
    signals.finalized.connect(copy_editor)
