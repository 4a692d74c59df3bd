"""Pelican plugin: the public site "Respon Pengaduan Pelayanan".

Pelican never reads a complaint file itself (pelicanconf.py excludes content/complaints from its
article and page paths). This plugin adds one generator (`get_generators` signal) that reads every
complaint through `pipeline.records.loader.load`, the loader `pengaduan check` uses, and stops the build
with the same problems when a complaint is invalid (`BuildStopped`, exit code 1).

What a page may show comes from `privacy.public_view` only: an allowlist built from the schema's
`x-visibility: public`. Complaints marked `kerahasiaan: rahasia` get no page, no listing, no feed
entry and no sitemap entry; they are only counted on the statistics page.

Outputs (paths relative to the site root):

    index.html, halaman/<n>/index.html          home: newest first, paginated
    tahun|kanal|unit|jenis|status/<v>/...       filter pages (same pagination), no JavaScript
    pengaduan/<id>/index.html                   one page per public complaint
    cara-menyampaikan-pengaduan/index.html      channels, schedule, what happens next
    statistik/index.html                        counts, including confidential complaints
    feeds/tanggapan.atom.xml                    Atom feed of responses
    sitemap.xml, robots.txt, 404.html, tema/situs.css

Seam for the deadline engine (evidence from git history)
--------------------------------------------------------
Setting `PENGADUAN_EVIDENCE` is "git" (the default: `deadlines.stage_marks` of the build's one
deadline report, `deadlines.site_report`), `None`, a callable `provider(loaded, settings)`, or
the dotted name "module:function" of one. A provider returns a mapping

    {complaint_id: {stage_id: stage_evidence}}

where stage_id is an id from the policy's `tahapan` and stage_evidence is a mapping (or an object
with the same attributes) with any of:

    waktu       aware datetime: when the stage was done, according to the evidence
    batas       aware datetime: when it was due
    status      "tepat_waktu" | "terlambat" | "berjalan" | "lewat_batas" (see STATE_LABELS)
    keterangan  short public plain text

The deadline engine's own names are accepted too: `done_at`, `due_at`, `status` in
met/breached/pending/overdue (so a `pipeline.report.deadlines.StageResult` can be passed as is).

`complaint_view(complaint, policy, evidence=...)` and `timeline(...)` take the evidence of one
complaint (`{stage_id: stage_evidence}`) and render it when present; without it the timeline
shows the times written in the file and the SOP limits.
"""
from __future__ import annotations

import importlib
import logging
import re
import shutil
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from markupsafe import Markup

from pipeline.outputs import opendata, recap
from pipeline.report import deadlines
from pipeline.records.labels import CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS, channel_label
from pipeline.records.loader import Loaded, load
from pipeline.outputs.markup import MarkdownRenderer, safe_html
from pipeline.records.privacy import public_view
from pipeline.records.problems import Problem, render, sort_key
from pipeline.records.timeutil import MONTHS, parse_waktu, zone_label

logger = logging.getLogger(__name__)

SITE_TITLE = "Respon Pengaduan Pelayanan"
STATE_LABELS = {"tepat_waktu": "Tepat waktu", "terlambat": "Terlambat",
                "berjalan": "Dalam batas waktu", "lewat_batas": "Melewati batas waktu"}
# Which declared field of a complaint claims the moment each kind of stage evidence proves.
DECLARED_FOR_EVIDENCE = {"recorded_at": ("lapor_tim", "waktu"), "responded_at": ("tanggapan", "waktu"),
                         "published_at": None}
# Filter dimensions: URL segment, heading prefix.
DIMENSIONS = OrderedDict([("tahun", "Tahun"), ("kanal", "Kanal"), ("unit", "Unit"),
                          ("jenis", "Jenis"), ("status", "Status")])



class BuildStopped(SystemExit):
    """The complaints (or the policy) are invalid: the site is not built. Carries the problems.

    A SystemExit on purpose: Pelican's own command line catches every Exception, logs it with a
    traceback and goes on to exit; this one passes through, so `pelican -s pelicanconf.py` too
    prints exactly the problems `pengaduan check` prints and exits with status 1, no traceback.
    `pengaduan build` catches it and prints the same report.
    """
    exitcode = 1

    def __init__(self, problems: list[Problem], files_checked: int):
        self.problems = sorted(problems, key=sort_key)
        self.files_checked = files_checked
        super().__init__(self.report() + "\nSitus TIDAK dibangun.")

    def report(self) -> str:
        return render(self.problems, "text", self.files_checked)


