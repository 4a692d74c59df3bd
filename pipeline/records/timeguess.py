"""What staff most likely meant by a time written their own way, said beside the error.

`2026-11-23 09.30` (the Indonesian way of writing a time), `23/11/2026 09:30`, `23 November 2026
pukul 09.30 WITA`, `2026-11-23 9:30`: none is a time the schema accepts, and each one has one
reading. `guess` writes it the accepted way; the file is never changed (staff copy the form).
"""
from __future__ import annotations

import re
from datetime import date

MONTHS = {"januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3, "april": 4,
          "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8,
          "ags": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
          "nop": 11, "desember": 12, "des": 12}
ZONES = {"wib": "+07:00", "wita": "+08:00", "wit": "+09:00"}
_ZONE = re.compile(r"\s*\b(wib|wita|wit)\.?$", re.IGNORECASE)
_TIME = re.compile(r"(?:,?\s*(?:pukul|jam|pkl\.?))?[\s,T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_NAMED = re.compile(r"(?:[a-z']+,?\s+)?(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})", re.IGNORECASE)   # ("Senin, 23 November 2026")


def guess(value: str, wants_time: bool) -> tuple[str | None, str | None]:
    """(the value written the accepted way, or None; why it needs more, or None): a time
    (`wants_time`) as `YYYY-MM-DD HH:MM` (with its offset when a zone is named), else a date."""
    text = " ".join(value.strip().split())
    zone = _ZONE.search(text)
    offset = ZONES[zone.group(1).lower()] if zone else None
    text = text[:zone.start()] if zone else text
    clock = _TIME.search(text)
    day = _date(text[:clock.start()] if clock else text)
    if day is None:
        return None, None
    if clock is None:
        return (None, f"jamnya belum ditulis: tulis mis. `{day} 09:30`") if wants_time else (day, None)
    hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None, None
    if not wants_time:   # (`target: 2026-10-30 10:00`: a date field wants the date)
        return day, None
    moment = f"{hour:02d}:{minute:02d}" + (f":{second:02d}" if clock.group(3) else "")
    return (f"{day}T{moment}{':00' if not clock.group(3) else ''}{offset}" if offset else f"{day} {moment}"), None


def _date(text: str) -> str | None:
    text = text.strip().rstrip(",")
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
    elif (match := _NAMED.fullmatch(text)) and match.group(2).lower() in MONTHS:
        day, month, year = match.group(1), MONTHS[match.group(2).lower()], match.group(3)
    else:
        return None
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
