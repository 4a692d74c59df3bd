"""The reporter in their own complaint's public text: an error, said by `check` at the field.

A reporter's name and contacts are never published. The privacy gate stops a build whose files
hold one, but it names only the output file, and only after the build; `check`, which staff run
and the pull request shows, said nothing or a warning that `privasi_diperiksa` could silence
(found by hand: `nama: Indah` beside "ruang tunggu tidak indah" stopped the build with `check`
content). So each public text field (`privacy.PUBLIC_TEXT_FIELDS`) is an error here when it holds:

- the reporter's `nama`, `kontak` or `alamat` whole, as the gate looks for it (whole words, any
  case; a phone number by its digits, in any layout): the gate cannot tell a name from a word;
- a title followed by any word of the name ("Terima kasih, Ibu Sulastri" for Hj. Sulastri
  Wahyuningsih; "Pak Eko" for Eko, whom the gate does not search: fewer than four characters
  would match ordinary words).

`privasi_diperiksa` does not excuse these (nothing excuses publishing a reporter's identity), and
the personal-data warnings of such a field, which offer it, are left out. A word of the name
alone, capitalised, without a title, is only a warning (`reporter_word_warnings`): "Bagus" names
Bagus Santoso, and "pelayanannya Bagus" does not.
"""
from __future__ import annotations

import re
import unicodedata

from pipeline.records.complaint import field_at
from pipeline.records.policy import Policy
from pipeline.records.privacy import NOT_NAMES, PUBLIC_TEXT_FIELDS, TITLES
from pipeline.records.problems import Problem

# Words of a name field that name no one: degrees and religious titles ("Hj.", "S.Pd"), the words
# of a family tie or an unnamed reporter ("Keluarga Pasien", "Hamba Allah", "Warga RT 03")
NOT_NAME_PARTS = frozenset("""h hj haji hajah hajjah dr drg dra drs ir prof st s m a md amd se sh spd skm skep ners
    bd apt bin binti al el anonim anonymous tanpa nama keluarga warga hamba allah masyarakat pengunjung orang
    tua anak rt rw pak bu mbak mba mas kak dik tn ny nn om tante tidak disebutkan diketahui ada""".split()) \
    | {word.casefold() for word in NOT_NAMES}
HONOURS = r"(?i:hj|h|haji|hajah|hajjah|dr|drg|dra|drs|ir|prof)"   # only after a title: "Ibu Hj. Sulastri"
# a title, then the name on the same line ("Bpk.Eko" too); not a title in a place's name
# ("RSUD dr. Saiful Anwar", "Jl. KH Mas Mansyur": found by a helper)
_TITLE_BEFORE = re.compile(rf"(?<!\w)(?P<title>{TITLES})(?:[ \t*_]+|(?<=\.)[*_]*)"
                           rf"(?:{HONOURS}(?:\.[ \t*_]*|[ \t*_]+))*$")
_PLACE_BEFORE = re.compile(r"(?i)(?:\b(?:jl|jln|jalan|gg|gang|rs\w*|rumah sakit|kh|k\.h|puskesmas|pustu)\.?[ \t]*)$")
REPORTER_FIELDS = ("nama", "kontak", "alamat")
WHOLE_LEAST = 4   # as the gate: a shorter value (`Eko`) only after a title
_PHONE = re.compile(r"\+?[\d][\d\s\-./()]{7,}\d")
_NUMBER = re.compile(r"\+?\d[\d \t\-./()]{7,}\d")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def name_parts(name) -> list[str]:
    """The words of a reporter's name that name them (`NOT_NAME_PARTS` left out), composed (NFC);
    degrees after a comma ("Sulastri, S.Pd") left out too."""
    if not isinstance(name, str):
        return []
    words = (word.strip("'’-") for word in _WORD.findall(unicodedata.normalize("NFC", name.split(",")[0])))
    return [word for word in words if len(word) >= 2 and word.casefold() not in NOT_NAME_PARTS]


def reporter_in_public_text(complaint, policy: Policy | None = None) -> list[Problem]:
    """An error for each public text field holding the reporter's name, contact or address whole,
    or a title followed by a word of the name ("Ibu Sulastri", "pak eko"). Not for a confidential
    complaint (its text is never published), nor for a value the site itself says (the policy's:
    an address "Kauman" beside a unit "PUSTU Kauman"), as the gate."""
    data = complaint.data
    reporter = data.get("pelapor") if isinstance(data, dict) else None
    if not isinstance(reporter, dict) or not complaint.is_public:
        return []
    parts = name_parts(reporter.get("nama"))
    values = [(field, value, _national(value)) for field in REPORTER_FIELDS
              if isinstance(value := reporter.get(field), str) and len(" ".join(value.split())) >= WHOLE_LEAST
              and _identifies(field, value, parts)]
    problems = []
    for path in PUBLIC_TEXT_FIELDS if values or parts else ():
        text = field_at(data, path)
        if not isinstance(text, str):
            continue
        dotted = ".".join(path)
        held = next((field for field, value, digits in values if _holds(text, value, digits)
                     and not _said_by_the_site(value, policy)), None)   # (the site's own words last: rare)
        called = None if held else _called(text, parts)
        if held:
            message = (f"`{dotted}` memuat `pelapor.{held}` pengaduan ini; data pelapor tidak boleh "
                       "dipublikasikan (gerbang privasi menghentikan build).")
            hint = ("Hapus atau ganti kata itu. Bila itu kata biasa yang kebetulan sama dengan data pelapor "
                    "(mis. nama Indah dan \"tidak indah\"), pakai kata lain (\"kurang nyaman\"): situs tidak "
                    "dapat membedakan keduanya.")
        elif called:
            message = (f"`{dotted}` menyebut pelapor dengan namanya (\"{called}\"); nama pelapor tidak boleh "
                       "dipublikasikan, dan teks ini akan tampil di situs.")
            hint = ("Sebut pelapor tanpa nama, mis. \"Bapak/Ibu pelapor\" atau \"Ibu\" saja. Bila yang disebut "
                    "orang lain yang kebetulan bernama sama (mis. petugas), tulis perannya: \"petugas loket\".")
        else:
            continue
        line, column = complaint.position(*path)
        problems.append(Problem(complaint.shown, line, column, message, hint, dotted))
    return problems


