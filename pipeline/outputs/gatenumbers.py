"""Phone numbers in any layout, for the privacy gate (`gatetext`). A reporter's `kontak:
0815-5380-2916` is as private written `081553802916`, `0815 5380 2916`, `+62 815-5380-2916` or
`(0815) 5380.2916`, which the whole-word search of the value itself does not find.

A value holding a phone number (after `+62`, `62`, `0062` or `0`, 9 to 13 digits: an Indonesian
mobile number, or a landline with its area code) gives its digits after that prefix. A text is
searched for them in its `number_runs`: its runs of ASCII digits once the signs a number is written
with (spaces, `-`, `_`, `.`, `/`, `(`, `)`) are taken out; the digits may lie anywhere in a run, so
a `0`, `62` or another number written right before them does not hide them. A look-alike digit
(full-width `０`, another script's) is read as its ASCII digit first (`gatechars`).
"""
from __future__ import annotations

import re

import ahocorasick

DIGITS_LEAST = 9    # digits after the prefix: fewer (a date, a short local number) are not searched as a number
DIGITS_MOST = 13
REACH = 256         # characters a number's layout may take, at most, where a big file is cut (`gatepieces`)

_NUMBER = re.compile(r"(?<![0-9])\+?\(?\+?(?:62|0)[0-9 ()\-.]*[0-9]")
_NON_DIGIT = re.compile(r"[^0-9]")
_SIGNS = b" -_.()/"   # (in a `normal` text every space is " ")
_DIGITS_OR_SPACE = bytes(byte if 48 <= byte <= 57 else 32 for byte in range(256))
_NOT_DIGITS = bytes(byte for byte in range(256) if not 48 <= byte <= 57)


def phone_digits(word: str) -> list[str]:
    """The digits, after the prefix, of each phone number that `word` (a `normal` value) holds."""
    found = []
    for number in _NUMBER.findall(word):
        digits = _NON_DIGIT.sub("", number)
        if digits.startswith("00"):
            digits = digits[2:].removeprefix("62")
        elif digits.startswith("0"):
            digits = digits[1:]
        else:
            digits = digits.removeprefix("62")
        digits = digits.removeprefix("0")   # ("+62 (0) 815 ...")
        if DIGITS_LEAST <= len(digits) <= DIGITS_MOST:
            found.append(digits)
    return found


def number_finder(words):
    """An Aho-Corasick automaton of the phone numbers' digits in `words`, each giving the words
    that hold it; None when none holds a number."""
    held: dict[str, list[str]] = {}
    for word in words:
        for digits in phone_digits(word):
            held.setdefault(digits, []).append(word)
    if not held:
        return None
    found = ahocorasick.Automaton()
    for digits, holders in held.items():
        found.add_word(digits, tuple(holders))
    found.make_automaton()
    return found


def numbers_in(finder, text: str, digits: bytes | None = None) -> list[str]:
    """The words of `finder` (`number_finder`) whose number `text` (already `normal`) holds.
    `digits`: the text's digits alone, when the caller has them."""
    if digits is None:
        digits = text.encode("utf-8", "surrogatepass").translate(None, _NOT_DIGITS)
    # (a first test on the text's digits alone, all runs joined, which hold every run: most texts
    # have no value's digits at all, and this costs a third of cutting the runs)
    if next(finder.iter(digits.decode("ascii")), None) is None:
        return []
    runs = number_runs(text.encode("utf-8", "surrogatepass"))
    return [word for _, words in finder.iter(" ".join(runs)) for word in words]


def number_runs(data: bytes) -> list[str]:
    """The runs of digits of a `normal` text's bytes, the signs a number is written with taken out
    (those of DIGITS_LEAST digits or more)."""
    return [run.decode("ascii") for run in data.translate(_DIGITS_OR_SPACE, _SIGNS).split()
            if len(run) >= DIGITS_LEAST]


_SIGNS_WIDE = b" \t\n\v\f\r\x1c\x1d\x1e\x1f-_.()/+" + bytes(range(0x80, 0x100))   # ("+": a space in a link's query)
_WIDE_VIEW = bytes(byte if 48 <= byte <= 57 or byte in b"<>" else 32 for byte in range(256))
_NOT_DIGITS_OR_BRACKETS = bytes(byte for byte in range(256) if not (48 <= byte <= 57 or byte in b"<>"))
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"<>")
_PERCENT = re.compile(rb"%[0-9a-fA-F]{2}")


def may_hold_number(data: bytes, numbers: list[bytes]) -> bool:
    """Whether a built file's bytes may hold one of `numbers` (`phone_digits`, encoded) in the runs
    its `normal` text has: never False when they do. `data`: the file's bytes with each JSON escape
    (`\\u2026`: none of an ASCII character, which the caller rules out first) made a byte that is
    not ASCII, then its entities decoded (as `normal` decodes them, in that order). Its runs are
    cut as `number_runs` cuts them, but every byte of a character that is not ASCII is taken out
    too, as a sign is (a space that is not ASCII becomes " " in `normal`): taking out more joins
    runs, and a run of `normal` is then part of one of them (so is "+", which a tag's copy makes a
    space). First the same with every byte but the digits and the brackets taken out (one pass
    that keeps a few bytes in a hundred; most files are ruled out by it). A file whose brackets do
    not alternate, or with a URL's escape (decoded, `%20` is a sign), is not ruled out."""
    if b"%" in data and _PERCENT.search(data):
        return True
    if not _in_runs(data.translate(None, _NOT_DIGITS_OR_BRACKETS), numbers):
        return False
    if b"\\" in data:   # (`normal` makes a JSON text's `\\n` and `\\t` spaces)
        data = data.replace(b"\\n", b" ").replace(b"\\t", b" ")
    return _in_runs(data.translate(_WIDE_VIEW, _SIGNS_WIDE), numbers)


def _in_runs(view: bytes, numbers: list[bytes]) -> bool:
    """Whether one of `numbers` is in `view` (digits, brackets and what breaks a run): in its text
    with its tags cut out (a tag joins the digits around it, as in `normal`) or in one of its tags.
    When the brackets alternate, every run of `normal` lies in one of these: a tag `gatetext`
    cuts out is one of them, and a longer one (kept as text) keeps its brackets, which break a run."""
    texts = [view]
    if b"<" in view or b">" in view:
        brackets = view.translate(None, _NOT_BRACKETS)
        if brackets != b"<>" * (len(brackets) // 2):
            return True
        parts = view.replace(b">", b"<").split(b"<")
        texts = [b"".join(parts[::2]), b" ".join(parts[1::2])]
    return any(digits in text for text in texts for digits in numbers)
