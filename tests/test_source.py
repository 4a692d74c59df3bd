"""pipeline.records.source: the faithful YAML reader (scalars as written, positions, hostile input)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from pipeline.records import source
from pipeline.records.problems import Problem
from pipeline.records.source import (MAX_DEPTH, Document, Loader, SourceError, dotted, parse_yaml,
                             read_text)


def parse(text: str, first_line: int = 1):
    return parse_yaml(text, "f.yaml", first_line).data


def failure(text: str, first_line: int = 1) -> str:
    with pytest.raises(SourceError) as caught:
        parse_yaml(text, "f.yaml", first_line)
    return caught.value.problem.as_text()


# --- scalars as written -----------------------------------------------------------------------

@pytest.mark.parametrize("written, value", [
    ("007", "007"),                      # yaml.safe_load: 7
    ("0812-3456-7890", "0812-3456-7890"),
    ("081234567890", "081234567890"),
    ("2026-01-05", "2026-01-05"),        # yaml.safe_load: datetime.date
    ("2026-01-05 09:30", "2026-01-05 09:30"),
    ("2026-01-05T09:30:00+07:00", "2026-01-05T09:30:00+07:00"),
    ("09:30", "09:30"),                  # YAML 1.1: sexagesimal 570
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"), ("NO", "NO"),
    ("0o17", "0o17"), ("0x1F", "0x1F"), ("1_000", "1_000"), ("1e3", "1e3"), (".inf", ".inf"),
    (".nan", ".nan"), ("+", "+"), ("-1-2", "-1-2"),
    ("1", 1), ("-12", -12), ("+5", 5), ("0", 0), ("1.5", 1.5), ("-0.25", -0.25), (".5", 0.5),
    ("1.5e3", 1500.0),
    ("true", True), ("True", True), ("false", False), ("FALSE", False),
    ("null", None), ("~", None), ("", None),
    ('"007"', "007"), ("'true'", "true"), ('"null"', "null"), ("!!str 12", "12"), ("! 12", "12"),
    ("|\n  baris satu\n  baris dua", "baris satu\nbaris dua\n"),
    (">-\n  satu\n  dua", "satu dua"),
])
def test_scalars_are_kept_as_written(written: str, value):
    data = parse(f"x: {written}\n")
    assert data == {"x": value} and type(data["x"]) is type(value)


def test_keys_are_always_text():
    assert parse("1: a\ntrue: b\nnull: c\n2026-01-05: d\n") == {
        "1": "a", "true": "b", "null": "c", "2026-01-05": "d"}


def test_empty_and_comment_only_documents_are_none():
    assert parse("") is None
    assert parse("# hanya komentar\n") is None


# --- positions ------------------------------------------------------------------------------

TEXT = """\
id: ADU-20260105-7K3M
pelapor:
  nama: Budi
  kontak: "0812"
diteruskan_ke:
  - farmasi
  - poli_umum
