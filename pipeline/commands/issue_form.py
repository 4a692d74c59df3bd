"""The issue form "Catat pengaduan": its definition (from the policy), and reading a submitted one.

GitHub (and Gitea/Forgejo) write a submitted form as `### <label>`, an empty line, the answer,
for every field in the form's order. The answers are read BY THAT STRUCTURE, not by looking for
headings: a line `### Ringkasan untuk publik` typed inside the private notes stays in the notes.
The single-line answers (inputs, drop-downs) cannot hold a line break; the two free-text answers
(summary, notes) are bounded by the fixed run of headings that follows each of them. Where the
structure is ambiguous, the reading errs toward privacy: the public summary ends at the first
place the private fields could start.

The confidentiality answer fails closed: only an untouched `- [ ] <option>` means "public"; a
ticked box, a changed option text, a missing section or anything else means `rahasia`.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from pipeline.records.labels import CHANNEL_LABELS, KIND_LABELS, channel_label
from pipeline.records.policy import Policy
from pipeline.records.timeutil import is_waktu, zone_label

FORM_PATH = Path(".github") / "ISSUE_TEMPLATE" / "pengaduan.yml"
LABEL = "pengaduan"
MARKER = "<!-- pengaduan-intake: {id} -->"
MARKER_RE = re.compile(r"<!-- pengaduan-intake: (ADU-[0-9A-Z-]+) -->")
HIDDEN = "[disembunyikan]"
# Only the team's own issues become complaint files (an issue form applies its label for anyone).
TRUSTED = {"OWNER", "MEMBER", "COLLABORATOR"}
NO_RESPONSE = {"_no response_", "_tidak ada jawaban_", ""}
# Form field id -> label. The issue body shows labels, not ids: the parser maps them back.
LABELS = {
    "judul": "Judul singkat (publik)",
    "diterima": "Waktu diterima",
    "kanal": "Kanal",
    "jenis": "Jenis",
    "unit": "Unit terkait",
    "ringkasan": "Ringkasan untuk publik",
    "pelapor_nama": "Nama pelapor (RAHASIA)",
    "pelapor_kontak": "Kontak pelapor (RAHASIA)",
    "pelapor_alamat": "Alamat pelapor (RAHASIA)",
    "catatan": "Catatan internal (RAHASIA)",
    "kerahasiaan": "Kerahasiaan",
    "pernyataan": "Pernyataan",
}
PRIVATE = ("pelapor_nama", "pelapor_kontak", "pelapor_alamat", "catatan")
CONFIDENTIAL_UNREADABLE = ("Jawaban “Kerahasiaan” di formulir tidak terbaca (bagiannya hilang atau teksnya berubah), "
                           "jadi pengaduan ini DICATAT RAHASIA. Ubah `kerahasiaan` menjadi `terbuka` hanya bila "
                           "pelapor menyetujui pengaduannya diterbitkan.")
CONFIDENTIAL_OPTION = "Pelapor meminta pengaduannya dirahasiakan (tidak diterbitkan, hanya dihitung di rekap)"


# --- the form ------------------------------------------------------------------------------

def form(policy: Policy) -> dict:
    """The GitHub issue form (also read by Gitea/Forgejo) for recording a complaint."""
    zone = zone_label(policy.tz)
    channels = [f"{channel_label(key, policy)} ({key})" for key in policy.channels]
    units = [f"{name} ({unit_id})" for unit_id, name in policy.units.items()]
    return {
        "name": "Catat pengaduan",
        "description": f"Catat pengaduan yang masuk ke {policy.name}; menjadi berkas pengaduan dan "
                       "pull request secara otomatis.",
        "title": "[Pengaduan] ",
        "labels": [LABEL],
        "body": [
            {"type": "markdown", "attributes": {"value": (
                "**PENTING — data pribadi.** Repositori ini menyimpan identitas pelapor, jadi harus "
                "**PRIVAT**; formulir dari repositori publik TIDAK dicatat. Jangan tulis nama, kontak, "
                "alamat atau NIK pelapor di **judul** issue.\n\n"
                "Setelah formulir dikirim, isinya dipindahkan ke berkas pengaduan dan pull request; "
                "kolom RAHASIA di teks issue ini diganti `[disembunyikan]`. **GitHub tetap menyimpan** "
                "teks aslinya di riwayat suntingan issue (menu *diedit*), judul lama di catatan "
                "*mengubah judul*, dan salinannya di email notifikasi yang sudah terkirim. Untuk "
                "menghapusnya dari GitHub, admin repositori menghapus issue ini seluruhnya (kolom kanan "
                "issue → *Delete issue*).\n\n"
                "Judul dan ringkasan akan **diterbitkan** di website: tulis tanpa data pribadi.")}},
            {"type": "input", "id": "judul", "attributes": {
                "label": LABELS["judul"], "description": "3-140 karakter, tanpa nama atau kontak pelapor.",
                "placeholder": "Antrean pendaftaran pagi terlalu lama"},
             "validations": {"required": True}},
            {"type": "input", "id": "diterima", "attributes": {
                "label": LABELS["diterima"],
                "description": f"Kapan pengaduan masuk di kanalnya, waktu {zone}: YYYY-MM-DD HH:MM.",
                "placeholder": "2026-01-05 09:30"},
             "validations": {"required": True}},
            {"type": "dropdown", "id": "kanal", "attributes": {
                "label": LABELS["kanal"], "description": "Lewat mana pengaduan masuk.", "options": channels},
             "validations": {"required": True}},
            {"type": "dropdown", "id": "jenis", "attributes": {
                "label": LABELS["jenis"], "options": [f"{label} ({key})" for key, label in KIND_LABELS.items()]},
             "validations": {"required": True}},
            {"type": "dropdown", "id": "unit", "attributes": {
                "label": LABELS["unit"], "description": "Unit yang diadukan.", "options": units},
             "validations": {"required": True}},
            {"type": "textarea", "id": "ringkasan", "attributes": {
                "label": LABELS["ringkasan"],
                "description": "Ringkasan yang DITERBITKAN (10-4000 karakter), tanpa nama, nomor "
                               "telepon, alamat atau NIK."},
             "validations": {"required": True}},
            {"type": "input", "id": "pelapor_nama", "attributes": {
                "label": LABELS["pelapor_nama"], "description": "Tidak pernah diterbitkan."}},
            {"type": "input", "id": "pelapor_kontak", "attributes": {
                "label": LABELS["pelapor_kontak"], "description": "Nomor WhatsApp/telepon atau email."}},
            {"type": "input", "id": "pelapor_alamat", "attributes": {"label": LABELS["pelapor_alamat"]}},
            {"type": "textarea", "id": "catatan", "attributes": {
                "label": LABELS["catatan"],
                "description": "Kutipan pesan asli dan catatan petugas; disimpan di berkas, tidak diterbitkan."}},
            {"type": "checkboxes", "id": "kerahasiaan", "attributes": {
                "label": LABELS["kerahasiaan"], "options": [{"label": CONFIDENTIAL_OPTION}]}},
            {"type": "checkboxes", "id": "pernyataan", "attributes": {
                "label": LABELS["pernyataan"], "options": [{
                    "label": "Judul dan ringkasan tidak memuat nama, nomor telepon, alamat atau NIK pelapor.",
                    "required": True}]}},
        ],
    }


def form_yaml(policy: Policy) -> str:
    header = ("# Formulir pengaduan (GitHub issue form). DIBUAT dari puskesmas.yaml oleh\n"
              "# `pengaduan intake --write-form`: ubah kanal/unit di puskesmas.yaml, lalu jalankan lagi.\n")
    return header + yaml.safe_dump(form(policy), allow_unicode=True, sort_keys=False, width=100)


# --- reading a submitted form ------------------------------------------------------------------

# Field ids in the form's order; "line": one line (input, drop-down), "text": free text, "boxes": checkboxes.
ORDER = [("judul", "line"), ("diterima", "line"), ("kanal", "line"), ("jenis", "line"), ("unit", "line"),
         ("ringkasan", "text"), ("pelapor_nama", "line"), ("pelapor_kontak", "line"),
         ("pelapor_alamat", "line"), ("catatan", "text"), ("kerahasiaan", "boxes"), ("pernyataan", "boxes")]
UNREADABLE = "unreadable"   # the confidentiality answer could not be read: the complaint is `rahasia`


def _structure(optional: tuple = ()) -> re.Pattern:
    """One regular expression for the whole body: headings in order, answers in between.

    The first free text is lazy (the public summary stops at the first place the private fields
    could begin); the last one is greedy (the private notes run to the last confidentiality
    heading). Fields in `optional` may be missing altogether (then they read as None)."""
    parts, seen_text = [r"\A\s*"], False
    for index, (key, kind) in enumerate(ORDER):
        heading = "### " + re.escape(LABELS[key]) + r"[ \t]*\n\n"
        if kind == "line":
            value = r"[^\n]*"
        elif kind == "text":
            value = r".*" if seen_text else r".*?"
            seen_text = True
        else:
            value = r".*?"
        piece = ("" if index == 0 else r"\n\n") + heading + f"(?P<{key}>{value})"
        parts.append(f"(?:{piece})?" if key in optional else piece)
    parts.append(r"\s*\Z")
    return re.compile("".join(parts), re.S)


_FULL = _structure()
_WITHOUT_BOXES = (_structure(("kerahasiaan",)), _structure(("pernyataan",)), _structure(("kerahasiaan", "pernyataan")))


def parse_body(body: str) -> dict[str, str] | None:
    """Field id -> submitted answer, read by the form's structure; None when the body does not
    have the form's structure (edited by hand, another form). A missing confidentiality section
    reads as UNREADABLE (so `rahasia`), never as "not ticked"."""
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n") + "\n"
    text = text.rstrip("\n")
    found = _FULL.match(text)
    for pattern in _WITHOUT_BOXES if not found else ():
        found = pattern.match(text)
        if found:
            break
    if not found:
        return None
    result = {}
    for key, _ in ORDER:
        value = found.group(key)
        if value is None:
            result[key] = UNREADABLE if key == "kerahasiaan" else ""
            continue
        value = value.strip()
        result[key] = "" if value.lower() in NO_RESPONSE else value
    return result


def confidentiality(answer: str) -> tuple[bool, bool]:
    """(confidential, readable) from the answer of the confidentiality checkbox. Fails closed:
    only exactly one untouched box with the form's own option text means "public"."""
    lines = [line.strip() for line in (answer or "").split("\n") if line.strip()]
    if answer == UNREADABLE or len(lines) != 1:
        return True, False
    found = re.fullmatch(r"[-*]\s*\[( |x|X)\]\s*(.*)", lines[0])
    if not found or found.group(2).strip() != CONFIDENTIAL_OPTION:
        return True, False
    return found.group(1) != " ", True


