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
* On time, per stage with a limit: met / (met + breached + overdue + not verified). A stage
  whose time is doubted (any plausibility flag: `report.plausibility`) is counted as "waktu
  belum terverifikasi", never as on time or late: its own count, in the share's denominator. A
  stage still running and not yet due ("berjalan") is not judged yet and is left out of the share
  (its count is shown).
* Median time per stage: from `diterima` to the stage's judged time (`done_at`: the trusted
  timestamp when one proves it, else git's), over the complaints where that time exists and is
  not flagged, in working hours (the SOP's own clock) and in calendar time. A stage without a
  limit (publication) is measured by its git evidence.
* Percentages are rounded half up to whole numbers and always shown with their counts:
  "50% (1 dari 2)".

Shown by `outputs.recap_pages` (the site's /rekap/ pages), `outputs.recap_tables` (JSON, CSV),
`outputs.workbook` (the accreditation spreadsheet) and `pengaduan recap`.
"""
from __future__ import annotations

import statistics
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from pipeline.records.labels import (ENGINE_STATES, KIND_LABELS, STATUS_LABELS, UNVERIFIED, channel_label,
                                     stage_state_label)
from pipeline.records.timeutil import MONTHS, date_text
from pipeline.report.deadlines import Report
from pipeline.report.workcalendar import WorkCalendar
from pipeline.records.policy import Policy

# The engine's stage judgements in the one public vocabulary (records.labels.STAGE_STATES), and
# "unverified": a flagged stage, whatever the engine's status (its time is not certain).
UNVERIFIED_KEY = "unverified"
JUDGEMENTS = OrderedDict([*((code, stage_state_label(code).lower()) for code in ("met", "breached", "overdue", "pending")),
                          (UNVERIFIED_KEY, stage_state_label(UNVERIFIED).lower())])
# Each judgement's public code (the CSS class of its bar, the open data's word).
STATE_CODES = {**ENGINE_STATES, UNVERIFIED_KEY: UNVERIFIED}


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
    on_time: Share | None  # met of the judged (met + breached + overdue + unverified); None without a limit
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


def year_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def local_year(moment: datetime, tz) -> int:
    return moment.astimezone(tz).year


def _items(source) -> tuple[list, bool]:
    """(entries, has_stage_results): entries are (complaint, ComplaintDeadlines or None)."""
    if isinstance(source, Report):
        return [(item.complaint, item) for item in source.complaints], source.judged
    raise TypeError("compute() expects a deadlines.Report: the recap counts what the one report holds")


def in_period(complaint, start: date, end: date, tz) -> bool:
    day = complaint.received_at.astimezone(tz).date()
    return start <= day <= end


def select(report: Report, policy: Policy, start: date, end: date) -> list:
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


def compute(source, year: int | None = None, *, policy: Policy | None = None, start: date | None = None,
            end: date | None = None, kept_measures=None) -> Figures:
    """The recap figures of one calendar `year`, or of the period [start, end] (local dates).

    `source` is a `deadlines.Report` (stage figures from git evidence; pass `policy`). Without year
    and period: the year of the report's `now`. `kept_measures(item, make)`, if given, may return
    what `make()` (`stage_measures`) returned for the same complaint in an earlier build.
    """
    entries, has_stages = _items(source)
    now, ref = source.now, source.ref
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
        timezone=policy.timezone_name, total=total,
        public=sum(c.is_public for c in complaints), confidential=sum(not c.is_public for c in complaints),
        months=months, channels=channels, units=units, kinds=kinds, statuses=statuses,
        answered=Share(sum(bool(c.response) for c in complaints), total),
        with_plan=Share(len(plans), total),
        plan_done=Share(sum(bool(plan.get("selesai")) for plan in plans), len(plans)),
        stages=_stage_figures(chosen, policy, kept_measures) if has_stages else [],
        evidence=has_stages and any(item.evidence.recorded_at for _, item in entries),
        years=years,
    )
    return figures


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def stage_measures(complaint, item, policy: Policy, calendar: WorkCalendar) -> tuple:
    """What one complaint gives the stage figures: for each stage of the policy, (the judgements
    it counts, the working hours and the hours from `diterima` to its judged time, or None). Made
    from the complaint's file and its marks only: the site build keeps it by its view's key."""
    measures = []
    for stage in policy.stages:
        results = [result for result in item.stages if result.stage.id == stage.id]
        counted = tuple(UNVERIFIED_KEY if result.flags else result.status for result in results)
        if results:   # the judged time, only when nothing casts doubt on it
            done = results[0].done_at if not results[0].flags else None
        else:
            done = getattr(item.evidence, stage.evidence, None)
        if done is None:
            measures.append((counted, None, None))
        else:
            received = complaint.received_at
            # (a flagged time earlier than diterima is left out above: only an unflagged
            # difference within the tolerance can be below zero)
            measures.append((counted, calendar.working_hours_between(received, done),
                             max(0.0, (done - received).total_seconds() / 3600)))
    return tuple(measures)


def _stage_figures(chosen: list, policy: Policy, kept_measures=None) -> list[StageFigure]:
    calendar = WorkCalendar.from_policy(policy)

    def measure(complaint, item) -> tuple:
        if kept_measures is None:
            return stage_measures(complaint, item, policy, calendar)
        return kept_measures(item, lambda: stage_measures(complaint, item, policy, calendar))
    per_item = [measure(complaint, item) for complaint, item in chosen]
    figures = []
    for index, stage in enumerate(policy.stages):
        counts = dict.fromkeys(JUDGEMENTS, 0) if stage.limit_hours is not None else {}
        working, calendar_hours = [], []
        for measures in per_item:
            counted, hours_working, hours = measures[index]
            for key in counted:
                counts[key] += 1
            if hours_working is not None:
                working.append(hours_working)
                calendar_hours.append(hours)
        judged = sum(counts.get(key, 0) for key in ("met", "breached", "overdue", UNVERIFIED_KEY))
        figures.append(StageFigure(
            id=stage.id, name=stage.name, limit_hours=stage.limit_hours, counts=counts,
            on_time=Share(counts["met"], judged) if stage.limit_hours is not None else None,
            measured=len(working), median_working_hours=_median(working),
            median_hours=_median(calendar_hours), source=stage.source))
    return figures
