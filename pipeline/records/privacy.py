"""What of a complaint may reach the web, and warnings for personal data in public text.

Publishing works from an ALLOWLIST: `public_view` walks `schema/complaint.schema.json` and keeps
only the fields whose schema says `x-visibility: public` (a field without the mark, or unknown to
the schema, is dropped: fail closed). The body of the file (private working notes) is never part
of the data at all.

`personal_data_warnings` looks for things that look like personal data in the public text fields
(phone numbers, e-mail addresses, NIK, home addresses, names) and reports them as warnings,
not errors: a reviewer who checked one and found it harmless (the Puskesmas's own WhatsApp
number, "Ibu Kota") lists the exact fragment under the private field `privasi_diperiksa`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.records import schemas
from pipeline.records.complaint import field_at
from pipeline.records.problems import Problem
from pipeline.records.schemaref import follow_refs
from pipeline.records.policy import Policy

COMPLAINT_SCHEMA = "complaint.schema.json"
PUBLIC = "public"

# Public free-text fields that people write by hand (and so may leak personal data into).
PUBLIC_TEXT_FIELDS = [
    ("judul",),
    ("ringkasan",),
    ("tanggapan", "isi"),
    ("rencana_tindak_lanjut", "isi"),
    ("rencana_tindak_lanjut", "hasil"),
]


# --- the allowlist ------------------------------------------------------------------------------

_RESOLVED: dict[int, tuple] = {}  # id(schema) -> (schema, root, resolved); schemas load once


def _resolve(schema: dict, root: dict) -> dict:
    """`follow_refs`, remembered per schema node: every complaint walks the same few nodes."""
    cached = _RESOLVED.get(id(schema))
    if cached is not None and cached[0] is schema and cached[1] is root:
        return cached[2]
    resolved = follow_refs(schema, root)
    _RESOLVED[id(schema)] = (schema, root, resolved)   # holding `schema` keeps its id unique
    return resolved


def _public_value(value, schema: dict, root: dict):
    """The public part of `value` described by `schema` (whose own visibility was already checked)."""
    schema = _resolve(schema, root)
    if isinstance(value, dict):
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            return None  # an object whose fields the schema does not name: nothing is known public
        result = {}
        for key in sorted(value):
            child = properties.get(key)
            if isinstance(child, dict) and child.get("x-visibility") == PUBLIC:
                kept = _public_value(value[key], child, root)
                if kept is not None:
                    result[key] = kept
        return result
    if isinstance(value, list):
        items = schema.get("items", {})
        kept_items = [_public_value(item, items if isinstance(items, dict) else {}, root) for item in value]
        return [item for item in kept_items if item is not None]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return None  # anything else (dates, custom objects) is not plain data: drop it


def public_view(complaint) -> dict:
    """The fields of a complaint (a Complaint or its front-matter dict) that may be published.

    Built by walking the schema's `x-visibility: public` marks; never includes the file's body.
    """
    data = complaint if isinstance(complaint, dict) else complaint.data
    root = schemas.load_schema(COMPLAINT_SCHEMA)
    if not isinstance(data, dict):
        return {}
    return _public_value(data, root, root) or {}


def field_paths(visibility: str, schema: dict | None = None) -> list[tuple]:
    """Every field path of the complaint schema with the given x-visibility (e.g. "private").

    A private object's sub-fields are listed under it as well. Used by the tests to plant a
    canary in every private field, so a field added to the schema later is covered too.
    """
    root = schema or schemas.load_schema(COMPLAINT_SCHEMA)
    paths: list[tuple] = []

    def walk(node: dict, prefix: tuple):
        node = _resolve(node, root)
        for key, child in sorted((node.get("properties") or {}).items()):
            path = prefix + (key,)
            if child.get("x-visibility") == visibility:
                paths.append(path)
            walk(child, path)

    walk(root, ())
    return paths


# --- personal data in public text ---------------------------------------------------------------

# Kinds: phone numbers (mobile with 0/62/+62, any landline with +62), e-mail addresses, NIK in every
# common layout (16 digits, 6-6-4 and 4-4-4-4 with spaces, dots or dashes), home addresses (street
# with house number, gang, RT/RW, housing block) and names: after a title written in any case
# ("bu Sri", "Pak Budi", "Sdr. Andi", "mbak Rina"), after words that introduce a person ("bernama",
# "atas nama", "pasien", "dari", "oleh" + two capitalised words). Measured on the labelled corpus
# tests/data/data_pribadi.tsv by bench/bench_privacy.py (precision and recall).
_SEP = r"[\s.\-]?"
_NAME_WORD = r"[A-Z][a-z][\w'’-]*|[A-Z]\.(?!\w)"  # Sri, Wahyuni; an initial ("A.") too
_NAME = rf"(?:{_NAME_WORD})(?:[ \t]+(?:{_NAME_WORD}))*"
TITLES = (r"(?i:bapak|ibu|bpk\.?|pak|bu|sdr\.?|sdri\.?|saudara|saudari|tn\.|ny\.|nn\.|mbak|mba|mas|kak|dik|"
           r"om|tante|eyang|mbah|nenek|kakek|almarhum|almarhumah|alm\.|almh\.)")
_STRONG = r"(?i:bernama|atas nama|a\.\s?n\.|yang bersangkutan \(|nama pelapor:?|nama pasien:?)"
_WEAK = r"(?i:dari|oleh|pasien|pelapor|keluarga|anaknya,?|suaminya|istrinya|ibunya|ayahnya|cucunya)"
_PATTERNS = [
    ("nomor telepon", re.compile(
        r"(?<![\w+])\(?(?:\+62|62|0)" + _SEP + r"\(?8\d{1,2}\)?(?:" + _SEP + r"\d){6,10}(?!\d)"
        r"|(?<![\w+])\+62" + _SEP + r"\(?[1-9]\d{1,3}\)?(?:" + _SEP + r"\d){5,9}(?!\d)")),
    ("alamat email", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)),
    ("NIK (16 angka)", re.compile(r"(?<![\d.-])[1-9]\d{5}([ .-]?)\d{6}\1\d{4}(?![\d])"
                                  r"|(?<![\d.-])[1-9]\d{3}([ .-]?)\d{4}\2\d{4}\2\d{4}(?!\d)")),
    ("alamat rumah", re.compile(
        r"(?<!\w)(?i:jl|jln|jalan)\.?[ \t]+[A-Z0-9][\w.'’-]*(?:[ \t]+[A-Z0-9][\w.'’-]*)*"
        r"(?:[ \t,]+(?i:gg|gang)\.?[ \t]+[\w]+(?:[ \t]+[IVX\d]+)?)?[ \t,]+(?i:no|nomor)\.?[ \t]*\d+[A-Za-z]?"
        r"|(?<!\w)(?i:gg|gang)\.?[ \t]+[A-Z][\w]*(?:[ \t]+[IVX\d]+)?[ \t,]+(?i:no|nomor)\.?[ \t]*\d+[A-Za-z]?"
        r"|(?<!\w)RT\.?[ \t]*\d{1,3}[ \t]*/?[ \t]*RW\.?[ \t]*\d{1,3}"
        r"|(?<!\w)(?i:perum|perumahan|komplek|kompleks)\.?[ \t]+[A-Z][\w]*(?:[ \t]+[A-Z][\w]*)*[ \t]+(?i:blok)[ \t]+[A-Z0-9-]+")),
    ("nama orang", re.compile(rf"(?<![\w/])(?:{TITLES})[ \t]+(?P<name>{_NAME})")),
    ("nama orang", re.compile(rf"(?<![\w/]){_STRONG}[ \t]*(?P<name>{_NAME})")),
    ("nama orang", re.compile(rf"(?<![\w/]){_WEAK}[ \t]+(?P<name>(?:{_NAME_WORD})(?:[ \t]+(?:{_NAME_WORD}))+)")),
]
# Capitalised words after a title or a context word that are not names (roles, places, days ...).
NOT_NAMES = {
    "Hamil", "Menyusui", "Nifas", "Bersalin", "Balita", "Kota", "Rumah", "Dan", "Atau", "Yang",
    "Kepala", "Dokter", "Bidan", "Perawat", "Petugas", "Pasien", "Pelapor", "Pengguna", "Kader",
    "Puskesmas", "Lurah", "Camat", "Ketua", "Para", "Guru", "Di", "Ke", "Dari", "Pkk", "PKK",
    "Presiden", "Pertiwi", "Bupati", "Walikota", "Wali", "Gubernur", "Menteri", "Kades", "Direktur",
    "Sekretaris", "Apoteker", "Dinas", "Rt", "Rw", "Kepada", "Selamat", "Terima", "Mohon", "Senin", "Selasa",
    "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
    "Agustus", "September", "Oktober", "November", "Desember", "Ruang", "Poli", "Loket", "Unit", "Tim", "Tata",
    "Kasubbag", "Penanggung", "Koordinator", "Bapak", "Ibu", "Saudara", "Saudari", "Sdr", "Kami", "Anda",
    "Rsud", "Rs", "Klinik", "Kelurahan", "Kecamatan", "Desa", "Kabupaten", "Posyandu", "Pustu", "Polindes",
    "Laboratorium", "Farmasi", "Apotek", "Umum", "Gigi", "Kia", "Kb", "Ugd", "Igd", "Bpjs", "Jkn", "Kis",
    # institutions after "dari"/"oleh" ("oleh Kementerian Sosial", "dari Instalasi Farmasi Kota")
    "Kementerian", "Kemenkes", "Instalasi", "Badan", "Balai", "Lembaga", "Komisi", "Ombudsman",
    "Pemerintah", "Pemkot", "Pemkab", "Pemprov", "Kantor", "Bagian", "Bidang", "Seksi", "Sakit",
    "Program", "Layanan", "Pelayanan", "Universitas", "Sekolah", "Satgas", "Bpom", "Palang",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int


def _is_name(match) -> bool:
    first = match.group("name").split()[0].rstrip(".")
    return first not in NOT_NAMES and first.capitalize() not in NOT_NAMES


def find_personal_data(text: str) -> list[Finding]:
    """Fragments of `text` that look like personal data, in the order they appear (a fragment
    found by two patterns of the same kind is reported once)."""
    findings: list[Finding] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if kind == "nama orang" and not _is_name(match):
                continue
            fragment = match.group(0).strip()
            start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            found = Finding(kind, fragment, start, start + len(fragment))
            if not any(other.kind == kind and other.start < found.end and found.start < other.end
                       for other in findings):
                findings.append(found)
    return sorted(findings, key=lambda finding: (finding.start, finding.end, finding.kind))


def _covered(text: str, fragments: list[str]) -> list[tuple[int, int]]:
    spans = []
    for fragment in fragments:
        if not fragment:
            continue
        start = text.find(fragment)
        while start != -1:
            spans.append((start, start + len(fragment)))
            start = text.find(fragment, start + 1)
    return spans


def _policy_contacts(policy: Policy) -> list[str]:
    """The Puskesmas's own published contact details (its WhatsApp number, its e-mail)."""
    if policy is None:
        return []
    contacts = []
    for details in (policy.channels or {}).values():
        if isinstance(details, dict):
            contacts += [str(details[key]) for key in ("nomor", "alamat") if details.get(key)]
    return contacts


