"""Pelican plugin: the public site "Respon Pengaduan Pelayanan".

Pelican never reads a complaint file itself (pelicanconf.py excludes content/complaints from its
article and page paths). This plugin adds one generator (`get_generators` signal) that reads every
complaint through `pipeline.records.loader.load`, the loader `pengaduan check` uses, and stops the build
with the same problems when a complaint is invalid (`BuildStopped`, exit code 1).

What a page may show comes from `privacy.public_view` only: an allowlist built from the schema's
`x-visibility: public`. Complaints marked `kerahasiaan: rahasia` get no page, no listing, no feed
entry and no sitemap entry; they are only counted on the statistics page.

Outputs (paths relative to the site root):

    index.html, halaman/<n>/index.html          home: newest first, paginated (`outputs.paging`: pages counted from the oldest)
    tahun|kanal|unit|jenis|status/<v>/...       filter pages (same pagination), no JavaScript
    pengaduan/<id>/index.html                   one page per public complaint
    cara-menyampaikan-pengaduan/index.html      channels, schedule, what happens next
    statistik/index.html                        counts, including confidential complaints
    feeds/tanggapan.atom.xml                    Atom feed of responses
    sitemap.xml, robots.txt, 404.html, tema/situs.css
    <logo of puskesmas.yaml>                    its public copy (`staticimages`), by Pelican's list of files to copy

Deadline marks: `deadlines.complaint_marks` of the build's one deadline report (`site_report`), the
report the recap, the board and the open data use too; there is no other source.

The views (what each template shows) are made in `pipeline.outputs.views`; the recap, board and
data pages in `pipeline.outputs.recap_pages`; the open data in `pipeline.outputs.opendata`.
"""
from __future__ import annotations

import logging
import os
import secrets
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from markupsafe import Markup, escape
from pelican import signals
from pelican.generators import Generator

from pipeline.evidence.git import clean_blob_ids_later
from pipeline.outputs import ending, recap_pages
from pipeline.outputs.complaint_state import target_passed
from pipeline.plugin import search
from pipeline.plugin.settings import base_url, whole_number
from pipeline.plugin.staticimages import checked_logo
from pipeline.plugin.beside import PARALLEL_FROM, Beside
from pipeline.outputs.markup import MarkdownRenderer
from pipeline.outputs.paging import listing_pages
from pipeline.outputs.site import BuildStopped, project_root
from pipeline.outputs.directwriter import DirectWriter
from pipeline.plugin.sitereport import site_report, start_history
from pipeline.plugin.cache import BuildCache, Memo, environment_key, key_of
from pipeline.plugin.keptentries import KeptEntries, cacheable
from pipeline.plugin.kepttemplates import kept_templates
from pipeline.plugin.keptviews import KeptViews, release, view_key
from pipeline.plugin.pagewriter import PageWriter
from pipeline.plugin.recapdata import RecapAndData, rows_key
from pipeline.outputs.views import (SITE_TITLE, Listing, complaint_view, how_to, key_first, listings,
                                    readable_colour, search_page, statistics)
from pipeline.records.complaint import COMPLAINT_DIR, field_at
from pipeline.records.loader import Loaded, load
from pipeline.records.problems import sort_key
from pipeline.report import deadlines
from pipeline.report.keptjudgment import load_kept
from pipeline.report.workcalendar import HOLIDAYS

logger = logging.getLogger(__name__)


HOLIDAY_FILE = "holidays.json"   # workcalendar.HOLIDAYS' years in the build cache
OUR_ENTRY_TEMPLATE = project_root() / "theme" / "templates" / "_entri.html"   # (`_entry`)


