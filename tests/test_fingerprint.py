"""The build's fingerprint (`pipeline.plugin.fingerprint`): what changes it and what it is without
git. Real repositories and the real git; without git, a real PATH with no git on it."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from pipeline.outputs.site import project_root
from pipeline.plugin.fingerprint import fingerprint
from tests.gitrepo import GitRepo, complaint_path, complaint_text

NOW = datetime.fromisoformat("2026-03-01T12:00:00+07:00")


def _of(repo: Path, now=NOW):
    return fingerprint(repo, repo / "pelicanconf.py", repo / "theme", project_root(), now)


def _git_children() -> list[int]:
    """This process's children that are git (Linux: /proc lists each thread's children)."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                if Path(f"/proc/{pid}/comm").read_text().strip() == "git":
                    found.append(int(pid))
            except OSError:
                pass
    return found


def test_each_input_git_reads_changes_the_fingerprint(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write(complaint_path("ADU-20260105-0001"), complaint_text("ADU-20260105-0001", "2026-01-05T09:00:00+07:00"))
    repo.commit("Record a complaint", "2026-01-05T10:00:00+07:00")
    seen = [_of(repo.path)]
    assert seen[0] is not None and _of(repo.path) == seen[0]   # (the same files, the same value)
    changes = [
        lambda: repo.write(complaint_path("ADU-20260105-0001"),
                           complaint_text("ADU-20260105-0001", "2026-01-05T09:00:00+07:00", judul="Diubah")),
        lambda: repo.commit("Edit it", "2026-01-06T10:00:00+07:00"),                 # the tip
        lambda: repo.write("content/complaints/2026/catatan.txt", "belum di-commit"),  # untracked
        lambda: repo.git("branch", "cabang"),                                           # another ref
    ]
    for change in changes:
        change()
        seen.append(_of(repo.path))
        assert seen[-1] not in seen[:-1]
    assert _git_children() == []   # every git it started was waited for


def test_a_site_in_a_folder_of_a_bigger_work_tree_sees_its_changed_files(tmp_path):
    """A city's repository holding each Puskesmas's site in a folder: git names changed files from
    the work tree's top, and the bytes of each are still read (a new image was not published)."""
    outer = GitRepo(tmp_path / "dinkes")
    site = "puskesmas-arjuno/"
    outer.write(site + complaint_path("ADU-20260105-0001"),
                complaint_text("ADU-20260105-0001", "2026-01-05T09:00:00+07:00"))
    outer.commit("Record a complaint", "2026-01-05T10:00:00+07:00")
    repo = outer.path / site
    outer.write(site + "content/images/logo.svg", "<svg/>")
    first = _of(repo)
    outer.write(site + "content/images/logo.svg", "<svg></svg>")   # untracked, changed again
    assert _of(repo) != first


def test_outside_git_the_files_are_the_fingerprint_and_without_now_there_is_none(tmp_path):
    folder = tmp_path / "situs"
    (folder / "content" / "complaints" / "2026").mkdir(parents=True)
    (folder / "puskesmas.yaml").write_text("puskesmas: {}\n", encoding="utf-8")
    first = _of(folder)
    assert first is not None and _of(folder) == first
    assert _of(folder, now=None) is None   # "now" would be the clock: nothing can be trusted
    (folder / "content" / "complaints" / "2026" / "x.md").write_text("baru", encoding="utf-8")
    assert _of(folder) not in (None, first)
    assert _git_children() == []


def test_without_git_the_files_are_the_fingerprint(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    inside = _of(repo.path)
    empty = tmp_path / "kosong"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))   # (a machine without git)
    without = _of(repo.path)
    assert without is not None and without != inside   # (the bytes of content/, not git's word)
    assert _of(repo.path, now=None) is None
