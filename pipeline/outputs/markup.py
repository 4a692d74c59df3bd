"""Markdown from complaints, made safe: sanitised HTML for pages, plain text for open data.

Every public text is rendered once per build, whichever page, board or file shows it: the
site, the announcement board and Open311's `description` share these cached functions. A site
build also hands them the renders of its previous build (`remember`) and keeps the ones it used
(`used`): Markdown rendering is a pure function of the text, so this cache can never change a page.
"""
from __future__ import annotations

import hashlib
import html
import multiprocessing
import os
import re
import zlib
from functools import lru_cache

import cmarkgfm
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "em", "strong", "b", "i", "a", "blockquote", "code",
                "pre", "hr"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")
CACHE_SIZE = 65536  # public texts of one build: a few per complaint
# CommonMark, what the web editor writes ("Keluhan:\n- satu" is a list; a list inside a list is
# indented two spaces), by cmark in C: ten times Python-Markdown's speed. Raw HTML is handed on
# ("unsafe") so that nh3's allowlist alone decides what stays, as for every other text.
_CMARK_OPTIONS = cmarkgfm.Options.CMARK_OPT_UNSAFE


def _href_filter(tag: str, attribute: str, value: str):
    if attribute == "href":
        clean = value.strip()
        return clean if clean.lower().startswith(SAFE_SCHEMES) else None
    return value


_REMEMBERED: dict = {}   # `stored_key((kind, text))` -> `_pack(rendered)`, of the previous build
_USED: dict = {}
_RECORDING: list = []    # [True] while a build records what it renders


def stored_key(key: tuple) -> bytes:
    """A render's key in the build cache: the digest of its text, not the text. A full build's
    renders, held with their texts, took some 60 MB of the next build; now about a fifth."""
    return hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).digest()


def _pack(rendered: str) -> bytes:
    return zlib.compress(rendered.encode("utf-8", "surrogatepass"))


def _record(key: tuple, rendered: str) -> None:
    if _RECORDING:
        _USED[stored_key(key)] = _pack(rendered)


def remember(entries: dict) -> None:
    """Start a build with the renders of the previous one; `used()` gives the ones it used."""
    _REMEMBERED.clear()
    _REMEMBERED.update(entries)
    _USED.clear()
    _RECORDING[:] = [True]


def used() -> dict:
    """The renders this build used (and stop recording)."""
    found = dict(_USED)
    _REMEMBERED.clear()
    _USED.clear()
    _RECORDING.clear()
    return found


def mark() -> set:
    """The renders used so far (for `since`)."""
    return set(_USED)


def since(marked: set) -> dict:
    """The renders used after `mark`: for the build, from another process (`take`)."""
    return {key: packed for key, packed in _USED.items() if key not in marked}


def take(entries: dict) -> None:
    """Renders another process of this build used (`since` there)."""
    if _RECORDING:
        _USED.update(entries)


def _known(key: tuple) -> str | None:
    stored = stored_key(key)
    packed = _REMEMBERED.get(stored)
    if not isinstance(packed, bytes):
        return None
    try:
        value = zlib.decompress(packed).decode("utf-8", "surrogatepass")
    except (zlib.error, UnicodeDecodeError):   # damaged: rendered again
        return None
    _USED[stored] = packed
    return value


@lru_cache(maxsize=CACHE_SIZE)
def safe_html(text: str) -> Markup:
    """Markdown -> HTML through nh3's allowlist: no script, handler, style, iframe or form."""
    if not isinstance(text, str) or not text.strip():
        return Markup("")
    known = _known(("html", text))
    if known is not None:
        return Markup(known)
    clean = _render(text)
    _record(("html", text), clean)
    return Markup(clean)


def _render(text: str) -> str:
    rendered = cmarkgfm.markdown_to_html(text, _CMARK_OPTIONS).rstrip("\n")
    return nh3.clean(rendered, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     attribute_filter=_href_filter, url_schemes={"http", "https", "mailto"},
                     link_rel="nofollow noopener", strip_comments=True)


def plain_text(text: str | None, limit: int) -> str:
    """Markdown as plain text (no HTML, no markup), at most `limit` characters. The whole plain
    text is what is kept, each length cut from it: a view's excerpt and Open311's description
    (4,000 characters) share one render."""
    if not isinstance(text, str):
        return ""
    plain = _known(("plain", text))
    if plain is None:
        plain = _plain_of(str(safe_html(text)))
        _record(("plain", text), plain)
    return _cut(plain, limit)


def _plain_of(rendered: str) -> str:
    """The plain text of sanitised HTML."""
    rendered = rendered.replace("\n", " ")   # soft line breaks are spaces
    rendered = re.sub(r"</(p|h\d|blockquote|pre|ul|ol)>", "\n\n", rendered)
    rendered = re.sub(r"</li>|<br\s*/?>", "\n", rendered)
    rendered = re.sub(r"<li>", "- ", rendered)
    plain = html.unescape(nh3.clean(rendered, tags=set()))
    plain = "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in plain.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", plain).strip()


def _cut(plain: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis ending a text that was longer."""
    return plain if len(plain) <= limit else plain[:limit - 1].rstrip() + "…"


def prerender(texts) -> None:
    """Render new texts (HTML and plain text) in two processes, so that the pages and the open
    data that follow find them made (the caller asks when there are many). The same functions run
    in both, so the bytes are those of one process."""
    todo = sorted({text for text in texts if isinstance(text, str) and text.strip()
                   and stored_key(("html", text)) not in _REMEMBERED})
    if len(todo) < 2 or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return
    middle = len(todo) // 2
    _JOB[:] = [todo]   # a forked child has them already: only its renders come back
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            theirs = pool.apply_async(_render_part, (middle, len(todo)))
            made = _render_part(0, middle) + theirs.get()
    finally:
        _JOB.clear()
    for text, (clean, plain) in zip(todo, made):
        _REMEMBERED[stored_key(("html", text))] = _pack(clean)
        _REMEMBERED[stored_key(("plain", text))] = _pack(plain)


_JOB: list = []   # [texts] of the `prerender` under way


def _render_part(start: int, stop: int) -> list[tuple[str, str]]:
    texts, = _JOB
    made = []
    for text in texts[start:stop]:
        clean = _render(text)
        made.append((clean, _plain_of(clean)))
    return made


class MarkdownRenderer:
    """The callable the templates, the recap and the board are handed: text -> safe HTML."""

    def __call__(self, text) -> Markup:
        return safe_html(text) if isinstance(text, str) else Markup("")
