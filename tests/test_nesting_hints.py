"""Wrong indentation under a section (`lapor_tim`, `rapat`, ...): `pengaduan check` says so and
shows the corrected block, with the staff member's own lines, instead of hinting at quotes."""
from __future__ import annotations

from pathlib import Path

from conftest import VALID, complaint_text, run_main, write_complaint

HEAD = complaint_text(body="").rsplit("---\n", 1)[0]   # the valid fields, without the closing ---


def _check(repo: Path, section: str) -> str:
    write_complaint(repo, text=HEAD + section + "---\n")
    code, out, err = run_main("check", "--repo", repo)
    assert code == 1
    return out + err


CORRECT = "\n      lapor_tim:\n        waktu: 2026-01-05T13:00:00+07:00\n        petugas: Budi"


def test_three_spaces_under_a_section(repo: Path):
    said = _check(repo, "lapor_tim:\n  waktu: 2026-01-05T13:00:00+07:00\n   petugas: Budi\n")
    assert "indentasi baris ini salah" in said and "menjorok 3 spasi" in said and CORRECT in said
    assert "tanda kutip" not in said


def test_quoting_the_value_does_not_send_you_in_a_circle(repo: Path):
    said = _check(repo, 'lapor_tim:\n  waktu: 2026-01-05T13:00:00+07:00\n   petugas: "Budi"\n')
    assert "indentasi baris ini salah" in said and "'\"Budi\"'" not in said
    assert '        petugas: "Budi"' in said


def test_first_field_indented_more_than_the_next(repo: Path):
    said = _check(repo, "lapor_tim:\n   waktu: 2026-01-05T13:00:00+07:00\n  petugas: Budi\n")
    assert "tidak sejajar" in said and CORRECT in said


def test_fields_of_a_section_not_indented_at_all(repo: Path):
    said = _check(repo, "lapor_tim:\nwaktu: 2026-01-05T13:00:00+07:00\npetugas: Budi\n")
    assert "bagian `lapor_tim` kosong" in said
    assert "`petugas` adalah kolom di dalam `lapor_tim`" in said and CORRECT in said
    assert "Tulis isinya setelah titik dua" not in said


def test_a_field_written_after_the_section_name_on_the_same_line(repo: Path):
    said = _check(repo, "lapor_tim: waktu: 2026-01-05T13:00:00+07:00\n")
    assert "ada dua nama kolom di satu baris" in said
    assert "\n      lapor_tim:\n        waktu: 2026-01-05T13:00:00+07:00" in said


def test_valid_file_is_still_valid(repo: Path):
    write_complaint(repo, text=HEAD + "lapor_tim:\n  waktu: 2026-01-05T13:00:00+07:00\n  petugas: Budi\n---\n")
    assert run_main("check", "--repo", repo)[0] == 0, VALID
