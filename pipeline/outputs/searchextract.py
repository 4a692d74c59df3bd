"""A complaint page's search extract: the part of it that Pagefind indexes, cut out as a small page.

Pagefind reads every element of the pages it is given, also those it then leaves out: the header,
the menu, the footer and the elements marked `data-pagefind-ignore` (the status, the dates, the
timeline). Given only the `data-pagefind-body` element less the elements marked to be ignored, it
made the same index, byte for byte, of the 632 pages of one year's bundle in 0.13 s instead of 0.21 s
(0.20 s of CPU time instead of 0.36 s).

`search_extract(page)` is that part, as a page (bytes, UTF-8): the page's `<html ...>` start tag, then
the body element with each ignored element taken out. It is cut only where the cut is certain to
leave Pagefind's reading unchanged; otherwise it is None, and Pagefind reads the whole page:
- every `data-pagefind-*` attribute of the page is `data-pagefind-body` (once) or
  `data-pagefind-ignore` inside the body element (filters, metadata, sorting, weights and indexed
  attributes are read by Pagefind also from ignored elements);
- every `<` opens a tag (no comment, no script or style, nothing whose text is not HTML; a title
  before the body only), and each of those attributes is an attribute of a tag that reads as one;
- the body element and each ignored element are closed by their own end tags and are not void
  elements, and no `<h1` (Pagefind takes the title from the first) or `<img` (the image from the
  first after it) is left out;
- the body element is not inside an element Pagefind leaves out (`nav`, `footer`, ...);
- the page is at most LARGEST bytes with at most MOST_MARKS ignored elements (an element not closed
  is read to the page's end, once).
The build's own template (theme/templates/pengaduan.html) passes; a test compares Pagefind's
bundles made from the pages and from their extracts.
"""
from __future__ import annotations

import re

BODY = b"data-pagefind-body"
IGNORE = b"data-pagefind-ignore"
PREFIX = b"data-pagefind-"
LARGEST = 256 << 10   # bytes: a bigger page is given whole (a page of ours is some 5 KB)
MOST_MARKS = 500      # ignored elements: the same (each may be read to the page's end)
VOID = frozenset(b"area base br col embed hr img input link meta source track wbr".split())
# what makes a page not certainly cut: comments, CDATA, processing instructions, elements whose
# text is not markup, tags in capitals; `<` or `>` in an attribute's value
NOT_MARKUP = re.compile(rb"<(?:!(?!DOCTYPE[\s>]|doctype[\s>])|\?|/?[A-Z]|(?:script|style|textarea|xmp|iframe|noembed|"
                        rb"noframes|noscript|plaintext|template|svg|math)[\s/>])")
BRACKET_VALUE = re.compile(rb"""=\s*+(?:"[^"<>]*+[<>]|'[^'<>]*+[<>]|[^\s"'><]*+<)""")
# elements whose content Pagefind leaves out and that could hold the body (its REMOVE_SELECTORS;
# script, style and the like are refused anywhere)
LEFT_OUT = re.compile(rb"<(/?)(head|nav|footer|form|label)[\s/>]")
# (every repetition possessive or atomic: a page of any size is read in one pass, never retried)
_ATTRIBUTE = rb"""(?>\s+[^\s"'>/=]++(?:\s*+=\s*+"[^"]*+")?)"""
# an element marked to be ignored: the mark among whole attributes of its start tag, its end tag
# the first of its name after it, with no start tag of that name between (a void element has none)
IGNORED = re.compile(rb"<([a-z][a-z0-9-]*+)" + _ATTRIBUTE + rb"*?\s++" + IGNORE + rb"""(?:\s*+=\s*+"[^"]*+")?"""
                     + _ATTRIBUTE + rb"*+\s*+>(?:[^<]++|<(?!/?\1[\s/>]))*+</\1\s*+>")
TAG_NAME = re.compile(rb"<([a-z][a-z0-9-]*+)" + _ATTRIBUTE + rb"*?\s++" + BODY + rb"(?=[\s=/>])")
HTML_TAG = re.compile(rb"<html(?:\s[^<>]*)?>")


def search_extract(page: bytes) -> bytes | None:
    """The page's search extract; None when it cannot be cut with certainty."""
    if len(page) > LARGEST:
        return None
    lowered = page.lower()   # (the marks and the tags in small letters, any other attribute found in capitals)
    marks = page.count(IGNORE)
    if marks > MOST_MARKS or page.count(BODY) != 1 or lowered.count(PREFIX) != 1 + marks or \
            NOT_MARKUP.search(page) or BRACKET_VALUE.search(page):
        return None
    start = page.rfind(b"<", 0, page.find(BODY))
    tag = TAG_NAME.match(page, start)
    if tag is None or tag.group(1) in VOID or page.find(IGNORE, 0, start) >= 0 or \
            not _closed(LEFT_OUT, page, start) or page.find(b"<title", start) >= 0:
        return None
    end = _element_end(page, start, tag.group(1))
    if end < 0 or page.find(IGNORE, end) >= 0:
        return None
    body = IGNORED.sub(b"", page[start:end])
    # a mark left is in a place not certainly a start tag's attribute
    if IGNORE in body or page.count(b"<h1") != body.count(b"<h1") or page.count(b"<img") != body.count(b"<img"):
        return None
    opening = HTML_TAG.search(page)
    return (page[opening.start():opening.end()] if opening else b"<html>") + b"<body>" + body + b"</body></html>"


def _element_end(page: bytes, start: int, name: bytes) -> int:
    """Where the element whose start tag is at `start` ends, after its end tag, counting the
    elements of the same name inside it; -1 when it is not closed."""
    depth = 0
    for tag in re.finditer(rb"<(/?)" + re.escape(name) + rb"[\s/>]", page[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = page.find(b">", start + tag.start())
            return -1 if end < 0 else end + 1
    return -1


def _closed(tags: re.Pattern, page: bytes, before: int) -> bool:
    """Whether every element of `tags` opened before `before` is closed there."""
    depth: dict[bytes, int] = {}
    for tag in tags.finditer(page, 0, before):
        depth[tag.group(2)] = depth.get(tag.group(2), 0) + (-1 if tag.group(1) else 1)
    return not any(depth.values())