rapat: {waktu: 2026-01-05 10:00, peserta: [A, B]}
"""


def test_positions_of_every_field():
    document = parse_yaml(TEXT, "f.md", first_line=2)
    assert document.position(("id",)) == (2, 1)
    assert document.position(("pelapor", "kontak")) == (5, 3)
    assert document.position(("diteruskan_ke", 1)) == (8, 5)
    assert document.position(("rapat", "peserta", 1)) == (9, 47)
    assert document.position(("rapat", "peserta", 7)) == (9, 34)   # nearest known: the field
    assert document.position(("tidak_ada",)) == (2, 1)             # the document itself
    assert document.position(()) == (2, 1)


def test_positions_are_worked_out_lazily_and_the_same():
    lazy = parse_yaml(TEXT, "f.md", first_line=2)
    assert lazy._positions is None          # not computed for a valid document nobody asks about
    positions = lazy.positions
    assert len(positions) == 13
    assert positions[("rapat", "waktu")] == (9, 9)
    assert Document({"a": 1}, {("a",): (3, 1)}).position(("a",)) == (3, 1)
    assert Document({"a": 1}).position(("a",)) == (1, 1)


def test_dotted():
    assert dotted(("tanggapan", "isi")) == "tanggapan.isi"
    assert dotted(("diteruskan_ke", 0)) == "diteruskan_ke[0]"
    assert dotted(("unit", 3, "id")) == "unit[3].id"
    assert dotted(()) == ""


# --- refused constructs -----------------------------------------------------------------------

def test_duplicate_keys():
    assert failure("a: 1\nb:\n  c: 1\n  c: 2\n", first_line=2) == (
        "f.yaml:5:3: galat [b.c]: kolom `c` ditulis dua kali (pertama di baris 4). Saran: Hapus "
        "salah satunya; gabungkan isinya bila perlu.")


@pytest.mark.parametrize("text, expected", [
    ("a: &x 1\n", "f.yaml:1:4: galat [a]: anchor YAML `&x` tidak diizinkan."),
    ("a: *x\n", "f.yaml:1:4: galat [a]: alias YAML `*x` tidak diizinkan."),
    ("a: [1, *x]\n", "f.yaml:1:8: galat [a[1]]: alias YAML `*x` tidak diizinkan."),
    ("base: &b {x: 1}\nc:\n  <<: *b\n", "f.yaml:1:7: galat [base]: anchor YAML `&b` tidak diizinkan."),
    ("? &k a\n: 1\n", "f.yaml:1:3: galat: anchor YAML `&k` tidak diizinkan."),
])
def test_anchors_and_aliases(text: str, expected: str):
    assert failure(text).startswith(expected + " Saran: Tulis nilainya lengkap di setiap tempat")


@pytest.mark.parametrize("text, tag", [
    ('a: !!python/object/apply:os.system ["ls"]\n', "!!python/object/apply:os.system"),
    ("a: !!python/name:os.system ''\n", "!!python/name:os.system"),
    ("a: !!binary aGVsbG8=\n", "!!binary"),
    ("a: !!int 5\n", "!!int"),
    ("a: !!timestamp 2026-01-05\n", "!!timestamp"),
    ("a: !!set {x}\n", "!!set"),
    ("!!python/object:x {}\n", "!!python/object:x"),
])
def test_tags_are_refused(text: str, tag: str):
    assert failure(text).endswith(f"tag YAML `{tag}` tidak diizinkan. Saran: Hapus tag yang diawali "
                                  "tanda seru (!); tulis nilainya biasa saja.")


def test_a_word_after_a_bang_is_refused_with_how_to_keep_it_as_text():
    """`judul: !Penting antrean`: staff meant emphasis (found by hand); the hint quotes it."""
    assert failure("a: !rahasia teks\n").endswith(
        "tag YAML `!rahasia` tidak diizinkan. Saran: Bila tanda seru itu bagian teksnya (`!Penting`), tulis seluruh "
        "nilai dalam tanda kutip, mis. \"!rahasia teks\"; bila bukan, hapus tag yang diawali tanda seru (!).")


def test_keys_must_be_plain_text():
    expected = ("galat: nama kolom harus berupa teks biasa, bukan daftar atau kumpulan kolom. Saran: "
                "Tulis `nama_kolom: nilai`, tanpa tanda [ ] { } atau ? sebelum titik dua.")
    assert failure("[a, b]: 1\n") == "f.yaml:1:1: " + expected
    assert failure("x:\n  ? {a: 1}\n  : 2\n") == "f.yaml:2:5: " + expected.replace("galat:", "galat [x]:")


def test_billion_laughs_fails_on_the_first_anchor_quickly():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 40)]
    start = time.perf_counter()
    message = failure("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 0.5
    assert message.startswith("f.yaml:1:5: galat [a0]: anchor YAML `&a0` tidak diizinkan.")


# Both parsers PyYAML may give us: libyaml (whose 6.0.4 adds its own English nesting limit) and
# the pure-Python one. Our limits and messages must be the same with either.
PARSERS = [pytest.param(getattr(yaml, "CSafeLoader", None), id="libyaml"),
           pytest.param(yaml.SafeLoader, id="pure-python")]


@pytest.fixture(params=PARSERS)
def parser(request, monkeypatch):
    if request.param is None:
        pytest.fail("PyYAML was installed without libyaml: the lock's wheels carry it")
    monkeypatch.setattr(source, "Loader", request.param)
    return request.param


def test_deep_nesting_is_bounded(parser):
    expected = (f"galat [x]: isian bertingkat terlalu dalam (lebih dari {MAX_DEPTH} tingkat). Saran: "
                "Kolom pengaduan paling banyak bertingkat tiga; periksa tanda kurung [ ] dan { } "
                "serta indentasinya.")
    assert failure("x: " + "[" * 1000 + "]" * 1000 + "\n") == f"f.yaml:1:{4 + MAX_DEPTH - 1}: {expected}"
    assert failure("x: " + "{a: " * 200 + "1" + "}" * 200 + "\n").startswith("f.yaml:1:")
    block = "x:\n" + "".join("  " * level + f"k{level}:\n" for level in range(1, 60)) + "  " * 60 + "v\n"
    assert "bertingkat terlalu dalam" in failure(block)
    assert parse("x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n") is not None


def test_very_deep_nesting_does_not_crash_the_interpreter(parser):
    """500,000 nested brackets: PyYAML's composer recursed (and crashed) in C; we must not."""
    code = ("import yaml\nfrom pipeline.records import source\n"
            f"source.Loader = yaml.{parser.__name__}\n"
            "from pipeline.records.source import parse_yaml, SourceError\n"
            "try:\n    parse_yaml('x: ' + '[' * 500000 + ']' * 500000, 'f')\n"
            "except SourceError as err:\n    print(err.problem.message)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("isian bertingkat terlalu dalam")


def test_control_characters():
    assert failure("a: satu\nb: du\x07a\n", first_line=2) == (
        "f.yaml:3:6: galat: ada karakter kontrol tak terlihat (U+0007). Saran: Hapus karakter itu "
        "(sering terbawa saat menyalin dari aplikasi lain): ketik ulang teks di sekitar posisi ini.")
    assert "U+009B" in failure("a: \x9b\n")
    assert parse("a: tab\tdi tengah\n") == {"a": "tab\tdi tengah"}  # a tab inside a value is fine


def test_more_than_one_document():
    assert failure("a: 1\n---\nb: 2\n") == (
        "f.yaml:2:1: galat: ada lebih dari satu dokumen YAML (baris `---` di tengah). Saran: Hapus "
        "baris `---` atau `...` yang berlebih.")


# --- syntax errors in the words of the staff --------------------------------------------------

SYNTAX = [
    ("tab", "pelapor:\n\tnama: Budi\n",
     "f.yaml:3:1: galat: ada karakter tab; YAML hanya boleh menjorok dengan spasi. Saran: Ganti tab "
     "dengan spasi (mis. dua spasi per tingkat); di editor, matikan 'indent using tabs'."),
    ("tab after field", "a: 1\n  \tb: 2\n",
     "f.yaml:3:3: galat: ada karakter tab; YAML hanya boleh menjorok dengan spasi. Saran: Ganti tab "
     "dengan spasi (mis. dua spasi per tingkat); di editor, matikan 'indent using tabs'."),
    ("colon in value", "judul: Keluhan: antrean lama\n",
     "f.yaml:2:15: galat: ada titik dua (`: `) di tempat yang tidak diharapkan. Saran: Bila nilainya "
     "memuat titik dua, tulis seluruh nilai dalam tanda kutip, mis. judul: \"Keluhan: antrean lama\". "
     "Bila ini kolom baru, tulis di baris sendiri."),
    ("colon in value with quotes", 'judul: Kata "antre": lama\n',
     "f.yaml:2:20: galat: ada titik dua (`: `) di tempat yang tidak diharapkan. Saran: Bila nilainya "
     "memuat titik dua, tulis seluruh nilai dalam tanda kutip, mis. judul: 'Kata \"antre\": lama'. "
     "Bila ini kolom baru, tulis di baris sendiri."),
    ("unclosed quote at the end", 'a: 1\njudul: "Antrean lama\n',
     "f.yaml:3:8: galat: tanda kutip pembuka tidak ditutup. Saran: Tambahkan tanda kutip penutup "
     "yang sama (\" atau ') di akhir teks."),
    ("unclosed quote swallowing lines", "judul: 'Antrean lama\nkanal: email\nunit: 'farmasi'\n",
     "f.yaml:2:8: galat: tanda kutip pembuka di baris ini tidak ditutup. Saran: Tambahkan tanda "
     "kutip penutup yang sama (\" atau ') di akhir nilainya; tanpa itu semua teks sampai baris 4 "
     "terbaca sebagai isi kolom ini."),
    ("text after a quoted value", 'judul: "Antrean" lama\n',
     "f.yaml:2:18: galat: ada teks setelah tanda kutip penutup. Saran: Masukkan seluruh teks ke dalam "
     "tanda kutip, atau hapus tanda kutipnya."),
    ("indentation", "pelapor:\n  nama: Budi\n kontak: x\n",
     "f.yaml:4:2: galat: indentasi baris ini tidak sejajar dengan kolom lain yang setingkat. Saran: "
     "Baris ini menjorok 1 spasi, tidak sejajar dengan kolom di atasnya. Semua kolom di dalam "
     "`pelapor` menjorok tepat dua spasi, mis.:\n      pelapor:\n        nama: Budi\n"
     "        kontak: x"),
    ("unclosed list", "unit: [farmasi, poli_umum\nkanal: email\n",
     "f.yaml:2:7: galat: `[` tidak ditutup dengan `]` (atau tanda koma kurang). Saran: Tutup dengan "
     "`]` dan pisahkan isinya dengan koma; teks yang memuat [ ] { } ditulis dalam tanda kutip."),
    ("unclosed mapping", "rapat: {waktu: 2026-01-05\n",
     "f.yaml:2:8: galat: `{` tidak ditutup dengan `}` (atau tanda koma kurang). Saran: Tutup dengan "
     "`}` dan pisahkan isinya dengan koma; teks yang memuat [ ] { } ditulis dalam tanda kutip."),
    ("no colon", "judul: Antrean\nringkasan\nkanal: email\n",
     "f.yaml:3:1: galat: baris ini bukan `nama_kolom: nilai` (titik dua tidak ditemukan). Saran: "
     "Tambahkan titik dua setelah nama kolom; teks lanjutan dari baris sebelumnya harus menjorok "
     "lebih dalam daripada nama kolom."),
    ("at sign", "akun: @puskesmas_arjuno\n",
     "f.yaml:2:7: galat: nilai tidak boleh diawali `@` tanpa tanda kutip. Saran: Tulis nilai itu "
     "dalam tanda kutip, mis. akun: \"@puskesmas_arjuno\"."),
    ("backtick", "judul: `kode`\n",
     "f.yaml:2:8: galat: nilai tidak boleh diawali tanda petik terbalik (`) tanpa tanda kutip. "
     "Saran: Tulis nilai itu dalam tanda kutip, mis. judul: \"`kode`\"."),
    ("star", "judul: * penting\n",
     "f.yaml:2:8: galat: nilai diawali `*`, yang di YAML punya arti khusus. Saran: Tulis nilai itu "
     "dalam tanda kutip, mis. judul: \"* penting\"."),
    ("dash in value", "judul: - antrean\n",
     "f.yaml:2:8: galat: tanda daftar `- ` di tempat yang tidak diharapkan. Saran: Tulis setiap "
     "butir daftar di baris sendiri, menjorok di bawah nama kolom; bila teksnya memang diawali `- `, "
     "tulis dalam tanda kutip."),
    ("backslash", 'catatan: "C:\\data"\n',
     "f.yaml:2:13: galat: garis miring terbalik (`\\`) di dalam tanda kutip ganda. Saran: Pakai tanda "
     "kutip tunggal ('...'), atau tulis `\\\\`."),
]


@pytest.mark.parametrize("name, text, expected", SYNTAX, ids=[case[0] for case in SYNTAX])
def test_syntax_errors(name: str, text: str, expected: str):
    assert failure(text, first_line=2) == expected


def test_unknown_syntax_errors_keep_the_parser_words():
    message = failure("a: |x\n")
    assert message.startswith("f.yaml:1:5: galat: ada teks yang tidak diharapkan di akhir baris ini.")


def test_a_legal_multiline_quoted_value_is_not_blamed():
    assert parse('judul: "Antrean\n  lama"\nkanal: email\n') == {"judul": "Antrean lama", "kanal": "email"}
    assert failure('judul: "Antrean\n  lama" sekali\n').startswith(
        "f.yaml:2:9: galat: ada teks setelah tanda kutip penutup.")
    assert failure("unit: [farmasi] poli\n").startswith(
        "f.yaml:1:17: galat: ada teks yang tidak diharapkan setelah nilai di baris ini.")
    # an error after a closed multi-line quote is not an unclosed quote
    assert failure('judul: "Antrean\n  lama"\nkanal: email: x\n').startswith(
        "f.yaml:3:13: galat: ada dua nama kolom di satu baris.")


# --- reading files ------------------------------------------------------------------------------

def test_read_text_accepts_bom_and_line_endings(tmp_path: Path):
    path = tmp_path / "f.md"
    for raw in [b"\xef\xbb\xbfa: 1\r\nb: 2\r\n", b"a: 1\rb: 2\r", b"a: 1\nb: 2\n", b"a: 1\r\nb: 2\n"]:
        path.write_bytes(raw)
        assert read_text(path, "f.md") == "a: 1\nb: 2\n"


def test_read_text_refuses_what_is_not_text(tmp_path: Path):
    path = tmp_path / "f.md"
    path.write_bytes("a: café\nb: ok\n".encode("latin-1"))
    with pytest.raises(SourceError) as caught:
        read_text(path, "f.md")
    assert caught.value.problem == Problem(
        "f.md", 1, 7, "berkas bukan teks UTF-8 (byte 0xE9 tidak sah).",
        "Simpan ulang sebagai UTF-8: di Notepad, File > Simpan Sebagai (Save As), lalu Pengodean (Encoding) UTF-8; "
        "di VS Code, klik nama pengodean di bilah bawah > Save with Encoding > UTF-8.")
    path.write_bytes("a: ü\nb: é\x00\n".encode("utf-8"))
    with pytest.raises(SourceError) as caught:
        read_text(path, "f.md")
    assert (caught.value.problem.line, caught.value.problem.column) == (2, 5)
    # UTF-16 (Notepad's "Unicode"), with its mark or without (then it was "a binary file")
    for raw in (b"\xff\xfea\x00:\x00", "---\nid: ADU\n".encode("utf-16-le"), "---\nid: ADU\n".encode("utf-16-be"),
                "---\nid: ADU\njudul: Antrean café\n".encode("utf-16-le")):   # (said at 1:1, not at its é)
        path.write_bytes(raw)
        with pytest.raises(SourceError) as caught:
            read_text(path, "f.md")
        assert caught.value.problem.message == "berkas tersimpan sebagai UTF-16 (pilihan \"Unicode\" di Notepad), bukan UTF-8."
        assert (caught.value.problem.line, caught.value.problem.column) == (1, 1)


def test_read_text_size_limit(tmp_path: Path):
    path = tmp_path / "f.md"
    path.write_bytes(b"x" * 101)
    with pytest.raises(SourceError) as caught:
        read_text(path, "f.md", max_bytes=100)
    assert caught.value.problem.message == "berkas terlalu besar (101 byte; batas 100 byte)."
    path.write_bytes(b"x" * 100)
    assert read_text(path, "f.md", max_bytes=100) == "x" * 100


def test_read_text_missing_folder_device_or_pipe(tmp_path: Path):
    with pytest.raises(SourceError) as caught:
        read_text(tmp_path / "tidak-ada.md", "f.md")
    assert caught.value.problem.message == "berkas tidak dapat dibaca (tidak ada)."
    pipe = tmp_path / "pipa.md"
    os.mkfifo(pipe)
    (tmp_path / "nol.md").symlink_to("/dev/zero")
    for path in [tmp_path, pipe, tmp_path / "nol.md"]:  # no hang, no endless read
        with pytest.raises(SourceError) as caught:
            read_text(path, "f.md")
        assert caught.value.problem.as_text() == (
            "f.md:1:1: galat: bukan berkas biasa (folder, perangkat atau pipa). Saran: Pengaduan "
            "harus berupa berkas teks .md biasa.")


def test_the_c_parser_is_used():
    """PyYAML's pure-Python parser is several times slower; libyaml is installed here."""
    assert yaml.__with_libyaml__
    assert Loader is yaml.CSafeLoader


def test_agrees_with_pyyaml_on_ordinary_documents():
    """Where YAML 1.1 and our reading agree (no dates, no leading zeros), the data is the same."""
    text = ("a: teks biasa\nb: 12\nc: [x, y, 'z']\nd: {e: true, f: null}\ng: |\n  satu\n  dua\n"
            "h: >\n  tiga\n  empat\ni: -3.25\nj: \"kutip: ya\"\n")
    assert parse(text) == yaml.safe_load(text)
