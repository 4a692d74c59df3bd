"""Rekap Pengaduan: the figures an accreditation surveyor and the city health office ask for.

Counts per month, channel, unit, type and status; the share answered and the share of follow-up
plans carried out; for each SOP stage the share done on time and the median time it took. Stage
times come from the deadline engine's evidence (git history: `deadlines.Report`), never from the
times written in a file. Confidential complaints (`kerahasiaan: rahasia`) are counted like any
other; nothing here ever shows their title or id.

Definitions (also printed on the page and in the spreadsheet):

* A complaint belongs to the period of its `diterima` date, in the policy's time zone.
* "Ditanggapi": the complaint has a `tanggapan`. "Rencana tindak lanjut terlaksana": of the
  complaints with a `rencana_tindak_lanjut`, those whose plan has `selesai`.
* On time, per stage with a limit: met / (met + breached + overdue). A stage still running and
  not yet due ("berjalan") is not judged yet and is left out of the share (its count is shown).
* Median time per stage: from `diterima` to the stage's git evidence (recorded_at,
  responded_at, published_at), over the complaints where that evidence exists, in working hours
  (the SOP's own clock) and in calendar time.
* Percentages are rounded half up to whole numbers and always shown with their counts:
  "50% (1 dari 2)".

Also here: the announcement board (papan pengumuman, one printable A4 page per month of public
responses), the site pages (`site_pages`) and the accreditation spreadsheet (`write_workbook`).

The site plugin (pipeline/plugin/publishing.py) calls, once per build:

    report = deadlines.site_report(loaded, settings)     # git evidence, the site's "now"
    for page in recap.site_pages(report, policy, site=SITE, render_md=renderer):
        write(page.save_as, page.template, url=page.url, current=page.current, **page.context)
    opendata.write_all(output_path, loaded, report, base_url=SITE["base_url"])
    recap.write_assets(output_path, THEME)               # the board's print stylesheet
"""
from __future__ import annotations

import logging
import statistics
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from markupsafe import Markup, escape

from pipeline.report.deadlines import Report, evaluate
from pipeline.evidence.history import HistoryError, collect_evidence
from pipeline.records.labels import KIND_LABELS, STATUS_LABELS, channel_label
from pipeline.records.loader import Loaded
from pipeline.records.timeutil import MONTHS, format_local, iso, parse_waktu, zone_label
from pipeline.report.workcalendar import WorkCalendar

logger = logging.getLogger(__name__)

THEME = Path(__file__).resolve().parents[2] / "theme"
JUDGEMENTS = OrderedDict([("met", "tepat waktu"), ("breached", "terlambat"),
                          ("overdue", "lewat batas"), ("pending", "berjalan")])
COLOURS = {"met": "#0b5d3b", "breached": "#8a4b00", "overdue": "#a11d1d", "pending": "#8c8c8c"}
PRIVATE_BANNER = "MEMUAT DATA PRIBADI"


# --- numbers ------------------------------------------------------------------------------------

