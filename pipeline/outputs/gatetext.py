"""How the privacy gate compares text (`gate`): each built file's text made `normal` (tags made
spaces, entities and JSON escapes decoded, characters read as a reader reads them (`gatechars`),
spaces and case folded), what its tags hold after it
(`built_text`: attribute values, comments), the text inside gzip and zip files too, and the
values found in it as whole words by one Aho-Corasick automaton (`pyahocorasick`), the phone
numbers among them in any layout (`gatenumbers`). A search for a few values (a new complaint's,
in every file of the last site) first asks their `Shortlist` whether the file can hold one at all.
"""
from __future__ import annotations

import gzip
import html
import io
import re
import zipfile
import zlib
from itertools import product
from typing import NamedTuple
from urllib.parse import unquote

import ahocorasick

from pipeline.outputs.gatechars import as_read, read_otherwise, read_otherwise_in
from pipeline.outputs.gatenumbers import may_hold_number, number_finder, numbers_in, phone_digits
from pipeline.outputs.gatenumbers import REACH as NUMBER_REACH

MAX_INFLATED = 64 * 1024 * 1024
_TAG = re.compile(r"<([^<>]{0,2000})>")   # (2,000: `TAG_MOST`)
# (a character beyond U+FFFF is escaped as two: `\\ud835\\udc03`, one letter)
_JSON_ESCAPE = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})")
_JSON_ESCAPE_BYTES = re.compile(_JSON_ESCAPE.pattern.encode())
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
_PERCENT_RUN = re.compile(r"(?:%[0-9a-fA-F]{2})+")   # (decoded together: the UTF-8 bytes of a letter)


def normal(text: str) -> str:
    """Text as the gate compares it: no tags, entities and JSON escapes decoded, characters as a
    reader reads them (`gatechars.as_read`), case and spaces folded."""
    box = [text]
    del text   # (the box holds the only reference a caller lets go of: a big file's text is freed early)
    return _normal(box)


def built_text(text: str) -> str:
    """A built file's text as the gate searches it: its `normal` text, then what each of its tags
    holds (an attribute's value, a link, a comment: `<img alt="...">` shows its words to every
    reader), each tag apart ("\\x00" between two), each once, a tag with a "+" again with them
    made spaces. A tag lies whole in the file, so a value is found within one tag or in the text
    around tags, never across both. A text with a URL's escape (`%20`) has all of it again after,
    decoded (`with_unquoted`). Its characters are made `as_read` by `matches`, not here."""
    box = [text]
    del text
    return _normal(box, tags=True)


def _normal(box: list, tags: bool = False) -> str:
    """`normal` of the box's one text (`built_text` with `tags`), each version let go as soon as
    the next is made (searching 20 MB of open data allocated 133 MB at its peak, by tracemalloc;
    now 95 MB)."""
    text = box.pop()
    if "\\" in text:
        text = _JSON_ESCAPE.sub(_escaped, text)
        text = text.replace('\\"', '"').replace("\\/", "/").replace("\\n", " ").replace("\\t", " ")
    if "<" in text:
        if tags:
            between, held = split_tags(text)
            del text
            # a link's query may write a space as "+" (`?text=Bu+Dian+Puspitasari`): a tag with one
            # is searched again with them made spaces (a few tags a page: every head has `atom+xml`)
            plus = [tag.replace("+", " ") for tag in held if "+" in tag]
            text = " ".join(between) + " \x00 " + "\x00".join(held) + (" \x00 " + "\x00".join(plus) if plus else "")
            del between, held, plus
        else:
            text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if tags:
        text = with_unquoted(text)
    box.append(text)
    del text
    return _folded(box, read=not tags)   # (a built file's: `matches` reads them)


def _escaped(found) -> str:
    """The character of a JSON escape (`_JSON_ESCAPE`)."""
    high, low, one = found.groups()
    if one is not None:
        return chr(int(one, 16))
    return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)


_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"<>")
TAG_MOST = 2000   # characters a tag holds (`_TAG`): a longer "tag" is text


