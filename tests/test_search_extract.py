"""Pagefind is given each complaint page's search extract (`outputs.searchextract`), not the whole
page, and makes the same index byte for byte. Proved on the pages of a real build: ordinary
complaints, rich Markdown, hostile text in every field, the marks' own names written by a reporter.
A page the cut cannot read with certainty is given whole."""
from __future__ import annotations

import hashlib
import pickle
import signal
from pathlib import Path

import pytest

from pipeline.outputs.searchextract import LARGEST, search_extract
from pipeline.plugin import search
from pipeline.plugin.cache import BuildCache
from site_helpers import XSS_PAYLOADS, build, hostile_complaint, synthetic_complaint, write_repo

RICH = """Antrean *lama* di **loket**, lihat [jadwal](https://contoh.example/jadwal?a=1&b=2).

## Rincian

- pagi: 40 menit
- siang: `20 menit`

> Kutipan pelapor.

| hari | menit |
|---|---|
| Senin | 40 |

1. satu
2. dua
"""
# what a reporter may write: the marks' own names, end tags as text, markup in a link's address
TRICKY = ["Tulisan data-pagefind-ignore dan data-pagefind-body di teks.", "Teks </dd></section></article> di sini.",
          "[tautan](https://contoh.example/</section>)", "<dd data-pagefind-ignore>bukan tag</dd>",
          "Judul <h1>kedua</h1> dan <img src=x>"]


def complaints() -> list[dict]:
    found = [synthetic_complaint(index) for index in range(8)]
    rich = synthetic_complaint(11)
    rich["ringkasan"] = RICH
    rich["tanggapan"]["isi"] = RICH.replace("pelapor", "petugas")
    found.append(rich)
    found += [hostile_complaint(20 + index, payload) for index, payload in enumerate(XSS_PAYLOADS + TRICKY)]
    return found


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, bytes]:
    """url -> bytes of every complaint page of a real build."""
    root = tmp_path_factory.mktemp("extracts")
    repo = write_repo(root / "repo", complaints())
    build(repo, root / "output")
    return {f"pengaduan/{path.parent.name}/": path.read_bytes()
            for path in sorted((root / "output" / "pengaduan").glob("*/index.html"))}


@pytest.fixture
def ram(tmp_path, monkeypatch):
    """A folder standing for /dev/shm."""
    folder = tmp_path / "ram"
    folder.mkdir()
    monkeypatch.setattr(search, "RAM_FOLDER", str(folder))
    return folder


def bundles(folder: Path, pages: dict[str, bytes], cache=None, as_files: bool = False) -> dict[str, bytes]:
    """The index's files made from `pages`: handed over as their HTML (pages the build rendered),
    or `as_files`, as files with their sha256 (pages the writer kept from the last build)."""
    folder.mkdir(parents=True, exist_ok=True)
    index = search.SearchIndex(folder, cache=cache)
    try:
        for url, page in pages.items():
            if as_files:
                kept = folder / "kept" / url / "index.html"
                kept.parent.mkdir(parents=True)
                kept.write_bytes(page)
                index.add(url, None, kept, hashlib.sha256(page).hexdigest())
            else:
                index.add(url, page.decode("utf-8"))
        found = index.files()
        assert found is not None
        return {name: path.read_bytes() for name, path, _ in found}
    finally:
        index.close()


def test_pagefind_makes_the_same_index_from_the_extracts_as_from_the_whole_pages(pages, tmp_path, monkeypatch):
    assert len(pages) == len(complaints())
    extracts = {url: search_extract(page) for url, page in pages.items()}
    ordinary = [url for url in pages if b"uji nomor" in pages[url] and b"keamanan" not in pages[url]]
    assert len(ordinary) == 9 and all(extracts[url] is not None for url in ordinary)
    assert all(len(extracts[url]) < len(pages[url]) / 2 for url in ordinary)
    cut = bundles(tmp_path / "cut", pages)
    monkeypatch.setattr(search, "search_extract", lambda page: None)
    whole = bundles(tmp_path / "whole", pages)
    assert cut == whole and any(name.endswith("pagefind-entry.json") for name in whole)


def test_an_extract_is_the_body_less_what_is_marked_to_be_ignored(pages):
    page = next(page for page in pages.values() if b"uji nomor 3 " in page)
    extract = search_extract(page).decode("utf-8")
    assert extract.startswith('<html lang="id"><body><article class="aduan" data-pagefind-body>')
    assert extract.endswith("</article></body></html>")
    assert "Pengaduan uji nomor 3 tentang layanan" in extract and "Tanggapan uji nomor 3" in extract
    assert "data-pagefind-ignore" not in extract
    for left_out in ("Linimasa penanganan", "Puskesmas Uji", "Menu utama", "Identitas pelapor", "Status"):
        assert left_out not in extract, left_out


