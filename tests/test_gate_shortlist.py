"""The privacy gate's shortlist (`gatetext.Shortlist`): a file it rules out holds none of the
values, whatever tags, entities, case, spaces or compression hide them in; so a search with it
finds exactly what a search without it finds. And how the gate reads compressed files: as
GzipFile does, and a damaged one as its bytes."""
import gzip
import io
import random
import struct
import zipfile
import zlib

from pipeline.outputs import gatepieces, gatetext
from pipeline.outputs.gatechars import as_read, lookalikes
from pipeline.outputs.gatesearch import search_bytes
from pipeline.outputs.gatetext import SHORTLIST_MOST, automaton, finders, normal, shortlist

VALUES = ["budi santoso", "0812-3456-7890", "081234567890", "sri.rahayu@contoh.id", "kampung k3", "o'neil"]
# pieces a hostile or unlucky page may be made of: each hides or breaks a value in its own way
PIECES = [
    "Budi", "BUDI", "budi", "Santoso", "SANTOSO", " ", "\t", "\n", "\u00a0", "<b>", "</b>", "<span class=x>",
    "&#98;", "&#x62;", "&#66;udi", "&amp;", "&amp", "&lt;", "&#39;", "&apos;", "&not", "&notin", "0812-3456-7890",
    "0812", "-3456-", "7890", "081234567890", "sri.rahayu@contoh.id", "SRI.RAHAYU@CONTOH.ID", "sri&#46;rahayu@contoh.id",
    "\\u0062udi", '\\"', "\u212a", "\u0130", "kampung", "K3", "k&#51;", "O'Neil", "O&#39;NEIL", "<p title='budi'>",
    "pelapor", "antrean", "é", "\u03a3", "x", "1",
    "\\n", "\\t", '\\"', "\\/", "\\\\", "\\u2026", "\\u00e9", "\\u0026#98;", "\\u003cb\\u003e", "&\\n", "&#9\\n8;", "&amp\\nbudi",
    "%20", "%62udi", "Sant%6Fso", "%2F", "+", "%", "%4", "&#37;62", "\\u00256", "%C4%B0", "%E2%84%AA", "0812%2D",
    "\u00ad", "\u200b", "\ufeff", "\U000e0041", "&shy;", "&#8203;", "\\u00ad", "\\u200B", "%C2%AD", "%E2%80%8B", "\u2014",
    "\uff22udi", "\U0001d401\U0001d42e\U0001d41d\U0001d422", "\\ud835\\udc01udi", "%EF%BC%A2udi", "&#xFF22;udi", "\u00b2",
    "\uff10\uff18\uff11\uff12", "\\uff10812", "_", "-", ".", "surat_budi_santoso.pdf", "\\ud835", "\\udc01",
]
UNSEEN = ["\u00ad", "\u200b", "\u200d", "\u2060", "\ufeff", "\U000e0041", "&shy;", "&#173;", "&#x200B;", "\\u00ad",
          "\\u2060", "%C2%AD", "%E2%80%8B"]   # (characters no reader sees, and their escapes)


SPACES = [" ", "  ", "\t", "\n", "\u00a0", "<br>", " <i></i> ", "%20", "+", "-", "_", "."]
# look-alikes of each ASCII letter and digit (full-width, bold, circled, superscript, other scripts' digits)
LOOKALIKES: dict[str, list[str]] = {}
for _char in lookalikes():
    if len(as_read(_char)) == 1 and as_read(_char).isascii():
        LOOKALIKES.setdefault(as_read(_char).lower(), []).append(_char)


def _escaped_json(char: str) -> str:
    """A JSON escape of `char`: two for a character beyond U+FFFF."""
    units = char.encode("utf-16-be")
    return "".join(f"\\u{int.from_bytes(units[index:index + 2], 'big'):04x}" for index in range(0, len(units), 2))