# --- text -------------------------------------------------------------------------------------

def tanggal(moment: datetime | None, tz) -> str:
    """5 Januari 2026 (in the policy's time zone)."""
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def waktu(moment: datetime | None, tz) -> str:
    """5 Januari 2026, 09.30 WIB (in the policy's time zone)."""
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    return f"{tanggal(local, tz)}, {local:%H.%M} {zone_label(tz, local.replace(tzinfo=None))}"


def tanggal_iso(value: str) -> str:
    """`2026-02-14` (a date written in the file) as 14 Februari 2026."""
    try:
        year, month, day = (int(part) for part in value.split("-"))
        return f"{day} {MONTHS[month - 1]} {year}"
    except (ValueError, IndexError, AttributeError):
        return str(value)


def hours_text(hours) -> str:
    """24 -> "1x24 jam hari kerja"; 72 -> "3x24 jam hari kerja"; 8 -> "8 jam kerja"."""
    if hours is None:
        return ""
    if float(hours) % 24 == 0:
        return f"{int(float(hours) // 24)}x24 jam hari kerja"
    return f"{float(hours):g} jam kerja"


# --- colours ----------------------------------------------------------------------------------

def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_colour(hex_colour: str | None, fallback: str, against: str = "#ffffff",
                    ratio: float = 4.5) -> str:
    """The policy's colour, darkened just enough for WCAG AA text contrast against `against`."""
    colour = hex_colour if isinstance(hex_colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", hex_colour) \
        else fallback
    colour = colour.lower()
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    while contrast("#%02x%02x%02x" % tuple(rgb), against) < ratio and any(rgb):
        rgb = [max(0, int(c * 0.93)) for c in rgb]
    adjusted = "#%02x%02x%02x" % tuple(rgb)
    if adjusted != colour:
        logger.warning("warna %s di puskesmas.yaml kurang kontras untuk teks (WCAG AA); dipakai %s.",
                       colour, adjusted)
    return adjusted


# --- one complaint ----------------------------------------------------------------------------

# Stage evidence may also use the deadline engine's names (pipeline.report.deadlines.StageResult).
EVIDENCE_ALIASES = {"waktu": "done_at", "batas": "due_at", "status": "status", "keterangan": "note"}
ENGINE_STATES = {"met": "tepat_waktu", "breached": "terlambat", "pending": "berjalan",
                 "overdue": "lewat_batas"}


def _get(obj, key):
    """A field of stage evidence, given as a mapping or as an object with attributes."""
    if obj is None:
        return None
    for name in (key, EVIDENCE_ALIASES.get(key)):
        if name is None:
            continue
        value = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
        if value is not None:
            return ENGINE_STATES.get(value, value) if key == "status" and isinstance(value, str) else value
    return None


def _declared(public: dict, path, tz) -> datetime | None:
    value = public
    for key in path or ():
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str):
        return None
    try:
        return parse_waktu(value, tz)
    except ValueError:
        return None


