"""The first run: the example content replayed with its timeline tells the SOP story."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main as cli_main
from pipeline.evidence.replay import recorded_version

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_repo(tmp_path_factory):
    target = tmp_path_factory.mktemp("demo") / "repo"
    done = subprocess.run([sys.executable, "-m", "pipeline", "demo", "--repo", str(ROOT), "--into", str(target),
                           "--no-build"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return target, done.stdout


def report_of(target: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "pipeline", "deadlines", "--repo", str(target), "--ref", "main",
                           "--now", "2026-11-23T10:00:00+07:00", "--format", "json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_demo_shows_every_kind_of_stage_status(demo_repo):
    target, printed = demo_repo
    report = report_of(target)
    assert all(report["summary"][status] > 0 for status in ("met", "breached", "overdue", "pending"))
    assert "Ringkasan tahap:" in printed and "SELESAI TERLAMBAT" in printed and "TERLAMBAT, BELUM SELESAI" in printed
    by_id = {item["id"]: {stage["stage"]: stage["status"] for stage in item["stages"]}
             for item in report["complaints"]}
    assert by_id["ADU-20260924-18VV"] == {"lapor_tim": "met", "umpan_balik": "breached"}
    assert by_id["ADU-20261109-57DA"] == {"lapor_tim": "breached", "umpan_balik": "overdue"}
    assert by_id["ADU-20261119-0TJS"] == {"lapor_tim": "met", "umpan_balik": "pending"}
    assert report["due_soon"] == ["ADU-20261119-0TJS"]
    # The demo's claims agree with its evidence: no contradiction warnings.
    assert [item["warnings"] for item in report["complaints"] if item["warnings"]] == []


def test_demo_history_looks_like_pull_requests(demo_repo):
    target, _ = demo_repo
    merges = subprocess.run(["git", "-C", str(target), "log", "--merges", "--format=%s", "main"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(merges) == len(list((ROOT / "content/complaints").rglob("*.md")))
    item = next(i for i in report_of(target)["complaints"] if i["id"] == "ADU-20261009-XYE2")
    assert (item["recorded_at"], item["responded_at"], item["published_at"]) == (
        "2026-10-12T08:20:00+07:00", "2026-10-15T10:05:00+07:00", "2026-10-15T13:00:00+07:00")


def test_demo_never_overwrites(tmp_path, capsys):
    target = tmp_path / "exists"
    target.mkdir()
    assert cli_main(["demo", "--repo", str(ROOT), "--into", str(target), "--no-build"]) == 2
    assert "sudah ada" in capsys.readouterr().err


def test_recorded_version_drops_the_response_only():
    text = ("---\nid: X\nstatus: selesai\ntanggapan:\n  isi: |\n    Baris satu.\n\n    Baris dua.\n"
            "  kanal: email\nrencana_tindak_lanjut:\n  isi: Rencana.\n---\nCatatan.\n")
    assert recorded_version(text) == "---\nid: X\nrencana_tindak_lanjut:\n  isi: Rencana.\n---\nCatatan.\n"


def test_timeline_errors_name_file_line_and_fix(tmp_path, capsys):
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy2(ROOT / "puskesmas.yaml", repo / "puskesmas.yaml")
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copytree(ROOT / "demo", repo / "demo")
    timeline = repo / "demo/timeline.yaml"
    text = timeline.read_text(encoding="utf-8")
    text = text.replace('ADU-20260901-39C3: {dicatat: "2026-09-01 09:35"', 'ADU-20260901-39C3: {dicatat: "kemarin"')
    text = text.replace("  ADU-20260908-FT5D:", "  ADU-20990101-ZZZZ:")
    timeline.write_text(text, encoding="utf-8")
    assert cli_main(["demo", "--repo", str(repo), "--into", str(tmp_path / "out"), "--no-build"]) == 1
    errors = capsys.readouterr().err.splitlines()
    line_of = {key: number for number, line in enumerate(text.splitlines(), 1)
               for key in ("ADU-20260901-39C3", "ADU-20990101-ZZZZ", "pengaduan:") if line.startswith(("  " + key, key))}
    assert errors == [
        f"demo/timeline.yaml:{line_of['ADU-20260901-39C3']}:23: galat [pengaduan.ADU-20260901-39C3.dicatat]: "
        "`pengaduan.ADU-20260901-39C3.dicatat` bukan waktu yang sah. Saran: Tulis mis. \"2026-10-05 14:00\" "
        "atau 2026-10-05T14:00:00+07:00.",
        f"demo/timeline.yaml:{line_of['pengaduan:']}:1: galat [pengaduan]: pengaduan `ADU-20260908-FT5D` tidak ada "
        "di linimasa. Saran: Tambahkan `dicatat:` (dan `dijawab:`, `digabung:`) untuk id ini.",
        f"demo/timeline.yaml:{line_of['ADU-20990101-ZZZZ']}:3: galat [pengaduan.ADU-20990101-ZZZZ]: "
        "`ADU-20990101-ZZZZ` tidak ada di content/complaints. Saran: Hapus entri ini atau perbaiki id-nya.",
    ]
    assert not (tmp_path / "out").exists()
