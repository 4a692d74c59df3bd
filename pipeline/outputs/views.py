"""What the public site's templates show, made from public fields only (`privacy.public_view`).

`complaint_view(complaint, policy, evidence=...)` and `timeline(...)` take the evidence of one
complaint, `{stage_id: stage_evidence}`, where stage_evidence is a mapping (or an object with the
same attributes) with any of:

    waktu       aware datetime: when the stage was done, according to the evidence
    batas       aware datetime: when it was due
    status      "tepat_waktu" | "terlambat" | "berjalan" | "lewat_batas" (records.labels.STAGE_STATES)
    flags       a non-empty list: the time is doubted (report.plausibility), shown as "Waktu
                belum terverifikasi" whatever the status
    keterangan  short public plain text

The deadline engine's own names are accepted too: `done_at`, `due_at`, `status` in
met/breached/pending/overdue (so a `pipeline.report.deadlines.StageResult` can be passed as is).
Without evidence the timeline shows the times written in the file and the SOP limits.

Also here: the listings and their filters (`listings`), the statistics page (`statistics`), the
page on how to complain (`how_to`), and the policy's colours made readable (`readable_colour`).
"""
from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from pipeline.outputs.markup import MarkdownRenderer, plain_text
from pipeline.outputs.text import batas, limit_text, tanggal, tanggal_iso, waktu
from pipeline.records.complaint import declared_time
from pipeline.outputs import complaint_state
from pipeline.records.labels import (CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS, UNVERIFIED, channel_label,
                                     stage_state, stage_state_label)
from pipeline.records.policy import Policy
from pipeline.records.privacy import public_view
from pipeline.records.timeutil import MONTHS, parse_waktu
from pipeline.report.deadlines import CLAIMS

logger = logging.getLogger(__name__)

SITE_TITLE = "Respon Pengaduan Pelayanan"
# A listing shows the start of a summary and of a response; the complaint's page shows them whole
# (seven listings hold each complaint: whole texts made them half of the site's bytes).
EXCERPT_CHARS = 200
PLAN_EXCERPT_CHARS = 100   # the board's start of a plan: its first sentence, usually
# What the public reads for a stage whose time is flagged (report.plausibility): never "on time".
UNVERIFIED_NOTE = ("Waktu langkah ini belum dapat dipastikan: catatan waktunya tidak cocok dengan "
                   "catatan lain atau belum dibuktikan stempel waktu tepercaya. Tim pengaduan sedang "
                   "memeriksanya.")
# Filter dimensions: URL segment, heading prefix.
DIMENSIONS = OrderedDict([("tahun", "Tahun"), ("kanal", "Kanal"), ("unit", "Unit"),
                          ("jenis", "Jenis"), ("status", "Status")])


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


def _get(obj, key):
    """A field of stage evidence, given as a mapping or as an object with attributes."""
    if obj is None:
        return None
    for name in (key, EVIDENCE_ALIASES.get(key)):
        if name is None:
            continue
        value = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
        if value is not None:
            return (stage_state(value) or value) if key == "status" and isinstance(value, str) else value
    return None