def percent(n: int, total: int) -> int | None:
    """Whole percent, rounded half up; None when there is nothing to divide by."""
    if not total:
        return None
    return int((Decimal(100 * n) / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Share:
    n: int
    total: int

    @property
    def percent(self) -> int | None:
        return percent(self.n, self.total)

    @property
    def text(self) -> str:
        """"50% (1 dari 2)"; "– (0 dari 0)" when there is nothing to count."""
        value = self.percent
        return f"{'–' if value is None else f'{value}%'} ({self.n} dari {self.total})"

    def __str__(self) -> str:
        return self.text


def decimal_text(value: float | None, digits: int = 1) -> str:
    """Indonesian decimal: 20.5 -> "20,5"; 3.0 -> "3"."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def duration_text(hours: float | None) -> str:
    """Calendar duration: 50.5 -> "2 hari 2 jam 30 menit"; 0.25 -> "15 menit"."""
    if hours is None:
        return "–"
    minutes = int(round(hours * 60))
    days, rest = divmod(minutes, 24 * 60)
    whole_hours, minutes = divmod(rest, 60)
    parts = [f"{days} hari"] if days else []
    parts += [f"{whole_hours} jam"] if whole_hours else []
    parts += [f"{minutes} menit"] if minutes else []
    return " ".join(parts) or "0 menit"


# --- figures ------------------------------------------------------------------------------------

@dataclass
class Count:
    key: str
    label: str
    n: int
    share: Share          # of all complaints of the period


@dataclass
class StageFigure:
    id: str
    name: str
    limit_hours: float | None
    counts: dict          # met / breached / overdue / pending -> n (empty for a stage without limit)
    on_time: Share | None  # met of the judged (met + breached + overdue); None without a limit
    measured: int         # complaints with evidence for this stage
    median_working_hours: float | None
    median_hours: float | None
    source: str = ""

    @property
    def judged(self) -> bool:
        return self.limit_hours is not None


@dataclass
class Figures:
    puskesmas: str
    start: date
    end: date                 # inclusive
    year: int | None          # set when the period is one calendar year
    now: datetime
    ref: str
    timezone: str
    total: int
    public: int
    confidential: int
    months: list
    channels: list
    units: list
    kinds: list
    statuses: list
    answered: Share
    with_plan: Share
    plan_done: Share
    stages: list
    evidence: bool            # git evidence available (False: figures from files only)
    years: list = field(default_factory=list)   # every year with complaints, and this year

    @property
    def period_text(self) -> str:
        if self.year is not None:
            return f"tahun {self.year}"
        return f"{date_text(self.start)} s.d. {date_text(self.end)}"


def date_text(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def year_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def local_year(moment: datetime, tz) -> int:
    return moment.astimezone(tz).year


def report_for(loaded: Loaded, ref: str = "HEAD", now: datetime | None = None,
               strict: bool = False) -> Report:
    """The deadline report of `loaded`'s complaints, with evidence from the git history of `ref`.

    Reuses the loaded complaints (no second read). When git cannot be read (not a repository,
    unknown ref) the report has no evidence and a warning is logged; with `strict` the
    HistoryError is raised instead.
    """
    now = now or datetime.now(timezone.utc)
    try:
        evidence = collect_evidence(loaded.root, ref)
    except HistoryError as err:
        if strict:
            raise
        logger.warning("rekap: riwayat git tidak dapat dibaca (%s); waktu tahap SOP tidak dihitung.", err)
        evidence = {}
    return evaluate(loaded, evidence, now, ref)


def _items(source) -> tuple[list, bool]:
    """(entries, has_stage_results): entries are (complaint, ComplaintDeadlines or None)."""
    if isinstance(source, Report):
        return [(item.complaint, item) for item in source.complaints], source.judged
    if isinstance(source, Loaded):
        return [(complaint, None) for complaint in source.complaints], False
    raise TypeError("compute() expects a deadlines.Report or a loader.Loaded")


def in_period(complaint, start: date, end: date, tz) -> bool:
    day = complaint.received_at.astimezone(tz).date()
    return start <= day <= end


def select(report: Report, policy, start: date, end: date) -> list:
    """The report's complaints received in [start, end] (local dates), oldest first."""
    chosen = [item for item in report.complaints if in_period(item.complaint, start, end, policy.tz)]
    return sorted(chosen, key=lambda item: (item.complaint.received_at, item.complaint.id))


def _months(start: date, end: date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _counts(values: list[str], order: list[str], labels, total: int, keep_zero: bool = True) -> list[Count]:
    tally: dict = {}
    for value in values:
        tally[value] = tally.get(value, 0) + 1
    keys = [key for key in order if keep_zero or tally.get(key)]
    keys += sorted(key for key in tally if key not in keys)
    return [Count(key, labels(key), tally.get(key, 0), Share(tally.get(key, 0), total)) for key in keys]


def compute(source, year: int | None = None, *, policy=None, start: date | None = None,
            end: date | None = None, now: datetime | None = None) -> Figures:
    """The recap figures of one calendar `year`, or of the period [start, end] (local dates).

    `source` is a `deadlines.Report` (stage figures from git evidence; pass `policy`) or a
    `loader.Loaded` (counts only: no stage figures). Without year and period: the year of `now`.
    """
    entries, has_stages = _items(source)
    if isinstance(source, Loaded):
        policy = policy or source.policy
        now = now or datetime.now(timezone.utc)
        ref = ""
    else:
        now = source.now
        ref = source.ref
    if policy is None:
        raise ValueError("compute() needs the policy (policy=loaded.policy) with a Report")
    tz = policy.tz
    if year is None and start is None and end is None:
        year = local_year(now, tz)
    if year is not None:
        start, end = year_period(year)
    else:
        start = start or date(1970, 1, 1)
        end = end or now.astimezone(tz).date()
    years = sorted({local_year(complaint.received_at, tz) for complaint, _ in entries}
                   | {local_year(now, tz)}, reverse=True)
    chosen = [(complaint, item) for complaint, item in entries if in_period(complaint, start, end, tz)]
    chosen.sort(key=lambda pair: (pair[0].received_at, pair[0].id))
    total = len(chosen)
    complaints = [complaint for complaint, _ in chosen]
    local = [complaint.received_at.astimezone(tz) for complaint in complaints]

    month_keys = _months(start, end)
    one_year = start.year == end.year
    months = _counts([f"{moment.year}-{moment.month:02d}" for moment in local],
                     [f"{y}-{m:02d}" for y, m in month_keys],
                     lambda key: MONTHS[int(key[5:]) - 1] + ("" if one_year else f" {key[:4]}"), total)
    channels = _counts([c.data["kanal"] for c in complaints], list(policy.channels),
                       lambda key: channel_label(key, policy), total)
    units = _counts([c.data["unit"] for c in complaints], list(policy.units), policy.unit_name, total)
    kinds = _counts([c.data["jenis"] for c in complaints], list(KIND_LABELS),
                    lambda key: KIND_LABELS.get(key, key), total)
    statuses = _counts([c.status for c in complaints], list(STATUS_LABELS),
                       lambda key: STATUS_LABELS.get(key, key), total)
    plans = [c.data.get("rencana_tindak_lanjut") for c in complaints if c.data.get("rencana_tindak_lanjut")]
    figures = Figures(
        puskesmas=policy.name, start=start, end=end, year=year, now=now.astimezone(tz), ref=ref,
        timezone=policy.data["zona_waktu"], total=total,
        public=sum(c.is_public for c in complaints), confidential=sum(not c.is_public for c in complaints),
        months=months, channels=channels, units=units, kinds=kinds, statuses=statuses,
        answered=Share(sum(bool(c.response) for c in complaints), total),
        with_plan=Share(len(plans), total),
        plan_done=Share(sum(bool(plan.get("selesai")) for plan in plans), len(plans)),
        stages=_stage_figures(chosen, policy) if has_stages else [],
        evidence=has_stages and any(item.evidence.recorded_at for _, item in entries),
        years=years,
    )
    return figures


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _stage_figures(chosen: list, policy) -> list[StageFigure]:
    calendar = WorkCalendar.from_policy(policy)
    figures = []
    for stage in policy.stages:
        counts = dict.fromkeys(JUDGEMENTS, 0) if stage.limit_hours is not None else {}
        working, calendar_hours = [], []
        for complaint, item in chosen:
            for result in item.stages:
                if result.stage.id == stage.id:
                    counts[result.status] += 1
            done = getattr(item.evidence, stage.evidence, None)
            if done is not None:
                received = complaint.received_at
                working.append(calendar.working_hours_between(received, done))
                calendar_hours.append(max(0.0, (done - received).total_seconds() / 3600))
        judged = counts.get("met", 0) + counts.get("breached", 0) + counts.get("overdue", 0)
        figures.append(StageFigure(
            id=stage.id, name=stage.name, limit_hours=stage.limit_hours, counts=counts,
            on_time=Share(counts["met"], judged) if stage.limit_hours is not None else None,
            measured=len(working), median_working_hours=_median(working),
            median_hours=_median(calendar_hours), source=stage.source))
    return figures


def limit_text(hours) -> str:
    """24 -> "1x24 jam hari kerja"; 8 -> "8 jam kerja"; None -> "tanpa batas"."""
    if hours is None:
        return "tanpa batas"
    if float(hours) % 24 == 0:
        return f"{int(float(hours) // 24)}x24 jam hari kerja"
    return f"{decimal_text(float(hours))} jam kerja"


# --- machine-readable forms ---------------------------------------------------------------------

def to_json(figures: Figures) -> dict:
    def counts(rows):
        return [{"kunci": row.key, "label": row.label, "jumlah": row.n, "persen": row.share.percent}
                for row in rows]

    def share(value: Share | None):
        return None if value is None else {"jumlah": value.n, "dari": value.total, "persen": value.percent}

    return {
        "puskesmas": figures.puskesmas,
        "periode": {"mulai": figures.start.isoformat(), "sampai": figures.end.isoformat(),
                    "tahun": figures.year},
        "per": iso(figures.now), "ref": figures.ref, "zona_waktu": figures.timezone,
        "bukti_git": figures.evidence,
        "jumlah": figures.total, "terbuka": figures.public, "rahasia": figures.confidential,
        "ditanggapi": share(figures.answered),
        "rencana_tindak_lanjut": share(figures.with_plan),
        "rencana_tindak_lanjut_terlaksana": share(figures.plan_done),
        "per_bulan": counts(figures.months), "per_kanal": counts(figures.channels),
        "per_unit": counts(figures.units), "per_jenis": counts(figures.kinds),
        "per_status": counts(figures.statuses),
        "tahapan": [{
            "tahap": stage.id, "nama": stage.name, "batas_jam_kerja": stage.limit_hours,
            "tepat_waktu": stage.counts.get("met"), "terlambat": stage.counts.get("breached"),
            "lewat_batas": stage.counts.get("overdue"), "berjalan": stage.counts.get("pending"),
            "persen_tepat_waktu": share(stage.on_time),
            "diukur": stage.measured,
            "median_jam_kerja": _round(stage.median_working_hours),
            "median_jam_kalender": _round(stage.median_hours),
        } for stage in figures.stages],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


CSV_COLUMNS = ["tabel", "kunci", "label", "jumlah", "dari", "persen", "nilai"]


def figure_rows(figures: Figures) -> list[dict]:
    """The figures as one tidy table (CSV and the spreadsheet's totals)."""
    rows = []

    def add(table, key, label, n=None, total=None, value=None):
        rows.append({"tabel": table, "kunci": key, "label": label, "jumlah": n, "dari": total,
                     "persen": percent(n, total) if n is not None and total else None, "nilai": value})

    add("ringkasan", "pengaduan", "Jumlah pengaduan", figures.total)
    add("ringkasan", "terbuka", "Terbuka (tidak dirahasiakan)", figures.public, figures.total)
    add("ringkasan", "rahasia", "Rahasia (hanya dihitung)", figures.confidential, figures.total)
    add("ringkasan", "ditanggapi", "Ditanggapi", figures.answered.n, figures.answered.total)
    add("ringkasan", "rencana_tindak_lanjut", "Memiliki rencana tindak lanjut", figures.with_plan.n,
        figures.with_plan.total)
    add("ringkasan", "rencana_tindak_lanjut_terlaksana", "Rencana tindak lanjut terlaksana",
        figures.plan_done.n, figures.plan_done.total)
    for table, counts in (("bulan", figures.months), ("kanal", figures.channels), ("unit", figures.units),
                          ("jenis", figures.kinds), ("status", figures.statuses)):
        for row in counts:
            add(table, row.key, row.label, row.n, figures.total)
    for stage in figures.stages:
        table = f"tahap.{stage.id}"
        if stage.judged:
            judged = stage.on_time.total
            add(table, "tepat_waktu", "Tepat waktu", stage.counts["met"], judged)
            add(table, "terlambat", "Terlambat", stage.counts["breached"], judged)
            add(table, "lewat_batas", "Lewat batas (belum selesai)", stage.counts["overdue"], judged)
            add(table, "berjalan", "Berjalan (belum jatuh tempo)", stage.counts["pending"])
        add(table, "diukur", "Pengaduan dengan bukti git tahap ini", stage.measured, figures.total)
        add(table, "median_jam_kerja", "Median waktu sejak diterima (jam kerja)",
            value=_round(stage.median_working_hours))
        add(table, "median_jam_kalender", "Median waktu sejak diterima (jam kalender)",
            value=_round(stage.median_hours))
    return rows


# --- charts: inline SVG drawn at build time -----------------------------------------------------

_FONT = 'font-family="system-ui,-apple-system,Segoe UI,Roboto,Noto Sans,Arial,sans-serif"'


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _svg(chart_id: str, title: str, description: str, width: int, height: int, body: list[str]) -> Markup:
    """An inline SVG image named by aria-label (no <title>: a page keeps exactly one title)."""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafik" id="{escape(chart_id)}" role="img" '
        f'aria-label="{escape(title)}. {escape(description)}" viewBox="0 0 {width} {height}" '
        f'width="100%" {_FONT} font-size="13">' + "".join(body) + "</svg>")


def bar_chart(chart_id: str, title: str, counts: list[Count], colour: str = "#0b5d3b") -> Markup:
    """Horizontal bars, one per row, each labelled "n (p%)"; the same numbers are in the table."""
    row_height, label_width, bar_width, width = 26, 230, 250, 640
    height = max(1, len(counts)) * row_height + 8
    most = max((row.n for row in counts), default=0) or 1
    body = []
    for index, row in enumerate(counts):
        y = 4 + index * row_height
        length = round(bar_width * row.n / most, 1)
        body.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" fill="#1b1b1b">'
                    f'{escape(_clip(row.label))}</text>')
        body.append(f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="17" fill="{escape(colour)}"/>')
        body.append(f'<text x="{label_width + length + 6}" y="{y + 17}" fill="#1b1b1b">'
                    f'{escape(row.share.text)}</text>')
    description = "; ".join(f"{row.label}: {row.share.text}" for row in counts) or "Tidak ada data."
    return _svg(chart_id, title, description, width, height, body)


def column_chart(chart_id: str, title: str, counts: list[Count], colour: str = "#0b5d3b") -> Markup:
    """Vertical columns (one per month) with the count above each column."""
    width, top, plot, bottom = 640, 22, 150, 40
    slot = (width - 20) / max(1, len(counts))
    most = max((row.n for row in counts), default=0) or 1
    body = [f'<line x1="10" y1="{top + plot}" x2="{width - 10}" y2="{top + plot}" stroke="#4a4a4a"/>']
    for index, row in enumerate(counts):
        x = 10 + index * slot
        height = round(plot * row.n / most, 1)
        middle = round(x + slot / 2, 1)
        body.append(f'<rect x="{round(x + slot * 0.15, 1)}" y="{round(top + plot - height, 1)}" '
                    f'width="{round(slot * 0.7, 1)}" height="{height}" fill="{escape(colour)}"/>')
        body.append(f'<text x="{middle}" y="{round(top + plot - height - 5, 1)}" text-anchor="middle" '
                    f'fill="#1b1b1b">{row.n}</text>')
        short = row.label[:3] + (row.label[-5:] if " " in row.label else "")
        body.append(f'<text x="{middle}" y="{top + plot + 18}" text-anchor="middle" fill="#1b1b1b" '
                    f'font-size="12">{escape(short)}</text>')
    description = "; ".join(f"{row.label}: {row.n}" for row in counts) or "Tidak ada data."
    return _svg(chart_id, title, description, width, top + plot + bottom - 10, body)


def stage_chart(chart_id: str, title: str, stages: list[StageFigure], colours: dict | None = None) -> Markup:
    """One stacked bar per judged stage: on time, late, overdue, still running."""
    colours = {**COLOURS, **(colours or {})}
    judged = [stage for stage in stages if stage.judged]
    row_height, label_width, bar_width, width = 34, 230, 220, 640
    legend_y = len(judged) * row_height + 14
    body = []
    for index, stage in enumerate(judged):
        y = 4 + index * row_height
        total = sum(stage.counts.values())
        x = float(label_width)
        body.append(f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end" fill="#1b1b1b">'
                    f'{escape(_clip(stage.name))}</text>')
        for key in JUDGEMENTS:
            if not total or not stage.counts[key]:
                continue
            length = round(bar_width * stage.counts[key] / total, 1)
            body.append(f'<rect x="{round(x, 1)}" y="{y + 5}" width="{length}" height="18" '
                        f'fill="{escape(colours[key])}"/>')
            x += length
        if not total:
            body.append(f'<rect x="{label_width}" y="{y + 5}" width="{bar_width}" height="18" fill="none" '
                        f'stroke="#8c8c8c"/>')
        body.append(f'<text x="{label_width + bar_width + 8}" y="{y + 18}" fill="#1b1b1b">'
                    f'{escape(stage.on_time.text)}</text>')
    x = 10
    for key, label in JUDGEMENTS.items():
        body.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{escape(colours[key])}"/>')
        body.append(f'<text x="{x + 17}" y="{legend_y + 11}" fill="#1b1b1b">{escape(label)}</text>')
        x += 30 + 8 * len(label)
    description = "; ".join(f"{stage.name}: tepat waktu {stage.on_time.text}, terlambat "
                            f"{stage.counts['breached']}, lewat batas {stage.counts['overdue']}, berjalan "
                            f"{stage.counts['pending']}" for stage in judged) or "Tidak ada data."
    return _svg(chart_id, title, description, width, legend_y + 24, body)


# --- the recap page -----------------------------------------------------------------------------

SECTIONS = [("bulan", "Per bulan", "months", "Bulan"), ("kanal", "Per kanal", "channels", "Kanal"),
            ("unit", "Per unit layanan", "units", "Unit"), ("jenis", "Per jenis", "kinds", "Jenis"),
            ("status", "Per status", "statuses", "Status")]


def recap_view(figures: Figures, colours: dict | None = None) -> dict:
    """What recap.html shows: the figures with their texts and charts (no title, no id)."""
    colours = {**COLOURS, **(colours or {})}
    sections = []
    for key, heading, attribute, column in SECTIONS:
        counts = getattr(figures, attribute)
        title = f"Pengaduan {heading.lower()}, {figures.period_text}"
        chart = (column_chart if key == "bulan" else bar_chart)(f"grafik-{key}", title, counts, colours["met"])
        sections.append({"id": key, "judul": heading, "kolom": column, "grafik": chart, "baris": counts,
                         "keterangan": title})
    stages = [{
        "id": stage.id, "nama": stage.name, "batas": limit_text(stage.limit_hours), "dinilai": stage.judged,
        "tepat_waktu": stage.counts.get("met"), "terlambat": stage.counts.get("breached"),
        "lewat_batas": stage.counts.get("overdue"), "berjalan": stage.counts.get("pending"),
        "persen": stage.on_time.text if stage.on_time else "tidak dinilai",
        "median_kerja": (f"{decimal_text(stage.median_working_hours)} jam kerja"
                         if stage.median_working_hours is not None else "–"),
        "median_kalender": duration_text(stage.median_hours), "diukur": stage.measured,
        "sumber": stage.source,
    } for stage in figures.stages]
    return {
        "f": figures,
        "judul": f"Rekap Pengaduan {figures.year if figures.year is not None else figures.period_text}",
        "per_teks": format_local(figures.now, figures.now.tzinfo),
        "ringkasan": [
            ("Jumlah pengaduan", f"{figures.total}"),
            ("Dipublikasikan", Share(figures.public, figures.total).text),
            ("Dirahasiakan (hanya dihitung)", Share(figures.confidential, figures.total).text),
            ("Ditanggapi", figures.answered.text),
            ("Memiliki rencana tindak lanjut", figures.with_plan.text),
            ("Rencana tindak lanjut terlaksana", figures.plan_done.text),
        ],
        "bagian": sections,
        "tahapan": stages,
        "grafik_tahapan": stage_chart("grafik-tahapan", f"Ketepatan waktu tahap SOP, {figures.period_text}",
                                      figures.stages, colours) if any(s.judged for s in figures.stages) else None,
    }


# --- the announcement board (papan pengumuman) --------------------------------------------------

def _declared(data: dict, path: tuple, tz) -> datetime | None:
    value = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str):
        return None
    try:
        return parse_waktu(value, tz)
    except ValueError:
        return None


def board_moment(item, tz) -> datetime | None:
    """When a public response reached the public: git's published_at, else responded_at, else
    the declared `tanggapan.waktu`. None without a response."""
    if not item.complaint.response:
        return None
    return (item.evidence.published_at or item.evidence.responded_at
            or _declared(item.complaint.data, ("tanggapan", "waktu"), tz) or item.complaint.received_at)


def board_months(report: Report, policy) -> dict:
    """{(year, month): [ComplaintDeadlines]} of public responses, oldest first in each month."""
    months: dict = {}
    for item in report.complaints:
        if not item.complaint.is_public:
            continue
        moment = board_moment(item, policy.tz)
        if moment is None:
            continue
        local = moment.astimezone(policy.tz)
        months.setdefault((local.year, local.month), []).append((moment, item))
    return {key: [item for _, item in sorted(entries, key=lambda pair: (pair[0], pair[1].complaint.id))]
            for key, entries in sorted(months.items())}


def _sops(policy) -> list[dict]:
    return [{"nomor": sop.get("nomor", ""), "judul": sop.get("judul", ""), "revisi": sop.get("revisi", ""),
             "kanal": list(sop.get("kanal") or [])} for sop in policy.data.get("sop") or []]


def board_view(year: int, month: int, items: list, policy, render_md=None) -> dict:
    """One month of the board: public fields only (privacy.public_view)."""
    from pipeline.records.privacy import public_view
    render_md = render_md or _markdown_renderer()
    tz = policy.tz
    sops = _sops(policy)
    entries = []
    for item in items:
        public = public_view(item.complaint)
        plan = public.get("rencana_tindak_lanjut") or {}
        response = public.get("tanggapan") or {}
        moment = board_moment(item, tz)
        sop = next((s for s in sops if public["kanal"] in s["kanal"]), None)
        done = _declared(public, ("rencana_tindak_lanjut", "selesai"), tz)
        entries.append({
            "id": public["id"], "judul": public["judul"],
            "diterima": _date_of(item.complaint.received_at, tz),
            "kanal": channel_label(public["kanal"], policy), "unit": policy.unit_name(public["unit"]),
            "jenis": KIND_LABELS.get(public["jenis"], public["jenis"]),
            "ringkasan_html": render_md(public.get("ringkasan")),
            "tanggapan_html": render_md(response.get("isi")),
            "disetujui_oleh": response.get("disetujui_oleh", ""),
            "diumumkan": _date_of(moment, tz),
            "rencana_html": render_md(plan.get("isi")) if plan else "",
            "rencana_selesai": _date_of(done, tz) if done else "",
            "rencana_target": _iso_date_text(plan.get("target")) if plan.get("target") else "",
            "sop": sop["nomor"] if sop else "",
        })
    identity = policy.data.get("puskesmas") or {}
    last_day = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
    return {
        "tahun": year, "bulan": month, "bulan_teks": f"{MONTHS[month - 1]} {year}",
        "puskesmas": identity, "nama": policy.name, "sop": sops, "entri": entries,
        "kota": identity.get("kota", ""), "kepala": identity.get("kepala", ""),
        "tanggal_akhir": date_text(last_day), "zona": zone_label(tz),
    }


def _date_of(moment: datetime | None, tz) -> str:
    return date_text(moment.astimezone(tz).date()) if moment else ""


def _iso_date_text(value: str) -> str:
    try:
        return date_text(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _markdown_renderer():
    """The site's sanitising Markdown renderer (nh3 allowlist)."""
    from pipeline.outputs.markup import MarkdownRenderer
    return MarkdownRenderer()


# --- site pages ---------------------------------------------------------------------------------

@dataclass
class Page:
    save_as: str          # path in the output, e.g. rekap/2026/index.html
    url: str              # e.g. rekap/2026/
    template: str         # a template of theme/templates
    context: dict         # variables for the template (never SITE, FILTERS, SITEURL)
    current: str = ""     # which menu entry is current


BOARD_CSS = "tema/print-board.css"     # where write_assets puts the board's stylesheet


def write_assets(output_dir, theme=None) -> list[Path]:
    """Copy the board's print stylesheet (theme/static/css/print-board.css of `theme`, else of this
    project) to BOARD_CSS in the output. The site copies no theme static file by itself
    (THEME_STATIC_PATHS = []), so the plugin calls this once per build."""
    source = Path(theme or THEME) / "static" / "css" / "print-board.css"
    if not source.is_file():
        source = THEME / "static" / "css" / "print-board.css"
    target = Path(output_dir) / BOARD_CSS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    return [target]


def site_pages(report: Report, policy, *, site: dict | None = None, render_md=None,
               board_css: str = BOARD_CSS) -> list[Page]:
    """Every page of the recap, the board and the open-data documentation.

    rekap/ (this year), rekap/<year>/ for every year with complaints; papan/ (the list of months)
    and papan/<yyyy>-<mm>/ (one printable A4 page per month of public responses); data/ (the open
    data files and their fields). `site` is the site's SITE dict (for its colours).
    """
    from pipeline.outputs import opendata
    colours = {}
    if site:
        colours = {"met": site.get("utama") or COLOURS["met"], "breached": site.get("aksen") or COLOURS["breached"]}
    this_year = local_year(report.now, policy.tz)
    figures = {year: compute(report, year, policy=policy) for year in
               sorted({local_year(item.complaint.received_at, policy.tz) for item in report.complaints}
                      | {this_year}, reverse=True)}
    years = [{"tahun": year, "url": f"rekap/{year}/", "jumlah": figures[year].total} for year in figures]
    pages = []
    for year, figure in figures.items():
        view = recap_view(figure, colours)
        context = {"rekap": view, "tahun_tersedia": years, "tahun_ini": year == this_year}
        pages.append(Page(f"rekap/{year}/index.html", f"rekap/{year}/", "recap.html", context, "rekap/"))
        if year == this_year:
            pages.append(Page("rekap/index.html", "rekap/", "recap.html", context, "rekap/"))
    render_md = render_md or _markdown_renderer()
    months = board_months(report, policy)
    listing = []
    for (year, month), items in sorted(months.items(), reverse=True):
        slug = f"papan/{year}-{month:02d}/"
        board = board_view(year, month, items, policy, render_md)
        pages.append(Page(slug + "index.html", slug, "papan.html", {"papan": board, "papan_css": board_css}, "papan/"))
        listing.append({"url": slug, "judul": board["bulan_teks"], "jumlah": len(items)})
    pages.append(Page("papan/index.html", "papan/", "papan_daftar.html",
                      {"bulan_papan": listing, "sop": _sops(policy)}, "papan/"))
    pages.append(Page("data/index.html", "data/", "recap_data.html",
                      {"berkas_data": opendata.documentation(policy)}, "data/"))
    return pages


def render_page(page: Page, site: dict, siteurl: str = "", menu=None) -> str:
    """A page rendered with the theme's templates outside Pelican (tests, previews)."""
    from jinja2 import Environment, FileSystemLoader
    env = Environment(loader=FileSystemLoader(str(THEME / "templates")), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    template = env.get_template(page.template)
    return template.render(SITE=site, SITEURL=siteurl, MENU=menu or [], pages=[], current=page.current,
                           **page.context)


def site_defaults(policy) -> dict:
    """A SITE dict like the site plugin's (for render_page outside Pelican)."""
    identity = policy.data.get("puskesmas") or {}
    colours = identity.get("warna") or {}
    return {"judul": "Respon Pengaduan Pelayanan", "puskesmas": identity, "nama": policy.name, "logo": None,
            "utama": colours.get("utama", COLOURS["met"]), "aksen": colours.get("aksen", COLOURS["breached"]),
            "base_url": "", "feed": "feeds/tanggapan.atom.xml", "css": "tema/situs.css"}


# --- the accreditation spreadsheet --------------------------------------------------------------

PRIVATE_LABELS = {
    "pelapor.nama": "Nama pelapor", "pelapor.kontak": "Kontak pelapor", "pelapor.alamat": "Alamat pelapor",
    "pelapor.anonim": "Pelapor anonim", "pelapor.catatan": "Catatan tentang pelapor",
    "lapor_tim.petugas": "Petugas yang melapor ke tim", "rapat.peserta": "Peserta rapat",
    "rapat.catatan": "Notulen rapat", "tanggapan.petugas": "Petugas yang menyampaikan tanggapan",
    "catatan_internal": "Catatan internal", "privasi_diperiksa": "Fragmen teks yang sudah diperiksa",
}
HIDDEN = "(dirahasiakan)"


def _naive_local(moment: datetime | None, tz):
    """Excel has no time zones: the wall time in the policy's zone (the header names the zone)."""
    return moment.astimezone(tz).replace(tzinfo=None) if moment else None


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _append(sheet, values: list) -> list:
    """Write the next row; its texts stay texts ("=..." typed by a reporter is never a formula).

    Returns the row's cells. The row counter is kept on the sheet object: openpyxl's max_row
    scans every cell, which made writing n rows cost n^2.
    """
    row = getattr(sheet, "_pengaduan_rows", 0) + 1
    sheet._pengaduan_rows = row
    cells = []
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if cell.data_type == "f":
            cell.data_type = "s"
        cells.append(cell)
    return cells


def workbook_columns(policy, include_private: bool) -> list[tuple]:
    """(header, getter(item, public, tz) -> value, kind, identifying) for the complaints sheet.

    kind is "time" (a datetime cell) or "text". `identifying` columns are blanked as
    "(dirahasiakan)" on rows of confidential complaints unless private data is included.
    """
    from pipeline.outputs.opendata import private_paths
    tz = policy.tz
    zone = zone_label(tz)

    def data(path):
        return lambda item, public: _get(public, path)

    def declared(path):
        return lambda item, public: _declared(public, path, tz)

    columns = [
        ("ID", lambda item, public: item.complaint.id, "text", True),
        ("Judul", data(("judul",)), "text", True),
        ("Kerahasiaan", lambda item, public: item.complaint.data.get("kerahasiaan", "terbuka"), "text", False),
        ("Kanal", lambda item, public: channel_label(item.complaint.data["kanal"], policy), "text", False),
        ("Unit", lambda item, public: policy.unit_name(item.complaint.data["unit"]), "text", False),
        ("Jenis", lambda item, public: KIND_LABELS.get(item.complaint.data["jenis"]), "text", False),
        ("Status", lambda item, public: STATUS_LABELS.get(item.complaint.status), "text", False),
        (f"Diterima ({zone})", lambda item, public: item.complaint.received_at, "time", False),
        (f"Dicatat, bukti git ({zone})", lambda item, public: item.evidence.recorded_at, "time", False),
        (f"Dijawab, bukti git ({zone})", lambda item, public: item.evidence.responded_at, "time", False),
        (f"Dipublikasikan, bukti git ({zone})", lambda item, public: item.evidence.published_at, "time", False),
    ]
    for stage in policy.stages:
        if stage.limit_hours is None:
            continue
        columns += [
            (f"{stage.name}: batas ({zone})", _stage_getter(stage.id, "due_at"), "time", False),
            (f"{stage.name}: penilaian", _stage_getter(stage.id, "status"), "text", False),
        ]
    columns += [
        ("Ringkasan", data(("ringkasan",)), "text", True),
        ("Diteruskan ke", lambda item, public: "; ".join(policy.unit_name(unit) for unit in
                                                         public.get("diteruskan_ke") or []) or None, "text", False),
        ("Rencana tindak lanjut", data(("rencana_tindak_lanjut", "isi")), "text", True),
        ("Penanggung jawab tindak lanjut",
         lambda item, public: policy.unit_name(_get(public, ("rencana_tindak_lanjut", "penanggung_jawab")))
         if _get(public, ("rencana_tindak_lanjut", "penanggung_jawab")) else None, "text", False),
        ("Target tindak lanjut", data(("rencana_tindak_lanjut", "target")), "text", False),
        (f"Tindak lanjut selesai ({zone})", declared(("rencana_tindak_lanjut", "selesai")), "time", False),
        ("Hasil tindak lanjut", data(("rencana_tindak_lanjut", "hasil")), "text", True),
        ("Tanggapan", data(("tanggapan", "isi")), "text", True),
        (f"Tanggapan disampaikan, menurut berkas ({zone})", declared(("tanggapan", "waktu")), "time", False),
        ("Tanggapan melalui", lambda item, public: channel_label(_get(public, ("tanggapan", "kanal")), policy)
         if _get(public, ("tanggapan", "kanal")) else None, "text", False),
        ("Disetujui oleh", data(("tanggapan", "disetujui_oleh")), "text", False),
        (f"Disetujui pada ({zone})", declared(("tanggapan", "disetujui_pada")), "time", False),
    ]
    if include_private:
        for path, _ in private_paths():
            dotted = ".".join(path)
            columns.append((f"{PRIVATE_LABELS.get(dotted, dotted)} [PRIBADI]",
                            (lambda path: lambda item, public: _get(item.complaint.data, path))(path),
                            "text", True))
        columns.append(("Catatan kerja (isi berkas) [PRIBADI]",
                        lambda item, public: item.complaint.body or None, "text", True))
    return columns


def _get(data, path):
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _stage_getter(stage_id: str, attribute: str):
    def get(item, public):
        for result in item.stages:
            if result.stage.id == stage_id:
                value = getattr(result, attribute)
                return JUDGEMENTS.get(value, value) if attribute == "status" else value
        return None
    return get


def write_workbook(path, report: Report, policy, start: date, end: date,
                   include_private: bool = False) -> Figures:
    """The accreditation evidence as an .xlsx file (the file must not exist yet).

    Sheet "Pengaduan": every complaint received in the period, one row each. Without
    `include_private` only public fields are written, and confidential complaints are counted rows
    whose identifying text (id, title, summary, response, plan) reads "(dirahasiakan)". With it,
    every field is written, the sheet titles and a banner row on every sheet say
    "MEMUAT DATA PRIBADI". Sheet "Rekap": totals per channel, unit, month, type, status and SOP
    stage. Sheet "Keterangan": how the figures are defined.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from pipeline.records.privacy import public_view

    path = Path(path)
    tz = policy.tz
    figures = compute(report, policy=policy, start=start, end=end)
    items = select(report, policy, start, end)
    book = Workbook()
    bold = Font(bold=True)
    banner_font = Font(bold=True, color="FFFFFF", size=12)
    banner_fill = PatternFill("solid", fgColor="A11D1D")
    suffix = f" {PRIVATE_BANNER}" if include_private else ""
    title = (f"Rekap Pengaduan {policy.name}, {date_text(start)} s.d. {date_text(end)} "
             f"(ref {report.ref}, per {format_local(report.now, tz)})")
    banner = (f"{PRIVATE_BANNER}: berkas ini memuat identitas pelapor dan catatan internal. Jangan dibagikan; "
              "simpan sesuai ketentuan kerahasiaan." if include_private else
              "Hanya kolom publik. Pengaduan rahasia dihitung, tetapi judul, nomor dan isinya ditulis "
              f"\"{HIDDEN}\".")

    def head(sheet, columns_count: int) -> None:
        _append(sheet, [title])[0].font = Font(bold=True, size=12)
        cell = _append(sheet, [banner])[0]
        if include_private:
            cell.font, cell.fill = banner_font, banner_fill
            for column in range(2, max(2, columns_count) + 1):
                sheet.cell(row=2, column=column).fill = banner_fill
        else:
            cell.font = Font(italic=True)

    # Sheet 1: every complaint of the period.
    sheet = book.active
    sheet.title = ("Pengaduan" + suffix)[:31]
    columns = workbook_columns(policy, include_private)
    head(sheet, len(columns) + 1)
    for cell in _append(sheet, ["No"] + [header for header, *_ in columns]):
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, item in enumerate(items, start=1):
        public = public_view(item.complaint)
        hide = not include_private and not item.complaint.is_public
        row = [number]
        for header, getter, kind, identifying in columns:
            if hide and identifying:
                row.append(HIDDEN)
                continue
            value = getter(item, public)
            row.append(_naive_local(value, tz) if kind == "time" else _text(value))
        for cell, (header, getter, kind, identifying) in zip(_append(sheet, row)[1:], columns):
            if kind == "time":
                cell.number_format = "yyyy-mm-dd hh:mm"
    header_row = 3
    for index, (header, getter, kind, identifying) in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = \
            18 if kind == "time" else (48 if identifying else 20)
    sheet.column_dimensions["A"].width = 5
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    if items:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns) + 1)}{header_row + len(items)}"

    # Sheet 2: totals.
    totals = book.create_sheet(("Rekap" + suffix)[:31])
    head(totals, 7)
    for cell in _append(totals, ["Tabel", "Kunci", "Uraian", "Jumlah", "Dari", "Persen", "Nilai"]):
        cell.font = bold
    for row in figure_rows(figures):
        cells = _append(totals, [row["tabel"], row["kunci"], row["label"], row["jumlah"], row["dari"],
                                 None if row["persen"] is None else row["persen"] / 100, row["nilai"]])
        cells[5].number_format = "0%"
    for letter, width in zip("ABCDEFG", (18, 30, 44, 10, 10, 10, 10)):
        totals.column_dimensions[letter].width = width

    # Sheet 3: definitions.
    notes = book.create_sheet(("Keterangan" + suffix)[:31])
    head(notes, 1)
    for line in DEFINITIONS:
        _append(notes, [line])
    notes.column_dimensions["A"].width = 120
    book.properties.title = (PRIVATE_BANNER + " - " if include_private else "") + title
    book.properties.creator = "pengaduan recap"
    with path.open("xb") as handle:   # never overwrite: the caller checked, "x" makes sure
        book.save(handle)
    return figures


DEFINITIONS = [
    "Periode: pengaduan dihitung menurut tanggal diterima, dalam zona waktu Puskesmas.",
    "Waktu dicatat, dijawab dan dipublikasikan adalah bukti dari riwayat git, bukan waktu yang ditulis di berkas: "
    "dicatat = commit pertama berkas pengaduan; dijawab = commit pertama yang memuat tanggapan; "
    "dipublikasikan = commit yang membawa tanggapan ke cabang utama (merge pull request).",
    "Batas tahap dihitung dalam jam kerja pada hari kerja saja (libur nasional, cuti bersama dan libur "
    "daerah tidak dihitung).",
    "Penilaian tahap: tepat waktu (selesai sebelum batas), terlambat (selesai setelah batas), lewat batas "
    "(belum selesai dan batas sudah lewat), berjalan (belum selesai, batas belum lewat).",
    "Persentase tepat waktu = tepat waktu / (tepat waktu + terlambat + lewat batas); tahap yang masih "
    "berjalan belum dinilai.",
    "Median waktu: dari diterima sampai bukti git tahap itu, untuk pengaduan yang sudah punya bukti.",
    "Ditanggapi: pengaduan yang sudah memiliki tanggapan. Rencana tindak lanjut terlaksana: dari pengaduan "
    "dengan rencana tindak lanjut, yang sudah diisi waktu selesainya.",
    "Persentase dibulatkan ke bilangan bulat terdekat (setengah ke atas).",
    "Pengaduan rahasia ikut dihitung. Tanpa --include-private, nomor, judul, ringkasan, tanggapan dan isi "
    f"rencana tindak lanjutnya ditulis \"{HIDDEN}\".",
]
