"""Production settings: absolute URLs, for the site as it is deployed.

SITEURL comes from the environment variable SITEURL, else from puskesmas.yaml
(`puskesmas.website`, else `kanal.website.url`). Build with
`pengaduan build --production` (or `pelican -s publishconf.py`).
"""
import os
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from pelicanconf import *  # noqa: E402,F401,F403


def _policy_website() -> str:
    try:
        import yaml
        data = yaml.safe_load((Path(__file__).resolve().parent / "puskesmas.yaml").read_text(encoding="utf-8"))
        return (data.get("puskesmas", {}).get("website") or
                (data.get("kanal", {}).get("website") or {}).get("url") or "")
    except Exception:  # the build itself reports an invalid policy, with line and column
        return ""


SITEURL = (os.environ.get("SITEURL") or _policy_website()).rstrip("/")
RELATIVE_URLS = False
PENGADUAN_BASE_URL = SITEURL
DELETE_OUTPUT_DIRECTORY = True
