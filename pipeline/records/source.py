"""Read a user's YAML faithfully: scalars as written, with the line of every field.

`yaml.safe_load` would turn `2026-01-05` into a date and `007` into 7, so string formats could
never be checked. We let libyaml (the C parser, when present) turn the text into events and build
plain Python values ourselves, YAML 1.2 style: only `true`/`false`, `null`/`~`, decimal numbers
without a leading zero become non-strings. The building is iterative and bounded in depth, so a
deeply nested file cannot exhaust the stack. Anchors and aliases are refused (a "billion laughs"
file fails on its first anchor, before anything is expanded), and so are duplicate keys, keys that
are not text, explicit tags (`!!python/object`, `!rahasia`, ...) and control characters.
Every problem is a `SourceError` with the line, the column and a hint in Indonesian.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path
from sys import intern

import yaml
from yaml.events import (AliasEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, StreamEndEvent)

from pipeline.records.encodings import is_utf16, not_text
from pipeline.records.osreasons import os_reason
from pipeline.records.problems import Problem
from pipeline.records.yaml_errors import SYNTAX_HINT, explain, tag_hint

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32  # a complaint is at most three levels deep; the policy four

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)?\.[0-9]+([eE][-+]?[0-9]+)?")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_STANDARD_TAG = "tag:yaml.org,2002:"
# Explicit tags that change nothing we keep: `!` and `!!str` (a string), `!!map`, `!!seq`.
_HARMLESS_TAGS = {None, "!", _STANDARD_TAG + "str", _STANDARD_TAG + "map", _STANDARD_TAG + "seq"}
# What YAML does not allow in a document (tab, LF and CR are fine; CR is gone by now).
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_NO_KEY = object()


class _Repeated:
    """A key written a second time in one mapping: its value is read (to find the problems in
    it) but kept nowhere; the first value stands."""

    def __init__(self, name: str):
        self.name = name

    def __str__(self) -> str:
        return self.name

FieldPath = tuple  # ("tanggapan", "isi") or ("diteruskan_ke", 0)



class SourceError(Exception):
    """A file that cannot be read at all; carries the one problem that says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


class Document:
    """YAML data as written, with a (line, column) for each field path (1-based, in the file).

    Most documents are valid and nobody asks where their fields are, so `parse_yaml` leaves the
    positions out and they are worked out (by parsing the text again) the first time they are
    needed. `Document(data, positions)` builds one with known positions.
    """

    def __init__(self, data: object, positions: dict | None = None, *, source: tuple | None = None,
                 problems: list | None = None):
        self.data = shared_strings(data)
        self.problems = problems or []  # found while reading, yet the data could be built
        self._positions = positions if positions is not None or source is not None else {}
        # (text, shown, first_line) while the positions are not known yet; the text compressed:
        # a build holds 10,000 documents, and almost never asks where a field is
        self._source = (zlib.compress(source[0].encode("utf-8", "surrogatepass"), 1),) + source[1:] \
            if source is not None else None

    @property
    def positions(self) -> dict:
        if self._positions is None:
            packed, shown, first_line = self._source
            text = zlib.decompress(packed).decode("utf-8", "surrogatepass")
            self._positions = _parse(text, shown, first_line, track=True)[1]
        return self._positions

    def source_line(self, line: int) -> str | None:
        """The text of the file's line `line`, while the document keeps its text."""
        if self._source is None:
            return None
        packed, _, first_line = self._source
        lines = zlib.decompress(packed).decode("utf-8", "surrogatepass").split("\n")
        return lines[line - first_line] if 0 <= line - first_line < len(lines) else None

    def position(self, path: FieldPath) -> tuple[int, int]:
        """The position of a field, or of its nearest enclosing field that has one."""
        positions = self.positions
        path = tuple(path)
        while path not in positions and path:
            path = path[:-1]
        return positions.get(path, (1, 1))

    def __repr__(self) -> str:
        return f"Document({self.data!r})"


SHARED_CHARS = 32   # values this short repeat across records (a channel, a unit, a status)


def shared_strings(value):
    """`value` with its field names and short texts shared with every other record's (`sys.intern`):
    10,000 records each held their own "tanggapan", "kanal", "whatsapp" (13 MB)."""
    if isinstance(value, dict):
        return {intern(key) if type(key) is str else key: shared_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shared_strings(item) for item in value]
    if type(value) is str and len(value) <= SHARED_CHARS:
        return intern(value)
    return value


