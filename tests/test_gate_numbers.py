"""The privacy gate finds a reporter's phone number in any layout (`outputs/gatenumbers.py`): the
value `0815-5380-2916` written `081553802916`, `+62 815 5380 2916` or split by tags and entities;
its shortlist never rules out a file that holds one; a big file searched in pieces finds what the
whole file does; and a build whose staff page shows the number another way stops."""
from __future__ import annotations

import gzip
import random

import pytest

from pipeline.outputs import gatepieces
from pipeline.outputs.gatenumbers import phone_digits
from pipeline.outputs.gatesearch import search_bytes
from pipeline.outputs.gatetext import automaton, built_text, matches, normal, shortlist
from site_helpers import build, output_files, synthetic_complaint, write_repo

KONTAK = "0815-5380-2916"


@pytest.mark.parametrize("value, digits", [
    ("0815-5380-2916", ["81553802916"]), ("+62 815 5380 2916", ["81553802916"]),
    ("0062 815 5380 2916", ["81553802916"]), ("+62 (0) 815-5380-2916", ["81553802916"]),
    ("WA 0815 5380 2916 (sore)", ["81553802916"]), ("(0341) 551234", ["341551234"]),
    ("0622-123456", ["622123456"]),    # (an area code that starts with 62 after its 0)
    ("0815-5380-2916 / 0812-1111-2222", ["81553802916", "81211112222"]),
    ("551234", []), ("2027-06-30 08:15", []), ("Jl. Melati No. 12 RT 003 RW 005", []), ("0815-5380", []),
    ("budi@contoh.id", []), ("3573011234560001", []),   # (a NIK: no phone's prefix)
])
def test_the_digits_of_a_phone_number_are_kept_after_its_prefix(value, digits):
    assert phone_digits(normal(value)) == digits


LAYOUTS = ["081553802916", "0815 5380 2916", "0815.5380.2916", "(0815) 5380-2916", "+62 815-5380-2916",
           "+6281553802916", "62 815 5380 2916", "+62 (0) 815 5380 2916", "0815/5380/2916", "0815 - 5380 - 2916",
           "No. 2 0815 5380 2916", "0815\u00a05380\u20092916", "0815&nbsp;5380&#160;2916", "0815&#45;5380&#x2D;2916",
           "0815<span>5380</span>2916", "08<b class='c2'>15</b> 5380 <i>29</i>16", "0815<!-- 2 -->53802916", "%2B62%20815%205380%202916",
           "0815_5380_2916", "\uff10\uff18\uff11\uff15-\uff15\uff13\uff18\uff10-\uff12\uff19\uff11\uff16",   # (full-width digits)
           "\u0660\u0668\u0661\u0665\u0665\u0663\u0668\u0660\u0662\u0669\u0661\u0666",   # (Arabic-Indic digits)
           "\\uff10815 5380 2916", "%EF%BC%90815 5380 2916", "&#xFF10;815 5380 2916", "\u2070\u207815 5380 2916"]
NOT_IT = ["0815 5380 2917", "0815 5380, 2916", "0815-5380-29", "0815 5380 x 2916", "2027-06-30 08:15",
          "0815 5380 2x16"]


def test_a_number_is_found_in_any_layout_and_another_number_is_not():
    """Each layout in a paragraph, in a link's address and in JSON; the shortlist lets each through.
    A tag between its digits, even one that holds a digit, is not shown: the number still reads
    whole. A number one digit off, or broken by a comma or a letter, is not the value."""
    finder, short = automaton([normal(KONTAK)]), shortlist([normal(KONTAK)])
    for layout in LAYOUTS:
        pages = [f"<p>Hubungi {layout} sore hari.</p>", '{"catatan": "' + layout + '"}']
        if "<" not in layout:
            pages.append(f'<a href="https://wa.me/{layout}">kirim pesan</a>')
        for page in pages:
            assert search_bytes([page.encode()], finder) == {normal(KONTAK)}, page
            assert short.may_hold_bytes(page.encode()), page
    for layout in NOT_IT:
        page = f"<p>Hubungi {layout} sore hari.</p>".encode()
        assert search_bytes([page], finder) == set(), layout


VALUES = [KONTAK, "0812-3456-7890", "budi santoso"]
# pieces a page may be made of: digits of the values, the signs a number is written with, what
# makes a sign or a digit (entities, JSON and URL escapes), spaces that are not ASCII, tags with
# digits in them and brackets that are not tags
TOKENS = ["0", "62", "+62", "0815", "815", "5380", "2916", "08", "15", "0812", "3456", "7890", "1", "2",
          " ", "  ", "-", ".", "(", ")", "/", ",", ":", "x", "budi", "Santoso", "\n", "\u00a0", "\u2009", "\u2026",
          "&nbsp;", "&#45;", "&#48;", "&#x38;", "&amp;", "&", "\\u00a0", "\\u0030", "\\u2026", "\\n", "\\t", '\\"',
          "&#92;u0030", "%20", "%2D", "%38", "+", "<b>", "</b>", "<i class=c2>", "<a title='0815'>", "<!-- 5380 -->",
          "<", ">", "<" + "9" * 30 + ">", "<a title='" + "5380 " * 410 + "'>", "_", "\uff10", "\uff18", "\u00b2"]   # (a tag too long to be one: text)


