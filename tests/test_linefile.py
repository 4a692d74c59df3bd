"""LineFile: a file of lines written again with the lines it kept copied from the previous file."""
from __future__ import annotations

import hashlib
import os

import pytest

from pipeline.outputs.linefile import LineFile, PreviousChanged


def _write(path, lines, previous=None, places=None, head="[", tail="\n]\n", separator=",\n"):
    """`lines` (text, or None: copied from `previous` at `places[number]`); returns places, sha."""
    file = LineFile(path, previous)
    file.text(head)
    placed = []
    for number, text in enumerate(lines):
        placed.append(file.line(separator if number else "\n", text, None if text is not None else places[number]))
    file.text(tail)
    return placed, file.close()


def test_copied_lines_make_the_same_bytes_as_lines_written_and_say_where_they_are(tmp_path):
    first = tmp_path / "first.json"
    lines = [f'{{"nomor":{number},"isi":"baris ke-{number} é"}}' for number in range(50)]
    places, sha = _write(first, lines)
    data = first.read_bytes()
    assert sha == hashlib.sha256(data).hexdigest()
    assert [data[offset:offset + length].decode() for offset, length in places] == lines
    # line 7 changed, 20 new, 33 gone, 40 and 41 swapped: the rest copied from the first file
    changed = lines[:7] + ['{"nomor":7,"isi":"diubah"}'] + lines[8:20] + ['{"baru":1}'] + lines[20:33] \
        + lines[34:40] + [lines[41], lines[40]] + lines[42:]
    old = {text: place for text, place in zip(lines, places)}
    second = tmp_path / "second.json"
    wanted = [None if text in old else text for text in changed]
    placed, sha = _write(second, wanted, previous=first, places=[old.get(text) for text in changed])
    expected = tmp_path / "expected.json"
    _, expected_sha = _write(expected, changed)
    assert second.read_bytes() == expected.read_bytes() and sha == expected_sha
    data = second.read_bytes()
    assert [data[offset:offset + length].decode() for offset, length in placed] == changed


def test_lines_without_separators_are_copied_in_one_run(tmp_path):
    first = tmp_path / "first.csv"
    rows = [f"{number},baris\r\n" for number in range(10)]
    places, _ = _write(first, rows, head="nomor,isi\r\n", tail="", separator="")
    second = tmp_path / "second.csv"
    _write(second, [None] * 10, previous=first, places=places, head="nomor,isi\r\n", tail="", separator="")
    assert second.read_bytes() == first.read_bytes()


def test_a_previous_file_shorter_than_its_places_stops_the_copy(tmp_path):
    first = tmp_path / "first.json"
    places, _ = _write(first, ["satu", "dua", "tiga"])
    first.write_bytes(first.read_bytes()[:5])
    with pytest.raises(PreviousChanged):
        _write(tmp_path / "second.json", [None, None, None], previous=first, places=places)


def test_without_a_previous_file_every_line_must_be_given(tmp_path):
    file = LineFile(tmp_path / "out.json", tmp_path / "missing.json")
    assert not file.has_previous
    assert file.line("", "baris", old=(0, 3)) == (0, 5)   # the text, not the place
    file.close()
    assert (tmp_path / "out.json").read_text() == "baris"


def test_a_written_file_s_writing_to_the_disk_is_started_and_a_pipe_is_left_alone(tmp_path):
    """`start_writeback` asks Linux to start writing a file's bytes (the commit's rename over the
    last build's file then has nothing to start); what cannot be asked (a pipe, another system)
    is left to the rename, never an error. The bytes are the ones written."""
    import sys

    from pipeline.outputs.writeback import start_writeback
    with open(tmp_path / "data.json", "wb") as stream:
        stream.write(b"[1]\n" * 1000)
        assert start_writeback(stream) is sys.platform.startswith("linux")
    assert (tmp_path / "data.json").read_bytes() == b"[1]\n" * 1000
    reading, writing = os.pipe()
    with os.fdopen(reading, "rb") as out, os.fdopen(writing, "wb") as into:
        into.write(b"x")
        assert start_writeback(into) is False
        assert out.read(1) == b"x"
