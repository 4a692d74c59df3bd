"""The site pages of the recap, the board and the open-data documentation, from the build's one
deadline report.

The site plugin calls, once per build:

    for page in recap_pages.site_pages(report, policy, site=SITE, render_md=renderer, view_of=view_of):
        write(page.save_as, page.template, url=page.url, current=page.current, inputs=page.inputs,
              **page.context)
    recap_pages.write_assets(output_path, THEME)          # the board's print stylesheet
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.outputs import opendata_docs
from pipeline.outputs.board import board_months, board_view, month_text
from pipeline.outputs.charts import COLOURS, bars, stage_bar, stage_parts
from pipeline.outputs.markup import MarkdownRenderer
from pipeline.outputs.text import decimal_text, duration_text, limit_text
from pipeline.outputs.views import complaint_view, sop_views
from pipeline.records.timeutil import format_local, zone_label
from pipeline.report.deadlines import Report
from pipeline.report.figures import UNVERIFIED_KEY, Figures, Share, compute, local_year
from pipeline.records.policy import Policy

THEME = Path(__file__).resolve().parents[2] / "theme"


SECTIONS = [("bulan", "Per bulan", "months", "Bulan"), ("kanal", "Per kanal", "channels", "Kanal"),
            ("unit", "Per unit layanan", "units", "Unit"), ("jenis", "Per jenis", "kinds", "Jenis"),
            ("status", "Per status", "statuses", "Status")]


def disclosed_figures(report: Report, policy: Policy, this_year: int, kept=None,
                      kept_measures=None) -> dict[int, Figures]:
    """The site's recap figures per year under the disclosure rule (outputs/views.py): every
    breakdown from public complaints only; the confidential ones only in the year's total.
    `kept(year, items, make)`, if given, may return what `make()` returned for the same public
    items of that year in an earlier build (the build cache); `kept_measures`: `compute`'s."""
    hidden: dict[int, int] = {}
    public: dict[int, list] = {}   # year received -> the public items, each looked at once
    for item in report.complaints:
        year = local_year(item.complaint.received_at, policy.tz)
        if item.complaint.is_public:
            public.setdefault(year, []).append(item)
        else:
            hidden[year] = hidden.get(year, 0) + 1
    years = sorted(set(public) | set(hidden) | {this_year}, reverse=True)
    # what `compute` would take from every public item, whatever the year asked for
    public_years = sorted(set(public) | {local_year(report.now, policy.tz)}, reverse=True)
    evidence = report.judged and any(item.evidence.recorded_at for items in public.values() for item in items)
    figures = {}
    for year in years:
        def make(items=public.get(year, []), year=year) -> Figures:
            return compute(replace(report, complaints=items), year, policy=policy, kept_measures=kept_measures)
        figure = kept(year, public.get(year, []), make) if kept is not None else make()
        figures[year] = replace(figure, total=figure.total + hidden.get(year, 0), confidential=hidden.get(year, 0),
                                years=public_years, evidence=evidence, now=report.now.astimezone(policy.tz),
                                ref=report.ref)
    return figures


def recap_view(figures: Figures, colours: dict | None = None) -> dict:
    """What recap.html shows: the figures with their texts and bars (no title, no id)."""
    sections = []
    for key, heading, attribute, column in SECTIONS:
        counts = getattr(figures, attribute)
        if key == "bulan" and any(row.n for row in counts):   # (months before the first complaint say nothing)
            counts = counts[next(index for index, row in enumerate(counts) if row.n):]
        title = f"Pengaduan {heading.lower()}, {figures.period_text}"
        sections.append({"id": key, "judul": heading, "kolom": column, "baris": list(zip(counts, bars(counts))),
                         "keterangan": title})
    stages = [{
        "id": stage.id, "nama": stage.name, "batas": limit_text(stage.limit_hours, "tidak ada batas waktu dalam SOP"),
        "dinilai": stage.judged,
        "tepat_waktu": stage.counts.get("met"), "terlambat": stage.counts.get("breached"),
        "lewat_batas": stage.counts.get("overdue"), "berjalan": stage.counts.get("pending"),
        "belum_terverifikasi": stage.counts.get(UNVERIFIED_KEY),
        "persen": stage.on_time.text if stage.on_time else "tidak dinilai",
        # hours counted on working days only (not office hours): said so, not "jam kerja"
        "median_kerja": (f"{decimal_text(stage.median_working_hours)} jam bila dihitung pada hari kerja saja"
                         if stage.median_working_hours is not None else "–"),
        "median_kalender": duration_text(stage.median_hours), "diukur": stage.measured,
        "sumber": stage.source, "batang": stage_bar(stage) if stage.judged else None,
        "bagian": stage_parts(stage) if stage.judged else [],
    } for stage in figures.stages]
    return {
        "f": figures,
        "judul": f"Rekap Pengaduan {figures.year if figures.year is not None else figures.period_text}",
        "per_teks": format_local(figures.now, figures.now.tzinfo),
        "zona": zone_label(figures.now.tzinfo, figures.now),
        "ringkasan": [
            ("Jumlah pengaduan", f"{figures.total}", True),
            ("Dipublikasikan", Share(figures.public, figures.total).text, True),
            ("Dirahasiakan (hanya dihitung)", Share(figures.confidential, figures.total).text, True),
            ("Ditanggapi", figures.answered.text, False),
            ("Memiliki rencana tindak lanjut", figures.with_plan.text, False),
            ("Rencana tindak lanjut terlaksana", figures.plan_done.text, False),
        ],
        "bagian": sections,
        "tahapan": stages,
    }


