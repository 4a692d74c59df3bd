"""Steps read from the parsed front matter of each version, and histories that cannot be judged.

Each test is a finding of issue 12 reproduced on a real repository: the response counted from a
regex over raw text, and a shallow clone judged as if complete.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import RESPONSE, GitRepo, complaint_path, complaint_text
from test_deadlines import add, deadlines, one, respond, stages

ID = "ADU-20260105-AAAA"
RECEIVED = "2026-01-05 08:00"
FRONT = ("---\nid: {id}\njudul: Pengaduan antrean\nditerima: {received}\nkanal: whatsapp\n"
         "jenis: keluhan\nunit: pendaftaran\n")


@pytest.fixture
def repo(tmp_path):
    return GitRepo(tmp_path / "repo")


def write_raw(repo, text: str, date: str) -> None:
    repo.commit("Edit", date, files={complaint_path(ID): text})


def test_a_response_taken_out_again_is_not_done(repo):
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00")
    respond(repo, ID, RECEIVED, "2026-01-06T09:00:00+07:00")
    add(repo, ID, RECEIVED, "2026-01-06T10:00:00+07:00")   # the response is removed again
    item = one(deadlines(repo, "2026-02-01T00:00:00+07:00"), ID)
    assert item["responded_at"] is None
    assert stages(item)["umpan_balik"]["status"] == "overdue"


def test_a_response_given_again_counts_from_its_return(repo):
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00")
    respond(repo, ID, RECEIVED, "2026-01-06T09:00:00+07:00")
    add(repo, ID, RECEIVED, "2026-01-06T10:00:00+07:00")
    respond(repo, ID, RECEIVED, "2026-01-12T10:00:00+07:00")
    item = one(deadlines(repo, "2026-02-01T00:00:00+07:00"), ID)
    assert item["responded_at"] == "2026-01-12T10:00:00+07:00"
    assert stages(item)["umpan_balik"]["status"] == "breached"


def test_tanggapan_on_a_continuation_line_is_not_a_response(repo):
    text = FRONT.format(id=ID, received=RECEIVED) + (
        'ringkasan: "Pelapor menunggu lama dan menulis\ntanggapan: petugas diam saja"\n---\n')
    write_raw(repo, text, "2026-01-05T09:00:00+07:00")
    item = one(deadlines(repo, "2026-02-01T00:00:00+07:00"), ID)
    assert item["responded_at"] is None
    assert stages(item)["umpan_balik"]["status"] == "overdue"


@pytest.mark.parametrize("key", ['"tanggapan"', "'tanggapan'", '"tangg\\x61pan"'])
def test_a_response_under_a_quoted_key_counts(repo, key):
    write_raw(repo, FRONT.format(id=ID, received=RECEIVED) + "ringkasan: Antrean lama.\n---\n",
              "2026-01-05T09:00:00+07:00")
    write_raw(repo, FRONT.format(id=ID, received=RECEIVED) + "ringkasan: Antrean lama.\n"
              f"{key}:\n  isi: {RESPONSE['isi']}\n---\n", "2026-01-06T09:00:00+07:00")
    item = one(deadlines(repo, "2026-02-01T00:00:00+07:00"), ID)
    assert item["responded_at"] == "2026-01-06T09:00:00+07:00"
    assert stages(item)["umpan_balik"]["status"] == "met"


def test_a_response_in_the_notes_body_is_not_a_response(repo):
    text = (FRONT.format(id=ID, received=RECEIVED) + "ringkasan: Antrean lama.\n---\n"
            "tanggapan:\n  isi: draf yang belum disetujui\n")
    write_raw(repo, text, "2026-01-05T09:00:00+07:00")
    assert one(deadlines(repo, "2026-02-01T00:00:00+07:00"), ID)["responded_at"] is None


@pytest.fixture
def shallow(repo, tmp_path):
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00")
    respond(repo, ID, RECEIVED, "2026-01-06T09:00:00+07:00")
    target = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(target)],
                   check=True, capture_output=True)
    return target


def pengaduan(*args: str):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True)


@pytest.mark.parametrize("command", [
    ["deadlines", "--format", "json"],
    ["deadlines"],
    ["recap", "--format", "json"],
    ["watch", "--no-issue"],
    ["pr", "deadlines", "--base", "HEAD"],
])
def test_a_shallow_clone_is_refused(shallow, command):
    done = pengaduan(*command, "--repo", str(shallow), "--now", "2026-02-01T00:00:00+07:00")
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "git fetch --unshallow" in done.stderr and "fetch-depth: 0" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("parallel_from", [None, 1])
def test_a_shallow_clone_builds_no_site(shallow, tmp_path, parallel_from):
    """Whether the history is read in a thread or (from PENGADUAN_PARALLEL_FROM complaint files)
    in a forked process, its refusal stops the build, and nothing is left beside the output."""
    extra = []
    if parallel_from is not None:
        settings = tmp_path / "pengaturan.py"
        root = Path(__file__).resolve().parents[1]
        settings.write_text(f"from pathlib import Path\nexec(Path({str(root / 'pelicanconf.py')!r}).read_text())\n"
                            f"PENGADUAN_PARALLEL_FROM = {parallel_from}\n", encoding="utf-8")
        extra = ["--settings", str(settings)]
    done = pengaduan("build", "--repo", str(shallow), "--output", str(tmp_path / "site"), *extra)
    assert done.returncode == 2, done.stderr
    assert "git fetch --unshallow" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(["shallow", "repo", *(
        ["pengaturan.py"] if extra else [])])


def test_grafts_are_refused(repo):
    first = add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00")
    respond(repo, ID, RECEIVED, "2026-01-06T09:00:00+07:00")
    (repo.path / ".git" / "info").mkdir(exist_ok=True)
    (repo.path / ".git" / "info" / "grafts").write_text(first + "\n")
    done = pengaduan("deadlines", "--repo", str(repo.path), "--now", "2026-02-01T00:00:00+07:00")
    assert done.returncode == 2 and done.stdout == ""
    assert "graft" in done.stderr


def test_a_replaced_commit_does_not_change_the_evidence(repo):
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00")
    honest = respond(repo, ID, RECEIVED, "2026-01-12T09:00:00+07:00")
    repo.git("commit", "-q", "--amend", "--no-edit", author_date="2026-01-06T09:00:00+07:00")
    forged = repo.head()
    repo.git("reset", "-q", "--hard", honest)
    repo.git("replace", honest, forged)
    item = one(deadlines(repo, "2026-02-01T00:00:00+07:00"), ID)
    assert item["responded_at"] == "2026-01-12T09:00:00+07:00"


def test_a_readme_beside_the_complaints_is_no_complaint_version(tmp_path):
    from gitrepo import GitRepo
    from pipeline.evidence.history import collect_evidence
    repo = GitRepo(tmp_path / "repo")
    repo.commit("Readme", "2026-01-05T09:00:00+07:00",
                files={"content/complaints/README.md": "Berkas pengaduan ada di sini.\n"})
    assert "README" not in collect_evidence(repo.path)
