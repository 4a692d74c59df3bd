"""YAML syntax errors in the terms a staff member knows: the line, the column, a message and a hint
in Indonesian for what libyaml reports (a quote left open, a tab, a colon inside a value ...).

`source.parse_yaml` calls `explain` when the parser stops; nothing here reads a file.
"""
from __future__ import annotations

import re

import yaml

from pipeline.records.nesting import misindented, value_looks_like_a_field

SYNTAX_HINT = ("Periksa indentasi (spasi, bukan tab), titik dua setelah nama kolom, dan tanda "
               "kutip yang berpasangan.")


def explain(err: yaml.MarkedYAMLError, text: str, first_line: int) -> tuple[int, int, str, str]:
    """(line, column, message, hint) in the terms a staff member knows, for a YAML syntax error.

    The line is in the file (the YAML text starts at its line `first_line`).
    """
    line, column, message, hint = _explain_in_text(err, text, first_line)
    return first_line + line - 1, column, message, hint


def _explain_in_text(err, text: str, first_line: int) -> tuple[int, int, str, str]:
    problem = (err.problem or "").strip()
    context = (err.context or "").strip()
    mark = err.problem_mark or err.context_mark
    lines = text.split("\n")
    if mark is None:
        return 1, 1, f"YAML tidak sah ({problem or context}).", SYNTAX_HINT

    def at(which) -> tuple[int, int]:
        return which.line + 1, which.column + 1

    line, column = at(mark)
    here = lines[mark.line] if mark.line < len(lines) else ""
    char = here[mark.column] if mark.column < len(here) else ""
    opened = _quote_swallowing_lines(lines, mark)
    if opened:
        return (opened[0], opened[1], "tanda kutip pembuka di baris ini tidak ditutup.",
                "Tambahkan tanda kutip penutup yang sama (\" atau ') di akhir nilainya; tanpa itu "
                f"semua teks sampai baris {first_line + line - 1} terbaca sebagai isi kolom ini.")
    if "tab" in problem or char == "\t" or ("\t" in here[:len(here) - len(here.lstrip())]):
        tab = here.find("\t")
        return (line, tab + 1 if tab >= 0 else column,
                "ada karakter tab; YAML hanya boleh menjorok dengan spasi.",
                "Ganti tab dengan spasi (mis. dua spasi per tingkat); di editor, matikan "
                "'indent using tabs'.")
    if problem.startswith("mapping values are not allowed"):
        nested = misindented(lines, mark.line)
        if nested:
            return line, 1, "indentasi baris ini salah.", nested
        nested = value_looks_like_a_field(here)
        if nested:
            return line, column, "ada dua nama kolom di satu baris.", nested
        if re.match(r"\s*[a-z_][a-z0-9_]*:\s+[\"']", here):   # quoted already: quoting is not the fix
            return (line, column, "ada titik dua (`: `) di tempat yang tidak diharapkan.",
                    "Tulis setiap kolom di baris sendiri; kolom di dalam sebuah bagian (mis. `lapor_tim`) "
                    "menjorok dua spasi, sejajar satu sama lain.")
        return (line, column, "ada titik dua (`: `) di tempat yang tidak diharapkan.",
                "Bila nilainya memuat titik dua, tulis seluruh nilai dalam tanda kutip, mis. "
                f"{_quoted_example(here)}. Bila ini kolom baru, tulis di baris sendiri.")
    if "end of stream" in problem and "quoted scalar" in context and err.context_mark:
        line, column = at(err.context_mark)
        return (line, column, "tanda kutip pembuka tidak ditutup.",
                "Tambahkan tanda kutip penutup yang sama (\" atau ') di akhir teks.")
    if problem.startswith("did not find expected ',' or") and err.context_mark:
        line, column = at(err.context_mark)
        opening = "[" if problem.endswith("']'") else "{"
        closing = "]" if opening == "[" else "}"
        return (line, column, f"`{opening}` tidak ditutup dengan `{closing}` (atau tanda koma kurang).",
                f"Tutup dengan `{closing}` dan pisahkan isinya dengan koma; teks yang memuat "
                "[ ] { } ditulis dalam tanda kutip.")
    if problem.startswith("could not find expected ':'") and err.context_mark:
        line, column = at(err.context_mark)
        return (line, column, "baris ini bukan `nama_kolom: nilai` (titik dua tidak ditemukan).",
                "Tambahkan titik dua setelah nama kolom; teks lanjutan dari baris sebelumnya harus "
                "menjorok lebih dalam daripada nama kolom.")
    if problem.startswith(("did not find expected key", "did not find expected '-' indicator")):
        before = here[:mark.column].rstrip()
        if before.endswith(("'", '"')):  # the line goes on after a closing quote
            return (line, column, "ada teks setelah tanda kutip penutup.",
                    "Masukkan seluruh teks ke dalam tanda kutip, atau hapus tanda kutipnya.")
        if before.strip():
            return (line, column, "ada teks yang tidak diharapkan setelah nilai di baris ini.",
                    _special_start_hint(here) or SYNTAX_HINT)
        return (line, column, "indentasi baris ini tidak sejajar dengan kolom lain yang setingkat.",
                misindented(lines, mark.line) or
                "Kolom yang setingkat harus diawali jumlah spasi yang sama; periksa spasi di awal "
                "baris ini dan baris di atasnya.")
    if problem.startswith("block sequence entries are not allowed"):
        return (line, column, "tanda daftar `- ` di tempat yang tidak diharapkan.",
                "Tulis setiap butir daftar di baris sendiri, menjorok di bawah nama kolom; bila "
                "teksnya memang diawali `- `, tulis dalam tanda kutip.")
    if problem.startswith("found unknown escape character"):
        return (line, column, "garis miring terbalik (`\\`) di dalam tanda kutip ganda.",
                "Pakai tanda kutip tunggal ('...'), atau tulis `\\\\`.")
    if "alphabetic or numeric" in problem and ("alias" in context or "anchor" in context):
        return (line, column - 1, f"nilai diawali `{'*' if 'alias' in context else '&'}`, "
                "yang di YAML punya arti khusus.", _quote_hint(here))
    if problem.startswith("found character that cannot start any token") and char:
        name = "tanda petik terbalik (`)" if char == "`" else f"`{char}`"
        return (line, column, f"nilai tidak boleh diawali {name} tanpa tanda kutip.",
                _quote_hint(here))
    if "tag" in problem:
        return line, column, "tag YAML (diawali `!`) tidak dikenal.", "Hapus tag yang diawali tanda seru (!)."
    if "another document" in problem or "document start" in problem:
        return (line, column, "ada lebih dari satu dokumen YAML (baris `---` di tengah).",
                "Hapus baris `---` atau `...` yang berlebih.")
    if problem.startswith("did not find expected comment or line break"):
        return line, column, "ada teks yang tidak diharapkan di akhir baris ini.", _special_start_hint(here) or SYNTAX_HINT
    if problem.startswith("did not find expected node content"):
        if err.context_mark and err.context_mark.line < mark.line:  # where the collection began
            line, column = at(err.context_mark)
        elif not here.strip():  # the text ended: point at the last line that says something
            filled = [number for number, text in enumerate(lines[:mark.line], 1) if text.strip()]
            line, column = (filled[-1], len(lines[filled[-1] - 1]) + 1) if filled else (line, column)
        return (line, column, "nilai tidak ditemukan: `[` atau `{` dibuka tetapi isinya tidak lengkap.",
                "Lengkapi dan tutup dengan `]` atau `}`; teks yang memuat [ ] { } ditulis dalam tanda kutip.")
    # Whatever libyaml says that we have not met: its words, but our sentence and hint.
    return line, column, f"YAML tidak sah (pesan pembaca YAML: {problem or context}).", SYNTAX_HINT