@dataclass
class Page:
    save_as: str          # path in the output, e.g. rekap/2026/index.html
    url: str              # e.g. rekap/2026/
    template: str         # a template of theme/templates
    context: dict         # variables for the template (never SITE, FILTERS, SITEURL)
    current: str = ""     # which menu entry is current
    inputs: object = None  # the key of what the page shows, when the caller can keep it (else None)


class Later(Mapping):
    """A template's variable made only when the template reads it: a page kept from the last
    build (same inputs) is not rendered, so its variable is never made."""

    def __init__(self, make):
        self._make, self._made = make, None

    def _value(self) -> dict:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, key):
        return self._value()[key]

    def __iter__(self):
        return iter(self._value())

    def __len__(self) -> int:
        return len(self._value())


BOARD_CSS = "tema/print-board.css"     # where write_assets puts the board's stylesheet


SEARCH_JS = "tema/cari.js"             # the search page's script (theme/static/js/cari.js)
ASSETS = {BOARD_CSS: "css/print-board.css", SEARCH_JS: "js/cari.js"}


def write_assets(output_dir, theme=None) -> list[Path]:
    """Copy the board's print stylesheet and the search page's script (theme/static/ of `theme`,
    else of this project) into the output's tema/. The site copies no theme static file by itself
    (THEME_STATIC_PATHS = []), so the plugin calls this once per build."""
    written = []
    for target_name, source_name in ASSETS.items():
        source = Path(theme or THEME) / "static" / source_name
        if not source.is_file():
            source = THEME / "static" / source_name
        target = Path(output_dir) / target_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        written.append(target)
    return written


def site_pages(report: Report, policy: Policy, *, site: dict | None = None, render_md=None,
               board_css: str = BOARD_CSS, kept_figures=None, board_key=None, kept_measures=None,
               view_of=None) -> list[Page]:
    """Every page of the recap, the board and the open-data documentation.

    rekap/ (this year), rekap/<year>/ for every year with complaints; papan/ (the list of months)
    and papan/<yyyy>-<mm>/ (one printable A4 page per month of public responses); data/ (the open
    data files and their fields). `site` is the site's SITE dict (for its colours).
    `kept_figures`, `kept_measures`: `disclosed_figures`' `kept`, `kept_measures`. `board_key(year, month, items)`: the key of what
    a month's board shows (None: no key), its page's `inputs`; the board is then made only if the
    page is rendered. `view_of(item)`: the view of a complaint of the report (the build's, which
    its page shows); None: made here.
    """
    colours = {}
    if site:
        colours = {"met": site.get("utama") or COLOURS["met"], "breached": site.get("aksen") or COLOURS["breached"]}
    this_year = local_year(report.now, policy.tz)
    figures = disclosed_figures(report, policy, this_year, kept_figures, kept_measures)
    years = [{"tahun": year, "url": f"rekap/{year}/", "jumlah": figures[year].total} for year in figures]
    pages = []
    for year, figure in figures.items():
        view = recap_view(figure, colours)
        context = {"rekap": view, "tahun_tersedia": years, "tahun_ini": year == this_year}
        pages.append(Page(f"rekap/{year}/index.html", f"rekap/{year}/", "recap.html", context, "rekap/"))
        if year == this_year:
            pages.append(Page("rekap/index.html", "rekap/", "recap.html", context, "rekap/"))
    render_md = render_md or MarkdownRenderer()
    view_of = view_of or (lambda item: complaint_view(item.complaint, policy, render_md, now=report.now))
    months = board_months(report, policy)
    listing = []
    for (year, month), items in sorted(months.items(), reverse=True):
        slug = f"papan/{year}-{month:02d}/"
        board = Later(lambda year=year, month=month, items=items: board_view(year, month, items, policy, view_of))
        pages.append(Page(slug + "index.html", slug, "papan.html", {"papan": board, "papan_css": board_css}, "papan/",
                          board_key(year, month, items) if board_key is not None else None))
        listing.append({"url": slug, "judul": month_text(year, month), "jumlah": len(items)})
    pages.append(Page("papan/index.html", "papan/", "papan_daftar.html",
                      {"bulan_papan": listing, "sop": sop_views(policy)}, "papan/"))
    pages.append(Page("data/index.html", "data/", "recap_data.html",
                      {"berkas_data": opendata_docs.documentation(policy)}, "data/"))
    return pages
