"""The privacy gate's search of a big text file piece by piece, so that a rebuild reads again only
the pieces whose bytes changed (after one change at 10,000 complaints, one row of 34 MB of open
data: searching all of it made the gate wait 0.4 s).

The gate compares `normal` text (tags made spaces, escapes and entities decoded, spaces and case
folded), and what each tag holds apart (`gatetext.built_text`). Cut after a line end that no tag
can span, a file's `normal` is the `normal` of each part joined by one space: every other step of
`normal` is confined to a line (an escape, an entity, a run of spaces becomes one space at either
side of the cut); and each tag lies whole in one part, searched with it. A tag (`<` ... `>`, up
to 2,000 characters, after JSON escapes are decoded) can span lines, so a line end is a cut only
when the last bracket before it (`<`, `>`, or their escapes `\\u003c`, `\\u003e`) is a `>`, or
there is none.

The file is cut into pieces at such line ends, where a line's checksum says: a changed row changes
its own piece (and the next, when the row was or becomes a cut), not where the later pieces start.
In a file where no tag can open (the open data: no `<` at all) every line end is a cut. Each
piece is searched alone, unless its
bytes were found clean before (then only for the values added since, which their shortlist,
`gatetext.Shortlist`, mostly rules out at once); a value that spans the cut
between two pieces is found in a window of the text on both sides, as long as the longest value,
searched in every build. The result is the values a search of the whole file finds (a test
compares the two on random texts full of tags, escapes and line ends).
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from itertools import accumulate, chain, compress
from zlib import crc32

from pipeline.outputs.gatetext import built_text, folded, matches, normal, with_unquoted
from pipeline.outputs.gatetext import reach as reach_of

PIECES_FROM = 1 << 20        # bytes: a smaller file is searched whole
PIECE_MIN = 2 * 1024         # a piece ends at a cut past this size where a line's checksum says
PIECE_MAX = 512 * 1024       # (one line in CUT_MASK + 1), or at the first cut past this size
CUT_MASK = 0x7F
_BRACKETS = re.compile(rb"<|>|\\u003[cCeE]")


def piecewise(data: bytes) -> bool:
    """Whether `data` (a whole built file) is searched piece by piece: big and not compressed."""
    return len(data) >= PIECES_FROM and data[:2] != b"\x1f\x8b" and data[:4] != b"PK\x03\x04"


def digest(piece: bytes) -> str:
    """A piece's name in the gate's state (apart from whole files' names: a piece is read as text,
    a file that starts like a gzip file is not)."""
    return hashlib.sha256(b"piece\0" + piece).hexdigest()


def segments(data: bytes) -> list[tuple[int, int, bool]]:
    """The file cut after every line end that no tag can span: (start, end, whether a piece may
    end there, by the last line's checksum) of each part. The parts joined are the file."""
    parts: list[tuple[int, int, bool]] = []
    start, position, open_tag = 0, 0, False
    lines = data.split(b"\n")
    for number, line in enumerate(lines):
        last = number == len(lines) - 1
        position += len(line) + (0 if last else 1)
        if b"<" in line or b">" in line or b"\\u003" in line:
            found = _BRACKETS.findall(line)
            if found:
                open_tag = found[-1] == b"<" or found[-1][-1:] in b"cC"
        if last or not open_tag:
            parts.append((start, position, (crc32(line) & CUT_MASK) == 0))
            start = position
    return parts


def _no_tag_can_open(data: bytes) -> bool:
    return b"<" not in data and (b"\\u003" not in data or (b"\\u003c" not in data and b"\\u003C" not in data))


def _line_segments(data: bytes) -> list[tuple[int, int, bool]]:
    """`segments` of a file where no tag can open (the open data): every line end is a cut. The
    parts are the pieces themselves, found without a Python step per line (a CSV of 84,000 lines
    took 0.25 s line by line)."""
    lines = data.split(b"\n")
    ends = list(accumulate(len(line) + 1 for line in lines))
    ends[-1] = len(data)   # (the last line has no line end)
    marked = compress(range(len(lines)), [(crc32(line) & CUT_MASK) == 0 for line in lines])
    parts: list[tuple[int, int, bool]] = []
    start = 0
    for index in chain(marked, [len(lines) - 1]):
        while ends[index] - start > PIECE_MAX:   # no mark for long: cut at the first line end past the size
            end = ends[bisect_left(ends, start + PIECE_MAX)]
            parts.append((start, end, True))
            start = end
        if ends[index] - start >= PIECE_MIN or index == len(lines) - 1:
            if ends[index] > start:
                parts.append((start, ends[index], True))
            start = ends[index]
    return parts


def pieces(parts: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """(first, end) indexes of `parts` of each piece."""
    found, first = [], 0
    for index, (start, end, may_end) in enumerate(parts):
        size = end - parts[first][0]
        if (size >= PIECE_MIN and may_end) or size >= PIECE_MAX or index == len(parts) - 1:
            found.append((first, index + 1))
            first = index + 1
    return found


def search(data: bytes, finders: dict, known: set) -> tuple[set, set]:
    """(the values found in `data`, the digests of its pieces found clean). `finders`: "all" (every
    value) and "added" (the values added since `known`, the digests of pieces found clean, were
    found clean; None when there is none)."""
    lines_only = _no_tag_can_open(data)
    parts = _line_segments(data) if lines_only else segments(data)

    def text(start: int, end: int) -> str:
        return normal(data[start:end].decode("utf-8", errors="replace"))

    found: set = set()
    clean: set = set()
    spans = pieces(parts)
    for first, end in spans:
        piece = data[parts[first][0]:parts[end - 1][1]]
        name = digest(piece)
        which = "added" if name in known else "all"
        finder, shortlist = finders.get(which), finders.get("shortlists", {}).get(which)
        if finder is None or (shortlist is not None and not shortlist.may_hold_bytes(piece)):
            hits = set()
        else:
            hits = set(matches(finder, built_text(piece.decode("utf-8", errors="replace"))))
        del piece
        found |= hits
        if not hits:
            clean.add(name)
    reach = reach_of(finders["all"])
    for _, index in spans[:-1]:   # values spanning a cut between two pieces
        cut = parts[index][0]
        before = _reach_back(data, parts, index, cut, reach, lines_only, text)
        after = _reach_on(data, parts, index, cut, reach, lines_only, text)
        window = " ".join(part for part in before + after if part)
        if "%" in window:   # (and again decoded, as `built_text` does)
            window = folded(with_unquoted(window))
        found |= set(matches(finders["all"], window))
    return found, clean


def _reach_back(data: bytes, parts: list, index: int, cut: int, reach: int, lines_only: bool, text) -> list[str]:
    """The `normal` texts of the parts (lines, when no tag can open) before `cut`, as many as make
    `reach` characters."""
    texts: list[str] = []
    while cut > 0 and sum(map(len, texts)) < reach:
        if lines_only:
            start = data.rfind(b"\n", 0, cut - 1) + 1
        else:
            index -= 1
            start = parts[index][0]
        texts.insert(0, text(start, cut))
        cut = start
    return texts


def _reach_on(data: bytes, parts: list, index: int, cut: int, reach: int, lines_only: bool, text) -> list[str]:
    """The `normal` texts of the parts from `cut` on, as many as make `reach` characters."""
    texts: list[str] = []
    while cut < len(data) and sum(map(len, texts)) < reach:
        if lines_only:
            end = data.find(b"\n", cut) + 1 or len(data)
        else:
            end = parts[index][1]
            index += 1
        texts.append(text(cut, end))
        cut = end
    return texts
