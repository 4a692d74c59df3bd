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
    # the line flagged is right (two spaces): the message names the line above as the one to fix,
    # and does not say "2 spaces, not aligned" then "two spaces" as if they contradicted
    assert "menjorok 2 spasi, seperti seharusnya, tetapi `waktu` di atasnya menjorok 3 spasi" in said
    assert "perbaiki baris `waktu`" in said and "menjorok 2 spasi, tidak sejajar" not in said


def test_a_misindented_line_after_a_list_keeps_the_list_in_the_example(repo: Path):
    said = _check(repo, "rapat:\n  waktu: 2026-01-05T13:00:00+07:00\n  peserta:\n    - Ketua tim\n"
                        "    - Bidan koordinator\n   catatan: Notulen singkat\n")
    assert "Semua kolom di dalam `rapat` menjorok tepat dua spasi" in said
    assert ("\n      rapat:\n        waktu: 2026-01-05T13:00:00+07:00\n        peserta:\n"
            "          - Ketua tim\n          - Bidan koordinator\n        catatan: Notulen singkat") in said


def test_text_right_after_a_section_name_goes_into_its_text_field(repo: Path):
    said = _check(repo, "tanggapan: Terima kasih atas masukannya.\n")
    assert "`tanggapan` harus berupa kumpulan kolom (objek), bukan teks." in said
    assert "Teks Anda masuk ke `isi`" in said
    assert "\n      tanggapan:\n        isi: Terima kasih atas masukannya." in said


def test_a_time_right_after_a_section_name_goes_into_its_time(repo: Path):
    said = _check(repo, "lapor_tim: 2026-01-05 10:00\n")
    assert "\n      lapor_tim:\n        waktu: 2026-01-05 10:00" in said


def test_plan_text_after_its_section_name_is_explained_not_an_internal_error(repo: Path):
    said = _check(repo, "rencana_tindak_lanjut: Menambah petugas pada jam sibuk\n")
    assert "galat internal" not in said
    assert "\n      rencana_tindak_lanjut:\n        isi: Menambah petugas pada jam sibuk" in said


def test_text_where_a_list_belongs_is_shown_as_a_list(repo: Path):
    said = _check(repo, "diteruskan_ke: farmasi\n")
    assert "`diteruskan_ke` harus berupa daftar, bukan teks." in said
    assert "`diteruskan_ke: [farmasi]`" in said and "\n      diteruskan_ke:\n        - farmasi" in said
    said = _check(repo, "rapat:\n  waktu: 2026-01-05T13:00:00+07:00\n  peserta: Ketua tim, Bidan koordinator\n")
    assert "`peserta: [Ketua tim, Bidan koordinator]`" in said
    assert "\n      peserta:\n        - Ketua tim\n        - Bidan koordinator" in said


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


def test_a_field_of_a_list_item_is_aligned_with_the_items_first_field(example_repo: Path):
    """Found by hand: `keterangan` one space off under `- tanggal:` in puskesmas.yaml got a
    "correct form" that moved the sections below into `puskesmas:` (six new errors when followed)."""
    policy = (example_repo / "puskesmas.yaml").read_text(encoding="utf-8")
    item = next(line for line in policy.splitlines() if line.lstrip().startswith("- tanggal:"))
    field = next(line for line in policy.splitlines()[policy.splitlines().index(item) + 1:] if line.strip())
    (example_repo / "puskesmas.yaml").write_text(policy.replace(item + "\n" + field, item + "\n " + field), encoding="utf-8")
    code, out, err = run_main("check", "--repo", example_repo)
    said = out + err
    column = item.index("tanggal")
    assert code == 1 and f"menjorok {column + 1} spasi, tidak sejajar dengan `tanggal` di atasnya ({column} spasi)" \
        in said and f"Ubah menjadi {column} spasi" in said, said
    assert f"\n      {item.strip()}\n      {' ' * (column - item.index('-'))}{field.strip()}" in said
    assert "Semua kolom di dalam" not in said


def test_a_date_where_a_list_of_holidays_belongs_is_shown_as_one_of_its_items(example_repo: Path):
    """Found by hand: `libur_tambahan: [2026-12-24]` was told to put the date in `keterangan`, with
    no `- `; following that, the next message had no example at all."""
    policy = (example_repo / "puskesmas.yaml").read_text(encoding="utf-8")
    start = policy.index("libur_tambahan:")
    end = policy.index("\n", policy.index("keterangan:", start))
    (example_repo / "puskesmas.yaml").write_text(policy[:start] + "libur_tambahan: [2026-12-24]" + policy[end:],
                                                 encoding="utf-8")
    code, out, err = run_main("check", "--repo", example_repo)
    assert code == 1 and "Teks Anda masuk ke `tanggal`, mis.:\n      libur_tambahan:\n        - tanggal: 2026-12-24" \
        in out + err, out + err
    (example_repo / "puskesmas.yaml").write_text(
        policy[:start] + "libur_tambahan:\n  tanggal: 2026-12-24\n  keterangan: Cuti" + policy[end:], encoding="utf-8")
    code, out, err = run_main("check", "--repo", example_repo)
    assert code == 1 and "Tulis setiap butir `libur_tambahan` diawali `- `, kolom lainnya di bawahnya sejajar, mis.:\n" \
        "      libur_tambahan:\n        - tanggal: 2026-12-24\n          keterangan: Cuti" in out + err, out + err
