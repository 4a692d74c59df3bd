"""Where Pagefind writes a bundle (`pipeline.plugin.search`): in memory when there is room, else
beside the output, and again beside the output when it failed in memory. The index is the same
byte for byte wherever it was written."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from pipeline.plugin import search
from site_helpers import synthetic_complaint

PAGE = ('<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title></head>'
        '<body><main data-pagefind-body><h1>{title}</h1><p>{text}</p></main></body></html>')


def pages() -> list[tuple[str, str]]:
    found = []
    for index in range(6):
        complaint = synthetic_complaint(index)
        found.append((f"pengaduan/{complaint['id']}/",
                      PAGE.format(title=complaint["judul"], text=complaint["ringkasan"])))
    return found


def index_files(beside: Path) -> tuple[dict[str, bytes], list[str], search.SearchIndex]:
    """The files of an index of `pages()`, and the folders Pagefind wrote its bundles in."""
    index = search.SearchIndex(beside)
    try:
        for url, html in pages():
            index.add(url, html)
        found = index.files()
        assert found is not None
        return {name: path.read_bytes() for name, path, _ in found}, \
            sorted({str(path.parent.parent) if path.parent.name == "fragment" else str(path.parent)
                    for _, path, _ in found}), index
    finally:
        index.close()


@pytest.fixture
def ram(tmp_path, monkeypatch):
    """A folder standing for /dev/shm (a real folder on its own; the module's choice is tested,
    not the machine's memory)."""
    folder = tmp_path / "ram"
    folder.mkdir()
    monkeypatch.setattr(search, "RAM_FOLDER", str(folder))
    return folder


def test_bundles_are_written_in_memory_when_it_has_room(tmp_path, ram):
    files, folders, _ = index_files(tmp_path)
    assert files and all(folder.startswith(str(ram)) for folder in folders), folders
    assert not list(ram.iterdir())   # removed with the index


def test_without_room_in_memory_the_bundles_are_written_beside_the_output(tmp_path, ram, monkeypatch):
    in_memory, _, _ = index_files(tmp_path)
    monkeypatch.setattr(search, "RAM_SPARE", 1 << 62)   # no memory folder has that much room
    files, folders, _ = index_files(tmp_path)
    assert all(folder.startswith(str(tmp_path / ".cari-")) for folder in folders), folders
    assert files == in_memory
    monkeypatch.setattr(search, "RAM_FOLDER", str(tmp_path / "missing"))
    assert index_files(tmp_path)[0] == in_memory


def test_a_bundle_that_fails_in_memory_is_indexed_again_beside_the_output(tmp_path, ram, monkeypatch):
    """Pagefind fails for real: its output path is under a file, not a folder."""
    expected, _, _ = index_files(tmp_path)
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")

    class UnderAFile:   # what `_bundle_folder` hands back: a folder Pagefind cannot write in
        name = str(blocked)

        def cleanup(self):
            pass
    monkeypatch.setattr(search, "_bundle_folder", lambda pages: UnderAFile())
    files, folders, index = index_files(tmp_path)
    assert files == expected
    assert all(folder.startswith(str(tmp_path / ".cari-")) for folder in folders), folders
    assert index.indexed and blocked.read_text() == "not a folder"


def test_a_page_given_whole_is_linked_from_the_index_not_copied(tmp_path, ram, monkeypatch):
    """The build hands each complaint page with the file its writer made: a page Pagefind reads
    whole (not cut to its search extract, `outputs.searchextract`) is a symbolic link to that file in
    the index's copy of the site, in the bundle's folder in memory (a copy was one more file made
    and deleted per page), and the index is the same as from the HTML alone. The files themselves
    are untouched: a hard link would move their change time, which the next build takes for a
    hand's edit."""
    expected, _, _ = index_files(tmp_path)
    monkeypatch.setattr(search, "search_extract", lambda page: None)
    made = {}
    for url, html in pages():
        made[url] = tmp_path / "staging" / url / "index.html"
        made[url].parent.mkdir(parents=True)
        made[url].write_text(html, encoding="utf-8")
    changed = {url: path.stat().st_ctime_ns for url, path in made.items()}
    index = search.SearchIndex(tmp_path)
    try:
        for url, html in pages():
            index.add(url, html, made[url])
        index.start()
        copies = sorted(ram.glob(f"{search.RAM_PREFIX}*/situs-*/{search.PAGES}/*.html"))
        assert len(copies) == len(made) and all(copy.is_symlink() for copy in copies)
        assert {os.readlink(copy) for copy in copies} == {str(path) for path in made.values()}
        assert not list(tmp_path.glob(".cari-*/*"))   # nothing beside the output
        found = index.files()
        assert found is not None
        assert {name: path.read_bytes() for name, path, _ in found} == expected
    finally:
        index.close()
    assert not list(ram.iterdir())
    assert all(path.stat().st_nlink == 1 and path.stat().st_ctime_ns == changed[url] and
               path.read_text(encoding="utf-8") == html for (url, html), path in zip(pages(), made.values()))


def test_a_failure_beside_the_output_still_stops_the_build(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(search, "RAM_FOLDER", str(tmp_path / "missing"))
    monkeypatch.setattr(search, "ARGUMENTS", [*search.ARGUMENTS, "--no-such-option"])
    index = search.SearchIndex(tmp_path)
    try:
        for url, html in pages():
            index.add(url, html)
        assert index.files() is None
    finally:
        index.close()
    assert "indeks pencarian (Pagefind)" in caplog.text
    assert not list(tmp_path.glob(".cari-*"))


def test_a_folder_a_killed_build_left_in_memory_is_removed_a_day_later(tmp_path, ram):
    old, recent, other = ram / f"{search.RAM_PREFIX}old", ram / f"{search.RAM_PREFIX}recent", ram / "lain-old"
    for folder in (old, recent, other):
        (folder / "fragment").mkdir(parents=True)
        (folder / "fragment" / "x.pf_fragment").write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    for folder in (old, other):
        os.utime(folder, (two_days_ago, two_days_ago))
    index_files(tmp_path)
    assert not old.exists()                  # ours, a day old: a killed build's
    assert recent.exists() and other.exists()   # another build's, under way; not ours


def test_a_build_that_fails_after_the_index_started_leaves_no_pagefind_behind(tmp_path, monkeypatch):
    """The complaint pages are written, and Pagefind started on them, before Pelican writes the
    staff pages: a build that fails there (a broken theme) still stops Pagefind and removes the
    copy of the pages beside the output and the bundles in memory (`search.close_all`, called by
    `build_site` whatever happened), before the error reaches the command. (The broken theme is
    the repository's own, without a settings file of its own: the build uses it, as the privacy
    gate reads it.)"""
    import shutil

    from pipeline.commands.build import build_site
    from site_helpers import ROOT, write_repo
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(index) for index in range(3)])
    shutil.copytree(ROOT / "theme", repo / "theme")
    (repo / "theme" / "templates" / "page.html").write_text("{{ tidak_ada.sama_sekali }}", encoding="utf-8")
    in_memory_before = set(Path(search.RAM_FOLDER).glob(search.RAM_PREFIX + "*"))
    started: list = []
    start = search.SearchIndex.start

    def watched(index):   # (the real start, its index remembered)
        start(index)
        started.append(index)
    monkeypatch.setattr(search.SearchIndex, "start", watched)
    with pytest.raises(Exception, match="tidak_ada"):
        build_site(repo, tmp_path / "situs")
    assert started and started[0].indexed   # (Pagefind had been started)
    assert all(process.poll() is not None for process in started[0]._processes.values())
    assert not list(tmp_path.glob(".cari-*"))
    assert set(Path(search.RAM_FOLDER).glob(search.RAM_PREFIX + "*")) <= in_memory_before
    assert not search._OPEN


