"""Working days and SOP deadlines such as "1x24 jam di hari kerja".

The rule: a limit of N hours is N hours of time that elapses only on working days. A working day
is a local day (in the policy's time zone: WIB, WITA or WIT) that is

* one of the policy's weekdays (default Monday to Friday), and
* not an Indonesian national public holiday or cuti bersama (from the `holidays` package), and
* not one of the policy's own extra holidays,

unless the policy lists it as an extra working day, which makes it a working day whatever else
it is. A complaint received on a non-working day starts its clock at 00:00 of the next working
day. The due time is the earliest instant at which the elapsed working time equals the limit, so
a limit that runs out exactly at midnight is due at that midnight (shown as 00:00 of the next
day), even when the next day is not a working day.

Durations are measured in real (UTC) time, so a day is as long as the zone makes it; Indonesian
zones have no daylight saving, so every day there is 24 hours.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from pipeline.evidence import checkedjson
from pipeline.records.policy import Policy

_DAY = timedelta(days=1)
_DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
# "government" holds the cuti bersama (joint leave days) that civil servants, and so Puskesmas, take off.
_CATEGORIES = ("public", "government")
# A policy with no working day at all would make the search for one run forever.
_MAX_SCAN_DAYS = 3 * 366


class WorkCalendar:
    """Working days of one policy; cheap to query many times (lookups are cached per day and year).

    Treat an instance as immutable: cached answers would go stale if its settings changed.
    """

    def __init__(self, tz: ZoneInfo, weekdays=frozenset({0, 1, 2, 3, 4}), national_holidays: bool = True,
                 extra_holidays: Mapping[date, str] | None = None,
                 extra_workdays: Mapping[date, str] | None = None):
        self.tz = tz
        self.weekdays = frozenset(weekdays)  # Monday = 0
        self.national_holidays = national_holidays
        self.extra_holidays = dict(extra_holidays or {})
        self.extra_workdays = dict(extra_workdays or {})
        self._national_by_year: dict[int, dict[date, str]] = {}
        self._is_working: dict[date, bool] = {}
        self._counts_by_year: dict[int, list[int]] = {}

    @classmethod
    def from_policy(cls, policy: Policy) -> WorkCalendar:
        return cls(policy.tz, policy.weekdays, policy.national_holidays,
                   policy.extra_holidays, policy.extra_workdays)

    # --- days ------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        if isinstance(day, datetime):
            # A datetime's day depends on the zone; silently using its wall date would be a bug.
            raise TypeError("is_working_day expects a date; use clock_start() for an instant")
        known = self._is_working.get(day)
        if known is None:
            known = self._is_working[day] = day in self.extra_workdays or (
                day.weekday() in self.weekdays
                and day not in self.extra_holidays
                and self._national_holiday(day) is None)
        return known

    def day_off_reason(self, day: date) -> str | None:
        """None on a working day; else why it is off, in Indonesian, most specific reason first."""
        if self.is_working_day(day):
            return None
        return (self.extra_holidays.get(day) or self._national_holiday(day)
                or _DAY_NAMES[day.weekday()])

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        candidate = day
        for _ in range(_MAX_SCAN_DAYS):
            candidate += _DAY
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"Tidak ada hari kerja dalam 3 tahun setelah {day.isoformat()}: "
                         "periksa hari_kerja dan hari_kerja_tambahan di kebijakan.")

    # --- instants --------------------------------------------------------------------------

    def clock_start(self, moment: datetime) -> datetime:
        """When the SOP clock starts for something received at `moment`."""
        local = self._local(moment)
        if self.is_working_day(local.date()):
            return local
        return self._midnight(self.next_working_day(local.date()))

    def due(self, start: datetime, hours: float) -> datetime:
        """The earliest instant at which `hours` working hours have elapsed since `start`."""
        moment = self.clock_start(start)
        if hours <= 0:
            return moment
        remaining = timedelta(hours=hours)
        while True:
            # `moment` is always on a working day here: spend what is left of that day.
            day_end = self._midnight(moment.date() + _DAY)
            available = _elapsed(moment, day_end)
            if remaining <= available:  # "<=": a limit ending at midnight is due at that midnight
                return (moment.astimezone(timezone.utc) + remaining).astimezone(self.tz)
            remaining -= available
            moment = self._midnight(self.next_working_day(moment.date()))

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours elapsed from `start` to `end`; 0 if `end` is not after `start`."""
        start, end = self._local(start), self._local(end)
        if end <= start:
            return 0.0
        first, last = start.date(), end.date()
        total = self._part_of_day(first, start, end)
        if last > first:
            total += self._part_of_day(last, start, end)
            total += self._full_days(first + _DAY, last)
        return total.total_seconds() / 3600

    def _part_of_day(self, day: date, start: datetime, end: datetime) -> timedelta:
        """The part of [start, end) that falls on `day`, if it is a working day."""
        if not self.is_working_day(day):
            return timedelta()
        return _elapsed(max(start, self._midnight(day)), min(end, self._midnight(day + _DAY)))

    def _full_days(self, first: date, stop: date) -> timedelta:
        """Working time of the whole days first .. stop-1. Counted, not walked, when every day of
        the span is 24 hours long (Indonesian zones have kept their offsets since 1988)."""
        if stop <= first:
            return timedelta()
        begin, finish = self._midnight(first), self._midnight(stop)
        if begin.utcoffset() == finish.utcoffset():
            return self._count_working_days(first, stop) * _DAY
        return sum((_elapsed(self._midnight(day), self._midnight(day + _DAY))
                    for day in _days(first, stop) if self.is_working_day(day)), timedelta())

    def _count_working_days(self, first: date, stop: date) -> int:
        """Working days in [first, stop), from per-year running counts."""
        if first.year == stop.year:
            counts = self._running_count(first.year)
            return counts[_day_index(stop)] - counts[_day_index(first)]
        counts = self._running_count(first.year)
        total = counts[-1] - counts[_day_index(first)]
        for year in range(first.year + 1, stop.year):
            total += self._running_count(year)[-1]
        return total + self._running_count(stop.year)[_day_index(stop)]

    def _running_count(self, year: int) -> list[int]:
        """counts[i]: working days among the first i days of `year` (counts[-1]: the whole year)."""
        counts = self._counts_by_year.get(year)
        if counts is None:
            counts = [0]
            for day in _days(date(year, 1, 1), date(year + 1, 1, 1)):
                counts.append(counts[-1] + self.is_working_day(day))
            self._counts_by_year[year] = counts
        return counts

    # --- helpers ---------------------------------------------------------------------------

    def _local(self, moment: datetime) -> datetime:
        # A naive time has no instant; guessing its zone would shift deadlines by hours.
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"Waktu {moment.isoformat()} tidak punya zona waktu "
                             "(contoh: 2026-01-05T09:30:00+07:00).")
        return moment.astimezone(self.tz)

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.tz)

    def _national_holiday(self, day: date) -> str | None:
        if not self.national_holidays:
            return None
        names = self._national_by_year.get(day.year)
        if names is None:
            names = self._national_by_year[day.year] = HOLIDAYS.of_year(day.year)
        return names.get(day)


