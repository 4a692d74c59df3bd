"""The privacy gate's piece-by-piece search of big files (`outputs/gatepieces.py`) finds exactly
what a search of the whole file finds, and a rebuild re-reads only the pieces that changed."""
from __future__ import annotations

import random

import pytest

from pipeline.outputs import gatepieces
from pipeline.outputs.gate import Secrets, scan
from pipeline.outputs.gatetext import automaton, built_text, matches, normal

NEEDLES = ["dian puspitasari", "wahyu kurniawati", "sri", "asri dian", "jl. kenanga 12", "0815 5380"]
TOKENS = ["Dian", "Puspitasari", "wahyu", "KURNIAWATI", "sri", "asri", "Jl.", "Kenanga", "12", "0815", "5380",
          "Jl. Kenanga\n12", "jl. kenanga <i>12</i>", "Dian\n Puspitasari", " ", "  ", "\n", "\n\n", "\t", "\r\n", "<", ">", "<b>", "</p>", "<a\nhref=x>", "\\u003c", "\\u003E",
          "\\u0020", "&amp;", "&lt;", "&#32;", "\\n", '\\"', "\\", ",", '"', "{", "}", "Σ", "ΟΔΟΣ", "x" * 40,
          "%20", "%44ian", "Pusp%69tasari", "+", "%", "%2", "&#37;4B"]

# the open data's case: no tag can open, every line end is a cut (`gatepieces._line_segments`)
NO_TAG = [token for token in TOKENS if "<" not in token and "\\u003c" not in token]


def whole(text: str, finder) -> set:
    return set(matches(finder, built_text(text)))


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(gatepieces, "PIECE_MIN", 24)
    monkeypatch.setattr(gatepieces, "PIECE_MAX", 120)
    monkeypatch.setattr(gatepieces, "CUT_MASK", 0x1)


@pytest.mark.parametrize("tokens", [TOKENS, NO_TAG], ids=["tags", "no-tag"])
def test_pieces_find_what_the_whole_file_finds_in_random_texts(small_pieces, tokens):
    """Tags across lines, escapes of brackets, entities, runs of spaces and line ends, values cut
    by a line end: on 400 random texts the pieces find the values the whole text has, no more."""
    rng = random.Random(15)
    finders = {"all": automaton(NEEDLES), "added": None}
    seen, cut = set(), 0
    for _ in range(400):
        text = "".join(rng.choice(tokens) for _ in range(rng.randint(50, 600)))
        data = text.encode("utf-8")
        found, clean = gatepieces.search(data, finders, set())
        expected = whole(text, finders["all"])
        assert found == expected, text
        seen |= expected
        cut += len(gatepieces.pieces(gatepieces._line_segments(data) if tokens is NO_TAG else
                                     gatepieces.segments(data))) > 2
    assert seen == set(NEEDLES), "every value was found at least once (the texts test something)"
    assert cut > 200, "most texts were cut in three pieces or more"


def test_a_piece_found_clean_before_is_searched_only_for_the_values_added_since(small_pieces):
    """Second search after one token changed: the pieces found clean are searched only for the new
    values (here none, then one), and the result is still the whole file's."""
    rng = random.Random(3)
    everything = automaton(NEEDLES)
    for round in range(400):
        tokens = [rng.choice(TOKENS if round % 2 else NO_TAG) for _ in range(rng.randint(100, 400))]
        before = "".join(tokens).encode("utf-8")
        _, clean = gatepieces.search(before, {"all": everything, "added": None}, set())
        tokens[rng.randrange(len(tokens))] = rng.choice(NO_TAG)
        after = "".join(tokens)
        found, _ = gatepieces.search(after.encode("utf-8"), {"all": everything, "added": None}, clean)
        assert found == whole(after, everything), after
    # a value added since: searched in the clean pieces too
    text = "".join(f"baris {i} tanpa nama\n" for i in range(200)) + "nama: Ratna Sari\n"
    _, clean = gatepieces.search(text.encode(), {"all": everything, "added": None}, set())
    added = automaton(NEEDLES + ["ratna sari"])
    found, _ = gatepieces.search(text.encode(), {"all": added, "added": automaton(["ratna sari"])}, clean)
    assert found == {"ratna sari"}


def _site(folder, rows: list[str]):
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "complaints.csv").write_text("".join(rows), encoding="utf-8")
    (folder / "index.html").write_text("<p>Beranda</p>", encoding="utf-8")