def _years() -> list[tuple[str, str]]:
    """Pages of three years, newest first (as the build writes them)."""
    numbers = ["ADU-20260105-0005", "ADU-20250302-0004", "ADU-20250301-0003", "ADU-20240210-0002",
               "ADU-20240105-0001"]
    return [(f"pengaduan/{number}/", PAGE.format(title=f"Pengaduan {number}", text=f"Isi {number} antrean loket"))
            for number in numbers]


def test_told_every_page_first_a_bundle_starts_once_its_last_page_is_added(tmp_path):
    """`expect`: the changed complaint's bundle is indexed while the build writes the other pages,
    and the index is the one made after every page was added."""
    alone = search.SearchIndex(tmp_path)
    try:
        for url, html in _years():
            alone.add(url, html)
        expected = {name: path.read_bytes() for name, path, _ in alone.files()}
    finally:
        alone.close()
    index = search.SearchIndex(tmp_path)
    try:
        index.expect(url for url, _ in _years())
        begun = []
        for url, html in _years():
            index.add(url, html)
            begun.append(list(index.indexed))
        assert begun == [["2026"], ["2026"], ["2026", "2025"], ["2026", "2025"], ["2026", "2025", "2024"]]
        assert index.bundles() == ["2026", "2025", "2024"]
        assert {name: path.read_bytes() for name, path, _ in index.files()} == expected
    finally:
        index.close()


def test_a_page_not_expected_or_an_expected_page_missing_is_an_error(tmp_path):
    pages_of_years = _years()
    index = search.SearchIndex(tmp_path)
    try:
        index.expect(url for url, _ in pages_of_years[1:])
        with pytest.raises(RuntimeError, match="no page can be added"):
            index.add(*pages_of_years[0])
        index.add(*pages_of_years[1])
        with pytest.raises(RuntimeError, match="expected but not added"):
            index.start()
    finally:
        index.close()
    assert not list(tmp_path.glob(".cari-*"))


def test_pagefind_reads_the_allocator_options_and_accepts_them(tmp_path):
    """`ALLOCATOR`: the pinned Pagefind's allocator reads the variable, and says nothing against
    the options (jemalloc warns of an option it does not know, and goes on without it)."""
    name, _ = search.ALLOCATOR
    assert name.encode() in Path(search._executable()).read_bytes()
    site = tmp_path / "site" / "pengaduan"
    site.mkdir(parents=True)
    for number, (_, html) in enumerate(pages()):
        (site / f"{number}.html").write_text(html, encoding="utf-8")
    done = subprocess.run([search._executable(), "--site", str(tmp_path / "site"), "--output-path",
                           str(tmp_path / "out"), "--force-language", "id"],
                          capture_output=True, env=search._environment(), check=False)
    said = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert done.returncode == 0 and "Indexed 6 pages" in said, said
    assert "<jemalloc>" not in said, said


def test_the_allocator_options_change_no_byte_of_the_index(tmp_path, ram, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with_options, _, _ = index_files(tmp_path / "a")
    monkeypatch.setattr(search, "ALLOCATOR", (search.ALLOCATOR[0], ""))
    without, _, _ = index_files(tmp_path / "b")
    assert with_options == without and with_options


def test_allocator_options_the_machine_s_owner_set_are_kept(monkeypatch):
    name, ours = search.ALLOCATOR
    monkeypatch.delenv(name, raising=False)
    assert search._environment()[name] == ours
    monkeypatch.setenv(name, "narenas:2")
    assert search._environment()[name] == "narenas:2"
