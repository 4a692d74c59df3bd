"""The reader Pelican uses for staff pages (content/pages): checked and sanitised Markdown.

Registered for every Markdown extension by `pelicanconf.py` (`READERS`) and forced by
`pengaduan build` whatever the settings file says. A page with a problem (raw HTML, a file link
outside content/pages/images, a symlink out of content/pages, an unknown metadata key) is not
read: Pelican logs the error, `pengaduan build` stops, and nothing of the page is published.
"""
from __future__ import annotations

import logging
from pathlib import Path

from pelican.readers import BaseReader

from pipeline.outputs.pages import MARKDOWN_EXTENSIONS, read_page
from pipeline.plugin.staticimages import kept_sizes

logger = logging.getLogger(__name__)


class PageProblem(Exception):
    """A staff page that may not be published; the message lists its problems (file:line:col)."""


class CheckedPageReader(BaseReader):
    enabled = True
    file_extensions = list(MARKDOWN_EXTENSIONS)

    def read(self, source_path):
        repo = Path(self.settings.get("PENGADUAN_REPO") or Path(self.settings["PATH"]).parent)
        page = read_page(Path(source_path), repo, kept_sizes(self.settings.get("PENGADUAN_CACHE")))
        errors = [problem for problem in page.problems if problem.is_error]
        if errors:
            text = "\n".join(problem.as_text() for problem in errors)
            logger.error("%s\nHalaman %s tidak diterbitkan; periksa dengan `pengaduan check`.", text, page.shown)
            raise PageProblem(text)
        metadata = {name: self.process_metadata(name, value) for name, value in page.metadata.items()}
        return page.content, metadata


READERS = {**{extension: CheckedPageReader for extension in MARKDOWN_EXTENSIONS},
           "rst": None, "htm": None, "html": None}
