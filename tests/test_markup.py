"""Complaint text: CommonMark through the one allowlist, and its plain text."""
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


def test_every_length_of_plain_text_is_cut_from_one_render():
    """A view's excerpt and Open311's 4,000 characters are cut from one plain text: a cut ends with
    an ellipsis, and what it keeps is the start of the whole."""
    for text in _texts(300):
        whole = markup.plain_text(text, 100_000)
        for limit in (12, 300, 4000):
            cut = markup.plain_text(text, limit)
            assert len(cut) <= limit
            assert cut == whole or (cut.endswith("…") and whole.startswith(cut[:-1]))
    assert any(markup.plain_text(text, 12).endswith("…") for text in _texts(300))


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
    assert markup.plain_text("- loket\n  - pagi\n- apotek", 300) == "- loket\n- pagi\n\n- apotek"


def test_a_tag_inside_a_word_is_taken_out_and_the_rest_stays_balanced():
    """A reader reads `Pus**pita**sari` as one word; the page shows it so, whole, and the privacy
    gate (which reads a tag as a space) finds the name in it. Emphasis of whole words stays."""
    markup.safe_html.cache_clear()
    assert str(markup.safe_html("Ibu Pus**pita**sari dan *tim* kami")) == \
        "<p>Ibu Puspitasari dan <em>tim</em> kami</p>"
    assert str(markup.safe_html("Pus[pita](https://contoh.example/)sari")) == "<p>Puspitasari</p>"
    assert str(markup.safe_html("Pus<b>pi</b>ta`sa`ri")) == "<p>Puspitasari</p>"
    assert str(markup.safe_html("**Dian** Puspitasari")) == "<p><strong>Dian</strong> Puspitasari</p>"
    # one end inside a word (-nya, -lah: common in Indonesian): both ends go, not the rest of the
    # paragraph bold or linked
    assert str(markup.safe_html("**Penting**nya antrean pagi ini. Lalu *petugas* datang.")) == \
        "<p>Pentingnya antrean pagi ini. Lalu <em>petugas</em> datang.</p>"
    assert str(markup.safe_html("[Pus](https://contoh.example/)pitasari lalu teks lain")) == \
        "<p>Puspitasari lalu teks lain</p>"
    assert markup.plain_text("Ang*gra*ini", 100) == "Anggraini"
    # a tag beside a sign inside a name or an address (found by a red team): the value stays whole
    for text, shown in (("Ibu Nur'*aini*", "Ibu Nur'aini"), ("*Al*-Farisi", "Al-Farisi"),
                        ("dian.puspita@*gmail*.com", "dian.puspita@gmail.com"),
                        ("`dian.puspita`@gmail.com", "dian.puspita@gmail.com"), ("Nur\u2019*aini*", "Nur\u2019aini")):
        assert str(markup.safe_html(text)) == f"<p>{shown}</p>", text
    assert str(markup.safe_html("Catatan: *penting* (*x*)")) == "<p>Catatan: <em>penting</em> (<em>x</em>)</p>"
