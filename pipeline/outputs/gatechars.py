"""Characters the privacy gate reads otherwise than they are written, as a reader of the page
reads them (`gatetext.normal`, `gatetext.matches`). A character no reader sees (`UNSEEN`: a soft
hyphen, a zero-width space) is taken out: "Pus\u00adpitasari" shows "Puspitasari". A look-alike
of an ASCII letter or digit (`LOOKALIKE`) is made that letter or digit: the full-width
"\uff24\uff49\uff41\uff4e", the bold or script letters of the "fancy text" that social media
posts are written in ("\U0001d403\U0001d422\U0001d41a\U0001d427"), circled letters, ligatures,
superscript and full-width digits, the digits of other scripts: a page that writes a reporter's
name or number so still names her. A typographic apostrophe or dash (`SIGNS`) is the ASCII sign,
and so is a full-width or small sign of an address (`\uff20`, `\uff0e`, `\uff3f`, `\uff0b`).
A letter written with combining marks (`COMBINING`) is the composed letter.
"""
from __future__ import annotations

import re
import unicodedata

# Unicode's default ignorable characters: a soft hyphen, zero-width spaces and joiners, marks of
# direction, variation selectors, a byte order mark
UNSEEN = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
                    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
# the characters whose NFKC form holds an ASCII letter or digit, and the decimal digits of other
# scripts (`lookalikes()` lists them from `unicodedata`; a test checks that this is that list)
_LOOKALIKE_RANGES = (
    "\u00aa\u00b2\u00b3\u00b9\u00ba\u00bc-\u00be\u0132\u0133\u013f\u0140\u0149\u017f\u01c4-\u01cc"
    "\u01f1-\u01f3\u02b0\u02b2\u02b3\u02b7\u02b8\u02e1-\u02e3\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9"
    "\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f"
    "\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def\u0e50-\u0e59\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049"
    "\u1090-\u1099\u17e0-\u17e9\u1810-\u1819\u1946-\u194f\u19d0-\u19d9\u1a80-\u1a89\u1a90-\u1a99"
    "\u1b50-\u1b59\u1bb0-\u1bb9\u1c40-\u1c49\u1c50-\u1c59\u1d2c\u1d2e\u1d30\u1d31\u1d33-\u1d3a\u1d3c"
    "\u1d3e-\u1d43\u1d47-\u1d49\u1d4d\u1d4f\u1d50\u1d52\u1d56-\u1d58\u1d5b\u1d62-\u1d65\u1d9c\u1da0"
    "\u1dbb\u1e9a\u2070\u2071\u2074-\u2079\u207f-\u2089\u2090-\u2093\u2095-\u209c\u20a8\u2100-\u2103"
    "\u2105\u2106\u2109-\u210e\u2110-\u2113\u2115\u2116\u2119-\u211d\u2120-\u2122\u2124\u2128\u212a"
    "\u212c\u212d\u212f-\u2131\u2133\u2134\u2139\u213b\u2145-\u2149\u2150-\u217f\u2189\u2460-\u24ea"
    "\u2c7c\u2c7d\u3250-\u325f\u32b1-\u32cf\u3358-\u337a\u3380-\u33ff\ua620-\ua629\ua7f2-\ua7f4"
    "\ua8d0-\ua8d9\ua900-\ua909\ua9d0-\ua9d9\ua9f0-\ua9f9\uaa50-\uaa59\uabf0-\uabf9\ufb00-\ufb06"
    "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\U000104a0-\U000104a9\U000107a5\U00010d30-\U00010d39"
    "\U00011066-\U0001106f\U000110f0-\U000110f9\U00011136-\U0001113f\U000111d0-\U000111d9"
    "\U000112f0-\U000112f9\U00011450-\U00011459\U000114d0-\U000114d9\U00011650-\U00011659"
    "\U000116c0-\U000116c9\U00011730-\U00011739\U000118e0-\U000118e9\U00011950-\U00011959"
    "\U00011c50-\U00011c59\U00011d50-\U00011d59\U00011da0-\U00011da9\U00016a60-\U00016a69"
    "\U00016ac0-\U00016ac9\U00016b50-\U00016b59\U0001d400-\U0001d454\U0001d456-\U0001d49c"
    "\U0001d49e\U0001d49f\U0001d4a2\U0001d4a5\U0001d4a6\U0001d4a9-\U0001d4ac\U0001d4ae-\U0001d4b9"
    "\U0001d4bb\U0001d4bd-\U0001d4c3\U0001d4c5-\U0001d505\U0001d507-\U0001d50a\U0001d50d-\U0001d514"
    "\U0001d516-\U0001d51c\U0001d51e-\U0001d539\U0001d53b-\U0001d53e\U0001d540-\U0001d544\U0001d546"
    "\U0001d54a-\U0001d550\U0001d552-\U0001d6a3\U0001d7ce-\U0001d7ff\U0001e140-\U0001e149"
    "\U0001e2f0-\U0001e2f9\U0001e950-\U0001e959\U0001f100-\U0001f10a\U0001f110-\U0001f12e"
    "\U0001f130-\U0001f14f\U0001f16a-\U0001f16c\U0001f190\U0001fbf0-\U0001fbf9"
)
LOOKALIKE = re.compile("[" + _LOOKALIKE_RANGES + "]")
# look-alikes of the apostrophe and the hyphen: the typographic quotes and dashes that phones and
# word processors type for them ("Nur\u2019aini" is "Nur'aini", "Al\u2013Farisi" is "Al-Farisi");
# and of the signs of an address ("dian\uff0epuspita\uff20gmail\uff0ecom", full-width or small)
SIGNS = {**dict.fromkeys("\u2018\u2019\u201b\u02bb\u02bc\u00b4\u2032\uff07", "'"),
         **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
         **dict.fromkeys("\uff20\ufe6b", "@"), **dict.fromkeys("\uff0e\ufe52\u2024\u3002\uff61", "."),
         "\uff3f": "_", "\ufe4d": "_", "\uff0b": "+"}
