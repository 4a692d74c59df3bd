"""A planned search index (`SearchIndex.plan`): each Pagefind bundle starts as soon as its last
page is added, the bundles with a page made anew first, and the index is byte for byte the one
made without a plan."""
from __future__ import annotations

import pytest

from pipeline.plugin import search

PAGE = ('<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title></head>'
        '<body><main data-pagefind-body><h1>{title}</h1><p>Aduan tentang antrean {title}.</p></main></body></html>')
# two pages a month, three months of 2025 and one of 2026: with parts of at most 2 pages, four bundles
NUMBERS = ["ADU-20250105-0001", "ADU-20250120-0002", "ADU-20250203-0003", "ADU-20250214-0004",
           "ADU-20250301-0005", "ADU-20250322-0006", "ADU-20260110-0007", "ADU-20260111-0008"]
URLS = [f"pengaduan/{number}/" for number in reversed(NUMBERS)]   # (as the site lists them: newest first)


def _files(index) -> dict[str, bytes]:
    found = index.files()
    assert found is not None
    return {name: path.read_bytes() for name, path, _ in found}


def test_a_planned_bundle_is_indexed_once_its_last_page_is_added(tmp_path):
    index = search.SearchIndex(tmp_path, most=2)
    try:
        order = index.plan(URLS, first=["pengaduan/ADU-20250214-0004/"])
        assert sorted(order) == list(range(len(URLS)))
        added = [URLS[place] for place in order]
        # the bundle of the page made anew first, then the others; each bundle's pages together
        assert added[:2] == ["pengaduan/ADU-20250203-0003/", "pengaduan/ADU-20250214-0004/"]
        assert index.bundles() == ["2026", "2025-03", "2025-02", "2025-01"]
        index.add(added[0], PAGE.format(title=added[0]))
        assert index.indexed == []
        index.add(added[1], PAGE.format(title=added[1]))
        assert index.indexed == ["2025-02"]   # Pagefind runs while the other pages are made
        for url in added[2:]:
            index.add(url, PAGE.format(title=url))
        assert sorted(index.indexed) == ["2025-01", "2025-02", "2025-03", "2026"]
        planned = _files(index)
    finally:
        index.close()
    plain = search.SearchIndex(tmp_path, most=2)
    try:
        for url in URLS:
            plain.add(url, PAGE.format(title=url))
        assert plain.bundles() == ["2026", "2025-03", "2025-02", "2025-01"]
        assert _files(plain) == planned
    finally:
        plain.close()


def test_a_planned_index_refuses_pages_it_was_not_told_of(tmp_path):
    index = search.SearchIndex(tmp_path, most=2)
    try:
        index.plan(URLS[:2])
        with pytest.raises(RuntimeError, match="not a planned page"):
            index.add("pengaduan/ADU-20250101-0099/", PAGE.format(title="lain"))
        index.add(URLS[0], PAGE.format(title="satu"))
        with pytest.raises(RuntimeError, match="added twice"):
            index.add(URLS[0], PAGE.format(title="satu"))
        with pytest.raises(RuntimeError, match="were not added"):
            index.start()
        with pytest.raises(RuntimeError, match="before adding"):
            index.plan(URLS)
    finally:
        index.close()
