"""The complaint views of a site build, reused from the build cache.

A view is kept under its key (the complaint file's key, the marks its page shows and whether its
follow-up's target day has passed; see `plugin.cache`): its summary (`views.SUMMARY_FIELDS`: what the listings, the feed's order and the
sitemap read) in `views.*.pickle`, the whole view on the shelf (`views/<key>`, a file per view). A
build holds every summary but a whole view only while a page showing it is rendered (`release`):
a rebuild after one change renders a few pages, and a full build does not hold 10,000 whole views
at once. A view whose file is missing or damaged is made and shelved again.
"""
from __future__ import annotations

import pickle
from functools import partial
from pathlib import Path

from pipeline.outputs.views import SUMMARY_FIELDS
from pipeline.plugin.cache import BuildCache, LazyView, Memo, Shelf, plain_marks, quick_key

CACHE_NAME = "views"


def view_key(environment: str, source: tuple, target_passed: bool | None, memo: dict | None, marks) -> str:
    """The key of a complaint's view (see the module's docstring): `source` its file's key,
    `marks()` the marks its page shows. Remembered in `memo`, its kept judgment's
    (`report.keptjudgment`), which its file and marks are part of: keying the marks of 10,000
    views again took 0.1 s of a rebuild."""
    key = memo.get(("view", target_passed)) if memo is not None else None
    if key is None:
        key = quick_key(environment, source, plain_marks(marks()), target_passed)
        if memo is not None:
            memo[("view", target_passed)] = key
    return key


class KeptViews:
    """This build's views: `view(key, make)` gives each, `keys` maps a complaint id to its view's
    key, and `save()` keeps what this build used (and only that) for the next."""

    def __init__(self, cache: BuildCache, folder: str | None):
        self.cache = cache
        self.memo = Memo(cache.load(CACHE_NAME), packed=False)   # (every build reads every summary)
        self.shelf = Shelf(Path(folder) / CACHE_NAME if folder and cache.environment else None)
        self.keys: dict = {}

    def has(self, key: str | None) -> bool:
        """Whether the view of `key` is kept (else `view` makes it)."""
        return key is not None and key in self.memo.entries

    def view(self, key: str | None, make):
        """The view of `key`: a `LazyView` when it is kept or could be shelved, else `make()`'s."""
        def shelve(view: dict) -> bool:
            return self.shelf.write(key, pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL))

        def remake() -> dict:   # its file damaged or gone: made and shelved again
            view = make()
            shelve(view)
            return view
        summary = self.memo.get(key) if key is not None else None
        if summary is None:
            view = make()
            if key is None:
                return view
            summary = {name: view[name] for name in SUMMARY_FIELDS}
            self.memo.put(key, summary)
            if not shelve(view):
                self.keys[view["id"]] = key   # (not on the shelf: held whole)
                return view
        self.keys[summary["id"]] = key
        return LazyView(summary, partial(self.shelf.read, key), remake)

    def save(self) -> None:
        self.memo.save_and_release(self.cache, CACHE_NAME)
        self.shelf.keep_only(self.keys.values())


def release(view) -> None:
    """Let go of a kept view's whole once its page is written (read again should another page
    need it)."""
    if isinstance(view, LazyView):
        view.release()


def whole_view(view) -> dict:
    """A view's every field for one use (the board's entry): a kept view's whole read and let go."""
    if not isinstance(view, LazyView):
        return view
    whole = view.whole()
    view.release()
    return whole
