"""`pengaduan init`: a new Puskesmas repository that checks, reports deadlines and builds."""
from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import yaml

from gitrepo import ROOT

PENGADUAN = str(Path(sys.executable).parent / "pengaduan")
OPTIONS = ["--nama", "Puskesmas Sukamaju", "--alamat", "Jl. Merdeka No. 1, Sukamaju",
           "--kota", "Kabupaten Contoh", "--kepala", "dr. Siti Aminah", "--sop", "SOP/001/PKM-SKM/2026",
           "--hari-kerja", "senin,selasa,rabu,kamis,jumat,sabtu",
           "--kanal", "whatsapp=0812-1111-2222", "--kanal", "email=pkm.sukamaju@example.go.id",
           "--kanal", "kotak_saran=Setiap hari Sabtu", "--kanal", "website=https://pkm-sukamaju.example.go.id",
           "--unit", "Pendaftaran", "--unit", "Poli Umum", "--unit", "farmasi=Instalasi Farmasi"]


def pengaduan(*args, cwd=None, stdin=subprocess.DEVNULL, **kwargs):
    env = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    return subprocess.run([PENGADUAN, *args], cwd=cwd, stdin=stdin, capture_output=True, text=True, env=env,
                          **kwargs)


def test_init_creates_a_repository_that_checks_and_builds(tmp_path):
    target = tmp_path / "pkm-sukamaju"
    done = pengaduan("init", str(target), *OPTIONS)
    assert done.returncode == 0, done.stderr
    policy = yaml.safe_load((target / "puskesmas.yaml").read_text(encoding="utf-8"))
    assert policy["puskesmas"]["nama"] == "Puskesmas Sukamaju"
    assert policy["kanal"]["whatsapp"] == {"nomor": "0812-1111-2222"}
    assert policy["kanal"]["kotak_saran"] == {"jadwal_buka": "Setiap hari Sabtu"}
    assert policy["kanal"]["website"] == {"url": "https://pkm-sukamaju.example.go.id"}
    assert [unit["id"] for unit in policy["unit"]] == ["pendaftaran", "poli_umum", "farmasi"]
    assert policy["hari_kerja"][-1] == "sabtu" and policy["sop"][0]["nomor"] == "SOP/001/PKM-SKM/2026"

    # The tooling came along; no example complaint did.
    for name in ("pipeline/cli.py", "schema/complaint.schema.json", "theme/templates/base.html",
                 "pelicanconf.py", "publishconf.py", "pyproject.toml", "Makefile", "LICENSE",
                 ".github/CODEOWNERS", ".github/workflows/periksa.yml", ".github/PULL_REQUEST_TEMPLATE.md", "docs/panduan-petugas.md"):
        assert (target / name).is_file(), name
    assert not list((target / "content" / "complaints").rglob("ADU-*.md"))
    assert not list(target.rglob("__pycache__")) and not (target / "tests").exists()
    form = (target / ".github/ISSUE_TEMPLATE/pengaduan.yml").read_text(encoding="utf-8")
    assert "Instalasi Farmasi (farmasi)" in form and "Poli Gigi" not in form
    assert "Puskesmas Sukamaju" in (target / "README.md").read_text(encoding="utf-8")

    # One commit holding everything, nothing left uncommitted.
    log = subprocess.run(["git", "-C", str(target), "log", "--format=%s"], capture_output=True, text=True)
    assert log.stdout.splitlines() == ["Mulai repositori pengaduan Puskesmas Sukamaju"]
    status = subprocess.run(["git", "-C", str(target), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""

    assert pengaduan("check", cwd=target).returncode == 0
    deadlines = pengaduan("deadlines", "--format", "json", cwd=target)
    assert deadlines.returncode == 0, deadlines.stderr
    built = pengaduan("build", "--output", str(tmp_path / "situs"), cwd=target)
    assert built.returncode == 0, built.stderr
    assert "Puskesmas Sukamaju" in (tmp_path / "situs" / "index.html").read_text(encoding="utf-8")

    # A complaint recorded in the new repository is valid there and reaches its site.
    new = pengaduan("new", "--judul", "Antrean pendaftaran lama", "--diterima", "2026-11-20 09:00",
                    "--kanal", "whatsapp", "--jenis", "keluhan", "--unit", "poli_umum",
                    "--ringkasan", "Pelapor menunggu lama di loket pendaftaran.", cwd=target)
    assert new.returncode == 0, new.stderr
    assert pengaduan("check", cwd=target).returncode == 0


def test_init_never_overwrites(tmp_path):
    target = tmp_path / "ada"
    target.mkdir()
    (target / "catatan.txt").write_text("milik orang lain", encoding="utf-8")
    done = pengaduan("init", str(target), *OPTIONS)
    assert done.returncode == 2 and "tidak kosong" in done.stderr
    assert [path.name for path in target.iterdir()] == ["catatan.txt"]


def test_init_refuses_bad_answers_without_creating_anything(tmp_path):
    # (a unit written twice: it became `poli_umum_2` in silence; found by hand)
    for bad in (["--kanal", "telegram=@pkm"], ["--hari-kerja", "senin,libur"], ["--unit", "poli umum"]):
        target = tmp_path / "baru"
        done = pengaduan("init", str(target), *OPTIONS, *bad)
        assert done.returncode == 2, done.stderr
        assert not target.exists()
        assert bad[1] != "poli umum" or "unit 'poli umum' sama dengan 'Poli Umum' (kode `poli_umum`)" in done.stderr
    missing = pengaduan("init", str(tmp_path / "kurang"), "--nama", "Puskesmas X")
    assert missing.returncode == 2 and "--alamat" in missing.stderr and not (tmp_path / "kurang").exists()
    invalid = pengaduan("init", str(tmp_path / "web"), *OPTIONS, "--website", "bukan url")
    assert invalid.returncode == 1 and "puskesmas.yaml" in invalid.stderr
    assert not (tmp_path / "web").exists()


def test_init_asks_in_a_terminal(tmp_path):
    target = tmp_path / "tanya"
    answers = "\n".join(["Puskesmas Tanya Jawab", "Jl. Dialog 2", "", "", "", "",
                         "whatsapp,langsung", "0812-9999-0000", "Meja informasi",
                         "Poli Umum, Poli Gigi"]) + "\n"
    leader, follower = pty.openpty()
    os.write(leader, answers.encode())
    try:
        done = pengaduan("init", str(target), stdin=follower, timeout=60)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 0, done.stdout + done.stderr
    policy = yaml.safe_load((target / "puskesmas.yaml").read_text(encoding="utf-8"))
    assert policy["puskesmas"] == {"nama": "Puskesmas Tanya Jawab", "alamat": "Jl. Dialog 2"}
    assert policy["kanal"] == {"whatsapp": {"nomor": "0812-9999-0000"}, "langsung": {"alamat": "Meja informasi"}}
    assert [unit["id"] for unit in policy["unit"]] == ["poli_umum", "poli_gigi"]
    assert policy["zona_waktu"] == "Asia/Jakarta" and len(policy["hari_kerja"]) == 5


def test_template_files_named_by_init_exist():
    from pipeline.commands.init import COPY
    missing = [name for name in COPY if not (ROOT / name).exists() and name != "content/pages"]
    assert missing == []


def test_make_test_in_a_new_repository_checks_and_builds(tmp_path):
    # A Puskesmas repository has no tests/ and no demo timeline: `make test` checks its records,
    # reports deadlines and builds its site instead of failing on an empty pytest run.
    target = tmp_path / "pkm"
    assert pengaduan("init", str(target), *OPTIONS).returncode == 0
    venv = Path(sys.executable).parent.parent
    # -o install: use this test run's environment as it is (no pip install into it)
    done = subprocess.run(["make", "-s", "-o", "install", "test", f"VENV={venv}"], cwd=target,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "semua sah" in done.stdout and "passed" not in done.stdout
    assert (target / "output" / "index.html").is_file()


def test_init_policy_has_the_commented_evidence_block():
    from pipeline.commands.init import policy_yaml
    text = policy_yaml({"puskesmas": {"nama": "Puskesmas Uji"}})
    assert "# bukti:" in text and "#       ca: bukti/tsa/freetsa-cacert.pem" in text
