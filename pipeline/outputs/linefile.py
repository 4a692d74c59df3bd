"""A file of lines written again with most of its lines as the last build wrote them.

The open data is one line per complaint (a JSON list, one item a line; a CSV table): after one
change at 10,000 complaints, 9,999 lines of 34 MB are what the last build's files already hold.
A line whose inputs are the same is copied from the previous file by its place (offset, length),
in runs of adjacent lines, instead of being made, pickled, compressed and encoded again (that
took 0.45 s of CPU a rebuild). Each line's place in the new file is returned for the next build,
and the new file's sha256 is worked out as it is written (the build need not read it again).

The caller vouches that the previous file is the one the places were noted in (its sha256, and
the output's stat as the site writer left it); a previous file that turns out shorter stops the
writing with `PreviousChanged` (the caller then makes every line).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pipeline.outputs.writeback import start_writeback

PIECE = 1 << 20   # bytes copied at a time


class PreviousChanged(Exception):
    """The previous file does not hold the bytes its places say."""


class LineFile:
    """`path` written from text and from places in `previous` (None: every line is text)."""

    def __init__(self, path: Path, previous: Path | None = None):
        self._out = open(path, "wb")
        self._old = None
        try:
            self._old = os.open(previous, os.O_RDONLY) if previous is not None else None
        except OSError:
            self._old = None
        self.sha = hashlib.sha256()
        self.at = 0                 # bytes written so far
        self._run: list | None = None   # [start, end) of previous bytes not copied yet

    @property
    def has_previous(self) -> bool:
        return self._old is not None

    def text(self, text: str) -> None:
        """Bytes made now (a head, a separator, a new line)."""
        self._flush_run()
        self._emit(text.encode("utf-8"))

    def line(self, separator: str, text: str | None = None, old: tuple | None = None) -> tuple[int, int]:
        """`separator`, then the line: the previous file's bytes at `old` (offset, length) when
        given, else `text`. Returns the line's place (offset, length) in this file."""
        if old is None or self._old is None:
            self.text(separator)
            start = self.at
            self.text(text)
            return start, self.at - start
        offset, length = old
        gap = len(separator.encode("utf-8"))
        if self._run is not None and offset == self._run[1] + gap:
            self._run[1] = offset + length   # the next line of the previous file: one run
        else:
            self.text(separator)
            self._run = [offset, offset + length]
        start = self.at + (self._run[1] - self._run[0]) - length
        return start, length

    def close(self) -> str:
        """Finish the file; its sha256."""
        try:
            self._flush_run()
            start_writeback(self._out)   # (the commit renames it over the last build's: `outputs.writeback`)
        finally:
            self._out.close()
            if self._old is not None:
                os.close(self._old)
                self._old = None
        return self.sha.hexdigest()

    def discard(self) -> None:
        self._run = None
        self._out.close()
        if self._old is not None:
            os.close(self._old)
            self._old = None

    def _flush_run(self) -> None:
        if self._run is None:
            return
        start, end = self._run
        self._run = None
        while start < end:
            piece = os.pread(self._old, min(PIECE, end - start), start)
            if not piece:
                raise PreviousChanged()
            self._emit(piece)
            start += len(piece)

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self.sha.update(data)
        self.at += len(data)
