"""`pengaduan new`: a fresh, valid complaint file in the right place; never an overwrite.

Run as the real console script: with every option (stdin is not a terminal), and interactively
under a pseudo-terminal answering its questions. Ids are random, so the no-overwrite rule is
tested through `create()`'s id-generator parameter with ids whose files already exist.
"""
from __future__ import annotations

import os
import re
import select
import subprocess
import time
from pathlib import Path

import pytest

from conftest import cli_command, make_repo, policy_text, run_cli, run_main
from pipeline.commands.new import NotCreated, complaint_data, create, render
from pipeline.records.policy import load_policy
from pipeline.records.complaint import read_complaint

ID = r"ADU-{date}-[0-9A-HJKMNP-TV-Z]{{4}}"
OPTIONS = ["--judul", "Antrean farmasi terlalu lama", "--kanal", "whatsapp", "--jenis", "keluhan",
           "--unit", "farmasi", "--ringkasan", "Pelapor menunggu obat lebih dari satu jam."]


@pytest.fixture
def wita_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "wita", policy_text("Asia/Makassar"))


def files_in(repo: Path) -> list[Path]:
    return sorted((repo / "content/complaints").rglob("*.md"))


def test_all_options_write_a_valid_file_dated_in_the_policy_time_zone(wita_repo: Path):
    done = run_cli("new", *OPTIONS, "--diterima", "2026-01-05T23:30:00+07:00",
                   "--pelapor-nama", "Siti Aminah", "--pelapor-kontak", "081234567890", cwd=wita_repo)
    assert (done.returncode, done.stderr) == (0, "")
    printed = done.stdout.strip()
    # 23:30 WIB is 00:30 WITA the next day: the id, the folder and the written time say so
    assert re.fullmatch("content/complaints/2026/" + ID.format(date="20260106") + r"\.md", printed)
    path = wita_repo / printed
    assert files_in(wita_repo) == [path]
    complaint_id = path.stem
    assert path.read_text(encoding="utf-8") == (
        "---\n"
        f"id: {complaint_id}\n"
        "judul: Antrean farmasi terlalu lama\n"
        "diterima: '2026-01-06T00:30:00+08:00'\n"
        "kanal: whatsapp\n"
        "jenis: keluhan\n"
        "unit: farmasi\n"
        "ringkasan: Pelapor menunggu obat lebih dari satu jam.\n"
        "pelapor:\n"
        "  nama: Siti Aminah\n"
        "  kontak: 081234567890\n"  # a leading zero: text for our reader, no quotes needed
        "---\n"
        "\n"
        "Catatan kerja internal (tidak dipublikasikan).\n")
    check = run_cli("check", "--repo", wita_repo)
    assert (check.returncode, check.stdout) == (0, "2 berkas diperiksa: semua sah.\n")


def test_year_boundary_and_repo_option(wita_repo: Path, tmp_path: Path):
    done = run_cli("new", "--repo", wita_repo, *OPTIONS, "--diterima", "2025-12-31T23:30:00+07:00",
                   "--rahasia", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert path.parent == wita_repo / "content/complaints/2026"
    assert re.fullmatch(ID.format(date="20260101"), path.stem)
    text = path.read_text(encoding="utf-8")
    assert "diterima: '2026-01-01T00:30:00+08:00'\n" in text and "kerahasiaan: rahasia\n" in text
    assert run_cli("check", "--repo", wita_repo, path).returncode == 0


def test_local_time_without_offset_is_read_in_the_policy_zone(wita_repo: Path):
    done = run_cli("new", *OPTIONS, "--diterima", "2026-01-05 09:30", cwd=wita_repo)
    assert done.returncode == 0, done.stderr
    assert "diterima: '2026-01-05T09:30:00+08:00'\n" in (wita_repo / done.stdout.strip()).read_text("utf-8")


def test_without_diterima_it_is_now(repo: Path):
    before = time.time()
    done = run_cli("new", *OPTIONS, cwd=repo)
    assert done.returncode == 0, done.stderr
    text = (repo / done.stdout.strip()).read_text("utf-8")
    written = re.search(r"diterima: '(.+)'", text).group(1)
    from datetime import datetime
    assert before - 2 <= datetime.fromisoformat(written).timestamp() <= time.time() + 1
    assert written.endswith("+07:00")


def test_missing_option_without_a_terminal_is_a_usage_error(repo: Path):
    done = run_cli("new", "--judul", "Antrean farmasi lama", cwd=repo)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        "pengaduan new: --kanal wajib diisi (Kanal). Tanpa terminal, semua kolom wajib harus "
        "diberikan sebagai opsi: --judul, --kanal, --jenis, --unit, --ringkasan (dan --diterima "
        "bila bukan sekarang).\n")
    assert files_in(repo) == []


