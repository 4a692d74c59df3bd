"""Read a user's YAML faithfully: scalars as written, with the line of every field.

`yaml.safe_load` would turn `2026-01-05` into a date and `007` into 7, so string formats could
never be checked. We let libyaml (the C parser, when present) compose the node tree and build
plain Python values ourselves, YAML 1.2 style: only `true`/`false`, `null`/`~`, decimal numbers
without a leading zero become non-strings. Aliases are refused (a "billion laughs" file fails on
its first alias), and so are duplicate keys and custom tags.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problem

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 1_000_000

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)?\.[0-9]+([eE][-+]?[0-9]+)?")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_STANDARD_TAG = "tag:yaml.org,2002:"

FieldPath = tuple  # ("tanggapan", "isi") or ("diteruskan_ke", 0)


class SourceError(Exception):
    """A file that cannot be read at all; carries the one problem that says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Document:
    """YAML data as written, with a (line, column) for each field path (1-based, in the file)."""
    data: object
    positions: dict = field(default_factory=dict)

    def position(self, path: FieldPath) -> tuple[int, int]:
        """The position of a field, or of its nearest enclosing field that has one."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


def read_text(path: Path, shown: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The file's text: UTF-8 (a BOM is accepted), CRLF and CR turned into LF."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise SourceError(Problem(
                shown, 1, 1, f"berkas terlalu besar ({size:,} byte; batas {max_bytes:,} byte).",
                "Pindahkan lampiran besar ke luar berkas pengaduan; tulis ringkasannya saja."))
        raw = path.read_bytes()
    except OSError as err:
        raise SourceError(Problem(shown, 1, 1, f"berkas tidak dapat dibaca ({err.strerror}).",
                                  "Periksa nama berkas dan izin aksesnya.")) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise SourceError(Problem(
            shown, line, column, "berkas bukan teks UTF-8.",
            "Simpan ulang berkas dengan pengodean UTF-8 (di editor: Save with Encoding > UTF-8).")
        ) from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise SourceError(Problem(shown, line, 1, "berkas berisi karakter NUL (berkas biner?).",
                                  "Pengaduan harus berupa berkas teks Markdown."))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, shown: str, first_line: int = 1) -> Document:
    """Parse YAML text that starts at `first_line` of the file `shown`."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + (mark.line if mark else 0)
        column = (mark.column + 1) if mark else 1
        raise SourceError(Problem(shown, line, column, _yaml_message(err),
                                  "Periksa indentasi (spasi, bukan tab), titik dua setelah nama "
                                  "kolom, dan tanda kutip yang berpasangan.")) from None
    except yaml.YAMLError as err:
        raise SourceError(Problem(shown, first_line, 1, f"YAML tidak dapat dibaca: {err}",
                                  "Periksa penulisan YAML.")) from None
    if node is None:
        return Document(None, {(): (first_line, 1)})
    builder = _Builder(shown, first_line)
    data = builder.build(node, ())
    builder.positions[()] = (first_line, 1)
    return Document(data, builder.positions)


def _yaml_message(err: yaml.MarkedYAMLError) -> str:
    problem = (err.problem or "").strip()
    if "found character '\\t'" in problem or "\\t" in problem:
        return "YAML tidak sah: ada karakter tab untuk indentasi."
    if "undefined alias" in problem:
        return "YAML tidak sah: alias (*nama) tidak diizinkan."
    return f"YAML tidak sah: {problem or err.context}."


class _Builder:
    def __init__(self, shown: str, first_line: int):
        self.shown = shown
        self.first_line = first_line
        self.positions: dict = {}
        self.seen: set[int] = set()

    def _where(self, node) -> tuple[int, int]:
        return self.first_line + node.start_mark.line, node.start_mark.column + 1

    def _fail(self, node, message: str, hint: str, path: FieldPath = ()):
        line, column = self._where(node)
        raise SourceError(Problem(self.shown, line, column, message, hint, _dotted(path)))

    def build(self, node, path: FieldPath):
        if id(node) in self.seen:  # the same node reached twice is an alias
            self._fail(node, "anchor/alias YAML (&nama, *nama) tidak diizinkan.",
                       "Tulis nilainya lengkap di setiap tempat; jangan memakai & dan *.", path)
        self.seen.add(id(node))
        if node.tag and not node.tag.startswith(_STANDARD_TAG) and node.tag != "!":
            self._fail(node, f"tag YAML `{node.tag}` tidak diizinkan.",
                       "Hapus tag yang diawali tanda seru (!).", path)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self._item(child, path + (i,)) for i, child in enumerate(node.value)]
        return _scalar(node)

    def _item(self, child, path: FieldPath):
        self.positions[path] = self._where(child)
        return self.build(child, path)

    def _mapping(self, node, path: FieldPath) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, "nama kolom harus berupa teks biasa.",
                           "Tulis `nama_kolom: nilai`.", path)
            key = key_node.value
            if key in result:
                first = self.positions[path + (key,)][0]
                self._fail(key_node, f"kolom `{key}` ditulis dua kali (pertama di baris {first}).",
                           "Hapus salah satunya; gabungkan isinya bila perlu.", path + (key,))
            self.positions[path + (key,)] = self._where(key_node)
            result[key] = self.build(value_node, path + (key,))
        return result


def _scalar(node):
    value = node.value
    if node.style or node.tag == _STANDARD_TAG + "str":  # quoted or block scalar: a string
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


def _dotted(path: FieldPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


dotted = _dotted
