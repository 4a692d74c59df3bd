"""Listing pages counted from the oldest (`outputs/paging.py`): every complaint on exactly one page,
in order; full pages of P, the front page P to 2P-1; and a new complaint changes the front page
and at most two more (a page made full, the link on the page before it), never the others."""
from pipeline.outputs.paging import listing_pages


def _content(count: int, per_page: int) -> dict:
    """Each page's complaints (by their numbers from the oldest) and links, by its number."""
    return {page.number: (list(range(count - page.start, count - page.end, -1)), page.newer, page.older)
            for page in listing_pages(count, per_page)}


def test_every_complaint_is_on_one_page_in_order_and_pages_are_full():
    for per_page in (1, 3, 10):
        for count in range(0, 5 * per_page + 2):
            pages = listing_pages(count, per_page)
            assert pages[0].number is None and [page.number for page in pages[1:]] == list(range(len(pages) - 1, 0, -1))
            assert [index for page in pages for index in range(page.start, page.end)] == list(range(count))
            for page in pages[1:]:
                assert page.end - page.start == per_page and page.last - page.first + 1 == per_page
                assert (page.first, page.last) == (count - page.end + 1, count - page.start)
            front = pages[0].end
            assert front == count if count < 2 * per_page else per_page <= front <= 2 * per_page - 1
            # links: front -> the newest older page -> ... -> page 1, and back
            assert [page.older for page in pages] == [page.number for page in pages[1:]] + [None]
            assert [page.newer for page in pages[1:]] == ([0] + [page.number for page in pages[1:-1]])[:len(pages) - 1]


def test_a_new_complaint_changes_the_front_page_and_at_most_two_more():
    for per_page in (1, 3, 10):
        for count in range(0, 6 * per_page):
            before, after = _content(count, per_page), _content(count + 1, per_page)
            changed = {number for number in after if number is not None and after[number] != before.get(number)}
            assert len(changed) <= 2, (per_page, count, changed)
            kept = set(before) & set(after) - {None} - changed
            assert len(kept) >= len(before) - 3, (per_page, count)
