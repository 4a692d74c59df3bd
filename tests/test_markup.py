"""Public Markdown rendered on two cores gives the bytes one process gives."""
from __future__ import annotations

import random

from pipeline.outputs import markup

PIECES = ["Antrean **lama** sekali", "- satu\n- dua", "1. pertama\n2. kedua", "<script>alert(1)</script>",
          "[tautan](https://puskesmas.example/x)", "[buruk](javascript:alert(1))", "> kutipan", "`kode`",
          "baris\ndua", "&amp; &lt; é ñ", "* a\n\n  lanjut", "# judul"]


def _texts(count: int) -> list[str]:
    rng = random.Random(7)
    return [f"Nomor {index}. " + "\n\n".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))
            for index in range(count)]


def _renders(texts: list[str], limit: int = 300) -> list[tuple[str, str]]:
    markup.safe_html.cache_clear()
    return [(str(markup.safe_html(text)), markup.plain_text(text, limit)) for text in texts]


def test_prerendered_texts_are_the_bytes_one_process_renders():
    """Every length of plain text is cut from the one prerendered (a view's excerpt, Open311's
    4,000 characters): the same text as rendered for that length alone."""
    texts = _texts(300)
    alone = {limit: _renders(texts, limit) for limit in (300, 4000, 12)}
    assert any(plain.endswith("…") for _, plain in alone[12])
    markup.remember({})
    try:
        markup.prerender(texts)
        prerendered = sum(1 for text in texts if markup.stored_key(("html", text)) in markup._REMEMBERED
                          and markup.stored_key(("plain", text)) in markup._REMEMBERED)
        assert prerendered == len(texts)          # the two-process path really ran
        for limit, renders in alone.items():
            assert _renders(texts, limit) == renders
    finally:
        markup.used()


def test_renders_are_kept_by_digest_and_a_damaged_one_is_rendered_again():
    """The build cache keeps each render under the digest of its text (never the text: a full
    build's renders with their texts took some 60 MB of the next build), compressed; a damaged
    entry is rendered again, to the same bytes."""
    text = "Terima **kasih** atas masukan Bapak/Ibu: [jadwal](https://contoh.example/jadwal)."
    markup.safe_html.cache_clear()
    markup.remember({})
    fresh = (str(markup.safe_html(text)), markup.plain_text(text, 300))
    kept = markup.used()
    assert len(kept) == 2 and all(isinstance(key, bytes) and len(key) == 32 for key in kept)
    for entries in (kept, {key: value[:len(value) // 2] for key, value in kept.items()}):
        markup.safe_html.cache_clear()
        markup.remember(entries)
        try:
            assert (str(markup.safe_html(text)), markup.plain_text(text, 300)) == fresh
        finally:
            assert len(markup.used()) == 2


def test_complaint_text_is_commonmark_as_the_web_editor_writes_it():
    """The web editor writes CommonMark: a list straight after a line of text, a list inside a list
    indented two spaces, `1)` numbering and a backslash line break are what staff typed, and the
    page shows them so. Raw HTML and unsafe links still go through the one allowlist."""
    markup.safe_html.cache_clear()
    assert str(markup.safe_html("Keluhan:\n- antre\n- ruang panas")) == (
        "<p>Keluhan:</p>\n<ul>\n<li>antre</li>\n<li>ruang panas</li>\n</ul>")
    nested = str(markup.safe_html("- loket\n  - pagi\n  - sore\n- apotek"))
    assert "<li>loket\n<ul>\n<li>pagi</li>\n<li>sore</li>\n</ul>\n</li>" in nested
    assert str(markup.safe_html("1) daftar\n2) tunggu")) == "<ol>\n<li>daftar</li>\n<li>tunggu</li>\n</ol>"
    assert str(markup.safe_html("baris\\\ndua")) == "<p>baris<br>\ndua</p>"
    hostile = str(markup.safe_html('<script>alert(1)</script>\n\n<b onclick="x()">tebal</b> '
                                   "[a](javascript:alert(1)) <img src=x onerror=y()>"))
    assert "script" not in hostile and "onclick" not in hostile and "javascript" not in hostile
    assert "<img" not in hostile and "<b>tebal</b>" in hostile
    assert markup.plain_text("Keluhan:\n- antre\n- ruang panas", 300) == "Keluhan:\n\n- antre\n- ruang panas"