def _hidden(value: str, rng: random.Random) -> str:
    """`value` as a page may hold it: letters as entities, JSON or URL escapes, upper case, any
    space, characters no reader sees between its letters."""
    out = []
    for char in value:
        roll = rng.random()
        if char == " ":
            out.append(rng.choice(SPACES))
        elif roll < 0.1:
            out.append(f"&#{ord(char)};")
        elif roll < 0.15:
            out.append(f"&#x{ord(char):X}")     # (no semicolon: decoded all the same)
        elif roll < 0.2:
            out.append(f"\\u{ord(char):04x}")   # (decoded only in a text with a backslash)
        elif roll < 0.22:
            out.append(f"<b>{char}</b>")         # (a tag breaks the value)
        elif roll < 0.25 and char.isascii():
            out.append(f"%{ord(char):02x}")      # (a URL's escape)
        elif roll < 0.3:
            out.append(char + rng.choice(UNSEEN))   # (a character no reader sees inside a word)
        elif roll < 0.36 and char.lower() in LOOKALIKES:   # (a look-alike, as it is or escaped)
            alike = rng.choice(LOOKALIKES[char.lower()])
            out.append(rng.choice([alike, alike, f"&#{ord(alike)};", _escaped_json(alike),
                                   "".join(f"%{byte:02X}" for byte in alike.encode())]))
        else:
            out.append(char.upper() if roll < 0.5 else char)
    return "".join(out)


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 8))]
        if rng.random() < 0.5:
            parts.insert(rng.randint(0, len(parts)), _hidden(rng.choice(VALUES), rng))
        texts.append("".join(parts))
    return texts


def test_a_search_with_the_shortlist_finds_what_a_search_without_it_finds():
    """Thousands of texts made of pieces that hide values (entities of letters and digits, tags
    between them, upper case, the Kelvin sign and the dotted I, JSON escapes, characters no reader
    sees inside a word, look-alike letters and digits, a file name's signs between words) and of others,
    each value set searched with and without its shortlist, plain and gzipped: the same hits.
    The shortlist rules out most texts, and some texts hold values: the test can fail both ways."""
    ruled_out = found = 0
    for size in (1, 2, len(VALUES)):
        words = [normal(value) for value in VALUES[:size]]
        finder, short = automaton(words), shortlist(words)
        assert short is not None
        for text in _texts(1500, seed=size):
            for data in (text.encode("utf-8"), gzip.compress(text.encode("utf-8"))):
                whole = search_bytes([data], finder)
                assert search_bytes([data], finder, short) == whole, text
                found += bool(whole)
            ruled_out += not short.may_hold_bytes(text.encode("utf-8"))
    assert found > 100 and ruled_out > 800


def test_values_hidden_in_entities_tags_or_case_are_not_ruled_out():
    words = [normal("Budi Santoso"), normal("0812-3456-7890")]
    finder, short = automaton(words), shortlist(words)
    for page in ["<p>&#66;udi <i>SANTOSO</i></p>", "<p>Bud&#x69;\n\tSantoso</p>", "<td>0812&#45;3456-7890</td>",
                 "<p>BUDI&nbsp;SANTOSO</p>", "<p>\u212ab budi santoso</p>"]:
        assert search_bytes([page.encode()], finder) != set(), page
        assert short.may_hold_bytes(page.encode()), page
    for value, page in [("budi", "<p>BUD\u0130 \u00b7 datang</p>"), ("k3", "<td>\u212a3 \u2026</td>")]:
        finder, short = automaton([value]), shortlist([value])   # (the only two characters lowered to ASCII)
        assert search_bytes([page.encode()], finder) == {value} == search_bytes([page.encode()], finder, short)
    finder, short = automaton(words), shortlist(words)
    name, name_short = automaton(["budi santoso"]), shortlist(["budi santoso"])   # (no number: tested alone)
    for unseen in UNSEEN:   # (a character no reader sees inside the name, or an escape of one)
        for page in [f"<p>Budi Sant{unseen}oso</p>", '{"nama": "Budi Sant' + unseen + 'oso"}']:
            assert search_bytes([page.encode()], name) == {"budi santoso"}, page
            assert name_short.may_hold_bytes(page.encode()), page
    assert not name_short.may_hold_bytes("<p>Budi Sant\u2014oso</p>".encode())   # (a dash is seen: it breaks the name)
    assert not short.may_hold_bytes(b"<p>Budi datang, Santoso tidak</p>".replace(b"Santoso", b"Sant<b>oso"))
    assert not short.may_hold_bytes("<p>Budi \u00b7 Santo\u2026</p>".encode())
    assert not short.may_hold_bytes(b"<p>antrean panjang</p>")
    assert short.may_hold_bytes(b'{"nama": "\\u0042udi"}')   # a JSON escape of a letter: searched whole
    escaped = [b'{"nama": "\\u0026#66;udi Santoso"}', b'{"nama": "\\u0026#x42\\u003budi Santoso"}']   # (of an entity)
    for data in escaped:
        assert search_bytes([data], finder) == {"budi santoso"} == search_bytes([data], finder, short)
    assert not short.may_hold_bytes(b'{"a": "Budi\\nSanto\\u2026", "b": "\\"sant\\/oso\\""}')   # (escapes of signs)


