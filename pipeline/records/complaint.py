"""Complaint records: one Markdown file with YAML front matter per complaint.

`content/complaints/<YYYY>/<id>.md`. The front matter holds the fields of the schema; the body
after it is the team's private working notes (never published).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path

from pipeline.records.losttext import lost_text
from pipeline.records.problems import Problem
from pipeline.records.source import Document, SourceError, decode_text, dotted, outside_problem, parse_yaml, read_text
from pipeline.records.timeutil import is_waktu, parse_waktu

COMPLAINT_DIR = Path("content") / "complaints"
CLOSED_STATUSES = ("dijawab", "selesai")


@dataclass
class Complaint:
    path: Path           # absolute
    shown: str           # relative to the repository, with "/": what people see in messages
    document: Document   # front matter as written, with field positions
    body: str            # private working notes after the front matter
    received_at: datetime | None = None  # set once the record is valid

    @property
    def data(self) -> dict:
        return self.document.data

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def is_public(self) -> bool:
        return self.data.get("kerahasiaan", "terbuka") == "terbuka"

    @property
    def response(self) -> dict | None:
        return self.data.get("tanggapan")

    @property
    def status(self) -> str:
        """The declared status, else what the recorded steps say."""
        if "status" in self.data:
            return self.data["status"]
        if self.response:
            plan = self.data.get("rencana_tindak_lanjut") or {}
            return "selesai" if not plan or plan.get("selesai") else "dijawab"
        if any(key in self.data for key in ("lapor_tim", "rapat", "diteruskan_ke",
                                            "rencana_tindak_lanjut")):
            return "diproses"
        return "baru"

    def declared_time(self, path: tuple, tz: tzinfo) -> datetime | None:
        """A time written in the file (a claim, not evidence), as an aware datetime."""
        return declared_time(self.data, path, tz)

    def position(self, *path) -> tuple[int, int]:
        return self.document.position(path)


def field_at(data, path: tuple):
    """The value at `path` (("tanggapan", "isi")) of a record's fields, or None when a level is
    missing or is not a mapping."""
    for key in path or ():
        data = data.get(key) if isinstance(data, dict) else None
    return data


def declared_time(data, path: tuple, tz: tzinfo) -> datetime | None:
    """A time written at `path` of a record's fields (a claim, not evidence), as an aware
    datetime; None when there is none or it is not a valid time. Read in `tz` without an offset."""
    value = field_at(data, path)
    return parse_waktu(value, tz) if is_waktu(value) else None


def discover(repo: Path, unread: list | None = None) -> list[Path]:
    """Every complaint file under content/complaints, in a stable order. `unread` (a list) gets
    the paths of what else is there and is never read: other files, links to folders."""
    root = repo / COMPLAINT_DIR
    return [root.joinpath(*parts) for parts in _complaint_files(root, unread)]


def discover_names(repo: Path) -> list[str]:
    """`discover` as the paths' texts (`str` of each), for a reader that only looks them up by name
    (the gate's early worker: 10,000 paths made and turned back into text took it 0.015 s)."""
    root = str(repo / COMPLAINT_DIR)
    return [os.path.join(root, *parts) for parts in _complaint_files(Path(root))]


def _complaint_files(root: Path, unread: list | None = None) -> list[tuple[str, ...]]:
    if not root.is_dir():
        return []
    found: list[tuple[str, ...]] = []
    folders = [(str(root), ())]
    while folders:  # like root.rglob("*.md"), without a stat per file: scandir knows the types
        folder, parts = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, parts + (entry.name,)))
            elif is_complaint_name(entry.name):
                # Not only regular files: a FIFO or a link to a device named *.md must be
                # refused with a message by read_complaint, not skipped in silence.
                found.append(parts + (entry.name,))
            elif unread is not None and not entry.name.startswith(QUIET_PREFIXES):
                unread.append(Path(entry.path))
    return sorted(found)


QUIET_PREFIXES = ("_", ".", "README")   # notes for people, hidden files: never read, never reported


def is_complaint_name(name: str) -> bool:
    """A file name read as a complaint: `*.md`, not hidden, not a README or `_` note."""
    return name.endswith(".md") and not name.startswith(QUIET_PREFIXES)


def discover_in(names, repo: Path) -> list[Path]:
    """`discover` over the names (relative, with "/") of a commit's files instead of a folder."""
    prefix = COMPLAINT_DIR.as_posix() + "/"
    found = [tuple(name[len(prefix):].split("/")) for name in names if name.startswith(prefix)]
    found = [parts for parts in found if is_complaint_name(parts[-1])]
    root = repo / COMPLAINT_DIR
    return [root.joinpath(*parts) for parts in sorted(found)]