BETWEEN = ["", " ", "\n", "-", "_", ".", "/", "&nbsp;", "\u00a0", "\u2009", "&#45;", "\\u00a0", "\\u2009", "%20", "+", "\\n",
           "<b>", "</b>", "<!-- 1 -->", "<i class=c2>", ",", "x", "\u2026", "\\u2026", "(", ")"]


def _layout(rng: random.Random) -> str:
    """A value's number as a page may show it: after any prefix, its digits in groups of one to
    five, between them a sign, a tag, an entity, an escape or a letter (which breaks it), a
    digit sometimes an entity itself or a full-width digit."""
    digits = rng.choice(["81553802916", "81234567890"])
    out, start = [rng.choice(["0", "+62 ", "62", "+62 (0) ", "0062 ", "(0", "1 0", ""])], 0
    while start < len(digits):
        size = rng.randint(1, 5)
        out.append("".join(rng.choice([f"&#{ord(digit)};", chr(ord(digit) + 0xFEE0)]) if rng.random() < 0.06 else digit
                           for digit in digits[start:start + size]))   # (an entity, a full-width digit)
        out.append(rng.choice(BETWEEN))
        start += size
    return "".join(out)


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = [rng.choice(TOKENS) for _ in range(rng.randint(3, 30))]
        if rng.random() < 0.5:
            layout = _layout(rng)
            if rng.random() < 0.3:   # (in a link's address: what a tag holds is searched apart)
                layout = "<a href='tel:" + layout.replace("<", "").replace(">", "") + "'>"
            parts.insert(rng.randint(0, len(parts)), layout)
        texts.append("".join(parts))
    return texts


def test_the_shortlist_of_numbers_never_rules_out_a_file_that_holds_one():
    """Thousands of random texts searched with and without the values' shortlist, plain and
    gzipped: the same hits. The shortlist rules out many texts, and many hold a value in a layout
    the value itself does not have: the test can fail both ways."""
    words = [normal(value) for value in VALUES]
    finder, short = automaton(words), shortlist(words)
    as_written = finder._replace(numbers=None)   # (each value only as it is written)
    assert short.numbers == [b"81553802916", b"81234567890"]
    ruled_out = found = other_layout = 0
    for text in _texts(6000, seed=62):
        for data in (text.encode("utf-8"), gzip.compress(text.encode("utf-8"))):
            whole = search_bytes([data], finder)
            assert search_bytes([data], finder, short) == whole, text
            found += bool(whole)
            other_layout += bool(whole - set(matches(as_written, built_text(text))))
        ruled_out += not short.may_hold_bytes(text.encode("utf-8"))
    assert found > 1000 and other_layout > 1000 and ruled_out > 600, (found, other_layout, ruled_out)


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(gatepieces, "PIECE_MIN", 24)
    monkeypatch.setattr(gatepieces, "PIECE_MAX", 120)
    monkeypatch.setattr(gatepieces, "CUT_MASK", 0x1)


def test_a_big_file_searched_in_pieces_finds_the_numbers_the_whole_file_holds(small_pieces):
    """A number cut by a line end where the file is cut in pieces is found in the window across
    the cut: on 300 random texts (half of them with a number in some layout, which may hold line
    ends) the pieces find what the whole text has, no more."""
    rng = random.Random(8)
    words = [normal(value) for value in VALUES]
    finders = {"all": automaton(words), "added": None}
    seen = set()
    for _ in range(300):
        parts = [rng.choice(TOKENS + ["\n"] * 6) for _ in range(rng.randint(50, 400))]
        if rng.random() < 0.5:
            parts.insert(rng.randint(0, len(parts)), _layout(rng))
        text = "".join(parts)
        found, _ = gatepieces.search(text.encode("utf-8"), finders, set())
        expected = set(matches(finders["all"], built_text(text)))
        assert found == expected, text
        seen |= expected
    assert {normal(KONTAK), normal("0812-3456-7890")} <= seen


def test_the_gate_stops_a_build_whose_page_shows_a_reporter_s_number_written_another_way(tmp_path):
    """The reporter's `kontak: 0815-5380-2916`, written on a staff page as `+62 815 5380 2916`
    (the whole-word search of the value never finds it): the build stops and names the field."""
    complaint = synthetic_complaint(2)
    complaint["pelapor"] = {"nama": "Dian Puspitasari", "kontak": KONTAK}
    repo = write_repo(tmp_path / "repo", [complaint])
    output = tmp_path / "output"
    build(repo, output)
    before = output_files(output)
    (repo / "content" / "pages" / "kabar.md").write_text(
        "Title: Kabar\nSlug: kabar\n\nTerima kasih atas sarannya. Balasan dikirim ke WA +62 815 5380 2916.\n",
        encoding="utf-8")
    result = build(repo, output, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"/kabar/index.html: pelapor.kontak dari {complaint['id']}" in result.stderr, result.stderr
    assert "Nomor telepon dicari dalam segala penulisan" in result.stderr
    assert "5380" not in result.stderr
    assert output_files(output) == before
