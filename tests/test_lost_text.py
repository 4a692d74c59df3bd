"""Text YAML drops or merges without an error is said at its line (`records.losttext`).

Found by hand: `judul: Antrean #farmasi lama` was published as "Antrean" (a comment), a value
starting with a hashtag as nothing ("belum diisi"), and `- Ketua tim` over `   - Koordinator
farmasi` as one participant; `check` said "semua sah".
"""
from __future__ import annotations

import re

import pytest
import yaml

from pipeline.records.losttext import lost_text
from site_helpers import NOW, project_policy, run_cli, synthetic_complaint, write_repo


def _repo_with(tmp_path, edit):
    data = synthetic_complaint(2)
    repo = write_repo(tmp_path / "repo", [data])
    path = repo / f"content/complaints/{data['id'][4:8]}/{data['id']}.md"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return repo, path


@pytest.mark.parametrize("edit, field, message, hint", [
    (lambda text: re.sub(r"(?m)^judul: (.*)$", r"judul: Antrean #farmasi lama", text), "judul",
     "teks setelah ` #` di baris ini dibaca YAML sebagai komentar dan TIDAK disimpan: `#farmasi lama`.",
     'Tulis seluruh nilainya dalam tanda kutip, mis. judul: "Antrean #farmasi lama"'),
    (lambda text: re.sub(r"(?m)^  isi: .*$", "  isi: Petugas ditambah (lihat pengumuman #2 di papan).", text),
     "tanggapan.isi", "teks setelah ` #` di baris ini dibaca YAML sebagai komentar dan TIDAK disimpan: `#2 di papan).`",
     'isi: "Petugas ditambah (lihat pengumuman #2 di papan)."'),
    (lambda text: re.sub(r"(?m)^ringkasan: .*$", "ringkasan: #antreanlama di loket obat", text), "ringkasan",
     "nilai `ringkasan` diawali `#`, yang dibaca YAML sebagai awal komentar", 'ringkasan: "#antreanlama di loket obat"'),
    (lambda text: text.replace("lapor_tim:\n", "rapat:\n  peserta:\n    - Ketua tim\n     - Koordinator farmasi\n"
                               "lapor_tim:\n"), "rapat.peserta[0]",
     "baris ini (`- Koordinator farmasi`) menjorok lebih dalam dari baris di atasnya, jadi dibaca sebagai lanjutan "
     "teks di atasnya (\"Ketua tim - Koordinator farmasi\"), bukan butir baru.", "Sejajarkan tanda `-`")])
def test_text_yaml_would_drop_or_merge_is_an_error_at_its_line(tmp_path, edit, field, message, hint):
    repo, path = _repo_with(tmp_path, edit)
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1
    line = next(number for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if "#" in text or "- Koordinator" in text)
    shown = path.relative_to(repo).as_posix()
    assert re.search(rf"^{re.escape(shown)}:{line}:\d+: galat \[{re.escape(field)}\]: {re.escape(message)}.*"
                     rf"Saran: .*{re.escape(hint)}", result.stdout, re.M), result.stdout


@pytest.mark.parametrize("text", [
    "pelapor:  # RAHASIA\n  nama: Budi\n",            # a comment written so: a space after `#`
    "pelapor: #RAHASIA\n  nama: Budi\n",               # after a section's key
    "judul: \"Antrean #farmasi\"\n",                    # quoted
    "judul: 'Antrean #farmasi'\n",
    "isi: |\n  Antrean #farmasi\n  - satu\n    - dua\n",  # a text block: its `#` and its bullets are its own
    "judul: Antrean#farmasi\n",                         # no space before `#`: part of the value
    "judul: x\n#catatan\n",                             # a comment on its own line
    "peserta:\n  - Ketua tim\n  - Koordinator farmasi\n",
    "tahapan:\n  - id: a\n    langkah:\n      - b\n",
    # the web editor's YAML writer folds a long text at 80 characters, maybe before a " - ": the
    # rest is indented as deep as the text (an item's) or as the key's fields (a value's)
    "peserta:\n  - Ketua tim pengelola pengaduan dan koordinator mutu layanan Puskesmas sampai\n    - puluh\n",
    "ringkasan: Pelapor mengeluh antrean panjang sekali di loket pendaftaran pagi hari\n  - mohon ditambah\n"])
def test_what_yaml_keeps_is_not_said(text):
    assert lost_text(text, "f.md") == []


def test_a_colour_written_without_quotes_in_the_policy_is_said(tmp_path):
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(2)])
    policy = (repo / "puskesmas.yaml").read_text(encoding="utf-8")
    colour = next(line for line in policy.splitlines() if "utama:" in line)
    (repo / "puskesmas.yaml").write_text(policy.replace(colour, colour.split(":")[0] + ": #0b5d3b"), encoding="utf-8")
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1 and "nilai `utama` diawali `#`" in result.stdout + result.stderr, result.stdout
    assert 'utama: "#0b5d3b"' in result.stdout + result.stderr


@pytest.mark.parametrize("title, said", [
    ("! antrean farmasi", 'tanda seru (`!`) di awal nilai dibaca YAML sebagai tag dan TIDAK disimpan. Saran: Bila tanda '
                          'seru itu bagian teksnya, tulis seluruh nilainya dalam tanda kutip, mis. judul: "! antrean farmasi"'),
    ("[Penting] antrean farmasi", 'Saran: Nilai yang diawali `[` dibaca YAML sebagai awal daftar. Tulis nilai itu dalam '
                                  'tanda kutip, mis. judul: "[Penting] antrean farmasi".'),
    ("| antrean", "Saran: Nilai yang diawali `|` dibaca YAML sebagai tanda teks bertingkat. Tulis nilai itu dalam tanda "
                  'kutip, mis. judul: "| antrean".')])
def test_a_value_starting_with_a_sign_of_yaml_is_told_to_be_quoted(tmp_path, title, said):
    """Found by hand: `judul: ! antrean` was published as "antrean"; `[Penting] ...` and `| ...` got a
    hint on indentation, colons and quotes in general."""
    repo, path = _repo_with(tmp_path, lambda text: re.sub(r"(?m)^judul: .*$", f"judul: {title}", text))
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1 and said in result.stdout, result.stdout


def test_a_note_after_a_code_is_a_warning_and_a_text_going_on_after_a_hash_is_an_error(tmp_path):
    """Found by a helper: `status: dijawab #cekLagi` loses no text from the site, yet stopped the
    build; a summary's second line beginning with `#` was dropped in silence."""
    repo, path = _repo_with(tmp_path, lambda text: re.sub(r"(?m)^kanal: (.*)$", r"kanal: \1 #grupRT", text))
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 0 and "peringatan [kanal]: teks setelah ` #`" in result.stdout, result.stdout
    repo, path = _repo_with(tmp_path / "dua", lambda text: re.sub(
        r"(?m)^ringkasan: .*$", "ringkasan: Antrean obat lebih dari satu jam\n  #antreanlama di loket obat", text))
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1 and "galat [ringkasan]: baris ini diawali `#`, yang dibaca YAML sebagai komentar: " \
        "teksnya TIDAK disimpan, dan `ringkasan` berhenti di baris sebelumnya." in result.stdout, result.stdout