def timeline(public: dict, policy: Policy, received_at: datetime | None, evidence=None) -> list[dict]:
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
            moment = declared_time(public, path, tz)
            if moment is not None:
                rows.append({"id": row_id, "nama": name, "waktu": moment, "waktu_teks": waktu(moment, tz),
                             "batas_teks": "", "keadaan": None, "keadaan_teks": "", "keterangan": "",
                             "selesai": True})
        proof = _get(evidence, stage.id) if evidence else None
        declared = declared_time(public, CLAIMS.get(stage.evidence), tz)
        moment = _get(proof, "waktu") if proof is not None else None
        moment = moment if isinstance(moment, datetime) else declared
        done = moment is not None or (stage.evidence == "published_at" and bool(public.get("tanggapan")))
        due = _get(proof, "batas") if proof is not None else None
        state = _get(proof, "status") if proof is not None else None
        state = stage_state(state)
        unverified = bool(_get(proof, "flags")) if proof is not None else False
        state = UNVERIFIED if unverified else state
        limit = limit_text(stage.limit_hours, unlimited="")
        rows.append({
            "id": stage.id, "nama": stage.name, "waktu": moment, "waktu_teks": waktu(moment, tz),
            "batas_teks": (f"paling lambat {limit} sejak diterima" if limit else ""),
            "batas_waktu_teks": batas(due, tz) if isinstance(due, datetime) else "",
            "keadaan": state, "keadaan_teks": stage_state_label(state), "evidence": stage.evidence,
            "keterangan": UNVERIFIED_NOTE if unverified else (
                str(_get(proof, "keterangan") or "") if proof is not None else ""),
            "selesai": done,
        })
    plan = public.get("rencana_tindak_lanjut") or {}
    if plan:
        moment = declared_time(public, ("rencana_tindak_lanjut", "selesai"), tz)
        rows.append({"id": "tindak_lanjut", "nama": "Tindak lanjut dilaksanakan", "waktu": moment,
                     "waktu_teks": waktu(moment, tz), "batas_teks": "", "keadaan": None,
                     "keadaan_teks": "", "keterangan": "", "selesai": moment is not None})
    for row in rows:
        row.setdefault("batas_waktu_teks", "")
        row["waktu_iso"] = row["waktu"].astimezone(tz).isoformat(timespec="seconds") if row["waktu"] else ""
    return rows


EXCERPT_SOURCE_CHARS = 100_000   # of a text's plain form, before it is cut for a listing


def one_line(plain: str) -> str:
    """Plain text on one line, a list's items joined by "; " (their "- " read as unfinished text
    in a listing and on the printed board: "Pelapor menyarankan: - jadwal ...")."""
    joined, after_item = "", False
    for line in plain.split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        item = line.startswith("- ")
        line = line[2:].lstrip() if item else line
        ended = joined[-1:] in (".", ";", ":", "!", "?")
        gap = " " if ended or not after_item else "; " if item else ". "   # (a list's end ends a sentence)
        joined, after_item = (joined + gap + line if joined else line), item
    return joined


def excerpt(text, limit: int = EXCERPT_CHARS) -> str:
    """The start of a Markdown text as plain text, cut at a word's end (for the listings and
    the board); whole when it has at most `limit` characters."""
    plain = one_line(plain_text(text, EXCERPT_SOURCE_CHARS))
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0].rstrip(",.;:-–") + "…"


def complaint_view(complaint, policy: Policy, render_md=None, evidence=None, now: datetime | None = None) -> dict:
    """Everything a template may show about one public complaint, from its public view only.

    `now` (the build's moment) decides whether a follow-up's target date has passed."""
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
        "status": complaint_state.status(status),
        "ringkasan_html": render_md(public.get("ringkasan")),
        "ringkasan_cuplikan": excerpt(public.get("ringkasan")),
        "diteruskan_ke": [policy.unit_name(unit) for unit in public.get("diteruskan_ke") or []],
        "tanggapan": None,
        "rencana": None,
    }
    if response:
        given = declared_time(public, ("tanggapan", "waktu"), tz)
        approved = declared_time(public, ("tanggapan", "disetujui_pada"), tz)
        view["tanggapan"] = {
            "isi_html": render_md(response.get("isi")),
            "cuplikan": excerpt(response.get("isi")),
            "waktu": given, "waktu_teks": waktu(given, tz),
            "waktu_iso": given.isoformat(timespec="seconds") if given else "",
            "kanal": channel_label(response["kanal"], policy) if response.get("kanal") else "",
            "disetujui_oleh": response.get("disetujui_oleh") or "",
            "disetujui_teks": waktu(approved, tz),
        }
    if plan:
        done = declared_time(public, ("rencana_tindak_lanjut", "selesai"), tz)
        view["rencana"] = {
            "isi_html": render_md(plan.get("isi")),
            "penanggung_jawab": policy.unit_name(plan["penanggung_jawab"]) if plan.get("penanggung_jawab") else "",
            "target_teks": tanggal_iso(plan["target"]) if plan.get("target") else "",
            "selesai_teks": waktu(done, tz),
            "selesai_tanggal": tanggal(done, tz),
            "cuplikan": excerpt(plan.get("isi"), PLAN_EXCERPT_CHARS),
            "hasil_html": render_md(plan.get("hasil")),
        }
    view["linimasa"] = timeline(public, policy, received, evidence)
    complaint_state.describe(view, plan, now, tz)
    # The moment the response became news (feed): published evidence, else given, else approved.
    published = None
    for stage in policy.stages:
        proof = _get(evidence, stage.id) if evidence else None
        if stage.evidence == "published_at" and isinstance(_get(proof, "waktu"), datetime):
            published = _get(proof, "waktu")
    answered = published or (view["tanggapan"] or {}).get("waktu") or \
        declared_time(public, ("tanggapan", "disetujui_pada"), tz) or received
    view["dijawab_pada"] = answered
    view["dijawab_iso"] = answered.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    view["ditanggapi"] = bool(view["tanggapan"])
    # the sitemap's lastmod, as it writes it (working it out for 16,000 pages took 0.1 s a build)
    view["terakhir"] = max(row["waktu"] for row in view["linimasa"] if row["waktu"]).astimezone(tz).date().isoformat()
    return view


