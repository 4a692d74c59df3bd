"""WorkCalendar against hand-computed due times.

Every expected value is a literal worked out by hand (the arithmetic is in the comments); results
are compared as ISO strings so that both the instant and the zone it is shown in are checked.

Calendar facts used (from the `holidays` package, categories public + government):
  2026-01-09 Fri, 10 Sat, 11 Sun, 12 Mon, 13 Tue are plain days; 2026-01-16 Fri is Isra Mikraj.
  2026-03-18 cuti bersama Nyepi, 19 Nyepi, 20 cuti bersama Idul Fitri, 21-22 Idul Fitri (Sat, Sun),
  23-24 cuti bersama Idul Fitri: so after Tue 2026-03-17 the next working day is Wed 2026-03-25.
  2026-12-31 Thu is a working day (no cuti bersama); 2027-01-01 Fri is Tahun Baru Masehi;
  2027-01-05 Tue is Isra Mikraj.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from pipeline.evidence import checkedjson
from pipeline.report import workcalendar
from pipeline.report.workcalendar import WorkCalendar

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar(WIB)


# --- the spec's examples and the boundaries around midnight ---------------------------------

def test_friday_afternoon_skips_the_weekend(cal):
    # Fri 15:00-24:00 = 9 h, Sat and Sun skipped, Mon gives the other 15 h.
    assert iso(cal.due(wib(2026, 1, 9, 15), 24)) == "2026-01-12T15:00:00+07:00"


def test_received_saturday_starts_monday_midnight(cal):
    assert iso(cal.clock_start(wib(2026, 1, 10, 10))) == "2026-01-12T00:00:00+07:00"
    # Mon 00:00 + 24 h: the earliest instant is Tue 00:00 (never "Mon 24:00").
    assert iso(cal.due(wib(2026, 1, 10, 10), 24)) == "2026-01-13T00:00:00+07:00"


def test_received_sunday_2359(cal):
    assert iso(cal.clock_start(wib(2026, 1, 11, 23, 59))) == "2026-01-12T00:00:00+07:00"
    assert iso(cal.due(wib(2026, 1, 11, 23, 59), 24)) == "2026-01-13T00:00:00+07:00"
    assert iso(cal.due(wib(2026, 1, 11, 23, 59), 1)) == "2026-01-12T01:00:00+07:00"


def test_received_exactly_at_midnight_of_a_working_day(cal):
    monday = wib(2026, 1, 12)
    assert iso(cal.clock_start(monday)) == "2026-01-12T00:00:00+07:00"
    assert iso(cal.due(monday, 8)) == "2026-01-12T08:00:00+07:00"
    assert iso(cal.due(monday, 24)) == "2026-01-13T00:00:00+07:00"
    assert iso(cal.due(monday, 48)) == "2026-01-14T00:00:00+07:00"


def test_limit_ending_at_midnight_before_a_weekend_is_that_midnight(cal):
    # Fri 00:00 + 24 h ends at Fri 24:00 = Sat 00:00, not Mon 00:00 or Tue 00:00.
    assert iso(cal.due(wib(2026, 1, 9), 24)) == "2026-01-10T00:00:00+07:00"
    # Thu 12:00-24:00 = 12 h, Fri = 24 h: 36 h run out at Sat 00:00.
    assert iso(cal.due(wib(2026, 1, 8, 12), 36)) == "2026-01-10T00:00:00+07:00"
    # One more minute of limit has to wait for Monday.
    assert iso(cal.due(wib(2026, 1, 8, 12), 36 + 1 / 60)) == "2026-01-12T00:01:00+07:00"


def test_limit_ending_at_midnight_before_a_holiday_is_that_midnight(cal):
    # Thu 2026-01-15 00:00 + 24 h = Fri 00:00, although Fri 2026-01-16 is Isra Mikraj.
    assert iso(cal.due(wib(2026, 1, 15), 24)) == "2026-01-16T00:00:00+07:00"


def test_fractional_hours(cal):
    assert iso(cal.due(wib(2026, 1, 12, 9), 1.5)) == "2026-01-12T10:30:00+07:00"


def test_zero_or_negative_hours_give_the_clock_start(cal):
    assert iso(cal.due(wib(2026, 1, 12, 9), 0)) == "2026-01-12T09:00:00+07:00"
    assert iso(cal.due(wib(2026, 1, 10, 9), 0)) == "2026-01-12T00:00:00+07:00"
    assert iso(cal.due(wib(2026, 1, 10, 9), -5)) == "2026-01-12T00:00:00+07:00"


# --- national holidays ------------------------------------------------------------------------

def test_nyepi_and_idul_fitri_2026_block_days(cal):
    assert cal.is_working_day(date(2026, 3, 17))
    for day in range(18, 25):
        assert not cal.is_working_day(date(2026, 3, day)), day
    assert cal.is_working_day(date(2026, 3, 25))
    assert cal.next_working_day(date(2026, 3, 17)) == date(2026, 3, 25)


def test_nyepi_and_idul_fitri_2026_block_24h(cal):
    # Tue 03-17 10:00-24:00 = 14 h; 03-18..03-24 off; Wed 03-25 gives the other 10 h.
    assert iso(cal.due(wib(2026, 3, 17, 10), 24)) == "2026-03-25T10:00:00+07:00"


def test_nyepi_and_idul_fitri_2026_block_72h(cal):
    # 14 h (Tue 03-17) + 24 (Wed 03-25) + 24 (Thu 03-26) = 62 h; 10 h more on Fri 03-27.
    assert iso(cal.due(wib(2026, 3, 17, 10), 72)) == "2026-03-27T10:00:00+07:00"


def test_year_boundary(cal):
    assert cal.is_working_day(date(2026, 12, 31))
    assert cal.day_off_reason(date(2027, 1, 1)) == "Tahun Baru Masehi"
    # Thu 2026-12-31 20:00-24:00 = 4 h; Fri 01-01 holiday, Sat, Sun; Mon 2027-01-04 gives 20 h.
    assert iso(cal.due(wib(2026, 12, 31, 20), 24)) == "2027-01-04T20:00:00+07:00"
    # 4 h + 24 h (Mon 01-04) = 28 h; Tue 01-05 is Isra Mikraj; Wed 01-06 gives 20 h.
    assert "Isra Mikraj" in cal.day_off_reason(date(2027, 1, 5))
    assert iso(cal.due(wib(2026, 12, 31, 20), 48)) == "2027-01-06T20:00:00+07:00"


def test_national_holidays_can_be_switched_off():
    cal = WorkCalendar(WIB, national_holidays=False)
    assert cal.is_working_day(date(2026, 3, 19))  # Nyepi, a Thursday
    assert cal.day_off_reason(date(2026, 3, 19)) is None
    # Tue 03-17 10:00: 14 h on Tuesday, 10 h on Wednesday.
    assert iso(cal.due(wib(2026, 3, 17, 10), 24)) == "2026-03-18T10:00:00+07:00"


def test_holiday_data_is_loaded_once_per_year_and_lazily(monkeypatch):
    import holidays  # workcalendar imports it on first use: `check` never pays for it
    calls: list[object] = []
    real = holidays.country_holidays

    def counting(*args, **kwargs):
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", counting)
    monkeypatch.setattr(workcalendar, "HOLIDAYS", workcalendar.HolidayStore())   # none asked for yet
    cal = WorkCalendar(WIB)
    assert calls == []
    for hour in range(200):
        cal.due(wib(2026, 3, 1) + timedelta(hours=hour), 24)
    assert calls == [2026]
    cal.due(wib(2026, 12, 31, 20), 24)
    assert calls == [2026, 2027]
    WorkCalendar(WIB).due(wib(2026, 3, 2), 24)   # another calendar of the same process asks no more
    assert calls == [2026, 2027]


def test_holidays_kept_in_a_file_are_the_packages_and_only_for_its_version(tmp_path, monkeypatch):
    """A site build keeps the years it asked for in its cache: the next build takes them from
    there (the package, which imports all of its countries, is not asked), unless the file is
    damaged or was written for another version of the package."""
    import holidays
    kept = tmp_path / "holidays.json"
    first = workcalendar.HolidayStore()
    first.use_file(kept)
    asked = {year: first.of_year(year) for year in (2025, 2026)}
    assert asked[2026][date(2026, 8, 17)] and date(2026, 8, 18) not in asked[2026]
    first.save()
    calls: list = []
    monkeypatch.setattr(holidays, "country_holidays", lambda *args, **kwargs: calls.append(kwargs) or {})
    again = workcalendar.HolidayStore()
    again.use_file(kept)
    assert {year: again.of_year(year) for year in (2025, 2026)} == asked and calls == []
    text = kept.read_text(encoding="utf-8")
    kept.write_text(text.replace("Kemerdekaan", "Kemerdekaan!"), encoding="utf-8")   # its sum no longer matches
    damaged = workcalendar.HolidayStore()
    damaged.use_file(kept)
    damaged.of_year(2026)
    assert len(calls) == 1
    checkedjson.save(kept, {"version": "0.0", "years": {"2026": [["2026-08-18", "Bukan libur"]]}}, ".t-")
    foreign = workcalendar.HolidayStore()
    foreign.use_file(kept)
    foreign.of_year(2026)
    assert len(calls) == 2 and date(2026, 8, 18) not in foreign.of_year(2026)


# --- time zones -------------------------------------------------------------------------------

def test_input_in_utc_or_wita_gives_the_same_result_in_wib(cal):
    # Fri 2026-01-09 15:00 WIB = 08:00 UTC = 16:00 WITA.
    in_utc = datetime(2026, 1, 9, 8, tzinfo=timezone.utc)
    in_wita = datetime(2026, 1, 9, 16, tzinfo=WITA)
    assert iso(cal.due(in_utc, 24)) == "2026-01-12T15:00:00+07:00"
    assert iso(cal.due(in_wita, 24)) == "2026-01-12T15:00:00+07:00"
    assert iso(cal.clock_start(in_utc)) == "2026-01-09T15:00:00+07:00"


def test_utc_friday_evening_is_saturday_in_wib(cal):
    # Fri 20:00 UTC = Sat 03:00 WIB: the WIB day decides, so the clock starts Monday.
    friday_utc = datetime(2026, 1, 9, 20, tzinfo=timezone.utc)
    assert iso(cal.clock_start(friday_utc)) == "2026-01-12T00:00:00+07:00"
    assert iso(cal.due(friday_utc, 24)) == "2026-01-13T00:00:00+07:00"


def test_wita_calendar_uses_wita_days():
    wita = WorkCalendar(WITA)
    wib_cal = WorkCalendar(WIB)
    # Fri 2026-01-09 23:30 WIB = Sat 00:30 WITA.
    received = wib(2026, 1, 9, 23, 30)
    # In WIB it is still Friday: 0.5 h on Friday, 23.5 h on Monday.
    assert iso(wib_cal.due(received, 24)) == "2026-01-12T23:30:00+07:00"
    # In WITA it is Saturday: clock starts Mon 00:00 WITA, due Tue 00:00 WITA.
    assert iso(wita.clock_start(received)) == "2026-01-12T00:00:00+08:00"
    assert iso(wita.due(received, 24)) == "2026-01-13T00:00:00+08:00"


def test_durations_are_real_hours_across_an_offset_change():
    # Not an Indonesian case: Berlin skips 02:00-03:00 on Sun 2026-03-29, a 23-hour day.
    berlin = WorkCalendar(ZoneInfo("Europe/Berlin"), weekdays=range(7), national_holidays=False)
    start = datetime(2026, 3, 29, tzinfo=ZoneInfo("Europe/Berlin"))
    assert iso(berlin.due(start, 24)) == "2026-03-30T01:00:00+02:00"
    assert berlin.working_hours_between(start, datetime(2026, 3, 30, tzinfo=ZoneInfo("Europe/Berlin"))) == 23


def test_naive_datetimes_are_rejected(cal):
    naive = datetime(2026, 1, 9, 15)
    with pytest.raises(ValueError):
        cal.due(naive, 24)
    with pytest.raises(ValueError):
        cal.clock_start(naive)
    with pytest.raises(ValueError):
        cal.working_hours_between(naive, wib(2026, 1, 12))
    with pytest.raises(ValueError):
        cal.working_hours_between(wib(2026, 1, 9), naive)


def test_a_datetime_is_not_a_day(cal):
    with pytest.raises(TypeError):
        cal.is_working_day(wib(2026, 1, 10))


# --- the policy's own days --------------------------------------------------------------------

def test_policy_extra_holiday():
    cal = WorkCalendar(WIB, extra_holidays={date(2026, 1, 12): "Hari jadi Kota Malang"})
    assert not cal.is_working_day(date(2026, 1, 12))
    assert cal.day_off_reason(date(2026, 1, 12)) == "Hari jadi Kota Malang"
    # Fri 9 h; Sat, Sun and the Monday holiday skipped; Tue 15 h.
    assert iso(cal.due(wib(2026, 1, 9, 15), 24)) == "2026-01-13T15:00:00+07:00"


def test_extra_working_day_on_a_saturday():
    cal = WorkCalendar(WIB, extra_workdays={date(2026, 1, 10): "Pelayanan Sabtu"})
    assert cal.is_working_day(date(2026, 1, 10))
    assert cal.day_off_reason(date(2026, 1, 10)) is None
    assert not cal.is_working_day(date(2026, 1, 11))
    # Fri 9 h + Sat 15 h.
    assert iso(cal.due(wib(2026, 1, 9, 15), 24)) == "2026-01-10T15:00:00+07:00"


def test_extra_working_day_overrides_cuti_bersama():
    cal = WorkCalendar(WIB, extra_workdays={date(2026, 3, 18): "Puskesmas buka"})
    # Tue 03-17 14 h + Wed 03-18 10 h.
    assert iso(cal.due(wib(2026, 3, 17, 10), 24)) == "2026-03-18T10:00:00+07:00"
    assert cal.next_working_day(date(2026, 3, 18)) == date(2026, 3, 25)


def test_six_day_week():
    cal = WorkCalendar(WIB, weekdays=frozenset({0, 1, 2, 3, 4, 5}))
    assert cal.is_working_day(date(2026, 1, 10))
    assert cal.day_off_reason(date(2026, 1, 11)) == "Minggu"
    # Fri 9 h + Sat 15 h.
    assert iso(cal.due(wib(2026, 1, 9, 15), 24)) == "2026-01-10T15:00:00+07:00"
    # Sat 10:00-24:00 = 14 h, Sunday off, Mon 10 h.
    assert iso(cal.due(wib(2026, 1, 10, 10), 24)) == "2026-01-12T10:00:00+07:00"


def test_from_policy():
    policy = SimpleNamespace(tz=WITA, weekdays=frozenset({0, 1, 2, 3, 4, 5}), national_holidays=False,
                             extra_holidays={date(2026, 1, 12): "Libur daerah"},
                             extra_workdays={date(2026, 1, 11): "Bakti sosial"})
    cal = WorkCalendar.from_policy(policy)
    assert cal.tz is WITA
    assert cal.is_working_day(date(2026, 1, 10))       # Saturday, a policy weekday
    assert cal.is_working_day(date(2026, 1, 11))       # Sunday, an extra working day
    assert cal.day_off_reason(date(2026, 1, 12)) == "Libur daerah"
    assert cal.is_working_day(date(2026, 3, 19))       # Nyepi, national holidays off


def test_no_working_day_at_all_raises_instead_of_looping():
    cal = WorkCalendar(WIB, weekdays=frozenset(), national_holidays=False)
    with pytest.raises(ValueError, match="hari kerja"):
        cal.due(wib(2026, 1, 9, 15), 24)
    with pytest.raises(ValueError):
        cal.next_working_day(date(2026, 1, 9))


def test_a_working_day_years_away_is_still_found():
    cal = WorkCalendar(WIB, weekdays=frozenset(), national_holidays=False,
                       extra_workdays={date(2028, 6, 1): "Hari kerja khusus"})
    assert cal.next_working_day(date(2026, 1, 9)) == date(2028, 6, 1)


def test_a_single_extra_working_day_is_used_then_the_search_gives_up():
    cal = WorkCalendar(WIB, weekdays=frozenset(), national_holidays=False,
                       extra_workdays={date(2026, 1, 10): "Hari kerja khusus"})
    assert iso(cal.clock_start(wib(2026, 1, 9, 10))) == "2026-01-10T00:00:00+07:00"
    assert iso(cal.due(wib(2026, 1, 9, 10), 24)) == "2026-01-11T00:00:00+07:00"
    with pytest.raises(ValueError):
        cal.due(wib(2026, 1, 9, 10), 25)


# --- reasons and elapsed hours ----------------------------------------------------------------

def test_day_off_reason(cal):
    assert cal.day_off_reason(date(2026, 1, 12)) is None
    assert cal.day_off_reason(date(2026, 1, 10)) == "Sabtu"
    assert cal.day_off_reason(date(2026, 1, 11)) == "Minggu"
    assert cal.day_off_reason(date(2026, 3, 19)) == "Hari Suci Nyepi"
    assert cal.day_off_reason(date(2026, 3, 18)) == "Cuti Bersama Hari Suci Nyepi"
    # A holiday on a Sunday is named by the holiday, not by the weekday.
    assert cal.day_off_reason(date(2026, 3, 22)) == "Hari kedua dari Hari Raya Idul Fitri"


def test_policy_keterangan_wins_over_the_national_name():
    cal = WorkCalendar(WIB, extra_holidays={date(2026, 3, 19): "Libur daerah Nyepi"})
    assert cal.day_off_reason(date(2026, 3, 19)) == "Libur daerah Nyepi"


def test_day_off_reason_names_a_non_policy_weekday():
    cal = WorkCalendar(WIB, weekdays=frozenset({0, 1, 2, 3}), national_holidays=False)
    assert cal.day_off_reason(date(2026, 1, 9)) == "Jumat"


def test_working_hours_between_across_a_weekend(cal):
    assert cal.working_hours_between(wib(2026, 1, 9, 15), wib(2026, 1, 12, 15)) == 24
    # Sat 10:00 to Mon 06:00: only Monday's 6 hours count.
    assert cal.working_hours_between(wib(2026, 1, 10, 10), wib(2026, 1, 12, 6)) == 6
    # Fri 15:00 WIB to Mon 09:00 UTC (= 16:00 WIB): 9 + 16 h.
    assert cal.working_hours_between(wib(2026, 1, 9, 15),
                                     datetime(2026, 1, 12, 9, tzinfo=timezone.utc)) == 25


def test_working_hours_between_across_a_holiday(cal):
    # Tue 03-17 10:00 to Wed 03-25 10:00: 14 + 10 h, the whole block in between is off.
    assert cal.working_hours_between(wib(2026, 3, 17, 10), wib(2026, 3, 25, 10)) == 24
    # Within the block nothing elapses.
    assert cal.working_hours_between(wib(2026, 3, 18, 8), wib(2026, 3, 24, 17)) == 0


def test_working_hours_between_is_zero_when_end_is_not_after_start(cal):
    assert cal.working_hours_between(wib(2026, 1, 12, 15), wib(2026, 1, 12, 15)) == 0
    assert cal.working_hours_between(wib(2026, 1, 12, 15), wib(2026, 1, 12, 9)) == 0
    assert cal.working_hours_between(wib(2026, 1, 13, 15), wib(2026, 1, 12, 9)) == 0


def test_working_hours_between_and_due_agree(cal):
    # At the due time exactly the limit has elapsed: 14 + 24 + 24 + 10 h (see the 72 h test).
    start = wib(2026, 3, 17, 10)
    assert cal.working_hours_between(start, wib(2026, 3, 27, 10)) == 72
    assert cal.working_hours_between(start, cal.due(start, 72)) == 72


def _walked_hours(calendar: WorkCalendar, start: datetime, end: datetime) -> float:
    """The definition, day by day: what the counted version must equal."""
    start, end = start.astimezone(calendar.tz), end.astimezone(calendar.tz)
    total, day = timedelta(), start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            lo = max(start, datetime.combine(day, datetime.min.time(), tzinfo=calendar.tz))
            hi = min(end, datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=calendar.tz))
            total += max(hi.astimezone(timezone.utc) - lo.astimezone(timezone.utc), timedelta())
        day += timedelta(days=1)
    return total.total_seconds() / 3600


def test_working_hours_between_counts_what_walking_the_days_gives():
    # Spans of hours to three years, across year ends, cuti bersama, extra holidays and workdays,
    # mixed offsets, and a zone with a 23-hour day (walked, not counted).
    import random
    rng = random.Random(20261123)
    calendars = [
        WorkCalendar(ZoneInfo("Asia/Jakarta"), extra_holidays={date(2026, 8, 18): "libur"},
                     extra_workdays={date(2026, 3, 21): "Sabtu kerja"}),
        WorkCalendar(ZoneInfo("Asia/Jayapura"), weekdays=range(6)),
        WorkCalendar(ZoneInfo("Europe/Berlin"), weekdays=range(7), national_holidays=False),
    ]
    base = datetime(2024, 12, 20, tzinfo=timezone.utc)
    for _ in range(300):
        calendar = rng.choice(calendars)
        start = base + timedelta(minutes=rng.randrange(0, 60 * 24 * 800))
        end = start + timedelta(minutes=rng.choice([rng.randrange(0, 60 * 30), rng.randrange(0, 60 * 24 * 1100)]))
        if rng.random() < 0.5:
            end = end.astimezone(ZoneInfo("Asia/Makassar"))
        assert calendar.working_hours_between(start, end) == pytest.approx(_walked_hours(calendar, start, end)), \
            (calendar.tz, start, end)
    assert calendars[0].working_hours_between(wib(2026, 1, 2), wib(2026, 1, 1)) == 0