def _identifies(field: str, value: str, parts: list[str]) -> bool:
    """A name with a word that names (not "Hamba Allah", "Keluarga pasien"), a contact that is a
    number or an address (not "Tidak ada"), an address."""
    if field == "nama":
        return bool(parts)
    if field == "kontak":
        return "@" in value or _national(value) is not None
    return True


def _said_by_the_site(value: str, policy: Policy | None) -> bool:
    """Whether the policy (published on every page) holds `value` as whole words."""
    if policy is None:
        return False
    said = [policy.name, *policy.identity.fields().values(), *policy.units.values(),
            *(str(detail) for details in policy.channels.values() if isinstance(details, dict)
              for detail in details.values())]
    digits = _national(value)
    return any(_holds(text, value, digits) for text in said if isinstance(text, str))


def _holds(text: str, value: str, digits: str | None = None) -> bool:
    """Whether `text` holds `value` as the gate would find it: whole words, any case and spacing;
    a phone number (`digits`: its digits after 0, 62 or +62) in any layout. (A search for the
    value's last digits, or its first word, rules most texts out first: 0.49 s for 10,000
    complaints without it.)"""
    if digits:
        return digits[-4:] in text and any(_national(run) == digits for run in _NUMBER.findall(text))
    value = " ".join(value.casefold().split())
    if value.split(" ", 1)[0] not in text.casefold():
        return False
    text = " ".join(text.casefold().split())
    return value in text and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text) is not None


def _national(value: str) -> str | None:
    """A phone number's digits after its prefix (0, 62, +62), or None for other text."""
    if not _PHONE.fullmatch(value.strip()):
        return None
    digits = re.sub(r"\D", "", value)
    digits = digits[2:] if digits.startswith("62") else digits[1:] if digits.startswith("0") else digits
    return digits if len(digits) >= 9 else None


def reporter_word_warnings(complaint) -> list[Problem]:
    """A warning for each public text field holding a word of the reporter's name, capitalised,
    without a title before it ("Rahayu menyampaikan ..."): it may be their name, or a word
    ("Bagus"). A fragment listed under `privasi_diperiksa` was reviewed."""
    data = complaint.data
    reporter = data.get("pelapor") if isinstance(data, dict) and complaint.is_public else None
    parts = [part for part in name_parts(reporter.get("nama")) if len(part) >= 3] if isinstance(reporter, dict) else []
    reviewed = data.get("privasi_diperiksa") if parts else None
    reviewed = [item for item in reviewed if isinstance(item, str)] if isinstance(reviewed, list) else []
    problems = []
    for path in PUBLIC_TEXT_FIELDS if parts else ():
        text = field_at(data, path)
        for word in _bare_words(text, parts) if isinstance(text, str) else ():
            if any(word in fragment for fragment in reviewed):
                continue
            dotted = ".".join(path)
            line, column = complaint.position(*path)
            problems.append(Problem(
                complaint.shown, line, column,
                f"`{dotted}` memuat \"{word}\", kata dari nama pelapor; teks ini akan dipublikasikan.",
                "Bila itu nama pelapor, hapus (tulis \"pelapor\"). Bila bukan (kata biasa, orang lain), "
                f"tambahkan fragmennya ke daftar `privasi_diperiksa:`, mis. `privasi_diperiksa: [\"{word}\"]`.",
                dotted, "warning"))
    return problems


def _called(text: str, parts: list[str]) -> str | None:
    """The first "title + word of the name" in `text`, as written, or None. A name written small
    only after a title written small ("pak eko"): "Bapak hari Senin" names no Hari."""
    for match in _matches(text, parts):
        title = _title_before(match)
        if title and (match.group()[0].isupper() or title.group("title")[0].islower()):
            return " ".join(match.string[title.start():match.end()].split())
    return None


def _title_before(match):
    title = _TITLE_BEFORE.search(match.string, max(0, match.start() - 24), match.start())
    if title is None or _PLACE_BEFORE.search(match.string, max(0, title.start() - 16), title.start()):
        return None
    return title


def _bare_words(text: str, parts: list[str]) -> list[str]:
    """The words of the name in `text` written capitalised with no title before them."""
    return sorted({match.group() for match in _matches(text, parts) if match.group()[0].isupper() and not
                   _title_before(match)})


def _matches(text: str, parts: list[str]):
    folded = text.casefold()
    composed = None
    for part in parts:
        if part.casefold() not in folded:   # (most texts: one search, no pattern)
            continue
        composed = composed or unicodedata.normalize("NFC", text)
        yield from re.finditer(rf"(?<!\w){re.escape(part)}(?!\w)", composed, re.IGNORECASE)
