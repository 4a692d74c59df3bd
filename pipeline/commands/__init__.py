"""One module per command: pipeline/commands/<name>.py with add_arguments(parser) and
run(args) -> exit code. Only the module of the command being run is imported (start-up time:
staff run `pengaduan check` often, and the site build needs Pelican, which check does not)."""
from __future__ import annotations

import importlib

# name -> the one-line help shown by `pengaduan --help` and as the command's description.
COMMANDS = {
    "check": "periksa puskesmas.yaml dan berkas pengaduan",
    "new": "buat berkas pengaduan baru dengan id baru",
    "deadlines": "periksa tenggat SOP setiap pengaduan berdasarkan riwayat git",
    "demo": "putar ulang contoh pengaduan ke repositori git baru, tampilkan tenggat, bangun situs",
    "build": "bangun situs publik Respon Pengaduan Pelayanan (Pelican)",
    "serve": "tampilkan pratinjau situs di http://localhost:8000",
    "recap": "rekap pengaduan (angka per bulan, kanal, unit, jenis, status, tahap SOP) dan lembar bukti akreditasi",
    "init": "buat repositori pengaduan baru untuk sebuah Puskesmas dari templat ini",
    "intake": "ubah formulir pengaduan (issue GitHub) menjadi berkas pengaduan dan pull request",
    "pr": "pemeriksaan pull request: berkas yang berubah, cek, dan laporan tenggat (GitHub Actions)",
    "editor": "buat konfigurasi editor web /admin/ (Decap CMS) dari skema dan puskesmas.yaml",
    "watch": "pantauan tenggat harian: daftar pengaduan lewat/jatuh tempo dan satu issue per hari",
    "stempel": "minta stempel waktu tepercaya (RFC 3161) untuk setiap versi pengaduan yang belum distempel",
    "bukti": "untuk auditor: verifikasi setiap stempel waktu; waktu klaim vs terbukti per pengaduan dan tahap",
}


def load(name: str):
    """The module of command `name`."""
    return importlib.import_module(f"{__name__}.{name}")