class HolidayStore:
    """Indonesia's national holidays and cuti bersama per year, as the `holidays` package gives
    them, in plain dicts (fast lookups, no auto-expansion). The package imports all of its ~250
    countries on first use (0.15 s), so a site build keeps the years it asked for in its cache
    (`use_file`), for that version of the package only."""

    def __init__(self):
        self.years: dict[int, dict[date, str]] = {}
        self.path = None
        self.changed = False

    def of_year(self, year: int) -> dict[date, str]:
        found = self.years.get(year)
        if found is None:
            import holidays  # here: `check` validates without ever needing the calendar
            language = "id" if "id" in getattr(holidays.ID, "supported_languages", ()) else None
            found = self.years[year] = dict(holidays.country_holidays(
                "ID", years=year, categories=_CATEGORIES, language=language))
            self.changed = True
        return found

    def use_file(self, path) -> None:
        """Take the years kept in `path` (a checked file; damaged or of another version: none)."""
        self.path = path
        data = checkedjson.load(path)
        try:
            if data["version"] == _package_version():
                for year, days in data["years"].items():
                    self.years.setdefault(int(year), {date.fromisoformat(day): str(name) for day, name in days})
        except (KeyError, TypeError, ValueError, AttributeError):
            pass

    def save(self) -> None:
        if self.path is not None and self.changed:
            checkedjson.save(self.path, {"version": _package_version(), "years": {
                str(year): [[day.isoformat(), name] for day, name in sorted(days.items())]
                for year, days in self.years.items()}}, ".holidays-")
            self.changed = False


def _package_version() -> str:
    from importlib.metadata import version
    return version("holidays")


HOLIDAYS = HolidayStore()


def _days(first: date, stop: date):
    day = first
    while day < stop:
        yield day
        day += _DAY


def _day_index(day: date) -> int:
    return day.timetuple().tm_yday - 1


def _elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time from start to end (never negative).

    Subtracting two datetimes of the same zone compares wall clocks; going through UTC measures
    the real time even where a zone changes its offset.
    """
    return max(end.astimezone(timezone.utc) - start.astimezone(timezone.utc), timedelta())
