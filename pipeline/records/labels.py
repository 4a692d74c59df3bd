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