def timeline(public: dict, policy, received_at: datetime | None, evidence=None) -> list[dict]:
    """The SOP steps of one complaint: received, each policy stage (reported to the team,
    answered, published ...), and the follow-up when there is one.

    `public` is the complaint's `public_view`; `evidence` is {stage_id: stage_evidence} or None.
    """
    tz = policy.tz
    rows = [{"id": "diterima", "nama": "Pengaduan diterima", "waktu": received_at,
             "waktu_teks": waktu(received_at, tz), "batas_teks": "", "keadaan": None,
             "keadaan_teks": "", "keterangan": "", "selesai": True}]
    extra = {
        "responded_at": [("rapat", "Dibahas dalam rapat tim", ("rapat", "waktu")),
                         ("disetujui", "Tanggapan disetujui Kepala Puskesmas",
                          ("tanggapan", "disetujui_pada"))],
    }
    for stage in policy.stages:
        for row_id, name, path in extra.get(stage.evidence, []):
            moment = _declared(public, path, tz)
            if moment is not None:
                rows.append({"id": row_id, "nama": name, "waktu": moment, "waktu_teks": waktu(moment, tz),
                             "batas_teks": "", "keadaan": None, "keadaan_teks": "", "keterangan": "",
                             "selesai": True})
        proof = _get(evidence, stage.id) if evidence else None
        declared = _declared(public, DECLARED_FOR_EVIDENCE.get(stage.evidence), tz)
        moment = _get(proof, "waktu") if proof is not None else None
        moment = moment if isinstance(moment, datetime) else declared
        done = moment is not None or (stage.evidence == "published_at" and bool(public.get("tanggapan")))
        due = _get(proof, "batas") if proof is not None else None
        state = _get(proof, "status") if proof is not None else None
        state = state if state in STATE_LABELS else None
        limit = hours_text(stage.limit_hours)
        rows.append({
            "id": stage.id, "nama": stage.name, "waktu": moment, "waktu_teks": waktu(moment, tz),
            "batas_teks": (f"paling lambat {limit} sejak diterima" if limit else ""),
            "batas_waktu_teks": waktu(due, tz) if isinstance(due, datetime) else "",
            "keadaan": state, "keadaan_teks": STATE_LABELS.get(state, ""),
            "keterangan": str(_get(proof, "keterangan") or "") if proof is not None else "",
            "selesai": done,
        })
    plan = public.get("rencana_tindak_lanjut") or {}
    if plan:
        moment = _declared(public, ("rencana_tindak_lanjut", "selesai"), tz)
        rows.append({"id": "tindak_lanjut", "nama": "Tindak lanjut dilaksanakan", "waktu": moment,
                     "waktu_teks": waktu(moment, tz), "batas_teks": "", "keadaan": None,
                     "keadaan_teks": "", "keterangan": "", "selesai": moment is not None})
    for row in rows:
        row.setdefault("batas_waktu_teks", "")
        row["waktu_iso"] = row["waktu"].astimezone(tz).isoformat(timespec="seconds") if row["waktu"] else ""
    return rows


def complaint_view(complaint, policy, render_md=None, evidence=None) -> dict:
    """Everything a template may show about one public complaint, from its public view only."""
    render_md = render_md or MarkdownRenderer()
    tz = policy.tz
    public = public_view(complaint)
    received = complaint.received_at or parse_waktu(public["diterima"], tz)
    local = received.astimezone(tz)
    status = complaint.status
    response = public.get("tanggapan") or None
    plan = public.get("rencana_tindak_lanjut") or None
    view = {
        "id": public["id"],
        "url": f"pengaduan/{public['id']}/",
        "judul": public["judul"],
        "diterima": received,
        "diterima_teks": waktu(received, tz),
        "diterima_tanggal": tanggal(received, tz),
        "diterima_iso": local.isoformat(timespec="seconds"),
        "tahun": f"{local.year}",
        "kanal": {"id": public["kanal"], "label": channel_label(public["kanal"], policy)},
        "unit": {"id": public["unit"], "label": policy.unit_name(public["unit"])},
        "jenis": {"id": public["jenis"], "label": KIND_LABELS.get(public["jenis"], public["jenis"])},
        "status": {"id": status, "label": STATUS_LABELS.get(status, status)},
        "ringkasan_html": render_md(public.get("ringkasan")),
        "diteruskan_ke": [policy.unit_name(unit) for unit in public.get("diteruskan_ke") or []],
        "tanggapan": None,
        "rencana": None,
        "evidence": evidence,
    }
    if response:
        given = _declared(public, ("tanggapan", "waktu"), tz)
        approved = _declared(public, ("tanggapan", "disetujui_pada"), tz)
        view["tanggapan"] = {
            "isi_html": render_md(response.get("isi")),
            "waktu": given, "waktu_teks": waktu(given, tz),
            "waktu_iso": given.isoformat(timespec="seconds") if given else "",
            "kanal": channel_label(response["kanal"], policy) if response.get("kanal") else "",
            "disetujui_oleh": response.get("disetujui_oleh") or "",
            "disetujui_teks": waktu(approved, tz),
        }
    if plan:
        done = _declared(public, ("rencana_tindak_lanjut", "selesai"), tz)
        view["rencana"] = {
            "isi_html": render_md(plan.get("isi")),
            "penanggung_jawab": policy.unit_name(plan["penanggung_jawab"]) if plan.get("penanggung_jawab") else "",
            "target_teks": tanggal_iso(plan["target"]) if plan.get("target") else "",
            "selesai_teks": waktu(done, tz),
            "hasil_html": render_md(plan.get("hasil")),
        }
    view["linimasa"] = timeline(public, policy, received, evidence)
    # The moment the response became news (feed): published evidence, else given, else approved.
    published = None
    for stage in policy.stages:
        proof = _get(evidence, stage.id) if evidence else None
        if stage.evidence == "published_at" and isinstance(_get(proof, "waktu"), datetime):
            published = _get(proof, "waktu")
    answered = published or (view["tanggapan"] or {}).get("waktu") or \
        _declared(public, ("tanggapan", "disetujui_pada"), tz) or received
    view["dijawab_pada"] = answered
    view["dijawab_iso"] = answered.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    return view