def split_tags(text: str) -> tuple[list[str], dict]:
    """(the texts between tags, what the tags hold, each once) of `text`, as `_TAG` cuts it. When
    every `<` is closed by a `>` before the next `<` and no tag holds more than TAG_MOST characters
    (a built page, nearly always), cut at the brackets themselves: at 2,000 complaints the regex
    took 0.27 s of the gate's scan, this 0.12 s (the brackets alone, by bytes, checked in C)."""
    brackets = text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    if brackets == b"<>" * (len(brackets) // 2):
        parts = text.replace(">", "<").split("<")
        held = dict.fromkeys(parts[1::2])
        if max(map(len, held), default=0) <= TAG_MOST:
            return parts[::2], held
    parts = _TAG.split(text)
    return parts[::2], dict.fromkeys(parts[1::2])


def with_unquoted(text: str) -> str:
    """`text`, and when it holds a URL's escape (`?q=Dian%20Puspitasari`, `%44ian`) all of it again,
    decoded as a URL's query is (`+` a space too): the escaped and the plain forms are both kept,
    so decoding hides nothing. (Rare in a built page: no page of the example site has one.)"""
    if "%" in text and _PERCENT.search(text):   # (the escapes alone decoded: a binary file read as
        # text has thousands of "%", at each of which `unquote_plus` would split it)
        return text + " \x00 " + _PERCENT_RUN.sub(_unquoted_run, text.replace("+", " "))
    return text


def _unquoted_run(found) -> str:
    return unquote(found.group(), errors="replace")


FOLD_CHUNK = 1 << 20   # characters: a big file's words are listed a megabyte at a time


def folded(text: str) -> str:
    """`text` with runs of spaces made one, case folded (the last step of `normal`)."""
    return _folded([text])


def _folded(box: list, read: bool = True) -> str:
    """The box's one text `as_read` (not with `read` False), runs of spaces made one, case folded
    (split: four times faster than a regex). A big text (the open data) is folded in pieces cut
    where a space is, each lowered alone (a cut at a space changes no letter's case), and let go
    before they are joined; the result is the same."""
    text = box.pop()
    if read and not text.isascii() and read_otherwise_in(text.encode("utf-8", "surrogatepass")):
        text = as_read(text)
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


class Finder(NamedTuple):
    """The search for a list of values (`matches`): `words`, their Aho-Corasick automaton (each
    value, `apart`, found as whole words; it gives the length of what it found and the values
    that are that); `numbers`, that of the phone numbers they hold
    (`gatenumbers.number_finder`: found in any layout), or None."""
    words: ahocorasick.Automaton
    numbers: ahocorasick.Automaton | None


def automaton(words) -> Finder | None:
    """The `Finder` of `words` (each its own value), or None when there is none."""
    words = [word for word in words if word]
    if not words:
        return None
    held: dict[str, list[str]] = {}
    for word in words:
        for key in spellings(word):
            holders = held.setdefault(key, [])
            if word not in holders:
                holders.append(word)
    found = ahocorasick.Automaton()
    for key, holders in held.items():
        found.add_word(key, (len(key), tuple(holders)))
    found.make_automaton()
    return Finder(found, number_finder(words))


def apart(text: str) -> str:
    """`text` with the signs that join words in a file's name or an address made spaces: a link
    to `surat_dian_puspitasari.pdf` or `/dian-puspitasari/` names Dian Puspitasari. `matches`
    compares values and texts so (three `replace`: 0.15 s for the 190 million characters of
    the site of 10,000 complaints; a `translate` took 11 s)."""
    return text.replace("-", " ").replace("_", " ").replace(".", " ")


MIXED_DOTS = 5   # a value with up to this many dots inside is looked for with each written either way
# (`Jl. H. M. Yamin No. 5`: 32 forms at most, for the few values with so many dots)


def spellings(word: str) -> set[str]:
    """The forms a value may take in an `apart` text. A dot is a space there, so "hj. siti" is
    "hj  siti" in a page's text but "hj siti" in a slug (`hj-siti`) or written `Hj.Siti`; a value
    with a dot is looked for in each form (without them, `Hj. Ratna Dewi` passed in a slug), and
    with up to MIXED_DOTS dots inside, in each mix ("Jl. Melati No.5" as "Jl.Melati No. 5"); with
    more, all with a space and all without."""
    key = apart(word)
    inner = word.rstrip(".")
    if "." not in inner:
        return {key}
    end = " " if key.endswith(" ") else ""   # (a value's last dot still wants no letter after it)
    pieces = inner.replace(". ", ".").split(".")
    if len(pieces) - 1 > MIXED_DOTS:
        ways = [".".join(pieces), ". ".join(pieces), inner]
    else:
        ways = [pieces[0] + "".join(sign + piece for sign, piece in zip(signs, pieces[1:]))
                for signs in product((".", ". "), repeat=len(pieces) - 1)]
    tail = word[len(inner):]
    return {apart(way + tail).rstrip(" ") + end for way in ways} | {key.rstrip(" ") + end}


def reach(finder: Finder | None) -> int:
    """The most characters one value found by `finder` may take in a `normal` text, plus one."""
    if finder is None:
        return 0
    return max(finder.words.get_stats()["longest_word"] + 1, NUMBER_REACH if finder.numbers is not None else 0)


def finders(words: dict, made: dict | None = None) -> dict:
    """The automaton of each list of `words` ("all", "added"; or the one `made` already), and under
    "shortlists" the `Shortlist` of each (None for many values)."""
    made = made or {}
    found = {which: made[which] if which in made else automaton(values) for which, values in words.items()}
    found["shortlists"] = {which: shortlist(values) for which, values in words.items()}
    return found


SHORTLIST_MOST = 16   # values: with more, testing each one costs about what making the text normal does
_RUN = re.compile(r"[0-9a-z]+")
_LOWER_TO_ASCII = ("\u0130".encode(), "\u212a".encode())   # İ -> i + dot, Kelvin sign -> k
# (what `with_unquoted` decodes to 0-9, A-z, or starts a character that is not ASCII)
_LETTER_PERCENT = re.compile(r"%(?:[3-7][0-9a-f]|[c-f][0-9a-f])", re.I)
_LETTER_PERCENT_BYTES = re.compile(_LETTER_PERCENT.pattern.encode(), re.I)


class Shortlist:
    """A quick test that a file cannot hold any of a few values, made before its text is made
    `normal` (most of a search's time: five values of a new complaint looked for in the 148 MB of
    the last site of 10,000 complaints took 2.4 s of CPU, 1.0 s with the shortlist, 0.6 s of it
    the test itself). A value, already `normal`, is kept as its runs
    of ASCII letters and digits. Such a run found in a `normal` text lies between two tags, so it
    is also in the file's text with its entities decoded and its case lowered: tags, spaces and
    case change no letter or digit of it, and an entity decodes the same with a tag or a space
    after it. A text that lacks a run of every value holds none of them. Of the JSON escapes, which
    `normal` decodes first, only `\\uXXXX` of an ASCII character (a letter, a digit, or what makes an
    entity or a tag), of the two characters below or of one that `gatechars` reads otherwise
    makes a letter or a digit, or joins them: a text with one is searched whole; the others
    (`\\n`, `\\"`, `\\u2026`) only make spaces and signs. So with a URL's escape
    (`with_unquoted`, after entities are decoded): only one of an ASCII letter or digit, or a first
    byte of a character that is not ASCII, may (`%20`, `%2F` do not). A character that `gatechars`
    reads otherwise (one no reader sees joins the letters around it, a look-alike is a letter) is
    tested as `normal` reads it. The digits of a phone number (`gatenumbers`) are tested apart
    (`gatenumbers.may_hold_number`)."""

    def __init__(self, runs: list[tuple[str, ...]], numbers: list[str] | None = None):
        self.runs = runs   # each value's runs, the longest (the rarest, mostly) first
        self.byte_runs = [tuple(run.encode("ascii") for run in value) for value in runs]
        self.numbers = [digits.encode() for digits in numbers or []]   # of the phone numbers they hold (`gatenumbers`)

    def may_hold(self, text: str) -> bool:
        if "\\u" in text and _escape_joins(text):
            return True
        read = _entities_read(text)
        if "%" in read and _LETTER_PERCENT.search(read):
            return True
        lowered = read.lower()
        if any(all(run in lowered for run in value) for value in self.runs):
            return True
        if not self.numbers:
            return False
        if "\\u" in text and _JSON_ESCAPE.search(text):   # (a JSON escape is decoded before entities)
            read = _entities_read(_JSON_ESCAPE.sub("\x80", text))
        return may_hold_number(read.encode("utf-8", "surrogatepass"), self.numbers)

    def may_hold_bytes(self, data: bytes) -> bool:
        """`may_hold` of a file's bytes, without making its text when it has no entity: UTF-8 keeps
        every ASCII byte as it is (beside invalid bytes too, which decode to U+FFFD), so a run of
        ASCII letters and digits of the text lowered is the same run of the bytes lowered, unless
        the text has one of the two characters whose lower case holds an ASCII letter."""
        if b"\\u" in data and _escape_joins(data.decode("latin-1")):
            return True
        if b"&" in data or any(mark in data for mark in _LOWER_TO_ASCII):
            return self.may_hold(data.decode("utf-8", errors="replace"))
        if b"%" in data and _LETTER_PERCENT_BYTES.search(data):
            return True
        lowered = data.lower()   # (ASCII letters lowered; every other byte left as it is)
        if any(all(run in lowered for run in value) for value in self.byte_runs):
            return True
        if read_otherwise_in(data):   # (rare: tested again as text, as `normal` reads it)
            return self.may_hold(data.decode("utf-8", errors="replace"))
        if b"\\u" in data and self.numbers:
            data = _JSON_ESCAPE_BYTES.sub(b"\x80", data)
        return bool(self.numbers) and may_hold_number(data, self.numbers)


def _entities_read(text: str) -> str:
    """`text` with its entities decoded, then `as_read`: as `normal` makes it, but for its tags,
    spaces and case."""
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii() and read_otherwise_in(text.encode("utf-8", "surrogatepass")):
        text = as_read(text)
    return text


def _escape_joins(text: str) -> bool:
    """Whether a JSON escape in `text` may make a letter or a digit, or join two (`Shortlist`)."""
    for found in _JSON_ESCAPE.finditer(text):
        char = _escaped(found)
        if char.isascii() or char in "\u0130\u212a" or read_otherwise(char):
            return True
    return False


def shortlist(words) -> Shortlist | None:
    """The `Shortlist` of a few values; None for more than SHORTLIST_MOST, or when one of them is
    not plain ASCII or has no letter or digit (then every text is searched whole)."""
    if len(words) > SHORTLIST_MOST:
        return None
    words = [word for word in words if word]
    if not words:
        return None
    runs = []
    for word in words:
        found = _RUN.findall(word)
        if not word.isascii() or not found:
            return None
        runs.append(tuple(sorted(set(found), key=len, reverse=True)))
    return Shortlist(runs, [digits for word in words for digits in phone_digits(word)])


def contents(data: bytes, depth: int = 0):
    """The file's bytes, or the bytes of what it holds when it is compressed (gzip, zip)."""
    if data[:2] == b"\x1f\x8b" and depth < 3:
        try:
            inner = gunzipped(data)
            yield from contents(inner, depth + 1)
            return
        except (OSError, EOFError, zlib.error):   # (damaged: its bytes are searched as they are)
            pass
    if data[:4] == b"PK\x03\x04" and depth < 3:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.infolist():
                    with archive.open(member) as handle:
                        yield from contents(handle.read(MAX_INFLATED), depth + 1)
            return
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
            pass
    yield data


def gunzipped(data: bytes) -> bytes:
    """What `gzip.GzipFile(...).read(MAX_INFLATED)` gives (or raises: OSError, EOFError,
    zlib.error). A stream of one whole member, the common case, is inflated by zlib alone, its
    trailer checked: Pagefind's 9,700 files at 10,000 complaints in 0.06 s instead of 0.43 s.
    Anything else (more members, bytes after it, damage, more than MAX_INFLATED) is read by
    GzipFile, as before."""
    inflater = zlib.decompressobj(31)   # (31: a gzip header and trailer)
    try:
        inner = inflater.decompress(data, MAX_INFLATED)
        if inflater.eof and not inflater.unused_data:
            return inner
    except zlib.error:
        pass
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
        return handle.read(MAX_INFLATED)


_ASCII_BUT_DIGITS = bytes(byte for byte in range(128) if not 48 <= byte <= 57)
_DIGITS = b"0123456789"
_NOT_ASCII = bytes(range(128, 256))


def matches(finder: Finder | None, text: str):
    """The private values in `text` (already `normal`, or `built_text`), as whole words: "sri" not
    in "asri", and "dian_puspitasari" is "dian puspitasari" (`apart`); and those that hold a phone
    number, where the text has its digits in any layout. A built file's text is made `as_read`
    here: one pass over its bytes keeps what is not ASCII, to look in for a character read
    otherwise, and the digits, for the numbers' first test (`gatenumbers.numbers_in`); at 10,000
    complaints, 0.4 s of CPU less than a pass each."""
    if finder is None:
        return
    digits = None
    if not text.isascii():
        rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BUT_DIGITS)
        if read_otherwise(rest.translate(None, _DIGITS).decode("utf-8", "replace")):
            text = folded(text)   # (rare: read, lowered and its spaces folded again)
        else:
            digits = rest.translate(None, _NOT_ASCII)
        del rest
    text = apart(text)
    size = len(text)
    for end, (length, needles) in finder.words.iter(text):
        start = end - length + 1
        if start and text[start - 1].isalnum():
            continue
        if end + 1 < size and text[end + 1].isalnum():
            continue
        yield from needles
    if finder.numbers is not None:
        yield from numbers_in(finder.numbers, text, digits)
