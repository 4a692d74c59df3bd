"""The paired-run benchmark (`bench/bench_pairs.py`): each side builds with its own code, and both
copies of the repository get the same changes."""
from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import bench_pairs  # noqa: E402


def _same_tree(left: Path, right: Path) -> list[str]:
    """The relative paths whose presence or bytes differ between two folders."""
    comparison = filecmp.dircmp(left, right)
    differing = comparison.left_only + comparison.right_only + comparison.funny_files
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    differing += mismatch + errors
    for name in comparison.common_dirs:
        differing += [f"{name}/{path}" for path in _same_tree(left / name, right / name)]
    return differing


def test_a_side_imports_its_own_code_from_the_work_folder_not_from_the_project(tmp_path):
    base = bench_pairs.export_revision("HEAD", tmp_path / "base")
    work = tmp_path / "work"
    work.mkdir()
    assert bench_pairs.imported_from(base, work) == (base / "pipeline").resolve()
    # the mistake the tool rules out: run in the project folder, the project's code wins
    assert bench_pairs.imported_from(base, ROOT) == (ROOT / "pipeline").resolve()


def test_the_working_tree_is_copied_as_a_revision_is_exported(tmp_path):
    copied = bench_pairs.export_working_tree(tmp_path / "candidate")
    exported = bench_pairs.export_revision("HEAD", tmp_path / "base")
    for name in ("pipeline/__init__.py", "pipeline/plugin/publishing.py", "theme/templates/base.html",
                 "schema/complaint.schema.json", "pelicanconf.py"):
        assert (copied / name).read_bytes() == (ROOT / name).read_bytes(), name
        assert (exported / name).is_file(), name
    assert not any((copied / name).exists() for name in (".git", ".venv", "node_modules"))
    work = tmp_path / "work"
    work.mkdir()
    assert bench_pairs.imported_from(copied, work) == (copied / "pipeline").resolve()


def test_pairs_build_the_same_changes_on_both_sides(tmp_path):
    report = tmp_path / "pairs.json"
    work = tmp_path / "work"
    assert bench_pairs.main(["30", "--base", "HEAD", "--candidate", "HEAD", "--pairs", "2", "--warm", "1",
                             "--work", str(work), "--json", str(report),
                             "--env-candidate", "PENGADUAN_PARALLEL_FROM=1"]) == 0
    found = json.loads(report.read_text(encoding="utf-8"))
    assert len(found["pairs"]) == 2 and all(base > 0 and candidate > 0 for base, candidate in found["pairs"])
    assert found["summary"]["pairs"] == 2 and found["arguments"]["env_candidate"] == {"PENGADUAN_PARALLEL_FROM": "1"}
    repos = [work / "repo-base", work / "repo-candidate"]
    logs = [subprocess.run(["git", "-C", str(repo), "log", "--format=%s %ct"], capture_output=True, text=True,
                           check=True).stdout for repo in repos]
    assert logs[0] == logs[1] and logs[0].count("Change response") == 3, logs[0][:500]
    # the same program on the same changes (one side in two processes): the same site
    assert _same_tree(repos[0] / "output", repos[1] / "output") == []


def test_full_pairs_set_the_output_and_cache_aside_before_each_build(tmp_path):
    """`--change full`: no commit is made, and each build starts with no output and no cache (the
    build cache's files are written again, not kept from the last build)."""
    work = tmp_path / "work"
    assert bench_pairs.main(["30", "--base", "HEAD", "--candidate", "HEAD", "--pairs", "1", "--warm", "0",
                             "--change", "full", "--work", str(work)]) == 0
    repos = [work / "repo-base", work / "repo-candidate"]
    logs = [subprocess.run(["git", "-C", str(repo), "log", "--format=%s"], capture_output=True, text=True,
                           check=True).stdout for repo in repos]
    assert logs[0] == logs[1] and "Change response" not in logs[0]
    set_aside = sorted(path.name.rsplit("-", 1)[0] for path in (work / ".trash").iterdir())
    assert set_aside == ["repo-base-.cache", "repo-base-output", "repo-candidate-.cache", "repo-candidate-output"]
    assert _same_tree(repos[0] / "output", repos[1] / "output") == []


def test_the_work_folder_must_be_empty(tmp_path, capsys):
    (tmp_path / "left-over").write_text("x", encoding="utf-8")
    try:
        bench_pairs.main(["30", "--work", str(tmp_path)])
    except SystemExit as stop:
        assert stop.code == 2
    else:
        raise AssertionError("a used work folder was accepted")
    assert "is not empty" in capsys.readouterr().err