def _quote_swallowing_lines(lines: list[str], mark) -> tuple[int, int] | None:
    """(line, column) of a quote opened on an earlier line whose string ends on the error's line.

    `judul: "Antrean lama` (no closing quote) makes YAML read on until the next quote, lines
    later, and complain there; the real mistake is where the quote was opened.
    """
    for number in range(mark.line - 1, -1, -1):
        match = re.match(r"\s*(?:- )?[^\s#'\"][^:#]*?:\s+([\"'])", lines[number])
        if not match:
            continue
        quote, start = match.group(1), match.end(1)
        text = "\n".join(lines[number:mark.line + 1])
        offset = start - 0  # in `text`, which begins at the opening line
        while True:
            end = text.find(quote, offset)
            if end < 0:
                return None
            if quote == '"' and _escaped(text, end):
                offset = end + 1
                continue
            if quote == "'" and text.startswith("''", end):
                offset = end + 2
                continue
            break
        closing_line = number + text.count("\n", 0, end)
        before_closing = text[text.rfind("\n", 0, end) + 1:end]
        # It swallowed lines if the quote that "closes" it was meant to open the next field's value.
        if closing_line == mark.line > number and _FIELD_START.fullmatch(before_closing):
            return number + 1, start
        return None
    return None


_FIELD_START = re.compile(r"\s*(?:- )?[^\s#'\"][^:#]*:\s+")


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _quoted_example(line: str) -> str:
    """`judul: "Keluhan: antrean lama"` for the line `judul: Keluhan: antrean lama`."""
    match = re.match(r"\s*(?:- )?([^\s:#'\"][^:#]*?):\s+(\S.*?)\s*$", line)
    if not match:
        return 'judul: "..."'
    value = match.group(2)
    quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
    return f"{match.group(1)}: {quoted}"


_SPECIAL_START = re.compile(r"^\s*(?:- )?[^\s:#'\"][^:]*:\s+([\[{|>!])")


def _special_start_hint(line: str) -> str | None:
    """`judul: [Penting] antrean`: a value starting with a sign YAML reads as its own (a list, a
    text block, a tag), with how to write it as text."""
    start = _SPECIAL_START.match(line)
    if not start:
        return None
    meaning = {"[": "awal daftar", "{": "awal kumpulan kolom", "|": "tanda teks bertingkat",
               ">": "tanda teks bertingkat", "!": "tag"}[start.group(1)]
    return f"Nilai yang diawali `{start.group(1)}` dibaca YAML sebagai {meaning}. " + _quote_hint(line)


def tag_hint(tag: str, value: str | None) -> str:
    """How to fix a tag: a word after `!` (`!Penting antrean`) may be the text's own, quoted;
    a `!!` tag is a program's, taken out."""
    if value is not None and tag.startswith("!") and tag[1:2].isalpha():
        return (f"Bila tanda seru itu bagian teksnya (`!Penting`), tulis seluruh nilai dalam tanda kutip, mis. "
                f"\"{tag} {value}\"; bila bukan, hapus tag yang diawali tanda seru (!).")
    return "Hapus tag yang diawali tanda seru (!); tulis nilainya biasa saja."


def _quote_hint(line: str) -> str:
    return f"Tulis nilai itu dalam tanda kutip, mis. {_quoted_example(line)}."