def test_a_shortlist_is_made_only_for_a_few_plain_values():
    assert shortlist(["budi"]) is not None
    assert shortlist([f"nama {index}" for index in range(SHORTLIST_MOST + 1)]) is None
    assert shortlist(["budi", "s\u00e9kar"]) is None   # not plain ASCII
    assert shortlist(["budi", "-.-"]) is None          # no letter or digit to look for
    assert shortlist([]) is None
    made = finders({"all": ["budi"], "added": []})
    assert made["shortlists"]["all"] is not None and made["shortlists"]["added"] is None and made["added"] is None


def _gzip_member(data: bytes, name: str | None = None, extra: bytes = b"", comment: bool = False) -> bytes:
    """One gzip member written by hand: the header fields GzipFile never writes (extra, comment)."""
    flags = (4 if extra else 0) | (8 if name else 0) | (16 if comment else 0)
    header = b"\x1f\x8b\x08" + bytes([flags]) + b"\x00\x00\x00\x00\x00\xff"
    if extra:
        header += struct.pack("<H", len(extra)) + extra
    if name:
        header += name.encode("latin-1") + b"\x00"
    if comment:
        header += b"sebuah komentar\x00"
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = deflate.compress(data) + deflate.flush()
    return header + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def test_gzip_files_are_read_as_gzipfile_reads_them(monkeypatch):
    """The gate's fast inflating of one whole gzip member gives what GzipFile gives, and leaves
    every other stream (more members, padding, damage, a cut, too big) to GzipFile."""

    def reference(data):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                return ("ok", handle.read(gatetext.MAX_INFLATED))
        except (OSError, EOFError, zlib.error) as err:
            return ("failed", type(err))

    def ours(data):
        try:
            return ("ok", gatetext.gunzipped(data))
        except (OSError, EOFError, zlib.error) as err:
            return ("failed", type(err))

    page = "<p>Pelapor: Budi Santoso, 0812-3456-7890</p>\n".encode() * 50
    one = gzip.compress(page)
    damaged = bytearray(one)
    damaged[-6] ^= 0xFF   # (the CRC)
    streams = [one, gzip.compress(b""), one + gzip.compress(b"<p>kedua</p>"), one + b"\x00" * 8, one + b"sampah",
               one[:len(one) // 2], one[:-4], bytes(damaged), _gzip_member(page, name="halaman.html"),
               _gzip_member(page, extra=b"ab\x02\x00xy", comment=True), gzip.compress(one),
               b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"bukan deflate", b"\x1f\x8b"]
    for stream in streams:
        assert ours(stream) == reference(stream), stream[:20]
    assert ours(one) == ("ok", page) and ours(one[:-4])[0] == "failed"
    monkeypatch.setattr(gatetext, "MAX_INFLATED", 100)   # more than it may inflate: cut where GzipFile cuts
    assert ours(one) == reference(one) == ("ok", page[:100])
    monkeypatch.undo()
    for stream in streams:   # and the gate's texts of each: as before
        texts = [inner.decode("utf-8", errors="replace") for inner in gatetext.contents(stream)]
        assert texts == list(_texts_before(stream)), stream[:20]


def _texts_before(data: bytes, depth: int = 0):
    """The texts the gate searched in a gzip file before `gunzipped`: GzipFile alone (gzip only)."""
    if data[:2] == b"\x1f\x8b" and depth < 3:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                inner = handle.read(gatetext.MAX_INFLATED)
            yield from _texts_before(inner, depth + 1)
            return
        except (OSError, EOFError, zlib.error):
            pass
    yield data.decode("utf-8", errors="replace")


def test_a_damaged_gzip_or_zip_file_is_searched_as_its_bytes_not_a_traceback():
    """A file that starts as gzip or zip does but holds no valid deflate data (zlib's own error,
    not an OSError) is searched as the bytes it is."""
    finder = automaton(["budi santoso"])
    fake_gzip = b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"<p>Budi Santoso</p>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.html", "<p>" + "x" * 4000 + "</p>")
    data = bytearray(buffer.getvalue())
    data[60:90] = b"\xff" * 30   # (inside the member's deflate data)
    fake_zip = bytes(data) + b"<p>Budi Santoso</p>"
    for damaged in (fake_gzip, fake_zip):
        assert search_bytes([damaged], finder) == {"budi santoso"}
        assert search_bytes([damaged], finder, shortlist(["budi santoso"])) == {"budi santoso"}


