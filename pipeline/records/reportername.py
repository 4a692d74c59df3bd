"""The reporter called by name in their own complaint's public text: an error.

A reporter's name is never published. The privacy gate finds a whole name ("Sulastri
Wahyuningsih") in the built site, but a reply addresses people by one name ("Terima kasih, Ibu
Sulastri") and many Indonesians have one short name ("Pak Eko"), which the gate does not search
(fewer than four characters would match ordinary words). After a title (`privacy.TITLES`: Ibu,
Pak, Sdr., Mbak, ...) any word of the reporter's name is a name, however short: `check` and the
build stop there, naming the field and its line, before the head is asked to approve the text.
`privasi_diperiksa` does not excuse it (nothing excuses publishing a reporter's name). A word of
the name alone, without a title, is only a warning (`privacy.personal_data_warnings`): "Bagus"
names Bagus Santoso, and "pelayanannya Bagus" does not.
"""
from __future__ import annotations

import re
import unicodedata

from pipeline.records.complaint import field_at
from pipeline.records.privacy import NOT_NAMES, PUBLIC_TEXT_FIELDS, TITLES
from pipeline.records.problems import Problem

# Words of a name field that name no one: degrees and religious titles ("Hj.", "S.Pd"), the words
# of a family tie or an unnamed reporter ("Keluarga Pasien", "Hamba Allah", "Warga RT 03")
NOT_NAME_PARTS = frozenset("""h hj haji hajah hajjah dr drg dra drs ir prof st s m a md amd se sh spd skm skep ners
    bd apt bin binti al el anonim anonymous tanpa nama keluarga warga hamba allah masyarakat pengunjung orang
    tua anak rt rw pak bu mbak mba mas kak dik tn ny nn om tante""".split()) | {word.casefold() for word in NOT_NAMES}
HONOURS = r"(?i:hj|h|haji|hajah|hajjah|dr|drg|dra|drs|ir|prof)"   # also between: "Ibu Hj. Sulastri"
_TITLE_BEFORE = re.compile(rf"(?<!\w)(?:{TITLES}|{HONOURS}\.)(?:[\s*_]+|(?<=\.)[*_]*)"   # ("Bpk.Eko" too)
                           rf"(?:{HONOURS}(?:\.[\s*_]*|[\s*_]+))*$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def name_parts(name) -> list[str]:
    """The words of a reporter's name that name them (`NOT_NAME_PARTS` left out), composed (NFC);
    degrees after a comma ("Sulastri, S.Pd") left out too."""
    if not isinstance(name, str):
        return []
    words = (word.strip("'’-") for word in _WORD.findall(unicodedata.normalize("NFC", name.split(",")[0])))
    return [word for word in words if len(word) >= 2 and word.casefold() not in NOT_NAME_PARTS]


def reporter_called_by_name(complaint) -> list[Problem]:
    """An error for each public text field where a title is followed by a word of the reporter's
    name ("Ibu Sulastri", "pak eko")."""
    data = complaint.data
    reporter = data.get("pelapor") if isinstance(data, dict) else None
    parts = name_parts(reporter.get("nama")) if isinstance(reporter, dict) else []
    problems = []
    for path in PUBLIC_TEXT_FIELDS if parts else ():
        text = field_at(data, path)
        found = _called(text, parts) if isinstance(text, str) else None
        if found:
            dotted = ".".join(path)
            line, column = complaint.position(*path)
            problems.append(Problem(
                complaint.shown, line, column,
                f"`{dotted}` menyebut pelapor dengan namanya (\"{found}\"); nama pelapor tidak boleh "
                "dipublikasikan, dan teks ini akan tampil di situs.",
                "Sebut pelapor tanpa nama, mis. \"Bapak/Ibu pelapor\" atau \"Ibu\" saja. Bila yang disebut "
                "orang lain yang kebetulan bernama sama (mis. petugas), tulis perannya: \"petugas loket\".",
                dotted))
    return problems


def reporter_name_warnings(complaint) -> list[Problem]:
    """A warning for each public text field holding a word of the reporter's name, capitalised,
    without a title before it ("Rahayu menyampaikan ..."): it may be their name, or a word
    ("Bagus"). A fragment listed under `privasi_diperiksa` was reviewed."""
    data = complaint.data
    reporter = data.get("pelapor") if isinstance(data, dict) else None
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
    """The first "title + word of the name" in `text`, as written, or None."""
    for match in _matches(text, parts):
        title = _TITLE_BEFORE.search(match.string, max(0, match.start() - 24), match.start())
        if title:
            return " ".join(match.string[title.start():match.end()].split())
    return None


def _bare_words(text: str, parts: list[str]) -> list[str]:
    """The words of the name in `text` written capitalised with no title before them."""
    return sorted({match.group() for match in _matches(text, parts) if match.group()[0].isupper() and not
                   _TITLE_BEFORE.search(match.string, max(0, match.start() - 24), match.start())})


def _matches(text: str, parts: list[str]):
    folded = text.casefold()
    composed = None
    for part in parts:
        if part.casefold() not in folded:   # (most texts: one search, no pattern)
            continue
        composed = composed or unicodedata.normalize("NFC", text)
        yield from re.finditer(rf"(?<!\w){re.escape(part)}(?!\w)", composed, re.IGNORECASE)
