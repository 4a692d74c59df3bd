"""How the privacy gate compares text (`gate`): each built file's text made `normal` (tags made
spaces, entities and JSON escapes decoded, spaces and case folded), the text inside gzip and zip
files too, and the values found in it as whole words by one Aho-Corasick automaton
(`pyahocorasick`)."""
from __future__ import annotations

import gzip
import html
import io
import re
import zipfile

import ahocorasick

MAX_INFLATED = 64 * 1024 * 1024
_TAG = re.compile(r"<[^<>]{0,2000}>")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def normal(text: str) -> str:
    """Text as the gate compares it: no tags, entities and JSON escapes decoded, case and spaces folded."""
    box = [text]
    del text   # (the box holds the only reference a caller lets go of: a big file's text is freed early)
    return _normal(box)


def _normal(box: list) -> str:
    """`normal` of the box's one text, each version let go as soon as the next is made (searching
    20 MB of open data allocated 133 MB at its peak, by tracemalloc; now 95 MB)."""
    text = box.pop()
    if "\\" in text:
        text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
        text = text.replace('\\"', '"').replace("\\/", "/").replace("\\n", " ").replace("\\t", " ")
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    box.append(text)
    del text
    return _folded(box)


FOLD_CHUNK = 1 << 20   # characters: a big file's words are listed a megabyte at a time


def _folded(box: list) -> str:
    """The box's one text with runs of spaces made one, case folded (split: four times faster
    than a regex). A big text (the open data) is folded in pieces cut where a space is, each
    lowered alone (a cut at a space changes no letter's case), and let go before they are joined;
    the result is the same."""
    text = box.pop()
    if len(text) <= FOLD_CHUNK:
        return " ".join(text.split()).lower()
    pieces, start, size = [], 0, len(text)
    while start < size:
        end = min(size, start + FOLD_CHUNK)
        while end < size and not text[end].isspace():
            end += 1
        piece = " ".join(text[start:end].split()).lower()
        if piece:
            pieces.append(piece)
        start = end
    del text
    return " ".join(pieces)


def automaton(words):
    """One Aho-Corasick automaton of `words` (each its own value), or None when there is none."""
    words = [word for word in words if word]
    if not words:
        return None
    found = ahocorasick.Automaton()
    for word in words:
        found.add_word(word, word)
    found.make_automaton()
    return found


def texts_of(data: bytes, depth: int = 0):
    """The file's text, and the text of what it holds when it is compressed (gzip, zip)."""
    if data[:2] == b"\x1f\x8b" and depth < 3:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                inner = handle.read(MAX_INFLATED)
            yield from texts_of(inner, depth + 1)
            return
        except (OSError, EOFError):
            pass
    if data[:4] == b"PK\x03\x04" and depth < 3:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.infolist():
                    with archive.open(member) as handle:
                        yield from texts_of(handle.read(MAX_INFLATED), depth + 1)
            return
        except (zipfile.BadZipFile, OSError, EOFError):
            pass
    yield data.decode("utf-8", errors="replace")


def matches(finder, text: str):
    """The private values in `text` (already `normal`), as whole words: "sri" not in "asri"."""
    if finder is None:
        return
    size = len(text)
    for end, needle in finder.iter(text):
        start = end - len(needle) + 1
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue
        if end + 1 < size and (text[end + 1].isalnum() or text[end + 1] == "_"):
            continue
        yield needle