# --- the site ---------------------------------------------------------------------------------

@dataclass
class Listing:
    dimension: str | None   # None: the home page
    value: str | None
    label: str
    items: list


def _evidence_provider(setting):
    if setting is None or setting == "":
        return None
    if callable(setting):
        return setting
    module_name, _, function = str(setting).partition(":")
    return getattr(importlib.import_module(module_name), function or "site_evidence")


def base_url(settings: dict, policy) -> str:
    """Absolute URL of the site for the sitemap, the feed and robots.txt."""
    for candidate in (settings.get("SITEURL"), settings.get("PENGADUAN_BASE_URL"),
                      (policy.data.get("puskesmas") or {}).get("website"),
                      (policy.channels.get("website") or {}).get("url")):
        if isinstance(candidate, str) and candidate.startswith(("http://", "https://")):
            return candidate.rstrip("/")
    return "http://localhost:8000"


def _statistics(complaints: list, policy) -> dict:
    years: dict = {}
    kinds = OrderedDict((kind, 0) for kind in KIND_LABELS)
    statuses = OrderedDict((status, 0) for status in STATUS_LABELS)
    confidential = 0
    for complaint in complaints:
        year = f"{complaint.received_at.astimezone(policy.tz).year}"
        row = years.setdefault(year, {"tahun": year, "jumlah": 0, "rahasia": 0,
                                      **{status: 0 for status in STATUS_LABELS}})
        row["jumlah"] += 1
        row[complaint.status] = row.get(complaint.status, 0) + 1
        if not complaint.is_public:
            row["rahasia"] += 1
            confidential += 1
        kinds[complaint.data["jenis"]] = kinds.get(complaint.data["jenis"], 0) + 1
        statuses[complaint.status] = statuses.get(complaint.status, 0) + 1
    return {"tahun": [years[year] for year in sorted(years, reverse=True)],
            "jenis": [(KIND_LABELS.get(kind, kind), count) for kind, count in kinds.items()],
            "status": [(STATUS_LABELS.get(status, status), count) for status, count in statuses.items()],
            "jumlah": len(complaints), "rahasia": confidential}


def _policy_problem(repo: Path, path: tuple, message: str, hint: str) -> Problem:
    from pipeline.records.source import SourceError, parse_yaml, read_text
    line, column = 1, 1
    try:
        document = parse_yaml(read_text(repo / "puskesmas.yaml", "puskesmas.yaml"), "puskesmas.yaml")
        line, column = document.position(path)
    except SourceError:
        pass
    return Problem("puskesmas.yaml", line, column, message, hint, ".".join(path))


try:  # Pelican is only needed when building, not for `pengaduan check`.
    from pelican import signals
    from pelican.generators import Generator
except ImportError:  # pragma: no cover
    signals = None
    Generator = object


