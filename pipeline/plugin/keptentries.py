"""The listing entries a build reuses: each complaint's entry in the listings, as our theme's entry
template rendered it, kept in the build cache under its view's key.

A new complaint tops every listing, so every listing page is made again, ten entries a page; each
entry was rendered anew by each of the two processes that make the listing pages (at 10,000
complaints 19,000 renders, each reading its view whole from the cache). An entry is made from its
view and the template alone when the template names nothing else (`cacheable`), and a view's key
holds the build's environment (the program, the theme, the settings and the policy): the entry
kept under it is the one the template would render. It is kept cut where the site's root goes
(`publishing.ComplaintsGenerator._entry` puts each link depth's root there).
"""
from __future__ import annotations

from pipeline.plugin.cache import Memo, referenced_names

CACHE_NAME = "listing-entries"
ENTRY_NAMES = frozenset({"c", "SITEURL"})   # all an entry template may name for its entries to be kept


def cacheable(env, template_name: str) -> bool:
    """Whether the entries of this template depend on the view and the site's root only."""
    return referenced_names(env, template_name) <= ENTRY_NAMES


class KeptEntries:
    """The kept entries (`get`, `put`) of a build with a cache, when `usable`; else none. `made`:
    the entries this process made, which a second process hands back (`take`) to be saved."""

    def __init__(self, cache, usable: bool):
        self.cache = cache
        self.memo = Memo(cache.load(CACHE_NAME), compressed=True) if usable else None
        self.made: dict = {}

    def get(self, key: str | None) -> tuple | None:
        """The entry kept under a view's key: its pieces around the site's root."""
        if self.memo is None or key is None:
            return None
        pieces = self.memo.get(key)
        if isinstance(pieces, tuple) and pieces and all(isinstance(piece, str) for piece in pieces):
            return pieces
        return None

    def put(self, key: str | None, pieces: tuple) -> None:
        if self.memo is None or key is None:
            return
        self.memo.put(key, pieces)
        if key in self.memo.used:
            self.made[key] = self.memo.used[key]

    def take(self, made) -> None:
        """The entries a second process made (its `made`)."""
        if self.memo is not None and isinstance(made, dict):
            self.memo.used.update(made)

    def save(self, keys) -> None:
        """Save the entries of this build's views (`keys`), made or kept."""
        if self.memo is None:
            return
        self.memo.keep(keys)
        self.memo.save_and_release(self.cache, CACHE_NAME)
        self.memo = None