def test_the_pieces_of_a_big_file_found_clean_before_are_ruled_out_by_the_shortlist(monkeypatch):
    """The open data after one complaint was added: its pieces found clean before are searched only
    for the new values, and the shortlist rules most of them out; the hits are those of a search
    without it, on random rows full of escapes and entities."""
    monkeypatch.setattr(gatepieces, "PIECE_MIN", 24)
    monkeypatch.setattr(gatepieces, "PIECE_MAX", 120)
    monkeypatch.setattr(gatepieces, "CUT_MASK", 0x1)
    rng = random.Random(7)
    old_values, new_values = ["wahyu kurniawati", "0815 5380"], [normal(value) for value in VALUES[:3]]
    every = automaton(old_values + new_values)
    ruled_out, found = [0], 0
    may_hold = gatetext.Shortlist.may_hold_bytes

    def counted(self, data):
        held = may_hold(self, data)
        ruled_out[0] += not held
        return held
    monkeypatch.setattr(gatetext.Shortlist, "may_hold_bytes", counted)
    for _ in range(300):
        rows = [" ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6))) + "\n" for _ in range(rng.randint(20, 80))]
        if rng.random() < 0.5:
            rows[rng.randrange(len(rows))] = _hidden(rng.choice(new_values), rng) + "\n"
        data = "".join(rows).encode("utf-8")
        clean = {gatepieces.digest(data[start:end]) for start, end in _piece_spans(data)}   # (all found clean before)
        plain = {"all": every, "added": automaton(new_values)}
        with_shortlist = finders({"all": old_values + new_values, "added": new_values})
        assert with_shortlist["shortlists"]["added"] is not None
        hits = gatepieces.search(data, plain, clean)
        assert gatepieces.search(data, with_shortlist, clean) == hits
        found += bool(hits[0])
    assert found > 30 and ruled_out[0] > 800


def _piece_spans(data: bytes) -> list[tuple[int, int]]:
    parts = gatepieces._line_segments(data) if gatepieces._no_tag_can_open(data) else gatepieces.segments(data)
    return [(parts[first][0], parts[end - 1][1]) for first, end in gatepieces.pieces(parts)]


def test_a_text_with_a_urls_escape_is_searched_again_decoded_as_unquote_plus_decodes_it():
    """`with_unquoted` decodes the escapes alone (a binary file read as text has thousands of "%"):
    what it adds is what `urllib.parse.unquote_plus` makes of the whole text."""
    from urllib.parse import unquote_plus
    rng = random.Random(5)
    pieces = ["%20", "%2", "%", "+", "a", "%C4%B0", "%E2%84", "%AA", "%ff", "%44", "x%4", "\u00e9", "%e9", "%c3%a9", " "]
    decoded = 0
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        again = gatetext.with_unquoted(text)
        if again != text:
            assert again == text + " \x00 " + unquote_plus(text, errors="replace"), repr(text)
            decoded += 1
        else:
            assert unquote_plus(text) == text.replace("+", " "), repr(text)   # (no escape: nothing to decode)
    assert decoded > 1000


def test_tags_cut_at_their_brackets_are_cut_as_the_regex_cuts_them():
    """`split_tags` cuts a text whose brackets alternate at the brackets themselves, and leaves any
    other (a `<` in a script, a tag of more than TAG_MOST characters, `<` unclosed) to the regex:
    the same parts on random texts of both kinds."""
    rng = random.Random(9)
    pieces = ["<p>", "</p>", "<a href='x'>", "<", ">", "teks", " ", "\n", "<>", "<<", ">>", "é", "\ud800",
              "<" + "x" * gatetext.TAG_MOST + ">", "<" + "x" * (gatetext.TAG_MOST + 1) + ">", "<!-- k -->"]
    fast = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        parts = gatetext._TAG.split(text)
        between, held = gatetext.split_tags(text)
        assert (between, list(held)) == (parts[::2], list(dict.fromkeys(parts[1::2]))), repr(text)
        brackets = "".join(char for char in text if char in "<>")
        fast += brackets == "<>" * (len(brackets) // 2)
    assert 300 < fast < 2700   # (both ways taken)