def test_a_rebuild_reads_again_only_the_changed_piece_and_still_finds_a_planted_value(tmp_path):
    """The open data at real size (over a megabyte): after one row changed, all but a piece or two
    keep their names in the state; a private value planted in one row is found, in the row
    itself or cut by a line end."""
    secrets = Secrets()
    secrets.add("Dian Puspitasari", "PGD-1", "pelapor.nama", strong=True)
    secrets.finish()
    rows = [f"PGD-{i},Keluhan nomor {i} tentang antrean,{'terbuka' if i % 3 else 'selesai'},{i * 7}\n"
            for i in range(40000)]
    site = tmp_path / "site"
    _site(site, rows)
    assert (site / "data" / "complaints.csv").stat().st_size > gatepieces.PIECES_FROM
    known: dict = {}
    files = [(name, str(site / name), name) for name in ("index.html", "data/complaints.csv")]
    assert scan(files, secrets, known) == []
    first = set(known["pieces"])
    assert len(first) > 20
    rows[20000] = "PGD-20000,Keluhan nomor 20000 sudah dijawab: " + "antrean dipercepat, " * 20 + ",selesai,0\n"
    _site(site, rows)
    files = [(name, str(site / name), name + "-2") for name in ("index.html", "data/complaints.csv")]
    assert scan(files, secrets, known) == []
    assert len(first - known["pieces"]) <= 2, "one changed row: one piece (or two) is new"
    for planted in ("PGD-30000,dian  PUSPITASARI,selesai,0\n", "PGD-30000,x,Dian\n", "Puspitasari,x\n"):
        changed = list(rows)
        changed[30000] = planted if planted != "PGD-30000,x,Dian\n" else planted + "Puspitasari,x\n"
        _site(site, changed)
        state = {key: set(value) if isinstance(value, set) else value for key, value in known.items()}
        hits = scan([(name, str(site / name), name + "-3") for name in ("index.html", "data/complaints.csv")],
                    secrets, state)
        expected = {("data/complaints.csv", "pelapor.nama")} if "Dian" in changed[30000] or "dian" in planted else set()
        assert {(hit.output, hit.field) for hit in hits} == expected, planted


def test_a_file_is_cut_only_where_no_tag_can_span():
    """A `<` opened on one line and closed on a later one (directly or as a JSON escape): no cut
    between them."""
    data = b"a <b\nc\nd> e\nf \\u003cg\nh \\u003E i\nj\n"
    parts = [data[start:end] for start, end, _ in gatepieces.segments(data)]
    assert b"".join(parts) == data
    assert parts == [b"a <b\nc\nd> e\n", b"f \\u003cg\nh \\u003E i\n", b"j\n", b""]
    assert normal(data.decode()) == " ".join(normal(part.decode()) for part in parts if normal(part.decode()))
    # only a file where no tag can open is cut at every line end
    for text, opens in ((b"a\nb", False), (b"a <b", True), (b"f \\u003cg", True), (b"f \\u003Cg", True),
                        (b"h \\u003E i", False), (b"\\u0030 \\u003", False), (b"", False)):
        assert gatepieces._no_tag_can_open(text) is not opens, text


def test_a_value_over_many_short_lines_is_found_across_the_cuts(monkeypatch):
    """Every line its own piece: a value written over three lines and more spans two cuts and
    more; the windows on both sides of each cut reach as far as the longest value."""
    monkeypatch.setattr(gatepieces, "PIECE_MIN", 1)
    monkeypatch.setattr(gatepieces, "PIECE_MAX", 1)
    finders = {"all": automaton(NEEDLES), "added": None}
    for text in ("a\njl.\nkenanga\n12\nb\n", "Dian\n\n \nPuspitasari\n", "x\n0815\n \n5380\ny", "asri\ndian\n",
                 "<p>\njl.\nkenanga</p>\n12\n", "Dian\n<br>\nPuspitasari"):
        assert len(gatepieces.pieces(gatepieces.segments(text.encode()))) >= 3
        assert len(gatepieces.pieces(gatepieces._line_segments(text.encode()))) >= 2 or "<" in text
        assert gatepieces.search(text.encode(), finders, set())[0] == whole(text, finders["all"]) != set()
    rng = random.Random(8)
    for round in range(400):
        text = "".join(rng.choice(TOKENS if round % 2 else NO_TAG) for _ in range(rng.randint(20, 200)))
        assert gatepieces.search(text.encode(), finders, set())[0] == whole(text, finders["all"]), text
