"""The announcement board (papan pengumuman): one printable A4 page per month of public responses,
for the Puskesmas's notice board. Public fields only (`privacy.public_view`)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from pipeline.outputs.markup import MarkdownRenderer
from pipeline.outputs.text import tanggal, tanggal_iso
from pipeline.outputs.views import EXCERPT_CHARS, excerpt, sop_views
from pipeline.records.complaint import declared_time
from pipeline.records.labels import KIND_LABELS, channel_label
from pipeline.records.privacy import public_view
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
# and of the follow-up plan and the response whole: six entries of realistic length (a response of
# about 90 words) then fit one A4 sheet with the response in 9 pt. The whole complaint is on its
# page, whose address the sheet gives.
BOARD_SUMMARY_CHARS = EXCERPT_CHARS
BOARD_PLAN_CHARS = 100    # the plan's first sentence, usually; its whole text is on the page


def month_text(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def board_view(year: int, month: int, items: list, policy: Policy, render_md=None) -> dict:
    """One month of the board: public fields only (privacy.public_view)."""
    render_md = render_md or MarkdownRenderer()
    tz = policy.tz
    sops = sop_views(policy)
    entries = []
    for item in items:
        public = public_view(item.complaint)
        plan = public.get("rencana_tindak_lanjut") or {}
        response = public.get("tanggapan") or {}
        moment = board_moment(item, tz)
        sop = next((s for s in sops if public["kanal"] in s["kanal"]), None)
        done = declared_time(public, ("rencana_tindak_lanjut", "selesai"), tz)
        entries.append({
            "id": public["id"], "judul": public["judul"],
            "diterima": tanggal(item.complaint.received_at, tz),
            "kanal": channel_label(public["kanal"], policy), "unit": policy.unit_name(public["unit"]),
            "jenis": KIND_LABELS.get(public["jenis"], public["jenis"]),
            "ringkasan": excerpt(public.get("ringkasan"), BOARD_SUMMARY_CHARS),
            "tanggapan_html": render_md(response.get("isi")),
            "disetujui_oleh": response.get("disetujui_oleh", ""),
            "diumumkan": tanggal(moment, tz),
            "rencana": excerpt(plan.get("isi"), BOARD_PLAN_CHARS) if plan else "",
            "rencana_selesai": tanggal(done, tz) if done else "",
            "rencana_target": tanggal_iso(plan.get("target")) if plan.get("target") else "",
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