class ComplaintsGenerator(Generator):
    """Reads complaints through the one loader and writes every complaint-derived file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.env.autoescape = True  # whatever JINJA_ENVIRONMENT says: complaint text is escaped
        self.render_md = MarkdownRenderer()
        self._entries: dict = {}

    # -- context -------------------------------------------------------------------------------

    def generate_context(self):
        settings = self.settings
        repo = Path(settings.get("PENGADUAN_REPO") or Path(self.path).parent).resolve()
        loaded: Loaded = load(repo, now=settings.get("PENGADUAN_NOW"))
        for problem in sorted(loaded.problems, key=sort_key):
            if not problem.is_error:
                logger.warning("%s", problem.as_text())
        if not loaded.ok:
            raise BuildStopped(loaded.problems, loaded.files_checked)
        policy = self.policy = loaded.policy
        self.repo = repo
        self.loaded = loaded
        # One deadline report per build (one read of the git history): the complaint pages'
        # marks, the recap, the board and the open data all come from it.
        self.report = deadlines.site_report(loaded, settings)
        evidence = self._evidence(settings.get("PENGADUAN_EVIDENCE", "git"), loaded, settings)

        identity = policy.data.get("puskesmas") or {}
        colours = identity.get("warna") or {}
        self.logo = self._check_logo(identity.get("logo"))
        site = {
            "judul": SITE_TITLE,
            "puskesmas": identity,
            "nama": policy.name,
            "logo": self.logo,
            "utama": readable_colour(colours.get("utama"), "#0b5d3b"),
            "aksen": readable_colour(colours.get("aksen"), "#8a4b00"),
            "base_url": base_url(settings, policy),
            "feed": "feeds/tanggapan.atom.xml",
            "css": "tema/situs.css",
        }
        public = sorted((c for c in loaded.complaints if c.is_public),
                        key=lambda c: (c.received_at, c.id), reverse=True)
        views = [complaint_view(c, policy, self.render_md, evidence.get(c.id)) for c in public]
        self.views = views
        self.listings = self._listings(views, policy)
        self.statistics = _statistics(loaded.complaints, policy)
        self.site = site
        # Shared with Pelican's own page generator (content/pages) through the global context.
        self.context["SITE"] = site
        self.context["MENU"] = [("", "Beranda"), ("cara-menyampaikan-pengaduan/", "Cara Menyampaikan Pengaduan"),
                                ("statistik/", "Statistik"), ("rekap/", "Rekap"), ("papan/", "Papan Pengumuman"),
                                ("data/", "Data Terbuka")]
        self.context["SITENAME"] = f"{SITE_TITLE} · {policy.name}"

    def _evidence(self, setting, loaded, settings) -> dict:
        """Stage marks per complaint: "git" (default) from this build's report, None for none,
        or a provider(loaded, settings) for another source of evidence."""
        if setting == "git":
            return deadlines.stage_marks(self.report, loaded.policy)
        provider = _evidence_provider(setting)
        return dict(provider(loaded, settings) or {}) if provider else {}

    def _check_logo(self, logo):
        if not logo:
            return None
        relative = PurePosixPath(str(logo))
        source = (Path(self.path) / relative).resolve()
        if relative.is_absolute() or ".." in relative.parts or not source.is_file():
            raise BuildStopped([_policy_problem(
                self.repo, ("puskesmas", "logo"), f"berkas logo `{logo}` tidak ditemukan di content/.",
                "Simpan logo di content/, mis. content/images/logo.svg, lalu tulis "
                "`logo: images/logo.svg`.")], 1)
        return relative.as_posix()

    def _listings(self, views: list, policy) -> list[Listing]:
        listings = [Listing(None, None, SITE_TITLE, views)]
        groups: dict = {dimension: {} for dimension in DIMENSIONS}
        for view in views:
            for dimension in DIMENSIONS:
                value = view["tahun"] if dimension == "tahun" else view[dimension]["id"]
                label = value if dimension == "tahun" else view[dimension]["label"]
                groups[dimension].setdefault(value, (label, []))[1].append(view)
        order = {
            "tahun": lambda values: sorted(values, reverse=True),
            "kanal": lambda values: [v for v in list(policy.channels) + sorted(CHANNEL_LABELS) if v in values],
            "unit": lambda values: [v for v in list(policy.units) if v in values] +
                                   sorted(v for v in values if v not in policy.units),
            "jenis": lambda values: [v for v in KIND_LABELS if v in values],
            "status": lambda values: [v for v in STATUS_LABELS if v in values],
        }
        self.filters = []
        for dimension, title in DIMENSIONS.items():
            values = list(OrderedDict.fromkeys(order[dimension](groups[dimension])))
            options = []
            for value in values:
                label, items = groups[dimension][value]
                listings.append(Listing(dimension, value, label, items))
                options.append({"value": value, "label": label, "jumlah": len(items),
                                "url": f"{dimension}/{value}/"})
            self.filters.append({"id": dimension, "judul": title, "pilihan": options})
        return listings

    # -- output --------------------------------------------------------------------------------

    def _entry(self, view: dict, siteurl: str) -> Markup:
        """A complaint's listing entry, rendered once per link depth and reused on every listing."""
        key = (view["id"], siteurl)
        if key not in self._entries:
            self._entries[key] = Markup(self._entry_template.render(c=view, SITEURL=siteurl))
        return self._entries[key]

    def _filters(self, listing: Listing, siteurl: str) -> Markup:
        """The filter links of a listing: the same on each of its pages at the same link depth."""
        key = (listing.dimension, listing.value, siteurl)
        if key not in self._entries:
            self._entries[key] = Markup(self._filter_template.render(listing=listing, SITEURL=siteurl,
                                                                     FILTERS=self.filters))
        return self._entries[key]

    def generate_output(self, writer):
        settings = self.settings
        relative = settings.get("RELATIVE_URLS", False)
        per_page = int(settings.get("PENGADUAN_PER_PAGE", 10))
        self._entry_template = self.env.get_template("_entri.html")
        self._filter_template = self.env.get_template("_saring.html")
        self.env.globals["entri"] = self._entry
        self.env.globals["saring"] = self._filters
        common = {"SITE": self.site, "FILTERS": self.filters}
        written: list = []  # (url, lastmod) for the sitemap

        def write(name, template, url=None, lastmod=None, relative_urls=relative, **kwargs):
            jinja = self.env.get_template(template if "." in template else template + ".html")
            writer.write_file(name, jinja, self.context, relative_urls, **common, **kwargs)
            if url is not None:
                written.append((url, lastmod))

        for listing in self.listings:
            prefix = "" if listing.dimension is None else f"{listing.dimension}/{listing.value}/"
            pages = [listing.items[i:i + per_page] for i in range(0, len(listing.items), per_page)] or [[]]
            for number, items in enumerate(pages, start=1):
                url = prefix if number == 1 else f"{prefix}halaman/{number}/"
                links = {"sebelumnya": (prefix if number == 2 else f"{prefix}halaman/{number - 1}/")
                         if number > 1 else None,
                         "berikutnya": f"{prefix}halaman/{number + 1}/" if number < len(pages) else None}
                write(url + "index.html", "index", url=url, listing=listing, items=items,
                      halaman={"nomor": number, "jumlah": len(pages), **links,
                               "awal": (number - 1) * per_page + 1 if items else 0,
                               "akhir": (number - 1) * per_page + len(items), "total": len(listing.items)},
                      current=url)
        for view in self.views:
            write(view["url"] + "index.html", "pengaduan", url=view["url"],
                  lastmod=max(row["waktu"] for row in view["linimasa"] if row["waktu"]), c=view)
        write("cara-menyampaikan-pengaduan/index.html", "cara", url="cara-menyampaikan-pengaduan/",
              cara=self._how_to(), current="cara-menyampaikan-pengaduan/")
        write("statistik/index.html", "statistik", url="statistik/", statistik=self.statistics,
              current="statistik/")
        for page in recap.site_pages(self.report, self.policy, site=self.site, render_md=self.render_md):
            write(page.save_as, page.template, url=page.url, current=page.current, **page.context)
        opendata.write_all(Path(self.output_path), self.loaded, self.report, base_url=self.site["base_url"])
        recap.write_assets(self.output_path, self.settings.get("THEME"))
        for page in self.context.get("pages", []):
            written.append((page.url, None))
        # 404 is served at any depth: links from the site root (or the absolute SITEURL).
        siteurl = settings.get("SITEURL") or ""
        write("404.html", "404", relative_urls=False,
              SITEURL=siteurl if siteurl.startswith(("http://", "https://")) else
              (siteurl.rstrip("/") if siteurl.startswith("/") else ""))
        base = self.site["base_url"]
        feed = sorted((view for view in self.views if view["tanggapan"]),
                      key=lambda view: (view["dijawab_pada"], view["id"]), reverse=True)
        feed = feed[:int(settings.get("PENGADUAN_FEED_MAX", 50))]
        updated = max((view["dijawab_pada"] for view in feed), default=None) or \
            max((view["diterima"] for view in self.views), default=datetime(2000, 1, 1, tzinfo=timezone.utc))
        entries = [(view, "<p><strong>Pengaduan:</strong></p>" + str(view["ringkasan_html"]) +
                    "<p><strong>Tanggapan:</strong></p>" + str(view["tanggapan"]["isi_html"])) for view in feed]
        write(self.site["feed"], "feed.xml", relative_urls=False, base=base, entries=entries,
              updated=updated.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"))
        urls = sorted({url: lastmod for url, lastmod in written}.items())
        write("sitemap.xml", "sitemap.xml", relative_urls=False, base=base,
              urls=[(url, lastmod.astimezone(self.policy.tz).date().isoformat() if lastmod else "")
                    for url, lastmod in urls])
        write("robots.txt", "robots.txt", relative_urls=False, base=base)
        write(self.site["css"], "situs.css", relative_urls=False)
        if self.logo:
            target = Path(self.output_path) / self.logo
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(self.path) / self.logo, target)

    def _how_to(self) -> dict:
        policy = self.policy
        channels = []
        for channel_id, details in policy.channels.items():
            details = details or {}
            entry = {"id": channel_id, "label": channel_label(channel_id, policy), "rincian": []}
            for key, label in (("alamat", "Alamat"), ("akun", "Akun"), ("nomor", "Nomor"), ("jam", "Jam layanan"),
                               ("jadwal_buka", "Kotak dibuka"), ("keterangan", "Keterangan")):
                value = details.get(key)
                if not value:
                    continue
                link = None
                if key == "alamat" and channel_id == "email":
                    label, link = "Alamat email", f"mailto:{value}"
                elif key == "nomor":
                    digits = re.sub(r"\D", "", str(value))
                    link = f"tel:{digits}"
                    if channel_id == "whatsapp" and digits.startswith("0"):
                        link = f"https://wa.me/62{digits[1:]}"
                entry["rincian"].append({"label": label, "nilai": str(value), "tautan": link})
            if details.get("url"):
                entry["rincian"].append({"label": "Tautan", "nilai": details["url"], "tautan": details["url"]})
            channels.append(entry)
        weekdays = sorted(policy.weekdays)
        names = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
        if weekdays == list(range(weekdays[0], weekdays[-1] + 1)) and len(weekdays) > 2:
            days = f"{names[weekdays[0]]}–{names[weekdays[-1]]}"
        else:
            days = ", ".join(names[day] for day in weekdays)
        stages = [{"nama": stage.name, "batas": hours_text(stage.limit_hours), "sumber": stage.source}
                  for stage in policy.stages]
        return {"kanal": channels, "tahapan": stages, "hari_kerja": days,
                "libur_nasional": policy.national_holidays, "sop": policy.data.get("sop") or []}