def shown_path(path: Path, repo: Path) -> str:
    """The path as people see it: relative to the repository, with "/"."""
    if ".." not in path.parts:
        try:  # the common case (a discovered file): no need to ask the file system
            return path.relative_to(repo).as_posix()
        except ValueError:
            pass
    try:
        return path.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _plainly_under(path: Path, repo: Path) -> bool:
    if ".." in path.parts:
        return False
    try:
        path.relative_to(repo)
        return True
    except ValueError:
        return False


def _linked_folder(repo: Path) -> bool:
    return os.path.islink(repo / "content") or os.path.islink(repo / COMPLAINT_DIR)


def _named(problems: list[Problem], document: Document) -> list[Problem]:
    """`problems` with the field of the nearest field at or above their line."""
    if not problems:
        return problems
    fields = sorted((line, path) for path, (line, _) in document.positions.items() if path)
    named = []
    for problem in problems:
        above = [path for line, path in fields if line <= problem.line]
        named.append(replace(problem, field=dotted(above[-1])) if above else problem)
    return named


def read_complaint(path: Path, repo: Path, keep_going: bool = False, data: bytes | None = None) -> Complaint:
    """Read one complaint file; raises SourceError when it cannot be read as a record.

    With `keep_going`, a repeated key does not stop the reading: it is in `document.problems`
    and the caller reports it with the file's other problems. `data`: the file's bytes as a
    commit holds them (a regular file of the tree: nothing on disk is read or checked)."""
    shown = shown_path(path, repo)
    if data is not None:
        text = decode_text(data, shown)
    else:
        text = read_text(path, shown)  # first: a device or a pipe is refused as such, unread
    if data is None and (os.path.islink(path) or _linked_folder(repo) or not _plainly_under(path, repo)):
        outside = outside_problem(path, shown, repo, "repositori ini")
        if outside:  # a link to another repository's complaint, or to any file of the machine
            raise SourceError(outside)
    lines = text.split("\n")
    if not text.strip():
        raise SourceError(Problem(shown, 1, 1, "berkas kosong.", "Isi kolom-kolom pengaduan di antara dua baris "
                                  "`---` (lihat contoh di content/complaints/), atau hapus berkas ini; pengaduan baru "
                                  "dibuat dengan `pengaduan new`."))
    if lines[0].rstrip() != "---":
        first = next(number for number, line in enumerate(lines) if line.strip())
        if lines[first].rstrip() == "---":   # (the opening line is there, after empty lines)
            raise SourceError(Problem(shown, 1, 1, f"ada {first} baris kosong sebelum baris `---` pembuka.",
                                      "Hapus baris kosong di atas `---`: baris pertama berkas harus `---`."))
        raise SourceError(Problem(shown, 1, 1, "berkas tidak diawali front matter (baris `---`).",
                                  "Baris pertama harus `---`, lalu kolom-kolom pengaduan, lalu `---` "
                                  "lagi. Buat berkas baru dengan `pengaduan new`."))
    closing = next((index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "...")),
                   None)
    if closing is None:
        raise SourceError(Problem(shown, 1, 1, "front matter tidak ditutup dengan baris `---`.",
                                  "Tambahkan baris `---` setelah kolom terakhir."))
    front = "\n".join(lines[1:closing]) + "\n"
    document = parse_yaml(front, shown, first_line=2, keep_going=keep_going)
    document.problems += _named(lost_text(front, shown, first_line=2), document)   # (a hashtag read as a comment)
    if document.data is None:
        raise SourceError(Problem(shown, 2, 1, "front matter kosong: belum ada kolom pengaduan.",
                                  "Isi kolom wajib di antara kedua baris `---`: id, judul, diterima, "
                                  "kanal, jenis, unit, ringkasan; atau buat berkas dengan "
                                  "`pengaduan new`."))
    if not isinstance(document.data, dict):
        what = "daftar" if isinstance(document.data, list) else "teks biasa"
        raise SourceError(Problem(shown, 2, 1, f"front matter harus berisi kolom-kolom `nama: nilai`, "
                                               f"bukan {what}.",
                                  "Tulis setiap kolom di baris sendiri tanpa `-` di depannya, mis. "
                                  "`judul: ...`; lihat contoh di content/complaints/ atau buat "
                                  "berkas dengan `pengaduan new`."))
    return Complaint(path=path, shown=shown, document=document,
                     body="\n".join(lines[closing + 1:]).strip("\n"))


def version_record(content: bytes) -> dict | None:
    """The parsed front matter of one committed version of a complaint file (bytes as git
    stores them), or None when that version cannot be read as a record. The same parser as
    `read_complaint`, so what counts as a field is what `pengaduan check` and the site see."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].rstrip() != "---":
        return None
    closing = next((index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "...")),
                   None)
    if closing is None:
        return None
    try:
        data = parse_yaml("\n".join(lines[1:closing]) + "\n", "", first_line=2).data
    except SourceError:
        return None
    return data if isinstance(data, dict) else None