def _choice(text: str, options: dict[str, str]) -> str:
    """A drop-down answer "Poli Umum (poli_umum)" -> poli_umum; also accepts the id or the name."""
    found = re.search(r"\(([a-z][a-z0-9_]*)\)\s*$", text)
    if found:
        return found.group(1)
    lowered = text.strip().lower()
    for key, name in options.items():
        if lowered in (key, str(name).lower()):
            return key
    return text.strip()


def _waktu(text: str) -> str:
    """`2026-11-23 09.30` (Indonesian) or `2026-11-23 9:30` -> `2026-11-23 09:30`."""
    text = text.strip()
    found = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2})[.:](\d{2})", text)
    return f"{found.group(1)} {int(found.group(2)):02d}:{found.group(3)}" if found else text


def complaint_data(fields: dict[str, str], policy: Policy) -> tuple[dict, list[str]]:
    """The complaint's front matter from the form, and what is wrong with the answers."""
    errors = []
    data = {"id": None,
            "judul": fields.get("judul", "").strip(),
            "diterima": _waktu(fields.get("diterima", "")),
            "kanal": _choice(fields.get("kanal", ""), {key: channel_label(key, policy)
                                                      for key in {**CHANNEL_LABELS, **policy.channels}}),
            "jenis": _choice(fields.get("jenis", ""), KIND_LABELS),
            "unit": _choice(fields.get("unit", ""), policy.units),
            "ringkasan": fields.get("ringkasan", "").strip()}
    for key in ("judul", "diterima", "kanal", "jenis", "unit", "ringkasan"):
        if not data[key]:
            errors.append(f"kolom “{LABELS[key]}” kosong.")
    if data["diterima"] and not is_waktu(data["diterima"]):
        errors.append(f"“{LABELS['diterima']}” `{data['diterima']}` bukan waktu yang sah; tulis mis. "
                      "`2026-01-05 09:30`.")
    if data["unit"] and data["unit"] not in policy.units:
        errors.append(f"unit `{data['unit']}` tidak ada di puskesmas.yaml.")
    if data["kanal"] and data["kanal"] not in policy.channels:
        errors.append(f"kanal `{data['kanal']}` tidak ada di puskesmas.yaml.")
    if confidentiality(fields.get("kerahasiaan", UNREADABLE))[0]:
        data["kerahasiaan"] = "rahasia"
    reporter = {key: fields.get(f"pelapor_{key}", "").strip() for key in ("nama", "kontak", "alamat")}
    reporter = {key: value for key, value in reporter.items() if value}
    if reporter:
        data["pelapor"] = reporter
    return data, errors


def redact(body: str) -> str:
    """The issue body with every filled private field replaced by "[disembunyikan]" (the body
    rebuilt from its structure); a body without the form's structure is hidden whole."""
    fields = parse_body(body)
    if fields is None:
        return HIDDEN + "\n"
    out = []
    for key, _ in ORDER:
        value = fields[key]
        if key == "kerahasiaan" and value == UNREADABLE:
            continue
        if key in PRIVATE and value:
            value = HIDDEN
        out += [f"### {LABELS[key]}", "", value or "_No response_", ""]
    return "\n".join(out).rstrip("\n") + "\n"