def get_generators(pelican_object):
    return ComplaintsGenerator


def register():
    signals.get_generators.connect(get_generators)


def project_root() -> Path:
    """The folder that holds pelicanconf.py, theme/ and schema/ of this project."""
    return Path(__file__).resolve().parents[2]


def output_is_replaceable(output: Path, repo: Path) -> str | None:
    """Why `output` must not be replaced by a build, or None when it may be."""
    output, repo = output.resolve(), repo.resolve()
    if output == repo or output in repo.parents or output == Path(output.anchor):
        return f"folder output '{output}' berisi repositori; pilih folder lain, mis. output/."
    for protected in ("content", "theme", "pipeline", "schema", ".git"):
        if output == repo / protected or (repo / protected) in output.parents:
            return f"folder output '{output}' ada di dalam {protected}/; pilih folder lain, mis. output/."
    if output.exists() and not output.is_dir():
        return f"'{output}' adalah berkas, bukan folder."
    if output.is_dir() and any(output.iterdir()) and not (output / "index.html").is_file():
        return (f"folder output '{output}' sudah berisi berkas lain yang bukan hasil build situs; "
                "pilih folder kosong atau folder output sebelumnya.")
    return None


__all__ = ["BuildStopped", "ComplaintsGenerator", "MarkdownRenderer", "complaint_view", "timeline",
           "register", "tanggal", "waktu", "hours_text", "output_is_replaceable", "project_root"]
