"""Indonesian labels of the fixed codes, shared by the site, the recap and the open data."""
from __future__ import annotations

from collections import OrderedDict

from pipeline.records.policy import Policy

CHANNEL_LABELS = {
    "email": "Email", "instagram": "Instagram", "facebook": "Facebook", "whatsapp": "WhatsApp",
    "telepon": "Telepon", "langsung": "Langsung (tatap muka)", "rapat": "Rapat atau pertemuan",
    "kotak_saran": "Kotak saran", "website": "Website", "lainnya": "Lainnya",
    "papan_pengumuman": "Papan pengumuman", "surat": "Surat",
}
KIND_LABELS = OrderedDict([("keluhan", "Keluhan"), ("saran", "Saran"), ("kritik", "Kritik"),
                           ("pertanyaan", "Pertanyaan"), ("apresiasi", "Apresiasi")])
STATUS_LABELS = OrderedDict([("baru", "Baru"), ("diproses", "Diproses"), ("dijawab", "Dijawab"),
                             ("selesai", "Selesai")])


def channel_label(channel: str, policy: Policy | None = None) -> str:
    """The policy's own name for a channel, else ours, else the code made readable."""
    details = (policy.channels.get(channel) if policy is not None else None) or {}
    return details.get("nama") or CHANNEL_LABELS.get(channel, channel.replace("_", " ").capitalize())


# --- one status vocabulary ----------------------------------------------------------------------
# How a step of the SOP stands against its deadline, in plain Indonesian, for every public output:
# complaint pages, listings, the recap, the board, the feed and the open data. The codes are the
# open data's; the deadline engine's own names (met, breached, overdue, pending) map onto them.
STAGE_STATES = OrderedDict([("tepat_waktu", "Tepat waktu"), ("terlambat", "Selesai terlambat"),
                            ("lewat_batas", "Terlambat, belum selesai"),
                            ("berjalan", "Belum jatuh tempo")])
ENGINE_STATES = {"met": "tepat_waktu", "breached": "terlambat", "overdue": "lewat_batas",
                 "pending": "berjalan"}
# A stage whose time is doubted (report.plausibility): never called "on time", whatever its status.
UNVERIFIED = "belum_terverifikasi"
STATE_WORDS = {**STAGE_STATES, UNVERIFIED: "Waktu belum terverifikasi"}
# What each stage state means (the workbook's definitions).
STATE_MEANINGS = {"tepat_waktu": "selesai sebelum batas waktu", "terlambat": "selesai, tetapi setelah batas waktu",
                  "lewat_batas": "belum selesai, padahal batas waktunya sudah lewat",
                  "berjalan": "belum selesai, batas waktunya belum tiba",
                  UNVERIFIED: "ada tanda kejanggalan pada waktunya: tidak dinilai sampai waktunya terbukti"}
# A complaint's overall public status (the file's `status`), as a citizen reads it.
STATUS_MEANINGS = {"baru": "baru diterima, belum dilaporkan ke tim",
                   "diproses": "sedang ditangani, belum ada tanggapan",
                   "dijawab": "sudah ditanggapi", "selesai": "sudah ditanggapi dan ditindaklanjuti"}
# How far a complaint got, as its timeline shows it (outputs.complaint_state.progress chooses):
# the sentence under a complaint's status never contradicts its timeline.
PROGRESS_MEANINGS = {
    "diterima": STATUS_MEANINGS["baru"],
    "dilaporkan": "sudah dilaporkan ke tim, belum ada tanggapan",
    "diproses": STATUS_MEANINGS["diproses"],
    "dijawab": STATUS_MEANINGS["dijawab"],
    "tindak_lanjut_berjalan": "sudah ditanggapi, tindak lanjut belum selesai",
    "selesai": STATUS_MEANINGS["selesai"],
}


def stage_state(code: str | None) -> str | None:
    """A stage state from either vocabulary (tepat_waktu ... or met ...), as our code."""
    if code is None:
        return None
    code = ENGINE_STATES.get(code, code)
    return code if code in STATE_WORDS else None


def stage_state_label(code: str | None) -> str:
    """ "Terlambat, belum selesai" for lewat_batas or overdue; "" for none."""
    state = stage_state(code)
    return STATE_WORDS[state] if state else ""