def personal_data_warnings(complaint, policy: Policy | None = None) -> list[Problem]:
    """Warnings (not errors) for public text of one complaint that looks like personal data."""
    data = complaint.data
    if not isinstance(data, dict):
        return []
    accepted = data.get("privasi_diperiksa")
    accepted = [str(item) for item in accepted if isinstance(item, str)] if isinstance(accepted, list) else []
    own = _policy_contacts(policy)
    problems = []
    for path in PUBLIC_TEXT_FIELDS:
        value = field_at(data, path)
        if not isinstance(value, str):
            continue
        spans = _covered(value, accepted) + _covered(value, own)
        dotted = ".".join(path)
        for finding in find_personal_data(value):
            if any(start <= finding.start and finding.end <= end for start, end in spans):
                continue
            line, column = complaint.position(*path)
            problems.append(Problem(
                complaint.shown, line, column,
                f"`{dotted}` tampaknya memuat data pribadi ({finding.kind}: \"{finding.text}\"); "
                "teks ini akan dipublikasikan.",
                "Hapus atau samarkan data pribadi pelapor/petugas dari teks publik (tulis mis. "
                "\"pelapor\" atau \"petugas farmasi\"). Bila sudah diperiksa dan memang bukan data "
                "pribadi, tambahkan fragmennya persis ke daftar rahasia `privasi_diperiksa:`, mis. "
                f"`privasi_diperiksa: [\"{finding.text}\"]`.",
                dotted, "warning"))
    return problems
