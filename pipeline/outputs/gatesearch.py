"""How the privacy gate searches one built file (`gate.scan`, its workers, the early gate): its
text (`gatetext.built_text`), the text inside gzip and zip files, and a big text file piece by
piece (`gatepieces`)."""
from __future__ import annotations

import os

from pipeline.outputs import gatepieces
from pipeline.outputs.gatetext import built_text, contents, matches


def search_job(path, which: str, finders: dict, pieces: set) -> tuple[set, set]:
    """(the private values found, the digests of its pieces found clean) of one file to be searched
    with `finders[which]`. A big new file ("all") is searched piece by piece (`gatepieces`): a
    piece whose digest is in `pieces` (found clean before) only for the values added since."""
    if which == "all" and file_size(path) >= gatepieces.PIECES_FROM:
        with open(path, "rb") as handle:
            data = handle.read()
        if gatepieces.piecewise(data):
            return gatepieces.search(data, finders, pieces)
        del data
    return search_file(path, finders[which], finders.get("shortlists", {}).get(which)), set()


def search_data(box: list, which: str, finders: dict, pieces: set) -> tuple[set, set]:
    """`search_job` of bytes already read (the box's one item, let go once searched)."""
    if which == "all" and gatepieces.piecewise(box[0]):
        return gatepieces.search(box.pop(), finders, pieces)
    return search_bytes(box, finders[which], finders.get("shortlists", {}).get(which)), set()


def search_file(path, finder, shortlist=None) -> set:
    """The private values (`finder`'s) in one built file, compressed or not."""
    with open(path, "rb") as handle:
        box = [handle.read()]
    return search_bytes(box, finder, shortlist)


def search_bytes(box: list, finder, shortlist=None) -> set:
    """`search_file` of the box's one file's bytes (the box holds the only reference: a big plain
    file's bytes are let go once decoded). `shortlist`: the `gatetext.Shortlist` of `finder`'s
    values, when they are few: a text it rules out is not made `normal`."""
    data = box.pop()
    if data[:2] == b"\x1f\x8b" or data[:4] == b"PK\x03\x04":
        return {needle for inner in contents(data) if shortlist is None or shortlist.may_hold_bytes(inner)
                for needle in matches(finder, built_text(inner.decode("utf-8", errors="replace")))}
    if shortlist is not None and not shortlist.may_hold_bytes(data):
        return set()
    texts = [data.decode("utf-8", errors="replace")]   # (the one text `contents` gives for a plain file)
    del data
    return set(matches(finder, built_text(texts.pop())))


def file_size(path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