def key_first(getattr_):
    """Jinja's `x.name` on a mapping (the views: dicts, or the build cache's lazy views) tries the
    key first: a view's `c.status` is a key, never a method, and Jinja's own order (the attribute,
    then the key) pays a raised AttributeError on every such lookup of every page (a twentieth of
    a full build)."""
    def lookup(obj, attribute):
        if type(obj) is dict or isinstance(obj, Mapping):
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        return getattr_(obj, attribute)
    return lookup


# What the listings, the feed's order, the sitemap and the search page read of every view: a view
# kept in the build cache is unpickled whole only when a page showing it is rendered again.
SUMMARY_FIELDS = ("id", "url", "tahun", "kanal", "unit", "jenis", "status", "diterima", "diterima_iso",
                  "diterima_tanggal", "dijawab_pada", "ditanggapi", "terakhir")


# --- the site ---------------------------------------------------------------------------------

@dataclass
class Listing:
    dimension: str | None   # None: the home page
    value: str | None
    label: str
    items: list


def listings(views: list, policy: Policy) -> tuple[list[Listing], list[dict]]:
    """The home listing and one listing per filter value (year, channel, unit, type, status),
    with the filters' options: (listings, filters)."""
    found = [Listing(None, None, SITE_TITLE, views)]
    groups: dict = {dimension: {} for dimension in DIMENSIONS}
    others = [dimension for dimension in DIMENSIONS if dimension != "tahun"]
    for view in views:   # (each field read once: a kept view's is a Python call, 85,000 at 10,000)
        year = view["tahun"]
        groups["tahun"].setdefault(year, (year, []))[1].append(view)
        for dimension in others:
            shown = view[dimension]
            groups[dimension].setdefault(shown["id"], (shown["label"], []))[1].append(view)
    order = {
        "tahun": lambda values: sorted(values, reverse=True),
        "kanal": lambda values: [v for v in list(policy.channels) + sorted(CHANNEL_LABELS) if v in values],
        "unit": lambda values: [v for v in list(policy.units) if v in values] +
                               sorted(v for v in values if v not in policy.units),
        "jenis": lambda values: [v for v in KIND_LABELS if v in values],
        "status": lambda values: [v for v in STATUS_LABELS if v in values],
    }
    filters = []
    for dimension, title in DIMENSIONS.items():
        values = list(OrderedDict.fromkeys(order[dimension](groups[dimension])))
        options = []
        for value in values:
            label, items = groups[dimension][value]
            found.append(Listing(dimension, value, label, items))
            options.append({"value": value, "label": label, "jumlah": len(items),
                            "url": f"{dimension}/{value}/"})
        filters.append({"id": dimension, "judul": title, "pilihan": options})
    found += month_listings(views)
    return found, filters


