"""The one git runner: every git command of the package goes through pipeline/evidence/git.py,
and whatever fails is one GitError with an Indonesian message that quotes git."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from gitrepo import GitRepo

from pipeline.cli import main as cli_main
from pipeline.evidence import git
from pipeline.evidence.git import GitError

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


# Modules that start another program (never git), and the one program each starts.
OTHER_PROGRAMS = {"plugin/search.py": "_executable()"}   # Pagefind's binary, from its wheel


def test_no_other_module_starts_git():
    runner = PACKAGE / "evidence" / "git.py"
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == runner:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""\[\s*["']git["']""", text), f"{path}: run git through pipeline.evidence.git"
        starts = re.findall(r"subprocess\.(?:run|Popen)\(\s*\[?([^,\]]+)|check_output\(", text)
        allowed = OTHER_PROGRAMS.get(path.relative_to(PACKAGE).as_posix())
        assert all(program.strip() == allowed for program in starts), \
            f"{path}: run git through pipeline.evidence.git ({starts})"


def test_a_failing_command_says_so_in_indonesian_with_gits_words(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    with pytest.raises(GitError) as caught:
        git.run(repo.path, "-c", "core.quotepath=off", "show", "tidak-ada-ref")
    message = str(caught.value)
    assert message.startswith("perintah `git show` gagal: ")
    assert "tidak-ada-ref" in message                        # git's own words are kept
    assert git.text(repo.path, "rev-parse", "--is-inside-work-tree").strip() == "true"
    assert git.succeeds(repo.path, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    assert not git.succeeds(repo.path, "rev-parse", "--verify", "-q", "tidak-ada-ref^{commit}")


def test_without_git_installed_the_message_says_what_to_do(tmp_path, monkeypatch, capsys):
    repo = GitRepo(tmp_path / "repo")
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(GitError, match="pasang git terlebih dahulu"):
        git.run(repo.path, "status")
    with pytest.raises(GitError, match="pasang git terlebih dahulu"):
        git.start(repo.path, "log")
    assert cli_main(["deadlines", "--repo", str(repo.path), "--ref", "main"]) == 2
    err = capsys.readouterr().err
    assert "pengaduan deadlines: perintah `git` tidak ditemukan; pasang git terlebih dahulu." in err
    assert "Traceback" not in err


def test_init_reports_a_git_failure_without_a_traceback(tmp_path, capsys):
    # A target inside a file cannot become a repository: git says why, init says it failed.
    from pipeline.commands.init import _commit
    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder", encoding="utf-8")
    assert _commit(blocker, "Puskesmas Contoh") == 1
    err = capsys.readouterr().err
    assert err.startswith("pengaduan init: perintah `git init` gagal")


def test_blob_ids_from_the_index_only_for_files_whose_bytes_git_holds(tmp_path):
    """The build keys a complaint by its blob id without reading it only when git's index holds
    its bytes: a file edited after the commit (same size, same second: a racy timestamp), an
    untracked file and a link are left out, so their bytes are read."""
    repo = GitRepo(tmp_path / "repo")
    folder = "content/complaints/2026"
    repo.commit("Add", "2026-01-05T09:00:00+07:00",
                files={f"{folder}/a.md": "satu\n", f"{folder}/b.md": "dua\n"})
    (repo.path / folder / "c.md").symlink_to("a.md")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Link")
    (repo.path / folder / "b.md").write_text("DUA\n", encoding="utf-8")     # not committed
    repo.write(f"{folder}/d.md", "baru\n")                                    # untracked

    found = git.clean_blob_ids(repo.path, "content/complaints")

    a = str(repo.path / folder / "a.md")
    assert found == {a: repo.git("hash-object", a).strip()}
    assert git.clean_blob_ids(tmp_path / "bukan-repo", "content/complaints") == {}


def test_export_files_writes_a_refs_files_and_a_link_goes_through_the_archive(tmp_path):
    from pipeline.evidence.history import export_files
    repo = GitRepo(tmp_path / "repo")
    repo.commit("Two files", "2026-01-05T09:00:00+07:00", files={
        "content/complaints/2026/a.md": "satu\n", "content/complaints/2026/sub/b.md": "dua\n",
        "lain.txt": "bukan ini\n"})
    plain = tmp_path / "plain"
    export_files(repo.path, "HEAD", ["puskesmas.yaml", "content/complaints"], plain)
    assert (plain / "content/complaints/2026/a.md").read_text() == "satu\n"
    assert (plain / "content/complaints/2026/sub/b.md").read_text() == "dua\n"
    assert (plain / "puskesmas.yaml").read_bytes() == (repo.path / "puskesmas.yaml").read_bytes()
    assert not (plain / "lain.txt").exists()
    (repo.path / "content/complaints/2026/c.md").symlink_to("a.md")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "A link", author_date="2026-01-05T10:00:00+07:00")
    linked = tmp_path / "linked"
    export_files(repo.path, "HEAD", ["content/complaints"], linked)   # git archive: the link kept as a link
    assert (linked / "content/complaints/2026/c.md").is_symlink()
    assert (linked / "content/complaints/2026/sub/b.md").read_text() == "dua\n"
    export_files(repo.path, "HEAD", ["tidak-ada"], tmp_path / "none")
    assert not (tmp_path / "none").exists()
