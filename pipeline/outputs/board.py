"""The announcement board (papan pengumuman): one printable A4 page per month of public responses,
for the Puskesmas's notice board. Made from the complaints' views (public fields only)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from pipeline.outputs.text import tanggal
from pipeline.outputs.views import sop_views
from pipeline.records.complaint import declared_time
from pipeline.records.timeutil import MONTHS, date_text, zone_label
from pipeline.report.deadlines import Report
from pipeline.records.policy import Policy


def board_moment(item, tz) -> datetime | None:
    """When a public response reached the public: git's published_at, else responded_at, else
    the declared `tanggapan.waktu`. None without a response."""
    if not item.complaint.response:
        return None
    return (item.evidence.published_at or item.evidence.responded_at
            or declared_time(item.complaint.data, ("tanggapan", "waktu"), tz) or item.complaint.received_at)


def board_months(report: Report, policy: Policy) -> dict:
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


# A board entry shows the start of the complaint (cut at a word, as long as the listings' start)
# and of the follow-up plan (`views.PLAN_EXCERPT_CHARS`) and the response whole: six entries of
# realistic length (a response of about 90 words) then fit one A4 sheet with the response in 9 pt.
# The whole complaint is on its page, whose address the sheet gives.


def month_text(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def board_view(year: int, month: int, items: list, policy: Policy, view_of) -> dict:
    """One month of the board. Each complaint as its page shows it: `view_of(item)` is its view
    (`views.complaint_view`, public fields only), the build's own, so the two never differ."""
    tz = policy.tz
    sops = sop_views(policy)
    entries = []
    for item in items:
        view = view_of(item)
        response, plan = view["tanggapan"] or {}, view["rencana"] or {}
        sop = next((s for s in sops if view["kanal"]["id"] in s["kanal"]), None)
        entries.append({
            "id": view["id"], "judul": view["judul"], "diterima": view["diterima_tanggal"],
            "kanal": view["kanal"]["label"], "unit": view["unit"]["label"], "jenis": view["jenis"]["label"],
            "ringkasan": view["ringkasan_cuplikan"],
            "tanggapan_html": response.get("isi_html", ""),
            "disetujui_oleh": response.get("disetujui_oleh", ""),
            "diumumkan": tanggal(board_moment(item, tz), tz),
            "rencana": plan.get("cuplikan", ""),
            "rencana_selesai": plan.get("selesai_tanggal", ""),
            "rencana_target": plan.get("target_teks", ""),
            "sop": sop["nomor"] if sop else "",
        })
    identity = policy.identity
    last_day = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
    return {
        "tahun": year, "bulan": month, "bulan_teks": month_text(year, month),
        "puskesmas": identity.fields(), "nama": policy.name, "sop": sops, "entri": entries,
        "terpotong": any(entry["ringkasan"].endswith("…") for entry in entries),
        "kota": identity.city, "kepala": identity.head,
        "tanggal_akhir": date_text(last_day), "zona": zone_label(tz),
    }