def test_wrong_values_are_usage_errors_and_write_nothing(repo: Path):
    done = run_cli("new", "--judul", "Antrean farmasi terlalu lama", "--kanal", "telepon",
                   "--jenis", "keluhn", "--unit", "farmasi", "--ringkasan", "Pendek", cwd=repo)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "pengaduan new: --jenis: nilai `keluhn` tidak dikenal untuk `jenis`. Saran: Mungkin maksud "
        "Anda `keluhan`? Pilihan: keluhan, saran, kritik, pertanyaan, apresiasi.",
        "pengaduan new: --ringkasan: `ringkasan` terlalu pendek (6 karakter; minimal 10). Saran: "
        "Tulis ringkasan 10-4000 karakter tanpa nama, nomor telepon, alamat atau NIK pelapor.",
        "pengaduan new: --kanal: kanal `telepon` tidak dibuka oleh puskesmas ini (lihat "
        "puskesmas.yaml). Saran: Kanal yang tersedia: email, whatsapp, langsung, kotak_saran. Bila "
        "kanal ini memang dibuka, tambahkan di bagian `kanal` puskesmas.yaml.",
        "Berkas tidak dibuat."]
    assert files_in(repo) == []
    done = run_cli("new", *OPTIONS, "--diterima", "2026-02-30 09:00", cwd=repo)
    assert (done.returncode, done.stderr) == (2, (
        "pengaduan new: --diterima '2026-02-30 09:00' bukan waktu yang sah; tulis mis. "
        "'2026-01-05 09:30' atau 2026-01-05T09:30:00+07:00.\n"))
    done = run_cli("new", *OPTIONS, "--diterima", "2099-01-05 09:00", cwd=repo)
    assert done.returncode == 2 and "--diterima: waktu `diterima` (2099-01-05T09:00:00+07:00) ada di " \
                                   "masa depan." in done.stderr
    assert files_in(repo) == []


def test_usage_errors(repo: Path, tmp_path: Path):
    assert run_main("new", "--bogus")[0] == 2
    done = run_cli("new", "--repo", tmp_path / "tidak-ada", *OPTIONS)
    assert (done.returncode, done.stderr) == (2, f"pengaduan new: folder repositori "
                                                 f"'{tmp_path / 'tidak-ada'}' tidak ditemukan.\n")
    (repo / "puskesmas.yaml").write_text("zona_waktu: Asia/Bali\n", encoding="utf-8")
    done = run_cli("new", *OPTIONS, cwd=repo)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == "pengaduan new: perbaiki puskesmas.yaml dahulu."
    assert files_in(repo) == []


# --- never overwrite ------------------------------------------------------------------------

def test_create_never_overwrites_an_existing_file(repo: Path):
    policy, _ = load_policy(repo)
    data = complaint_data({"judul": "Antrean farmasi terlalu lama", "diterima": "2026-01-05 09:30",
                           "kanal": "whatsapp", "jenis": "keluhan", "unit": "farmasi",
                           "ringkasan": "Pelapor menunggu obat lebih dari satu jam."}, policy)
    taken = repo / "content/complaints/2026/ADU-20260105-AAAA.md"
    taken.parent.mkdir(parents=True)
    taken.write_text("milik orang lain\n", encoding="utf-8")
    candidates = iter(["ADU-20260105-AAAA", "ADU-20260105-BBBB"])
    asked = []

    def make_id(received):
        asked.append(received.isoformat())
        return next(candidates)

    path = create(repo, data, make_id=make_id)
    assert path == repo / "content/complaints/2026/ADU-20260105-BBBB.md"
    assert asked == ["2026-01-05T09:30:00+07:00"] * 2
    assert taken.read_text(encoding="utf-8") == "milik orang lain\n"
    assert "id: ADU-20260105-BBBB\n" in path.read_text(encoding="utf-8")

    with pytest.raises(FileExistsError):
        create(repo, data, make_id=lambda received: "ADU-20260105-AAAA", attempts=5)
    assert taken.read_text(encoding="utf-8") == "milik orang lain\n"
    assert len(files_in(repo)) == 2
    assert run_main("check", "--repo", repo, path)[0] == 0