def month_listings(views: list) -> list[Listing]:
    """One listing per month received (bulan/<yyyy>-<mm>/): how a complaint is found by its number
    without JavaScript (the number holds the date received). Not among the filters."""
    months: dict = {}
    for view in views:
        key = view["diterima_iso"][:7]
        months.setdefault(key, []).append(view)
    return [Listing("bulan", key, f"{MONTHS[int(key[5:]) - 1]} {key[:4]}", items)
            for key, items in sorted(months.items(), reverse=True)]


def search_page(listings_: list[Listing]) -> dict:
    """What cari.html shows without JavaScript: every month with complaints, grouped by year, and
    the newest public complaint's number as the example of how a number reads (None: none yet)."""
    years: dict = {}
    home = next((listing for listing in listings_ if listing.dimension is None), None)
    newest = home.items[0] if home is not None and home.items else None
    for listing in listings_:
        if listing.dimension == "bulan":
            years.setdefault(listing.value[:4], []).append(
                {"url": f"bulan/{listing.value}/", "label": listing.label.split(" ")[0], "jumlah": len(listing.items)})
    example = {"id": newest["id"], "awal": newest["id"][:12], "tanggal": newest["diterima_tanggal"]} if newest else None
    return {"tahun": [{"tahun": year, "bulan": months} for year, months in years.items()], "contoh": example}


def statistics(complaints: list, policy: Policy) -> dict:
    """The counts of /statistik/ under the disclosure rule (DISCLOSURE_RULE): a confidential
    complaint is counted in its year's total only; every breakdown counts public complaints."""
    years: dict = {}
    kinds = OrderedDict((kind, 0) for kind in KIND_LABELS)
    statuses = OrderedDict((status, 0) for status in STATUS_LABELS)
    confidential = 0
    for complaint in complaints:
        year = f"{complaint.received_at.astimezone(policy.tz).year}"
        row = years.get(year)
        if row is None:   # (made once a year, not once a complaint: 10,000 of them each rebuild)
            row = years[year] = {"tahun": year, "jumlah": 0, "rahasia": 0, **{status: 0 for status in STATUS_LABELS}}
        row["jumlah"] += 1
        if not complaint.is_public:
            row["rahasia"] += 1
            confidential += 1
            continue
        status, kind = complaint.status, complaint.data["jenis"]
        row[status] = row.get(status, 0) + 1
        kinds[kind] = kinds.get(kind, 0) + 1
        statuses[status] = statuses.get(status, 0) + 1
    return {"tahun": [years[year] for year in sorted(years, reverse=True)],
            "jenis": [(KIND_LABELS.get(kind, kind), count) for kind, count in kinds.items()],
            "status": [(STATUS_LABELS.get(status, status), count) for status, count in statuses.items()],
            "jumlah": len(complaints), "terbuka": len(complaints) - confidential, "rahasia": confidential,
            "aturan": DISCLOSURE_RULE}


DISCLOSURE_RULE = (
    "Pengaduan yang dirahasiakan atas permintaan pelapor hanya dihitung dalam jumlah per tahun. "
    "Semua rincian lain (per bulan, kanal, unit, jenis dan status, ketepatan waktu tahap SOP, waktu "
    "penanganan, grafik dan data terbuka) hanya menghitung pengaduan terbuka. Dengan begitu tidak "
    "ada tabel, grafik atau berkas data yang bisa dikurangi dengan data pengaduan terbuka untuk "
    "mengenali pengaduan rahasia: yang terlihat hanya berapa banyak pengaduan rahasia pada tahun itu.")


def sop_views(policy: Policy) -> list[dict]:
    """The policy's SOP documents as the board and the how-to page show them."""
    return [{"nomor": sop.number, "judul": sop.title, "revisi": sop.revision, "kanal": list(sop.channels)}
            for sop in policy.sops]


def how_to(policy: Policy) -> dict:
    """The page on how to complain: the policy's channels, working days and SOP stages."""
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
    stages = [{"nama": stage.name, "batas": limit_text(stage.limit_hours, unlimited=""), "sumber": stage.source}
              for stage in policy.stages]
    return {"kanal": channels, "tahapan": stages, "hari_kerja": days,
            "libur_nasional": policy.national_holidays, "sop": sop_views(policy)}
