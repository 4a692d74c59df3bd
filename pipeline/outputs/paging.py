"""How a listing (newest first) is cut into pages that stay as they are when a complaint is added.

The pages are counted from the oldest: page k holds the complaints k*P-P+1 to k*P in the order they
were received (P per page), so a full page never changes when a newer complaint comes. The
listing's front page (its own address) shows the newest page, and the one before it too when the
newest is not full: P to 2P-1 complaints. So a new complaint changes the front page and, when it
fills a page, one page more (and the link to it on the page before): not every page of the
listing, as pages counted from the newest did (at 10,000 complaints, 6,598 pages written and
searched by the privacy gate again after one added). Only the front page shows the totals and
the filters (an older page links to them): a new year, channel or unit changes the front pages.
"""
from __future__ import annotations

from typing import NamedTuple


class ListingPage(NamedTuple):
    """One page of a listing: `number` (None for the front page), its complaints `items[start:end]`
    of the newest-first list, their numbers counted from the oldest (`first`, `last`), and the
    numbers of the pages of newer and older complaints (`newer`: 0 for the front page; None: none)."""
    number: int | None
    start: int
    end: int
    first: int
    last: int
    newer: int | None
    older: int | None


def listing_pages(count: int, per_page: int) -> list[ListingPage]:
    """The pages of a listing of `count` complaints, the front page first, then the others from
    the newest to the oldest."""
    if count <= 0:
        return [ListingPage(None, 0, 0, 0, 0, None, None)]
    pages = -(-count // per_page)   # (the newest of them may not be full)
    on_newest = count - (pages - 1) * per_page
    on_front = pages if on_newest == per_page or pages == 1 else pages - 1   # (the oldest page the front shows)
    shown = count - (on_front - 1) * per_page
    found = [ListingPage(None, 0, shown, (on_front - 1) * per_page + 1, count, None,
                         on_front - 1 if on_front > 1 else None)]
    for number in range(on_front - 1, 0, -1):
        found.append(ListingPage(number, count - number * per_page, count - (number - 1) * per_page,
                                 (number - 1) * per_page + 1, number * per_page,
                                 number + 1 if number + 1 < on_front else 0, number - 1 if number > 1 else None))
    return found
