"""What lies under content/ and is never read: said, so that no complaint is lost in silence.

A complaint saved as `ADU-….md.txt` (Notepad's ending) or `ADU-….MD`, in a folder that is a link
(git keeps the link, not the files), or straight in `content/`, would be left out of every check,
recap and page without a word. Under content/complaints, each file not read is an error when it
looks like a complaint (its name holds `ADU-` or ends with `.MD`, or its first lines hold a
complaint's id), else a warning: an attachment is not published either, and staff should know.
Straight in content/ (where the logo and the editor's media folder are) only what looks like a
complaint is said. Hidden files, `README*` and `_*` are notes for people
(`complaint.QUIET_PREFIXES`): never read, never reported.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from pipeline.records.complaint import QUIET_PREFIXES, shown_path
from pipeline.records.problems import Problem

PEEK_BYTES = 4096
_ID_LINE = re.compile(rb"^id:[ \t]*[\"']?ADU-", re.MULTILINE | re.IGNORECASE)
_BACKUP = re.compile(r"(~|\.(bak|orig|swp|tmp|old))+$", re.IGNORECASE)   # what editors leave beside a file
_ENDING = re.compile(r"(\.(md|markdown|mdown|txt))+$", re.IGNORECASE)


def unread_problems(repo: Path, unread: list[Path]) -> list[Problem]:
    """A problem for each of `unread` (what `discover` found under content/complaints and does
    not read) and for each complaint straight in content/."""
    found = [_complaints_entry(path, repo) for path in unread]
    return found + [_content_entry(path, repo) for path in _content_strays(repo)]


def _content_strays(repo: Path) -> list[Path]:
    try:
        entries = list(os.scandir(repo / "content"))
    except OSError:
        return []
    # (the logo and other files the policy names may be anywhere in content/: only complaints count)
    return sorted(Path(entry.path) for entry in entries if not entry.is_dir()
                  and not entry.name.startswith(QUIET_PREFIXES) and _looks_like_complaint(Path(entry.path)))


def _complaints_entry(path: Path, repo: Path) -> Problem:
    shown = shown_path(path, repo)
    if path.is_symlink() and path.is_dir():
        return Problem(shown, 1, 1, "folder ini adalah tautan (symlink): pengaduan di dalamnya tidak "
                       "dibaca, tidak diperiksa dan tidak diterbitkan (git menyimpan tautannya saja).",
                       "Ganti tautan ini dengan folder biasa yang berisi berkas pengaduannya.")
    original = _BACKUP.sub("", path.name)
    if original != path.name and (path.parent / original).is_file():   # an editor's copy: the file itself is read
        return Problem(shown, 1, 1, f"berkas ini salinan cadangan dari `{original}` dan tidak dibaca.",
                       "Hapus salinan itu bila tidak diperlukan.", severity="warning")
    if path.name.lower().endswith(".md") or _looks_like_complaint(path):
        return Problem(shown, 1, 1, "berkas ini tidak dibaca sebagai pengaduan: hanya berkas "
                       "berakhiran `.md` (huruf kecil) yang dibaca.",
                       f"Ganti namanya menjadi `{_md_name(path.name)}`.")
    return Problem(shown, 1, 1, "berkas ini bukan pengaduan (tidak berakhiran `.md`): tidak dibaca "
                   "dan tidak diterbitkan.",
                   "Pindahkan keluar dari content/complaints; lampiran tidak diterbitkan di situs.",
                   severity="warning")


def _content_entry(path: Path, repo: Path) -> Problem:
    return Problem(shown_path(path, repo), 1, 1, "pengaduan di sini tidak dibaca, tidak diperiksa dan "
                   "tidak diterbitkan: tempatnya di content/complaints/<tahun>/.",
                   f"Pindahkan ke content/complaints/<tahun>/ dengan nama `{_md_name(path.name)}` "
                   "(tahun dari id-nya).")


def _looks_like_complaint(path: Path) -> bool:
    """Named like one (`ADU-…`), or holding a complaint's id in its first lines."""
    return "adu-" in path.name.lower() or _ID_LINE.search(_peek(path)) is not None


def _peek(path: Path) -> bytes:
    """The first bytes of a regular file (not through a link, never waiting on a pipe)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return b""
        return os.read(descriptor, PEEK_BYTES).lstrip(b"\xef\xbb\xbf")
    except OSError:
        return b""
    finally:
        os.close(descriptor)


def _md_name(name: str) -> str:
    """`ADU-….md.txt`, `ADU-….MD`, `ADU-…` -> `ADU-….md`."""
    return _ENDING.sub("", name) + ".md"

