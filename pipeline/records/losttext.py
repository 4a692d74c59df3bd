"""Text that YAML drops or merges without a word, said at its line.

Two slips parse without an error, yet change what the site shows:

- a ` #` inside a value starts a comment: `judul: Antrean #farmasi lama` is published as
  "Antrean", `ringkasan: #antreanlama ...` as nothing ("belum diisi"), and Instagram complaints
  are full of hashtags;
- a list item indented deeper than the one above it continues that item's text:
  `- Ketua tim` over `   - Koordinator farmasi` is one participant, "Ketua tim - Koordinator
  farmasi".

A comment written on purpose has a space after its `#` (`pelapor:  # RAHASIA`); so only a `#`
followed by a letter or a digit is looked at, and most files have none (one search). Where one
is, YAML's own scanner says whether it is a comment, and after what.
"""
from __future__ import annotations

import re

import yaml
from yaml.tokens import (BlockEntryToken, BlockMappingStartToken, BlockSequenceStartToken, FlowEntryToken,
                         FlowSequenceStartToken, KeyToken, ScalarToken, TagToken, ValueToken)

from pipeline.records.problems import Problem

_HASHTAG = re.compile(r"[ \t]#[^\s#]")
_BANG = re.compile(r"[:\-][ \t]+![ \t]")   # `judul: ! antrean`: a tag, not text
_ITEM_LINE = re.compile(r"\n([ \t]+)- ")
_OPENS_BLOCK = (":", "|", ">", "|-", ">-", "|+", ">+")   # (a line after which items or a text block are deeper)
_ITEM_IN_TEXT = re.compile(r"\n[ \t]*- ")
# the fields whose value is text (a code, a time, an id after `#` loses no text from the site)
TEXT_KEYS = frozenset("""judul ringkasan isi hasil nama kontak alamat catatan petugas keterangan penanggung_jawab
    catatan_internal disetujui_oleh tanggal_teks""".split())
_AFTER_VALUE = (ValueToken, BlockEntryToken, FlowEntryToken, FlowSequenceStartToken)
_SECTION = (BlockMappingStartToken, BlockSequenceStartToken, BlockEntryToken)


def lost_text(text: str, shown: str, first_line: int = 1, loader=yaml.SafeLoader) -> list[Problem]:
    """The problems of YAML `text` that parsed: a hashtag read as a comment, an item merged."""
    if not (("\t#" in text or " #" in text) and _HASHTAG.search(text)) and not _deeper_item(text) and \
            not ("!" in text and _BANG.search(text)):
        return []   # (10 µs a file at most: a full build reads them all)
    try:
        tokens = list(yaml.scan(text, Loader=loader))
    except yaml.YAMLError:
        return []   # (the parser said what is wrong)
    line = lambda index: first_line + text.count("\n", 0, index)   # noqa: E731
    problems = [Problem(shown, line(at), column, message, hint, severity=severity)
                for at, column, message, hint, *kind in _hashtags(text, tokens) + _merged_items(text, tokens)
                + _bangs(tokens) for severity in [kind[0] if kind else "error"]]
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


def _deeper_item(text: str) -> bool:
    """Whether a list item is indented deeper than a line of text above it (`- Ketua tim`)."""
    for match in _ITEM_LINE.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        above = text[start:match.start()]
        if above.strip() and len(match.group(1)) > len(above) - len(above.lstrip()) and \
                not above.rstrip().endswith(_OPENS_BLOCK):
            return True
    return False


