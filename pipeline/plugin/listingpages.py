"""The listing pages of the site (the home page and each filter's, with their numbered pages):
what each one shows and the inputs its page is kept by, one page at a time, so that two
processes of a build can share them (`beside.Claims`)."""
from __future__ import annotations


def listing_tasks(listings: list, per_page: int) -> list[tuple]:
    """(listing, page number, the listing's items cut into pages) of every listing page, in order."""
    tasks = []
    for listing in listings:
        pages = [listing.items[i:i + per_page] for i in range(0, len(listing.items), per_page)] or [[]]
        tasks += [(listing, number, pages) for number in range(1, len(pages) + 1)]
    return tasks


def listing_page(task: tuple, per_page: int, key_of: dict) -> tuple[str, dict, list | None]:
    """(url, the template's context, the inputs the page is kept by: None when a view shown has
    no key) of one task; `key_of`: each view's key by the view's id()."""
    listing, number, pages = task
    items = pages[number - 1]
    prefix = "" if listing.dimension is None else f"{listing.dimension}/{listing.value}/"
    url = prefix if number == 1 else f"{prefix}halaman/{number}/"
    links = {"sebelumnya": (prefix if number == 2 else f"{prefix}halaman/{number - 1}/") if number > 1 else None,
             "berikutnya": f"{prefix}halaman/{number + 1}/" if number < len(pages) else None}
    keys = [key_of[id(view)] for view in items]
    inputs = None if None in keys else [listing.dimension, listing.value, listing.label, len(pages), number,
                                        len(listing.items), keys]
    return url, {"listing": listing, "items": items,
                 "halaman": {"nomor": number, "jumlah": len(pages), **links,
                             "awal": (number - 1) * per_page + 1 if items else 0,
                             "akhir": (number - 1) * per_page + len(items), "total": len(listing.items)}}, inputs