@pytest.mark.parametrize("change", [
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body><!-- x -->'),
    ("<h1>", '<h1 data-pagefind-meta="judul">'),
    ("<h1>", '<h1 data-pagefind-filter="unit">'),
    ("<h1>", "<H1>"),
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body><script>x</script>'),
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body>'
                                                   '<section data-pagefind-ignore><section>a</section></section>'),
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body><br data-pagefind-ignore>'),
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body><p data-pagefind-ignore>a'),
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body>'
                                                   '<p data-pagefind-ignore><h1>a</h1></p>'),
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body>'
                                                   '<p data-pagefind-ignore><img src="a.png"></p>'),
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body>'
                                                   '<p title="x data-pagefind-ignore">a</p>'),
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body>'
                                                   '<p data-pagefind-ignore title="</p>">a</p>'),
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body>'
                                                   "<p class='x' data-pagefind-ignore>a</p>"),
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body>'
                                                   '<p DATA-PAGEFIND-IGNORE>a</p>'),
    ('<article class="aduan" data-pagefind-body>', '<nav><article class="aduan" data-pagefind-body>'),
    ('<a class="lompat"', '<p data-pagefind-ignore>a</p><a class="lompat"'),
    ("</footer>", '<p data-pagefind-ignore>a</p></footer>'),
    ("</footer>", '<p data-pagefind-body>a</p></footer>'),
    ("</article>", "</article><title>x</title>"),
    ('<article class="aduan" data-pagefind-body>', '<article class="aduan" data-pagefind-body="">'
                                                   '<div data-pagefind-body>'),
    ("<body>", "<body><h1>Judul di luar</h1>"),
])
def test_a_page_the_cut_cannot_read_with_certainty_is_given_whole(pages, change):
    page = next(page for page in pages.values() if b"uji nomor 3 " in page)
    assert search_extract(page) is not None
    old, new = change
    assert old.encode() in page
    assert search_extract(page.replace(old.encode(), new.encode(), 1)) is None


def test_a_page_given_whole_is_linked_and_the_others_are_written(pages, tmp_path, ram):
    """The index's copy of the site: a page that cannot be cut is a link to the page's file, the
    others their extracts."""
    chosen = dict(list(pages.items())[:3])
    url = next(iter(chosen))
    chosen[url] = chosen[url].replace(b"<h1>", b"<!-- - --><h1>", 1)
    index = search.SearchIndex(tmp_path)
    try:
        for address, page in chosen.items():
            made = tmp_path / "made" / address / "index.html"
            made.parent.mkdir(parents=True)
            made.write_bytes(page)
            index.add(address, page.decode("utf-8"), made)
        index.start()
        copies = {path.name: path for path in ram.glob(f"{search.RAM_PREFIX}*/situs-*/{search.PAGES}/*.html")}
        assert len(copies) == 3
        for address, page in chosen.items():
            copy = copies[address.split("/")[1] + ".html"]
            if address == url:
                assert copy.is_symlink() and copy.read_bytes() == page
            else:
                assert not copy.is_symlink() and copy.read_bytes() == search_extract(page)
        assert index.files() is not None
    finally:
        index.close()


def test_the_extracts_are_kept_by_page_and_a_damaged_cache_is_cut_again(pages, tmp_path, monkeypatch):
    """The extracts of a bundle's pages are kept in the build cache by each page's sha256: the next
    build's pages kept unchanged are not read again, and a damaged entry is only a slower build."""
    cache = BuildCache(tmp_path / "cache", "environment")
    first = bundles(tmp_path / "one", pages, cache)
    kept = sorted((tmp_path / "cache").glob(f"{search.EXTRACTS}-*.pickle"))
    assert kept
    cut = []
    monkeypatch.setattr(search, "search_extract", lambda page: cut.append(page) or search_extract(page))
    assert bundles(tmp_path / "two", pages, cache, as_files=True) == first
    assert cut == []
    for path in kept:
        path.write_bytes(b"damaged")
    assert bundles(tmp_path / "three", pages, cache, as_files=True) == first
    assert sorted(cut) == sorted(pages.values())
    cut.clear()
    for path in kept:   # (readable, from this program, but not extracts)
        entries = pickle.loads(path.read_bytes())
        entries["entries"] = dict.fromkeys(entries["entries"], "not bytes")
        path.write_bytes(pickle.dumps(entries))
    assert bundles(tmp_path / "four", pages, cache, as_files=True) == first
    assert sorted(cut) == sorted(pages.values())
    assert all(isinstance(pickle.loads(path.read_bytes()), dict) for path in kept)   # written again


def test_the_extracts_of_a_bundle_the_site_no_longer_has_are_deleted(pages, tmp_path):
    """A year's parts move to other months as it grows: the extracts kept for a part that is gone
    would never be read again."""
    cache = BuildCache(tmp_path / "cache", "environment")
    bundles(tmp_path / "one", pages, cache)
    kept = {path.name for path in (tmp_path / "cache").glob(f"{search.EXTRACTS}-*.pickle")}
    gone = tmp_path / "cache" / f"{search.EXTRACTS}-2019-04.pickle"
    gone.write_bytes(b"x")
    other = tmp_path / "cache" / "records.00.pickle"
    other.write_bytes(b"x")
    bundles(tmp_path / "two", pages, cache, as_files=True)
    assert {path.name for path in (tmp_path / "cache").glob(f"{search.EXTRACTS}-*.pickle")} == kept
    assert not gone.exists() and other.exists()


@pytest.mark.parametrize("body", [
    b"<p data-pagefind-ignore>" + b"a b c " * 40000,                       # never closed
    b"<p data-pagefind-ignore>" * 400 + b"x",                              # nested, never closed
    b'<p data-pagefind-ignore title="' + b"a " * 100000,                   # a value never closed
    b"<p " + b"a=b " * 50000 + b"data-pagefind-ignore>x</p>",              # many attributes
    b'="' + b" " * 100000 + b"<p data-pagefind-ignore>x</p>" * 400,
    b"".join(b"<x%d data-pagefind-ignore>" % number for number in range(400)) + b"y" * 200000,
])
def test_a_malformed_or_huge_page_is_read_in_one_pass(body):
    """Every repetition is possessive: no input makes the cut try again and again (an unclosed
    element in an early version took minutes on 200 bytes)."""
    signal.alarm(30)   # (a hang fails the test instead of the whole run)
    try:
        page = b'<html lang="id"><body><article data-pagefind-body><h1>a</h1>' + body + b"</article></body></html>"
        assert len(page) <= LARGEST   # (read, not refused for its size)
        assert search_extract(page) is None or b"data-pagefind-ignore" not in search_extract(page)
    finally:
        signal.alarm(0)