def _hashtags(text: str, tokens: list) -> list[tuple]:
    found = []
    for match in _HASHTAG.finditer(text):
        at = match.start() + 1
        if any(token.start_mark.index <= at < token.end_mark.index for token in tokens
               if isinstance(token, ScalarToken)):
            continue   # (inside a value: quoted, a `|` block, or a `#` with no space before it)
        before = [index for index, token in enumerate(tokens) if token.end_mark.index <= at]
        if not before:
            continue
        last = before[-1]
        token, column = tokens[last], at - text.rfind("\n", 0, at)
        rest = text[at:text.find("\n", at) if "\n" in text[at:] else len(text)].rstrip()
        key = _key_before(tokens, last)
        is_value = isinstance(token, ScalarToken) and token.plain and last and isinstance(tokens[last - 1], _AFTER_VALUE)
        # what a text field loses is an error; a note after a code (`status: dijawab #cekLagi`) loses no text
        severity = "error" if key is None or key in TEXT_KEYS else "warning"
        if token.end_mark.line != text.count("\n", 0, at):
            # a comment on a line of its own: lost text when it sits where the value's text goes on
            # (`ringkasan: ...` then `  #antreanlama di loket`), indented deeper than its key
            if is_value and key in TEXT_KEYS and column - 1 > _key_column(tokens, last) and \
                    text.count("\n", token.end_mark.index, at) == 1:
                found.append((at, column, f"baris ini diawali `#`, yang dibaca YAML sebagai komentar: teksnya TIDAK "
                              f"disimpan, dan `{key}` berhenti di baris sebelumnya.",
                              "Tulis seluruh nilainya dalam tanda kutip (boleh lebih dari satu baris), atau hapus `#`."))
            continue
        if is_value:
            written = f"{key}: \"{token.value} {rest}\"" if key else f"\"{token.value} {rest}\""
            found.append((at, column, f"teks setelah ` #` di baris ini dibaca YAML sebagai komentar dan TIDAK "
                          f"disimpan: `{rest}`.", f"Tulis seluruh nilainya dalam tanda kutip, mis. {written}"
                          + ("" if severity == "error" else "; bila itu catatan, tulis di badan berkas di bawah `---`."),
                          severity))
        elif isinstance(token, ValueToken) and key and not (last + 1 < len(tokens) and
                                                           isinstance(tokens[last + 1], _SECTION)):
            found.append((at, column, f"nilai `{key}` diawali `#`, yang dibaca YAML sebagai awal komentar: "
                          f"`{key}` jadi kosong dan teksnya TIDAK disimpan.",
                          f"Tulis nilainya dalam tanda kutip, mis. {key}: \"{rest}\""))
    return found


def _bangs(tokens: list) -> list[tuple]:
    """A lone `!` before a value: YAML's tag for "text", not part of the text (it is dropped)."""
    found = []
    for index, token in enumerate(tokens[:-1]):
        if isinstance(token, TagToken) and token.value == (None, "!") and isinstance(tokens[index + 1], ScalarToken):
            value, key = tokens[index + 1].value, _key_before(tokens, index)
            written = f"{key}: \"! {value}\"" if key else f"\"! {value}\""
            found.append((token.start_mark.index, token.start_mark.column + 1,
                          "tanda seru (`!`) di awal nilai dibaca YAML sebagai tag dan TIDAK disimpan.",
                          f"Bila tanda seru itu bagian teksnya, tulis seluruh nilainya dalam tanda kutip, mis. {written}; "
                          "bila bukan, hapus."))
    return found


def _key_column(tokens: list, index: int) -> int:
    """The column of the key whose value ends at `tokens[index]`."""
    for back in range(index, max(index - 4, 0) - 1, -1):
        if isinstance(tokens[back], ValueToken) and back:
            return tokens[back - 1].start_mark.column
    return tokens[index].start_mark.column


def _key_before(tokens: list, index: int) -> str | None:
    """The key whose value ends at `tokens[index]` (`key: value`), or None (a list item)."""
    for back in range(index, max(index - 4, 0) - 1, -1):
        if isinstance(tokens[back], ValueToken):
            key = tokens[back - 1] if back else None
            return key.value if isinstance(key, ScalarToken) and isinstance(tokens[back - 2], KeyToken) else None
        if isinstance(tokens[back], (BlockEntryToken, FlowEntryToken, FlowSequenceStartToken)):
            return None
    return None


def _merged_items(text: str, tokens: list) -> list[tuple]:
    """An item's text going on in a line `- ...` indented less than that text: a person's item
    one space off. (A program folding a long item, as the web editor's YAML writer does at 80
    characters, indents the rest as deep as the text, and may break before a " - ": that is not
    said. A key's value merged with items is said by the schema: a text where a list belongs.)"""
    found = []
    for index, token in enumerate(tokens):
        if not (isinstance(token, ScalarToken) and token.plain and token.start_mark.line != token.end_mark.line
                and index and isinstance(tokens[index - 1], BlockEntryToken)):
            continue
        merged = next((match for match in _ITEM_IN_TEXT.finditer(text, token.start_mark.index, token.end_mark.index)
                       if match.end() - match.start() - 3 < token.start_mark.column), None)
        if merged:
            at = merged.start() + 1
            item = text[at:text.find("\n", at) if "\n" in text[at:] else len(text)].strip()
            column = merged.end() - merged.start() - 2
            found.append((at, column, f"baris ini (`{item}`) menjorok lebih dalam dari baris di atasnya, jadi dibaca "
                          f"sebagai lanjutan teks di atasnya (\"{' '.join(token.value.split())}\"), bukan butir baru.",
                          "Sejajarkan tanda `-` dengan `-` butir di atasnya (jumlah spasi sama). Bila yang di atasnya "
                          "`kolom: teks`, tulis `kolom:` sendirian di barisnya, lalu setiap butir di bawahnya diawali "
                          "`- `; bila memang teks, tulis dalam tanda kutip."))
    return found
