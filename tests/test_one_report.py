"""One report: every command and output that judges deadlines takes the same files and evidence.

The case of issue 10: in a repository made by `pengaduan init`, with one committed and one
uncommitted complaint, `pengaduan deadlines --ref main` listed 1 complaint and
`pengaduan recap --ref main` counted 2. The one rule: `--ref` judges the files committed at that
ref; without `--ref`, `deadlines` and `recap` judge the files in the folder (their help says so).
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from test_init import OPTIONS, pengaduan

from pipeline.cli import main as cli_main
from pipeline.commands import deadlines as deadlines_command
from pipeline.commands import recap as recap_command

NOW = "2026-11-25T10:00:00+07:00"


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Petugas", "GIT_AUTHOR_EMAIL": "petugas@example.id",
           "GIT_COMMITTER_NAME": "Petugas", "GIT_COMMITTER_EMAIL": "petugas@example.id"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def new_complaint(repo: Path, title: str, received: str) -> str:
    done = pengaduan("new", "--judul", title, "--diterima", received, "--kanal", "whatsapp",
                     "--jenis", "keluhan", "--unit", "poli_umum", "--ringkasan", f"{title}.", cwd=repo)
    assert done.returncode == 0, done.stderr
    [path] = [line for line in git(repo, "status", "--porcelain", "-uall").split("\n")
              if line.startswith("??") and line.endswith(".md")]
    return path[3:]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """`pengaduan init`, one complaint committed on main, one written and not committed."""
    target = tmp_path_factory.mktemp("one-report") / "pkm"
    done = pengaduan("init", str(target), *OPTIONS)
    assert done.returncode == 0, done.stderr
    committed = new_complaint(target, "Antrean pendaftaran lama", "2026-11-20 09:00")
    git(target, "add", committed)
    git(target, "commit", "-q", "-m", "Catat pengaduan", date="2026-11-20T10:00:00+07:00")
    new_complaint(target, "Ruang tunggu panas", "2026-11-23 09:00")
    return target


def deadlines_ids(capsys, repo: Path, *ref: str) -> list[str]:
    assert cli_main(["deadlines", "--repo", str(repo), "--now", NOW, "--format", "json", *ref]) == 0
    return sorted(item["id"] for item in json.loads(capsys.readouterr().out)["complaints"])


def recap_total(capsys, repo: Path, *ref: str) -> int:
    assert cli_main(["recap", "--repo", str(repo), "--now", NOW, "--format", "json", *ref]) == 0
    return json.loads(capsys.readouterr().out)["jumlah"]


def test_deadlines_and_recap_agree_on_a_ref(repo, capsys):
    on_main = deadlines_ids(capsys, repo, "--ref", "main")
    assert len(on_main) == 1
    assert recap_total(capsys, repo, "--ref", "main") == 1


def test_deadlines_and_recap_agree_on_the_folder(repo, capsys):
    # Without --ref both judge the files in the folder, the uncommitted one included.
    in_folder = deadlines_ids(capsys, repo)
    assert len(in_folder) == 2
    assert recap_total(capsys, repo) == 2


def test_the_help_says_which_files_are_judged():
    import argparse
    for command in (deadlines_command, recap_command):
        parser = argparse.ArgumentParser()
        command.add_arguments(parser)
        help_text = parser.format_help()
        assert "belum di-commit" in help_text and "--ref" in help_text, command.__name__
