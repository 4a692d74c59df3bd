"""Pelican settings of the public site "Respon Pengaduan Pelayanan" (development build).

`pengaduan build` (and `make site`) use this file; `pelican -s pelicanconf.py` works too. The
Puskesmas's name, logo and colours come from puskesmas.yaml, not from here.

Pelican itself reads only content/pages/ (static pages written by staff). Complaints are read by
the plugin `pipeline.plugin.publishing` through the same loader as `pengaduan check`; Pelican must never
read content/complaints/ itself, so it is excluded from every path Pelican scans.
"""
from pathlib import Path

from pipeline.plugin.pagereader import READERS  # staff pages: checked, sanitised Markdown only

ROOT = Path(__file__).resolve().parent

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
PLUGINS = ["pipeline.plugin.publishing", "pipeline.plugin.staticimages", "pipeline.plugin.editor"]
PENGADUAN_REPO = str(ROOT)

SITENAME = "Respon Pengaduan Pelayanan"
SITEURL = ""                       # relative links: the preview works from any folder
RELATIVE_URLS = True
PENGADUAN_BASE_URL = ""            # absolute URL for sitemap/feed; empty: the policy's website
TIMEZONE = "Asia/Jakarta"          # only for Pelican's own pages; complaints use puskesmas.yaml
DEFAULT_LANG = "id"
DEFAULT_DATE = "fs"

# Pelican reads no articles at all, and pages only from content/pages/.
ARTICLE_PATHS = []
ARTICLE_EXCLUDES = ["complaints"]
PAGE_PATHS = ["pages"]
PAGE_EXCLUDES = ["complaints"]
STATIC_PATHS = []                  # nothing from content/ is copied unless the plugin says so
IGNORE_FILES = ["**/.*", "**/_*", "**/README*"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = []              # home, filters, feed and sitemap come from the plugin
PAGINATED_TEMPLATES = {}
ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
ARTICLE_SAVE_AS = CATEGORY_SAVE_AS = TAG_SAVE_AS = AUTHOR_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

THEME_STATIC_PATHS = []            # the stylesheet is generated from theme/templates/situs.css
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
DELETE_OUTPUT_DIRECTORY = True     # a complaint made confidential must leave no stale page
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

PENGADUAN_PER_PAGE = 10            # complaints per listing page (cheap phones, slow links)
PENGADUAN_FEED_MAX = 50
PENGADUAN_PARALLEL_FROM = 300      # from this many views to make (or public complaints), a second process works beside
PENGADUAN_SEARCH_PART_PAGES = 1000  # a year of more complaint pages: its search index in parts of whole months
PENGADUAN_NOW = None               # "now" for validation; None: the clock
# Deadline marks on complaint pages come from the build's one deadline report (the history of
# PENGADUAN_REF; "now" is PENGADUAN_NOW, else the committer date of the built commit), like /rekap/.
PENGADUAN_REF = "HEAD"
