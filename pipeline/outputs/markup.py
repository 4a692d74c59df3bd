"""Markdown from complaints, made safe: sanitised HTML for pages, plain text for open data.

Every public text is rendered once per process of a build, whichever page, board or file shows
it: the site, the announcement board and Open311's `description` share these cached functions.
Nothing is kept between builds: a kept view, listing entry or open-data row holds what its
texts rendered to, and cmark renders the rest (every text of 10,000 complaints, HTML and plain,
in about 0.7 s) faster than the build cache kept and compressed them.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

import cmarkgfm
import nh3
from markupsafe import Markup

from pipeline.outputs.gatechars import SIGNS

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "em", "strong", "b", "i", "a", "blockquote", "code",
                "pre", "hr"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")
CACHE_SIZE = 65536  # public texts of one build: a few per complaint
# CommonMark, what the web editor writes ("Keluhan:\n- satu" is a list; a list inside a list is
# indented two spaces), by cmark in C: ten times Python-Markdown's speed. Raw HTML is handed on
# ("unsafe") so that nh3's allowlist alone decides what stays, as for every other text.
_CMARK_OPTIONS = cmarkgfm.Options.CMARK_OPT_UNSAFE


_RAW_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])[^<>]*>")   # (not `<https://...>`)
_CODE_SPAN = re.compile(r"`[^`]*`")


def dropped_html(text) -> list[str]:
    """The HTML tags of a Markdown text that the site leaves out (`<script>`, `<img>`): `check`
    says so; before, they went in silence (found by hand)."""
    if not isinstance(text, str) or "<" not in text:
        return []
    names = {match.group(1).lower() for match in _RAW_TAG.finditer(_CODE_SPAN.sub("", text))}
    return [f"<{name}>" for name in sorted(names - ALLOWED_TAGS)]


def _href_filter(tag: str, attribute: str, value: str):
    if attribute == "href":
        clean = value.strip()
        return clean if clean.lower().startswith(SAFE_SCHEMES) else None
    return value


@lru_cache(maxsize=CACHE_SIZE)
def safe_html(text: str) -> Markup:
    """Markdown -> HTML through nh3's allowlist: no script, handler, style, iframe or form."""
    if not isinstance(text, str) or not text.strip():
        return Markup("")
    return Markup(_render(text))


def _render(text: str) -> str:
    rendered = cmarkgfm.markdown_to_html(text, _CMARK_OPTIONS).rstrip("\n")
    return whole_words(_clean(rendered), _clean)


def _clean(rendered: str) -> str:
    return nh3.clean(rendered, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     attribute_filter=_href_filter, url_schemes={"http", "https", "mailto"},
                     link_rel="nofollow noopener", strip_comments=True)


_INLINE = "em|strong|b|i|s|u|del|code|a|span|mark|small"
_INLINE_OPENING = re.compile(rf"<(?:{_INLINE})[\s>]")   # (a search from "<": 0.25 µs a text)
_INLINE_NAMES = frozenset(_INLINE.split("|"))
_TAG = re.compile(r"<(/?)([a-z0-9]+)\b[^<>]*>")
# the signs inside a name or an address (`Nur'aini`, `Al-Farisi`, `dian.puspita@gmail.com`), their
# look-alikes too: a tag beside one, a letter or digit on its other side, is inside the word
JOINING = frozenset("'-.@_+") | frozenset(SIGNS)
# an inline tag (and the tags after it) before a letter, a digit or a joining sign
_BEFORE_A_WORD = re.compile(rf"</?(?:{_INLINE})\b[^<>]*>(?:<[^<>]*>)*[\w{re.escape(''.join(sorted(JOINING)))}]")


def whole_words(rendered: str, clean) -> str:
    """Sanitised HTML without the inline elements one of whose tags stands inside a word (both
    their tags taken out: `Pus<strong>pita</strong>sari` is one word to a reader, and the privacy
    gate reads a tag as a space; `<strong>Penting</strong>nya` shows plain, not the paragraph in
    bold). `clean`: the sanitiser the text went through, run again on a text that changed."""
    if not _INLINE_OPENING.search(rendered) or not any(   # (most texts; then most of the rest)
            found.start() and _joins(rendered[found.start() - 1]) for found in _BEFORE_A_WORD.finditer(rendered)):
        return rendered
    tags = list(_TAG.finditer(rendered))
    inside = _inside_a_word(rendered, tags)
    dropped, open_at = set(), {}   # (tags' indexes; each name's open elements, as a stack)
    for index, tag in enumerate(tags):
        closing, name = tag.group(1), tag.group(2)
        if not closing:
            open_at.setdefault(name, []).append(index)
        elif open_at.get(name):
            start = open_at[name].pop()
            if name in _INLINE_NAMES and (start in inside or index in inside):
                dropped |= {start, index}
    if not dropped:
        return rendered
    kept, last = [], 0
    for index in sorted(dropped):
        kept.append(rendered[last:tags[index].start()])
        last = tags[index].end()
    return clean("".join(kept) + rendered[last:])


def _inside_a_word(rendered: str, tags: list) -> set[int]:
    """The indexes of the tags in a run of tags with a letter or digit on both sides."""
    inside, run = set(), []
    for index, tag in enumerate(tags):
        if run and tags[run[-1]].end() != tag.start():
            inside |= _if_inside(rendered, tags, run)
            run = []
        run.append(index)
    return inside | (_if_inside(rendered, tags, run) if run else set())


def _if_inside(rendered: str, tags: list, run: list) -> set[int]:
    start, end = tags[run[0]].start(), tags[run[-1]].end()
    before, after = rendered[start - 1:start], rendered[end:end + 1]
    inside = before and after and _joins(before) and _joins(after) and (_is_word_char(before) or _is_word_char(after))
    return set(run) if inside else set()


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _joins(char: str) -> bool:
    return _is_word_char(char) or char in JOINING


def plain_text(text: str | None, limit: int) -> str:
    """Markdown as plain text (no HTML, no markup), at most `limit` characters. The whole plain
    text is what is kept, each length cut from it: a view's excerpt and Open311's description
    (4,000 characters) share one render."""
    return _cut(_plain(text), limit) if isinstance(text, str) else ""


@lru_cache(maxsize=CACHE_SIZE)
def _plain(text: str) -> str:
    return _plain_of(str(safe_html(text)))


def _plain_of(rendered: str) -> str:
    """The plain text of sanitised HTML."""
    rendered = rendered.replace("\n", " ")   # soft line breaks are spaces
    rendered = re.sub(r"</(p|h\d|blockquote|pre|ul|ol)>", "\n\n", rendered)
    rendered = re.sub(r"</li>|<br\s*/?>|<(?:ul|ol)>", "\n", rendered)   # (a list in a list item too)
    rendered = re.sub(r"<li>", "- ", rendered)
    plain = html.unescape(nh3.clean(rendered, tags=set()))
    plain = "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in plain.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", plain).strip()


def _cut(plain: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis ending a text that was longer."""
    return plain if len(plain) <= limit else plain[:limit - 1].rstrip() + "…"


class MarkdownRenderer:
    """The callable the templates, the recap and the board are handed: text -> safe HTML."""

    def __call__(self, text) -> Markup:
        return safe_html(text) if isinstance(text, str) else Markup("")