def test_a_folder_that_leads_out_of_the_repository_or_is_a_file_gets_nothing(repo: Path, tmp_path: Path):
    """`content` linked to a folder elsewhere: nothing is written there. `content/complaints` a
    file: said, not a traceback."""
    elsewhere = tmp_path / "di-luar"
    (repo / "content").rename(elsewhere)   # (what the repository held stays, there)
    (repo / "content").symlink_to(elsewhere)
    before = sorted(elsewhere.rglob("*"))
    args = ("new", "--repo", repo, "--diterima", "2026-01-05 09:30", *OPTIONS)
    code, out, err = run_main(*args)
    assert (code, out, sorted(elsewhere.rglob("*"))) == (1, "", before)
    assert err == (f"pengaduan new: folder content/complaints/2026 menuju ke luar repositori lewat tautan "
                   f"(symlink), ke {os.path.realpath(elsewhere)}/complaints/2026. Berkas tidak dibuat. "
                   "Saran: Ganti tautan itu dengan folder biasa di dalam repositori.\n")
    (repo / "content").unlink()
    (repo / "content").mkdir()
    (repo / "content/complaints").write_text("", encoding="utf-8")
    assert run_main(*args) == (1, "", "pengaduan new: content/complaints adalah berkas, bukan folder, jadi "
                               "content/complaints/2026 tidak dapat dibuat. Berkas tidak dibuat. Saran: "
                               "Pindahkan atau ganti nama berkas content/complaints.\n")
    (repo / "content/complaints").unlink()
    (repo / "content/complaints").mkdir()
    (repo / "content/complaints/2026").write_text("", encoding="utf-8")
    assert run_main(*args) == (1, "", "pengaduan new: content/complaints/2026 adalah berkas, bukan folder. Berkas "
                               "tidak dibuat. Saran: Pindahkan atau ganti nama berkas content/complaints/2026.\n")
    # what the system says when it refuses a write, in Indonesian (a name longer than the disk takes)
    (repo / "content/complaints/2026").unlink()
    with pytest.raises(NotCreated, match=r"tidak dapat ditulis \(namanya terlalu panjang\)"):
        create(repo, {"diterima": "2026-01-05T09:30:00+07:00"}, lambda received: "ADU-" + "X" * 300)


@pytest.mark.parametrize("value", ["007", "1.5e3", "1.5", "12", "no", "yes", "true", "null", "~",
                                   "2026-01-05", "a: b", "#tagar", "@akun", "* penting", "- butir",
                                   "  spasi di depan", "baris\nbaru", "kutip \" dan '", "", "%25",
                                   "tab\tdi tengah", "sangat " * 30, "garis\n---\npemisah", "---",
                                   "...", "akhir\n...\n"])
def test_render_reads_back_exactly(value: str, tmp_path: Path):
    data = {"id": "ADU-20260105-7K3M", "judul": value, "pelapor": {"kontak": value}}
    path = tmp_path / "content/complaints/2026/ADU-20260105-7K3M.md"
    path.parent.mkdir(parents=True)
    path.write_text(render(data), encoding="utf-8")
    complaint = read_complaint(path, tmp_path)
    assert complaint.data == data
    assert complaint.body == "Catatan kerja internal (tidak dipublikasikan)."


# --- interactive, under a pseudo-terminal -----------------------------------------------------

