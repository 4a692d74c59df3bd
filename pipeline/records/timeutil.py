"""Times as the SOP records them: ISO 8601 with an offset, or a local wall time.

A declared time without an offset is read in the policy's time zone (WIB, WITA or WIT). Every
time we print carries its offset, so an instant is never ambiguous.
"""
from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from functools import lru_cache

_WAKTU = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?")


# A complaint's times lie in these years. Before 1970 Indonesia's zones had other offsets (Jakarta
# was +07:07:12 in 1900), and year 1 or 9999 with an offset is out of Python's range in UTC.
YEARS = range(1970, 9999)


def is_waktu(value: object) -> bool:
    """True for `2026-01-05T09:30:00+07:00`, `2026-01-05 09:30` and other valid forms."""
    if not isinstance(value, str) or not _WAKTU.fullmatch(value) or int(value[:4]) not in YEARS:
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:  # 2026-02-30, 25:00, +25:00 ...
        return False
    return True


@lru_cache(maxsize=1 << 16)
def git_time(text: str) -> datetime:
    """`datetime.fromisoformat` of a date git wrote (`%aI`, `%cI`). One object per text and one
    offset object per offset: a history names each commit's date many times, and a date with its
    own offset object took more memory and five times as long to pickle (the evidence of 10,000
    complaints: 0.70 against 0.11 s). Equal dates, equal offsets: nothing else differs."""
    return one_offset_object(datetime.fromisoformat(text))


_ZONES: dict = {}


def one_offset_object(moment: datetime) -> datetime:
    """An aware `moment` with a fixed offset, with the one offset object this program gives that
    offset (`git_time`, `parse_waktu`, `--now`): two times with one offset object compare by their
    fields, with two (each parse made its own) by working out both offsets."""
    zone = _ZONES.setdefault(moment.utcoffset(), moment.tzinfo)
    return moment if moment.tzinfo is zone else moment.replace(tzinfo=zone)


def parse_waktu(value: str, tz: tzinfo) -> datetime:
    """An aware datetime; a wall time without offset is read in `tz`. A written offset gets its one
    offset object (`one_offset_object`: a rebuild at 10,000 compares some 75,000 times)."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return one_offset_object(moment) if moment.tzinfo else moment.replace(tzinfo=tz)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with offset, to the second: 2026-01-05T09:30:00+07:00."""
    return None if moment is None else moment.isoformat(timespec="seconds")


def zone_label(tz: tzinfo, moment: datetime | None = None) -> str:
    """WIB, WITA or WIT for Indonesia's zones, else the offset."""
    offset = (moment or datetime(2026, 1, 1)).replace(tzinfo=tz).utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else 0
    return {7: "WIB", 8: "WITA", 9: "WIT"}.get(hours, f"UTC{hours:+g}")


MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]


def local_iso(moment: datetime | None, tz: tzinfo) -> str | None:
    """ISO 8601 in the policy's zone: the same instant, shown as staff read it."""
    return None if moment is None else iso(moment.astimezone(tz))


def format_local(moment: datetime, tz: tzinfo, short: bool = False, exact: bool = False) -> str:
    """Indonesian reading form: `5 Januari 2026, 09.30 WIB` (short: `5 Jan 2026 09.30`).

    `exact` adds the seconds when there are any: a step done at 00.00.01 is late for a 00.00
    deadline, and the report must not show the two as the same minute."""
    local = moment.astimezone(tz)
    clock = f"{local:%H.%M}" + (f".{local:%S}" if exact and local.second else "")
    if short:
        return f"{local.day} {MONTHS[local.month - 1][:3]} {local.year} {clock}"
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {clock} {zone_label(tz, local)}"


def date_text(day: date) -> str:
    """5 Januari 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
