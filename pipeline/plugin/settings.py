"""The plugin's Pelican settings that are checked or worked out: a whole number that must be one
(a wrong one is said with the settings file and its line, and stops the build), and the site's
absolute address. The generator (`publishing`) reads every other setting itself."""
from __future__ import annotations

import logging
import re

from pipeline.outputs.site import policy_base_url
from pipeline.records.policy import Policy

logger = logging.getLogger(__name__)


def base_url(settings: dict, policy: Policy) -> str:
    """Absolute URL of the site for the sitemap, the feed and robots.txt."""
    for candidate in (settings.get("SITEURL"), settings.get("PENGADUAN_BASE_URL")):
        if isinstance(candidate, str) and candidate.startswith(("http://", "https://")):
            return candidate.rstrip("/")
    return policy_base_url(policy) or "http://localhost:8000"


def whole_number(settings: dict, name: str, default: int, least: int) -> int:
    """A setting that must be a whole number of at least `least`; anything else is said, with the
    settings file and the line that sets it (and stops the build: an error logged)."""
    value = settings.get(name, default)
    if isinstance(value, int) and not isinstance(value, bool) and value >= least:
        return value
    logger.error("%s [%s]: harus bilangan bulat %d atau lebih (mis. %d), bukan %r. Perbaiki baris itu di berkas "
                 "pengaturan Pelican, lalu bangun lagi.", _setting_place(settings, name), name, least, default, value)
    return default


def _setting_place(settings: dict, name: str) -> str:
    """"file:line" of the line that sets `name` in the settings file `pengaduan build` read (the
    last one: Python keeps the last), else the file alone, else "berkas pengaturan"."""
    where = settings.get("PENGADUAN_SETTINGS_FILE")
    if not isinstance(where, str):
        return "berkas pengaturan"
    try:
        with open(where, encoding="utf-8", errors="replace") as stream:
            text = stream.read(1 << 20)   # (a settings file is small: a huge one is not read whole)
    except OSError:
        return where
    lines = [number for number, line in enumerate(text.splitlines(), start=1)
             if re.match(rf"{name}\s*=", line)]
    return f"{where}:{lines[-1]}" if lines else where