class ComplaintsGenerator(Generator):
    """Reads complaints through the one loader and writes every complaint-derived file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.env.autoescape = True  # whatever JINJA_ENVIRONMENT says: complaint text is escaped
        self.env.getattr = key_first(self.env.getattr)
        self.render_md = MarkdownRenderer()
        self._entries: dict = {}
        self._entry_marker: str | None = None   # (`_begin_output` makes it, for our own entry template)
        self.kept_entries: KeptEntries | None = None   # (`_begin_output` makes it)
        self.pages: PageWriter | None = None   # (`_begin_output` makes these three)
        self.search_index: search.SearchIndex | None = None
        self.beside: Beside | None = None
        self._key_of_view: dict = {}   # id(view) -> its key (`_begin_output`)
        self._feed: tuple | None = None   # (`_begin_output`: `_feed_views`)
        self.rows_keys: dict = {}   # complaint id -> its open-data rows' key (`_keys`)

    # -- context -------------------------------------------------------------------------------

    def generate_context(self):
        settings = self.settings
        repo = Path(settings.get("PENGADUAN_REPO") or Path(self.path).parent).resolve()
        folder = settings.get("PENGADUAN_CACHE")
        self.parallel_from = whole_number(settings, "PENGADUAN_PARALLEL_FROM", PARALLEL_FROM, 0)
        self.per_page = whole_number(settings, "PENGADUAN_PER_PAGE", 10, 1)   # of a listing
        # git and the history's reading go on while the cache and the files are loaded
        history = start_history(repo, settings, parallel=_file_count(repo / COMPLAINT_DIR) >= self.parallel_from)
        # a file git's index holds is keyed by its blob id unread
        blob_ids = clean_blob_ids_later(repo, COMPLAINT_DIR.as_posix()) if folder else None
        self.environment = environment_key(settings, repo) if folder else None
        if folder:
            self.env.bytecode_cache = kept_templates(folder, self.environment, type(self).__name__)
        self.cache = BuildCache(folder, self.environment)
        if folder:
            HOLIDAYS.use_file(Path(folder) / HOLIDAY_FILE)
        self.records_memo = Memo(self.cache.load("records"), packed=False)
        # personal-data warnings are for staff (`check`, the pull-request check), not the build:
        # the privacy gate guards the site
        # (no cache: no file read twice for a key nothing keeps, 0.26 s at 10,000)
        loaded: Loaded = load(repo, now=settings.get("PENGADUAN_NOW"), personal_data=False,
                              memo=self.records_memo if folder else None, blob_ids=blob_ids() if blob_ids else None)
        for problem in sorted(loaded.problems, key=sort_key):
            if not problem.is_error:
                logger.warning("%s", problem.as_text())
        if not loaded.ok:
            raise BuildStopped(loaded.problems, loaded.files_checked)
        self.records_memo.save_and_release(self.cache, "records")
        policy = self.policy = loaded.policy
        self.repo = repo
        self.loaded = loaded
        # What needs no evidence first, while git's history is still being read (a big site
        # waited 0.3 s for it after one change).
        identity = policy.identity
        self.logo = checked_logo(repo, Path(self.path), identity.logo, folder)
        if self.logo:   # (copied by Pelican, as its public copy: `staticimages`)
            self.context["static_links"].add(self.logo)
        self.site = {
            "judul": SITE_TITLE,
            "puskesmas": identity.fields(),
            "nama": policy.name,
            "logo": self.logo,
            "utama": readable_colour(identity.main_colour, "#0b5d3b"),
            "aksen": readable_colour(identity.accent_colour, "#8a4b00"),
            "base_url": base_url(settings, policy),
            "feed": "feeds/tanggapan.atom.xml",
            "css": "tema/situs.css",
        }
        self.statistics = statistics(loaded.complaints, policy)
        # One deadline report per build (one read of the git history): the complaint pages'
        # marks, the recap, the board and the open data all come from it.
        judgments = load_kept(self.cache, self.records_memo.keys_by_path) if self.environment else None
        self.report = site_report(loaded, settings, history, self.cache if self.environment else None, judgments)
        # the public complaints, newest first: the report's order (received, then id)
        judged = [item for item in self.report.complaints if item.complaint.is_public]
        public = [item.complaint for item in judged]
        keys = [self._keys(c, item) for c, item in zip(public, judged)]
        if judgments is not None:   # (with the view and rows keys they now remember)
            judgments.save(self.cache)
        # The open data reads the report and the records, not the views: a big site's second
        # process writes it while this one makes the views and the pages (it renders the
        # summaries its descriptions are made from itself: 0.3 s of CPU in a first build at 10,000).
        self.open_data = Beside(RecapAndData(self).open_data, parallel=len(public) >= self.parallel_from)
        # the views' summaries read after that fork are this process's alone: read before, each page
        # of them it then touched was copied first (5,000 of its 94,000 page faults at 10,000)
        self.kept_views = KeptViews(self.cache, folder)
        self.view_keys = self.kept_views.keys
        missing = [c for c, key in zip(public, keys) if not self.kept_views.has(key)]
        self.search_part_pages = whole_number(settings, "PENGADUAN_SEARCH_PART_PAGES", search.PART_PAGES, 1)
        self.views_to_make = len(missing)   # a first build, or a new policy or theme: many
        views = [self._view(c, item, key) for c, item, key in zip(public, judged, keys)]
        self.kept_views.save()
        self.views = views
        self.listings, self.filters = listings(views, policy)
        # Shared with Pelican's own page generator (content/pages) through the global context.
        self.context["SITE"] = self.site
        self.context["MENU"] = [("", "Beranda"), ("cari/", "Cari"), ("cara-menyampaikan-pengaduan/", "Cara Mengadu"),
                                ("statistik/", "Statistik"), ("rekap/", "Rekap"), ("papan/", "Papan Pengumuman"),
                                ("data/", "Data Terbuka")]
        self.context["SITENAME"] = f"{SITE_TITLE} · {policy.name}"
        self._begin_output()
        ending.let_go(judgments, judged, public, keys, missing)   # (freeing the judgments read: 0.04 s at 10,000)

    def _keys(self, complaint, judged: deadlines.ComplaintDeadlines) -> str | None:
        """The key of a complaint's view (`keptviews.view_key`); None without a cache. Its open-data
        rows' key (`recapdata.rows_key`) goes to `rows_keys`, made here so that its judgment's memo
        keeps it (the open data's process could not: it is forked after the memos are saved)."""
        source = self.records_memo.keys_by_path.get(str(complaint.path)) if self.environment else None
        if source is None:
            return None
        target_passed = self.target_day_passed(complaint)
        self.rows_keys[complaint.id] = rows_key(self, judged, source, target_passed)
        return view_key(self.environment, source, target_passed, judged.memo, lambda: self._marks(judged))

    def _marks(self, judged: deadlines.ComplaintDeadlines) -> dict | None:
        """The evidence marks of a complaint's page (None when nothing is judged)."""
        return deadlines.complaint_marks(judged, self.policy) if self.report.judged else None

    def target_day_passed(self, complaint) -> bool | None:
        """All that this build's "now" changes in a complaint's view and open-data rows (beside the
        marks of the report): keyed by the day, every view and row was made again each day."""
        return target_passed(field_at(complaint.data, ("rencana_tindak_lanjut", "target")), self.report.now,
                             self.policy.tz)

    def _view(self, complaint, judged: deadlines.ComplaintDeadlines, key: str | None):
        """A complaint's view, reused from the cache when its key is the same (`KeptViews`)."""
        return self.kept_views.view(key, lambda: complaint_view(complaint, self.policy, self.render_md,
                                                                self._marks(judged), now=self.report.now))

    # -- output --------------------------------------------------------------------------------

    def _entry(self, view: dict, siteurl: str) -> Markup:
        """A complaint's listing entry, rendered once and reused on every listing. Our own entry
        template names the site's root once, as its link's start (`tests/test_site.py` holds it to
        that): one render with a marker there, unique to the build, serves every link depth (at
        10,000 complaints 9,500 renders instead of 19,000), and is kept for the next build
        (`KeptEntries`). A theme's own is rendered per depth."""
        marker = self._entry_marker
        if marker is None:
            key = (view["id"], siteurl)
            if key not in self._entries:
                self._entries[key] = Markup(self._entry_template.render(c=view, SITEURL=siteurl))
                release(view)
            return self._entries[key]
        pieces = self._entries.get(view["id"])
        if pieces is None:   # (kept by an earlier build: its view is not read whole)
            key = self.view_keys.get(view["id"])
            pieces = self.kept_entries.get(key)
            if pieces is None:
                pieces = tuple(self._entry_template.render(c=view, SITEURL=marker).split(marker))
                self.kept_entries.put(key, pieces)
                release(view)
            self._entries[view["id"]] = pieces
        return Markup(str(escape(siteurl)).join(pieces))

    def _filters(self, listing: Listing, siteurl: str, counted: bool = True) -> Markup:
        """The filter links of a listing, with each option's count; ours are on its front pages only
        (`counted` False: without counts, for a theme of its own that shows them on other pages)."""
        key = (listing.dimension, listing.value, siteurl, counted)
        if key not in self._entries:
            self._entries[key] = Markup(self._filter_template.render(listing=listing, SITEURL=siteurl,
                                                                     FILTERS=self.filters, counted=counted))
        return self._entries[key]

    def _begin_output(self) -> None:
        """What the output begins with, as soon as the views are made: the second process's part
        (`generate_output` takes it), every complaint's page and their search index. Pagefind, the
        longest step after one change, then runs while Pelican and this generator make the rest
        of the site (a site of 2,000 complaints waited 0.2 s for it)."""
        self.pages = pages = PageWriter(self, self.settings.get("PENGADUAN_WRITER") or
                                        DirectWriter(Path(self.output_path)))
        pages.common = {"SITE": self.site, "FILTERS": self.filters}
        self._entry_template = self.env.get_template("_entri.html")
        ours = Path(self._entry_template.filename or "").resolve() == OUR_ENTRY_TEMPLATE
        self._entry_marker = f"situs-{secrets.token_hex(16)}" if ours else None
        self.kept_entries = KeptEntries(self.cache, ours and bool(self.environment)
                                        and cacheable(self.env, "_entri.html"))
        self._filter_template = self.env.get_template("_saring.html")
        # (ours show the filters on front pages only; another theme's may on every page)
        self._filters_on_front_only = all(Path(self.env.get_template(name).filename or "").resolve() ==
                                          OUR_ENTRY_TEMPLATE.parent / name for name in ("index.html", "base.html"))
        self.env.globals["entri"] = self._entry
        self.env.globals["saring"] = self._filters
        # A big site: a second process makes one part while this one writes the other pages.
        # Many new views (a first build): the listing pages, which render them all again. Few (a
        # rebuild): the recap and the board, which read every complaint's report, and half the
        # listing pages (a new filter option, a new year, changes every one of them).
        recap = partial(RecapAndData(self).write, pages.write)
        # What reads every view is read before the fork (below): after it, each page of memory
        # this process touches is copied first (10,000 views read again took 0.03 s a reading).
        # Each view's key is looked up once, not once per listing that shows it (66,000 at 10,000).
        self._key_of_view = {id(view): self.view_keys.get(view["id"]) for view in self.views}
        beside_work, self._own_work = (self._listing_pages, recap) if self.views_to_make >= self.parallel_from \
            else (lambda: (recap(), self._listing_pages(0, 2)), partial(self._listing_pages, 1, 2))
        self._feed = self._feed_views()
        out, key_of_view = pages.out, self._key_of_view
        self.search_index = index = search.SearchIndex(Path(self.output_path).parent,
                                                       keep=out.keep_folder_if_rendered_from,
                                                       most=self.search_part_pages, cache=self.cache)
        try:
            urls = [view["url"] for view in self.views]
            index.expect(urls)   # (a bundle starts once its pages are written)
            self.beside = Beside(pages.made_here(beside_work, also=lambda: self.kept_entries.made),
                                 parallel=len(self.views) >= self.parallel_from)
            for view, url in zip(self.views, urls):
                name = url + "index.html"
                html = pages.write(name, "pengaduan", url=url, lastmod=view["terakhir"], c=view,
                                   inputs=key_of_view[id(view)])
                release(view)
                # the file the writer made or kept, linked into the index's copy of the site (a
                # copy of each page was 9,500 more files created and deleted in a first build)
                index.add(url, html, out.file_of(name), out.sha_of(name))
            index.start()
        except BaseException:   # (once this returns, `generate_output` closes them, or `commands.build`)
            index.close()
            if self.beside is not None:
                self.beside.close()
            raise

    def _feed_views(self) -> tuple[list, datetime]:
        """The feed's views (the latest answers) and its time of update."""
        feed = sorted((view for view in self.views if view["ditanggapi"]),
                      key=lambda view: (view["dijawab_pada"], view["id"]), reverse=True)
        feed = feed[:whole_number(self.settings, "PENGADUAN_FEED_MAX", 50, 1)]
        updated = max((view["dijawab_pada"] for view in feed), default=None) or \
            max((view["diterima"] for view in self.views), default=datetime(2000, 1, 1, tzinfo=timezone.utc))
        return feed, updated

    def _listing_pages(self, part: int = 0, parts: int = 1) -> None:
        """Every listing page (home, filters, their pages: `paging`), or every `parts`-th from
        `part`. A page other than a listing's front page names nothing that a newer complaint
        changes (no total, no filters: a link to its front page's), so it is kept as it is."""
        per_page, key_of_view = self.per_page, self._key_of_view
        filters_key = {True: key_of(self.filters), False: None}
        written = 0
        for listing in self.listings:
            prefix = "" if listing.dimension is None else f"{listing.dimension}/{listing.value}/"

            def address(number: int | None) -> str | None:
                return None if number is None else prefix if number == 0 else f"{prefix}halaman/{number}/"

            for page in listing_pages(len(listing.items), per_page):
                written += 1
                if written % parts != part:
                    continue
                front = page.number is None
                url = prefix if front else address(page.number)
                items = listing.items[page.start:page.end]
                keys = [key_of_view[id(view)] for view in items]
                shown = {"nomor": page.number, "sebelumnya": address(page.newer), "berikutnya": address(page.older),
                         "awal": page.first, "akhir": page.last, "total": len(listing.items) if front else None,
                         "depan": prefix}
                self.pages.write(url + "index.html", "index", url=url, listing=listing, items=items,
                                 inputs=None if None in keys else [listing.dimension, listing.value, listing.label,
                                                                   shown, filters_key[front or not self._filters_on_front_only],
                                                                   keys],
                                 halaman=shown, FILTERS=self.filters, current=url)

    def generate_output(self, writer):
        settings, pages, index, beside = self.settings, self.pages, self.search_index, self.beside
        write, out = pages.write, pages.out
        try:
            write("cara-menyampaikan-pengaduan/index.html", "cara", url="cara-menyampaikan-pengaduan/",
                  cara=how_to(self.policy), current="cara-menyampaikan-pengaduan/")
            write("statistik/index.html", "statistik", url="statistik/", statistik=self.statistics,
                  current="statistik/")
            write("cari/index.html", "cari", url="cari/", cari=search_page(self.listings), current="cari/",
                  indeks=index.bundles())
            self._own_work()
            recap_pages.write_assets(self.output_path, self.settings.get("THEME"))
            for page in self.context.get("pages", []):
                pages.written.append((page.url, None))
            # 404 is served at any depth: links from the site root (or the absolute SITEURL).
            siteurl = settings.get("SITEURL") or ""
            write("404.html", "404", relative_urls=False,
                  SITEURL=siteurl if siteurl.startswith(("http://", "https://")) else
                  (siteurl.rstrip("/") if siteurl.startswith("/") else ""))
            base = self.site["base_url"]
            feed, updated = self._feed
            entries = [(view, f"<p><strong>Status:</strong> {escape(view['status']['label'])}, "
                              f"{escape(view['status']['arti'])}.</p>" +
                        "<p><strong>Pengaduan:</strong></p>" + str(view["ringkasan_html"]) +
                        "<p><strong>Tanggapan:</strong></p>" + str(view["tanggapan"]["isi_html"])) for view in feed]
            write(self.site["feed"], "feed.xml", relative_urls=False, base=base, entries=entries,
                  updated=updated.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"))
            # the open data first (its process was forked first): the gate's worker searches it
            # while this process waits for the second one (0.1 s at 10,000 after one change)
            data_files = self.open_data.result()
            out.final([name for name, _ in data_files], {name: sha for name, sha in data_files if sha})
            self.kept_entries.take(pages.take(beside.result()))   # (its pages are in the sitemap too)
            self.kept_entries.save(self.view_keys.values())
            urls = [(url, lastmod or "")
                    for url, lastmod in sorted({url: lastmod for url, lastmod in pages.written}.items())]
            # kept when no page came or went and no date moved (rendering 12,000 urls took 0.02 s)
            write("sitemap.xml", "sitemap.xml", relative_urls=False, base=base, urls=urls, inputs=[base, urls])
            write("robots.txt", "robots.txt", relative_urls=False, base=base)
            write(self.site["css"], "situs.css", relative_urls=False)
            self._let_go()   # (while Pagefind still indexes: freeing it all took 0.07 s at 10,000)
            out.prepare_manifest()   # (and the manifest begun: the build waits for Pagefind)
            for name, path, key in index.files() or []:
                out.write(name, path.read_bytes(), key, source=path)
        finally:
            beside.close()
            self.open_data.close()
            index.close()
        self.finish()

    def finish(self) -> None:
        """Remember this build's template names and holidays for the next one (only after it
        succeeded; the records, views and rows were saved as soon as they were made)."""
        if self.environment:
            self.cache.save("template-names", self.pages.names)
            HOLIDAYS.save()
        self._let_go()

    def _let_go(self) -> None:
        """Let go of what the pages were made from (Pelican keeps its generators until it returns)."""
        ending.let_go(self.views, self.listings, self.report, self.loaded, self.statistics, self._entries,
                      self.view_keys, self.kept_views, self._key_of_view)
        self.views = self.listings = self.report = self.loaded = self.statistics = None
        self._entries, self.view_keys, self.kept_views, self._key_of_view, self._feed = {}, {}, None, {}, None


def _file_count(folder: Path) -> int:
    """About how many complaint files there are (to choose a process or a thread; 10 ms at 10,000)."""
    return sum(len(names) for _, _, names in os.walk(folder))


def get_generators(pelican_object):
    return ComplaintsGenerator


def keep_pelican_templates(generators) -> None:
    """Pelican's own generators keep their compiled templates in the build cache too."""
    ours = next((generator for generator in generators if isinstance(generator, ComplaintsGenerator)), None)
    if ours is None or not ours.environment:
        return
    for generator in generators:
        if generator is not ours and getattr(generator, "env", None) is not None:
            generator.env.bytecode_cache = kept_templates(ours.settings["PENGADUAN_CACHE"], ours.environment,
                                                          type(generator).__name__)


def register():
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(keep_pelican_templates)