class Terminal:
    """`pengaduan ARGS` with stdin, stdout and stderr on a pseudo-terminal."""

    def __init__(self, args: list[str], cwd: Path):
        self.master, slave = os.openpty()
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "TERM": "dumb"}
        self.process = subprocess.Popen(cli_command() + args, cwd=cwd, stdin=slave, stdout=slave,
                                        stderr=slave, env=env, close_fds=True)
        os.close(slave)
        self.output = ""      # what has not been expected yet
        self.transcript = ""  # everything

    def read_until(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read(remaining):
                raise AssertionError(f"waited for {text!r}; got:\n{self.output}")
        return self.output

    def expect(self, text: str) -> None:
        """Wait for `text`, and forget the output up to its end."""
        self.read_until(text)
        self.output = self.output[self.output.index(text) + len(text):]

    def answer(self, question: str, reply: str) -> None:
        self.expect(question)
        os.write(self.master, reply.encode("utf-8") + b"\n")

    def finish(self, timeout: float = 20) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        while self._read(max(deadline - time.monotonic(), 0.01)):
            pass
        code = self.process.wait(timeout=max(deadline - time.monotonic(), 1))
        os.close(self.master)
        return code, self.output

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # the other side closed: the program has ended
            return False
        text = chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        self.output += text
        self.transcript += text
        return bool(chunk)


def test_interactive_questions_in_a_terminal(repo: Path):
    terminal = Terminal(["new", "--jenis", "saran"], cwd=repo)
    terminal.answer("Judul singkat (tanpa nama pelapor): ", "Ru")
    terminal.expect("Terlalu pendek: minimal 3 karakter.")  # and asked again
    terminal.answer("Judul singkat (tanpa nama pelapor): ", "Ruang tunggu kurang kursi")
    terminal.answer("Waktu diterima (YYYY-MM-DD HH:MM, kosong = sekarang): ", "kemarin")
    terminal.expect("Bukan waktu yang sah; tulis mis. 2026-01-05 09:30.")
    terminal.answer("Waktu diterima (YYYY-MM-DD HH:MM, kosong = sekarang): ", "2026-02-10 08:15")
    terminal.answer("Kanal [email, whatsapp, langsung, kotak_saran]: ", "telepon")
    terminal.expect("Pilih salah satu: email, whatsapp, langsung, kotak_saran.")
    terminal.answer("Kanal [email, whatsapp, langsung, kotak_saran]: ", "kotak_saran")
    terminal.answer("Unit terkait [pendaftaran, poli_umum, farmasi]: ", "poli_umum")
    terminal.answer("Ringkasan untuk publik (tanpa data pribadi): ",
                    "Pelapor mengusulkan tambahan kursi di ruang tunggu poli umum.")
    terminal.answer("Nama pelapor (rahasia; boleh kosong): ", "")
    terminal.answer("Kontak pelapor (rahasia; boleh kosong): ", "0812-1111-2222")
    terminal.answer("hanya dihitung di rekap (y/T): ", "")
    code, output = terminal.finish()
    assert code == 0, output
    match = re.search("content/complaints/2026/(" + ID.format(date="20260210") + r")\.md", output)
    assert match, output
    assert "Jenis" not in terminal.transcript  # given as an option: not asked
    assert terminal.transcript.count("Judul singkat") == 2 and terminal.transcript.count("Kanal [") == 2
    text = (repo / match.group(0)).read_text(encoding="utf-8")
    assert text.split("---\n")[1] == (
        f"id: {match.group(1)}\n"
        "judul: Ruang tunggu kurang kursi\n"
        "diterima: '2026-02-10T08:15:00+07:00'\n"
        "kanal: kotak_saran\n"
        "jenis: saran\n"
        "unit: poli_umum\n"
        "ringkasan: Pelapor mengusulkan tambahan kursi di ruang tunggu poli umum.\n"
        "pelapor:\n"
        "  kontak: 0812-1111-2222\n")
    assert run_main("check", "--repo", repo)[0] == 0


def test_interactive_end_of_input_cancels(repo: Path):
    terminal = Terminal(["new"], cwd=repo)
    terminal.read_until("Judul singkat (tanpa nama pelapor): ")
    os.write(terminal.master, b"\x04")  # Ctrl-D
    code, output = terminal.finish()
    assert code == 2 and "Dibatalkan: tidak ada jawaban." in output and "Traceback" not in output
    assert files_in(repo) == []


def test_interactive_choices_confidentiality_personal_data_and_next_step(repo: Path):
    terminal = Terminal(["new", "--jenis", "keluhan", "--diterima", "2026-02-10 08:15"], cwd=repo)
    terminal.answer("Judul singkat (tanpa nama pelapor): ", "Antrean lama di loket")
    terminal.answer("Kanal [email, whatsapp, langsung, kotak_saran]: ", "WhatsApp")   # any case
    terminal.answer("Unit terkait [pendaftaran, poli_umum, farmasi]: ", "farmsi")    # a typo
    terminal.expect("Mungkin maksud Anda `farmasi`? Pilih salah satu: pendaftaran, poli_umum, farmasi.")
    terminal.answer("Unit terkait [pendaftaran, poli_umum, farmasi]: ", "Poli Umum")  # the unit's name
    terminal.answer("Ringkasan untuk publik (tanpa data pribadi): ",
                    "Ibu Sari Wulandari menunggu dua jam di loket pendaftaran.")
    terminal.expect('Peringatan: teks ini dipublikasikan dan tampak memuat data pribadi (nama orang:')
    terminal.answer("Ringkasan untuk publik (tanpa data pribadi): ",
                    "Pelapor menunggu dua jam di loket pendaftaran.")
    terminal.answer("Nama pelapor (rahasia; boleh kosong): ", "Sari Wulandari")
    terminal.answer("Kontak pelapor (rahasia; boleh kosong): ", "")
    terminal.answer("hanya dihitung di rekap (y/T): ", "mungkin")
    terminal.expect("Jawab y (ya) atau t (tidak).")
    terminal.answer("hanya dihitung di rekap (y/T): ", "Y")
    code, output = terminal.finish()
    assert code == 0, output
    match = re.search("content/complaints/2026/(" + ID.format(date="20260210") + r")\.md", output)
    assert match, output
    assert f"git switch -c pengaduan/{match.group(1)}" in output and "Langkah berikutnya" in output
    text = (repo / match.group(0)).read_text(encoding="utf-8")
    assert "kanal: whatsapp\n" in text and "unit: poli_umum\n" in text and "kerahasiaan: rahasia\n" in text
    assert "ringkasan: Pelapor menunggu dua jam di loket pendaftaran.\n" in text


def test_interactive_personal_data_can_be_kept_on_purpose(repo: Path):
    terminal = Terminal(["new", "--jenis", "saran", "--diterima", "2026-02-10 08:15", "--kanal", "email",
                         "--unit", "farmasi", "--rahasia"], cwd=repo)
    terminal.answer("Judul singkat (tanpa nama pelapor): ", "Parkir di depan Toko Ibu Tien penuh")
    terminal.expect("Peringatan: teks ini dipublikasikan")
    terminal.answer("Judul singkat (tanpa nama pelapor): ", "")   # Enter: keep it (a shop's name, not the reporter)
    terminal.answer("Ringkasan untuk publik (tanpa data pribadi): ", "Usul agar farmasi buka sampai sore.")
    terminal.answer("Nama pelapor (rahasia; boleh kosong): ", "")
    terminal.answer("Kontak pelapor (rahasia; boleh kosong): ", "")
    code, output = terminal.finish()
    assert code == 0, output
    assert "kerahasiaan" not in terminal.transcript.split("Kontak pelapor")[1].split("\n")[0]
    [path] = files_in(repo)
    assert "judul: Parkir di depan Toko Ibu Tien penuh\n" in (repo / path).read_text(encoding="utf-8")


def test_options_take_choices_by_name_in_any_case_and_warn_about_personal_data(repo: Path):
    # The same as an answer typed in a terminal: `WhatsApp`, `KELUHAN`, `Poli Umum` are choices.
    done = run_cli("new", "--judul", "Antrean poli umum", "--kanal", "WhatsApp", "--jenis", "KELUHAN",
                   "--unit", "Poli Umum", "--diterima", "2026-01-05 09:30", "--ringkasan",
                   "Ibu Sari Wulandari menunggu dua jam; hubungi 081234567890.", cwd=repo)
    assert done.returncode == 0, done.stderr
    text = (repo / done.stdout.strip()).read_text(encoding="utf-8")
    assert "kanal: whatsapp\n" in text and "jenis: keluhan\n" in text and "unit: poli_umum\n" in text
    warning = done.stderr
    assert warning.startswith("pengaduan new: --ringkasan: teks ini dipublikasikan dan tampak memuat data "
                              "pribadi ("), warning
    assert "081234567890" in warning and "Berkas tetap dibuat" in warning


def test_a_mistyped_choice_option_is_refused_with_a_suggestion(repo: Path):
    done = run_cli("new", "--judul", "Antrean poli umum", "--kanal", "Watsap", "--jenis", "keluhan",
                   "--unit", "poli umum", "--ringkasan", "Pelapor menunggu dua jam di poli umum.", cwd=repo)
    assert done.returncode == 2 and "Mungkin maksud Anda `whatsapp`?" in done.stderr, done.stderr
    assert "--unit" not in done.stderr   # `poli umum` is the unit poli_umum
    assert files_in(repo) == []
