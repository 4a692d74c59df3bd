"""Numbers, durations, limits and dates as Indonesian readers write them.

"20,5"; "2 hari 2 jam 30 menit"; "1x24 jam hari kerja"; "5 Januari 2026"; "5 Januari 2026, 09.30
WIB". Every time is shown in the policy's time zone.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from pipeline.records.timeutil import date_text, format_local, zone_label


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


def limit_text(hours, unlimited: str = "tanpa batas") -> str:
    """24 -> "1x24 jam hari kerja"; 72 -> "3x24 jam hari kerja"; 7.5 -> "7,5 jam kerja";
    None -> `unlimited` ("tanpa batas", or "" where the page says nothing about a stage without limit)."""
    if hours is None:
        return unlimited
    if float(hours) % 24 == 0:
        return f"{int(float(hours) // 24)}x24 jam hari kerja"
    return f"{decimal_text(float(hours))} jam kerja"


def tanggal(moment: datetime | None, tz) -> str:
    """5 Januari 2026 (in the policy's time zone); "" for None."""
    return date_text(moment.astimezone(tz).date()) if moment else ""


def waktu(moment: datetime | None, tz) -> str:
    """5 Januari 2026, 09.30 WIB (in the policy's time zone); "" for None."""
    return format_local(moment, tz) if moment else ""


def batas(moment: datetime | None, tz) -> str:
    """A deadline; at midnight, as the end of the day before: `4 November 2026, 24.00 WIB`
    ("5 November 2026, 00.00 WIB" read as a day later: found by hand)."""
    if not moment:
        return ""
    local = moment.astimezone(tz)
    if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
        return waktu(moment, tz)
    before = local - timedelta(days=1)
    return f"{date_text(before.date())}, 24.00 {zone_label(tz, before)}"


def tanggal_iso(value) -> str:
    """`2026-02-14` (a date written in the file) as 14 Februari 2026; anything else as written."""
    try:
        return date_text(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)