def _bytes(count: int) -> str:
    return f"{count:,}".replace(",", ".")  # Indonesian thousands separator


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every link followed, is inside `folder` (also followed)."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def outside_problem(path: Path, shown: str, folder: Path, where: str) -> Problem | None:
    """A symlink (the file or a folder above it) that leads out of `folder`: never read, never published."""
    if inside(path, folder):
        return None
    written, base = os.path.abspath(path), os.path.abspath(folder)
    if not (written == base or written.startswith(base.rstrip(os.sep) + os.sep)):   # no link: a path elsewhere
        return Problem(shown, 1, 1, f"berkas ini di luar {where} ({base}); tidak dibaca.",
                       f"Sebutkan berkas di dalam {where}: path relatif dibaca dari folder tempat perintah "
                       "dijalankan, bukan dari --repo.")
    return Problem(shown, 1, 1, f"berkas ini adalah tautan (symlink) ke luar {where} "
                                f"(ke {os.path.realpath(path)}); isinya tidak dibaca dan tidak diterbitkan.",
                   f"Salin isinya ke berkas biasa di {where}; jangan pakai tautan ke berkas lain.")


@dataclass(frozen=True)
class KindHints:
    """How to fix a file that cannot be read as text, said for the kind of file it is."""
    not_regular: str
    too_big: str
    binary: str


COMPLAINT_HINTS = KindHints(
    "Pengaduan harus berupa berkas teks .md biasa.",
    "Pindahkan lampiran besar ke luar berkas pengaduan; tulis ringkasannya saja.",
    "Pengaduan harus berupa berkas teks Markdown; buat ulang dengan `pengaduan new` dan salin isinya.")
POLICY_HINTS = KindHints(
    "puskesmas.yaml harus berupa berkas teks biasa di repositori.",
    "puskesmas.yaml sebesar ini tidak wajar (mungkin tertimpa berkas lain): pulihkan dari git, mis. "
    "`git checkout -- puskesmas.yaml`, lalu ubah lagi.",
    "puskesmas.yaml harus berupa teks YAML: pulihkan dari git, mis. `git checkout -- puskesmas.yaml`, "
    "lalu ubah lagi.")
PAGE_HINTS = KindHints(
    "Halaman harus berupa berkas teks .md biasa.",
    "Simpan gambar di content/pages/images/; halaman cukup berisi teks.",
    "Halaman harus berupa teks Markdown; simpan ulang sebagai teks biasa.")


def read_text(path: Path, shown: str, max_bytes: int = MAX_FILE_BYTES, hints: KindHints = COMPLAINT_HINTS) -> str:
    """The file's text: UTF-8 (a BOM is accepted), CRLF and CR turned into LF."""
    try:
        # O_NONBLOCK: a named pipe must not make us wait for a writer (regular files ignore it)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                raise SourceError(Problem(shown, 1, 1, "bukan berkas biasa (folder, perangkat atau pipa).",
                                          hints.not_regular))
            size = info.st_size
            with open(descriptor, "rb", closefd=False) as handle:
                raw = handle.read(max_bytes + 1) if size <= max_bytes else b""
        finally:
            os.close(descriptor)
    except OSError as err:
        raise SourceError(Problem(shown, 1, 1, f"berkas tidak dapat dibaca ({os_reason(err)}).",
                                  "Periksa nama berkas dan izin aksesnya.")) from None
    return decode_text(raw, shown, size, max_bytes, hints)


