"""Finding 10 of issue 11: `recap` says how many files it left out and exits 1."""
from __future__ import annotations

import yaml
from openpyxl import load_workbook

from gitrepo import GitRepo
from site_helpers import NOW, run_cli, synthetic_complaint


def _repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    files = {}
    for index in (1, 2, 3):
        data = synthetic_complaint(index)
        files[f"content/complaints/{data['id'][4:8]}/{data['id']}.md"] = \
            "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\nCatatan.\n"
    broken = synthetic_complaint(4)
    broken["kanal"] = "merpati_pos"
    files[f"content/complaints/{broken['id'][4:8]}/{broken['id']}.md"] = \
        "---\n" + yaml.safe_dump(broken, allow_unicode=True, sort_keys=False) + "---\nCatatan.\n"
    files["content/complaints/2026/ADU-20260105-7K3M.md"] = "bukan front matter\n"
    repo.commit("Pengaduan", "2026-05-01T08:00:00+07:00", files=files)
    return repo


def test_recap_exits_1_and_says_how_many_files_were_not_counted(tmp_path):
    repo = _repo(tmp_path)
    for fmt in ("text", "csv", "json"):
        result = run_cli("recap", "--repo", repo.path, "--now", NOW, "--format", fmt, "--from", "2025-01-01")
        assert result.returncode == 1, (fmt, result.stderr)
        assert "2 berkas pengaduan tidak sah dan TIDAK DIHITUNG" in result.stderr, result.stderr
        assert result.stdout  # the figures of the valid files are still given
    workbook = tmp_path / "rekap.xlsx"
    result = run_cli("recap", "--repo", repo.path, "--now", NOW, "--format", "xlsx", "--output", workbook,
                     "--from", "2025-01-01")
    assert result.returncode == 1 and workbook.is_file(), result.stderr
    first = load_workbook(workbook).worksheets[0]
    text = " ".join(str(cell.value) for row in first.iter_rows() for cell in row if cell.value is not None)
    assert "2 berkas pengaduan tidak sah dan TIDAK DIHITUNG" in text, text[:500]