_ASCII = bytes(range(128))
# combining marks: "De\u0301sy" (an e and an acute accent, as macOS and some keyboards write) is read
# as "D\u00e9sy"; text with one is read in its composed form (NFC), as values are
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _classes() -> tuple[re.Pattern, re.Pattern]:
    """`UNSEEN` and `LOOKALIKE` as one class of the characters up to U+FFFF and one of those
    beyond: a class is tested range by range for the latter (the regex module keeps a table only
    of the former): 90 ns a character with both, 10 ns with the first alone. The second is tried
    only on a character beyond U+FFFF (`_BEYOND`, one range)."""
    ranges = re.findall(r"(.)(?:-(.))?", UNSEEN.pattern[1:-1] + _LOOKALIKE_RANGES + "".join(SIGNS), re.S)
    near = "".join(re.escape(first) + ("-" + re.escape(last) if last else "") for first, last in ranges
                   if first <= "\uffff")
    far = "".join(re.escape(first) + ("-" + re.escape(last) if last else "") for first, last in ranges
                  if first > "\uffff")
    return re.compile(f"[{near}]"), re.compile(f"[{far}]")


_NEAR, _FAR = _classes()
_BEYOND = re.compile("[\U00010000-\U0010ffff]")


def read_otherwise(text: str) -> bool:
    """Whether `text` holds a character the gate reads otherwise than it is written."""
    return (_NEAR.search(text) is not None or COMBINING.search(text) is not None
            or any(_FAR.match(char) for char in _BEYOND.findall(text)))


def read_otherwise_in(data: bytes) -> bool:
    """`read_otherwise` of UTF-8 `data`, looked for among its bytes that are not ASCII alone (a
    few in a hundred of a page's: a regex over the whole text took a sixth of the gate's scan)."""
    rest = data.translate(None, _ASCII)
    return bool(rest) and read_otherwise(rest.decode("utf-8", "replace"))


def as_read(text: str) -> str:
    """`text` as a reader reads it: no `UNSEEN` character, each `LOOKALIKE` made its letters or
    digits (its case as it is: the caller lowers it after), each of `SIGNS` its ASCII sign, a
    letter and its `COMBINING` marks the one letter they show."""
    if COMBINING.search(text):
        text = unicodedata.normalize("NFC", text)
    text = _NEAR.sub(_plain, text)
    if _BEYOND.search(text):
        text = _BEYOND.sub(_plain, text)
    return text


def _plain(found) -> str:
    """What a reader reads for one character (`as_read`)."""
    char = found.group()
    if not (_NEAR.match(char) or _FAR.match(char)):
        return char
    if UNSEEN.match(char):
        return ""
    if char in SIGNS:
        return SIGNS[char]
    digit = unicodedata.decimal(char, None)
    return str(digit) if digit is not None else unicodedata.normalize("NFKC", char)


def lookalikes() -> list[str]:
    """Every character `LOOKALIKE` should hold, from this Python's Unicode database."""
    return [chr(code) for code in range(0x80, 0x110000)
            if not 0xD800 <= code < 0xE000 and _looks_alike(chr(code))]


def _looks_alike(char: str) -> bool:
    if unicodedata.decimal(char, None) is not None:
        return True
    form = unicodedata.normalize("NFKC", char)
    return form != char and any(part.isascii() and part.isalnum() for part in form)