def read_small_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes` (a certificate, a key): OSError when it
    cannot be read, is not a regular file (`/dev/zero` would never end) or is bigger."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "bukan berkas biasa")
        if info.st_size > max_bytes:
            raise OSError(errno.EFBIG, f"lebih dari {_bytes(max_bytes)} byte")
        with open(descriptor, "rb", closefd=False) as handle:
            return handle.read(max_bytes)
    finally:
        os.close(descriptor)


def decode_text(raw: bytes, shown: str, size: int | None = None, max_bytes: int = MAX_FILE_BYTES,
                hints: KindHints = COMPLAINT_HINTS) -> str:
    """The text of a file's bytes `raw` (read from disk by `read_text`, or a blob git holds):
    UTF-8 (a BOM is accepted), CRLF and CR turned into LF; too large, not UTF-8 or binary raises
    SourceError."""
    size = len(raw) if size is None else size
    if size > max_bytes or len(raw) > max_bytes:  # (or it grew while we read it)
        sized = f"{_bytes(size)} byte" if size > max_bytes else f"lebih dari {_bytes(max_bytes)} byte"
        raise SourceError(Problem(
            shown, 1, 1, f"berkas terlalu besar ({sized}; batas {_bytes(max_bytes)} byte).", hints.too_big))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        column = len(raw[raw.rfind(b"\n", 0, err.start) + 1:err.start].decode("utf-8", "replace")) + 1
        line, column = (1, 1) if is_utf16(raw) else (line, column)   # (UTF-16's bytes are no place in its text)
        raise SourceError(Problem(shown, line, column, *not_text(raw, err.start))) from None
    if "\x00" in text and is_utf16(raw):   # (UTF-16 without its mark: ASCII with NULs between)
        raise SourceError(Problem(shown, 1, 1, *not_text(raw, 0)))
    if "\x00" in text:
        before = text[:text.index("\x00")]
        raise SourceError(Problem(shown, before.count("\n") + 1, len(before) - before.rfind("\n"),
                                  "berkas berisi karakter NUL (berkas biner?).", hints.binary))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def parse_yaml(text: str, shown: str, first_line: int = 1, keep_going: bool = False) -> Document:
    """Parse YAML text that starts at `first_line` of the file `shown`.

    A problem raises SourceError; with `keep_going`, a repeated key is noted in the document's
    `problems` instead (the first value stands) so that the caller reports the rest as well."""
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, column = _line_column(text, bad.start())
        raise SourceError(Problem(
            shown, first_line + line - 1, column,
            f"ada karakter kontrol tak terlihat (U+{ord(bad.group()):04X}).",
            "Hapus karakter itu (sering terbawa saat menyalin dari aplikasi lain): ketik ulang "
            "teks di sekitar posisi ini."))
    try:
        data, _, _ = _parse(text, shown, first_line, track=False)
    except _NeedPositions:  # a problem to report: parse again, noting where each field is
        data, positions, repeated = _parse(text, shown, first_line, track=True, keep_going=keep_going)
        if not repeated:
            raise AssertionError("the second parse must fail like the first") from None
        return Document(data, positions, problems=repeated)
    return Document(data, source=(text, shown, first_line))


# libyaml's own nesting limit ("exceeded maximum nesting depth"), PyYAML 6.0.4 and later.
_PARSER_LIMIT = "maximum nesting depth"


class _NeedPositions(Exception):
    """A problem found while positions were not being recorded."""


def _parse(text: str, shown: str, first_line: int, track: bool,
           keep_going: bool = False, loader_class=None) -> tuple[object, dict, list]:
    loader = (loader_class or Loader)(text)
    try:
        builder = _Builder(shown, first_line, track, keep_going)
        return builder.run(loader), builder.positions, builder.repeated
    except yaml.MarkedYAMLError as err:
        if loader_class is None and Loader is not yaml.SafeLoader and _PARSER_LIMIT in str(err.problem):
            # libyaml (PyYAML >= 6.0.4) stops deep nesting itself, in English and far past our
            # limit; the pure-Python parser reads lazily up to our own limit and its message.
            return _parse(text, shown, first_line, track, keep_going, yaml.SafeLoader)
        line, column, message, hint = explain(err, text, first_line)
        raise SourceError(Problem(shown, line, column, message, hint)) from None
    except yaml.YAMLError as err:
        raise SourceError(Problem(shown, first_line, 1, f"YAML tidak dapat dibaca ({err}).",
                                  SYNTAX_HINT)) from None
    finally:
        loader.dispose()


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_STANDARD_TAG):] if tag.startswith(_STANDARD_TAG) else tag


class _Builder:
    """Plain Python data from parser events; with `track`, the position of every field too."""

    def __init__(self, shown: str, first_line: int, track: bool, keep_going: bool = False):
        self.shown = shown
        self.first_line = first_line
        self.track = track
        self.keep_going = keep_going   # report a repeated key and read on (see _key)
        self.repeated: list[Problem] = []
        self.positions: dict = {(): (first_line, 1)}

    def _where(self, event) -> tuple[int, int]:
        return self.first_line + event.start_mark.line, event.start_mark.column + 1

    def _fail(self, event, message: str, hint: str, path: FieldPath = ()):
        if not self.track:
            raise _NeedPositions
        line, column = self._where(event)
        raise SourceError(Problem(self.shown, line, column, message, hint, dotted(path)))

    def _check_node(self, event, path: FieldPath) -> None:
        cls = event.__class__
        if cls is AliasEvent:
            self._fail(event, f"alias YAML `*{event.anchor}` tidak diizinkan.",
                       "Tulis nilainya lengkap di setiap tempat, tanpa & dan *; bila teksnya "
                       "memang diawali `*`, tulis dalam tanda kutip.", path)
        if event.anchor is not None:
            self._fail(event, f"anchor YAML `&{event.anchor}` tidak diizinkan.",
                       "Tulis nilainya lengkap di setiap tempat, tanpa & dan *; bila teksnya "
                       "memang diawali `&`, tulis dalam tanda kutip.", path)
        if event.tag not in _HARMLESS_TAGS:
            self._fail(event, f"tag YAML `{_tag_name(event.tag)}` tidak diizinkan.",
                       tag_hint(event.tag, event.value if cls is ScalarEvent else None), path)

    def run(self, loader) -> object:
        get = loader.get_event
        get()  # stream start
        if get().__class__ is StreamEndEvent:  # nothing but comments
            return None
        track, positions = self.track, self.positions
        root = None
        path: FieldPath = ()  # stays () unless tracking
        stack: list = []  # [container, path, key (dicts: _NO_KEY while a key is expected)]
        while True:
            event = get()
            cls = event.__class__
            if cls is MappingEndEvent or cls is SequenceEndEvent:
                stack.pop()
                continue
            if cls is DocumentEndEvent:
                break
            if stack:
                frame = stack[-1]
                container = frame[0]
                if container.__class__ is dict:
                    if frame[2] is _NO_KEY:
                        frame[2] = self._key(event, frame[1], container)
                        continue
                    key = frame[2]
                    frame[2] = _NO_KEY
                    if track:
                        path = frame[1] + (key,)
                else:
                    key = None
                    if track:
                        path = frame[1] + (len(container),)
                        positions[path] = self._where(event)
            else:
                container = key = None
            if event.anchor is not None or event.tag is not None or cls is AliasEvent:
                self._check_node(event, path)
            if cls is ScalarEvent:
                value = _scalar(event)
            else:
                if len(stack) >= MAX_DEPTH:
                    self._fail(event, f"isian bertingkat terlalu dalam (lebih dari {MAX_DEPTH} tingkat).",
                               "Kolom pengaduan paling banyak bertingkat tiga; periksa tanda "
                               "kurung [ ] dan { } serta indentasinya.", path[:1])
                value = {} if cls is MappingStartEvent else []
                stack.append([value, path, _NO_KEY])
            if container is None:
                root = value
            elif key is None:
                container.append(value)
            elif key.__class__ is not _Repeated:
                container[key] = value
        event = get()
        if event.__class__ is not StreamEndEvent:
            self._fail(event, "ada lebih dari satu dokumen YAML (baris `---` di tengah).",
                       "Hapus baris `---` atau `...` yang berlebih.")
        return root

    def _key(self, event, path: FieldPath, mapping: dict) -> str:
        cls = event.__class__
        if cls is not ScalarEvent:
            if cls is AliasEvent or event.anchor is not None:
                self._check_node(event, path)
            self._fail(event, "nama kolom harus berupa teks biasa, bukan daftar atau kumpulan kolom.",
                       "Tulis `nama_kolom: nilai`, tanpa tanda [ ] { } atau ? sebelum titik dua.", path)
        if event.anchor is not None or event.tag is not None:
            self._check_node(event, path)
        key = event.value
        if key in mapping:
            if not self.track:
                raise _NeedPositions
            message = (f"kolom `{key}` ditulis dua kali (pertama di baris "
                       f"{self.positions[path + (key,)][0]}).")
            hint = "Hapus salah satunya; gabungkan isinya bila perlu."
            if not self.keep_going:
                self._fail(event, message, hint, path + (key,))
            line, column = self._where(event)
            self.repeated.append(Problem(self.shown, line, column, message, hint, dotted(path + (key,))))
            return _Repeated(key)  # read on: the other problems of the file are reported too
        if self.track:
            self.positions[path + (key,)] = self._where(event)
        return key


def _scalar(event):
    value = event.value
    if event.style or event.tag is not None:  # quoted, block, `!`, or `!!str`: a string
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


def dotted(path: FieldPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text

