"""The issue form -> complaint file conversion (`pengaduan intake`), against a local GitHub stand-in.

The recorded `issues` event in tests/fixtures/github/issues_opened.json holds a form body as
GitHub renders it. The command runs as the real console script in a subprocess; the GitHub API is
tests/forge_server.py on 127.0.0.1, which records every request.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from forge_server import ForgeServer
from gitrepo import ROOT, GitRepo

from pipeline.commands import intake
from pipeline.records.policy import load_policy

FIXTURES = Path(__file__).parent / "fixtures" / "github"
PENGADUAN = str(Path(sys.executable).parent / "pengaduan")
SECRETS = ["Sri Rahayuningsih", "0812-7788-9900", "Kenanga", "Anak saya demam"]


def event(tmp_path: Path, **issue_changes) -> Path:
    payload = json.loads((FIXTURES / "issues_opened.json").read_text(encoding="utf-8"))
    payload["issue"].update(issue_changes)
    target = tmp_path / "event.json"
    target.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return target


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    for name in (".github/ISSUE_TEMPLATE/pengaduan.yml", ".github/PULL_REQUEST_TEMPLATE.md"):
        repo.write(name, (ROOT / name).read_text(encoding="utf-8"))
    repo.commit("Add templates", "2025-12-01T09:00:00+07:00")
    return repo


def run(repo, *args, server: ForgeServer | None = None, output: Path | None = None):
    env = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    if server is not None:
        env.update(GITHUB_API_URL=server.url, GITHUB_TOKEN=server.token, GITHUB_REPOSITORY=server.repository)
    if output is not None:
        env["GITHUB_OUTPUT"] = str(output)
    return subprocess.run([PENGADUAN, "intake", *args], cwd=repo.path, env=env, capture_output=True,
                          text=True)


def outputs(path: Path) -> dict:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)


def test_form_submission_becomes_a_valid_complaint_and_the_issue_is_redacted(repo, tmp_path):
    output = tmp_path / "output"
    with ForgeServer() as server:
        server.refs["main"] = repo.head()
        server.add_issue("placeholder", "")   # numbers 1..11 exist before #12
        server._number = 11
        original = json.loads((FIXTURES / "issues_opened.json").read_text(encoding="utf-8"))["issue"]
        server.add_issue("[Pengaduan] obat racikan Ibu Sri lama", original["body"], ["pengaduan"],
                         author_association="MEMBER")
        done = run(repo, "--event", str(event(tmp_path)), "--open-pr", server=server, output=output)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        values = outputs(output)
        complaint_id, path, branch = values["id"], values["path"], values["branch"]
        assert branch == f"pengaduan/{complaint_id}" and path == f"content/complaints/2026/{complaint_id}.md"
        assert complaint_id.startswith("ADU-20261119-")

        # The branch and the file went through the API; the file is a valid complaint.
        [ref_call] = server.calls("POST", r"/git/refs$")
        assert ref_call.body == {"ref": f"refs/heads/{branch}", "sha": repo.head()}
        content = server.files[(branch, path)]
        assert content == (repo.path / path).read_bytes()
        check = subprocess.run([PENGADUAN, "check", "--format", "json", path], cwd=repo.path,
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert json.loads(check.stdout)["errors"] == 0
        front = yaml.safe_load(content.decode("utf-8").split("---\n")[1])
        assert front["diterima"] == "2026-11-19T10:30:00+07:00"
        assert (front["kanal"], front["jenis"], front["unit"]) == ("whatsapp", "keluhan", "farmasi")
        assert front["pelapor"] == {"nama": "Ibu Sri Rahayuningsih", "kontak": "0812-7788-9900",
                                    "alamat": "Jl. Kenanga Gg. 3 No. 12, Kauman"}
        assert "kerahasiaan" not in front
        assert "### Waktu tunggu" in front["ringkasan"]       # a heading inside a field stays in it
        notes = content.decode("utf-8").split("---\n", 2)[2]
        assert "Anak saya demam" in notes and "### Ini bukan judul formulir" in notes
        assert "issue #12" in notes

        # A pull request that closes the issue and walks through the SOP.
        [pull_call] = server.calls("POST", r"/pulls$")
        assert pull_call.body["head"] == branch and pull_call.body["base"] == "main"
        assert "Closes #12" in pull_call.body["body"] and "Create a merge commit" in pull_call.body["body"]
        assert not any(secret in pull_call.text for secret in SECRETS)

        # The issue is edited: reporter data replaced, title without the name, marker added.
        [patch] = server.calls("PATCH", r"/issues/12$")
        assert not any(secret in patch.text for secret in SECRETS), patch.text
        assert patch.body["body"].count(intake.HIDDEN) == 4
        assert patch.body["title"] == f"[Pengaduan] Obat racikan anak menunggu lebih dari satu jam ({complaint_id})"
        assert f"<!-- pengaduan-intake: {complaint_id} -->" in patch.body["body"]
        assert "Obat racikan anak menunggu" in patch.body["body"]   # public fields stay readable
        [comment] = server.calls("POST", r"/issues/12/comments$")
        assert not any(secret in comment.text for secret in SECRETS)

        # Edited again (the marker is there now): nothing more happens.
        again = run(repo, "--event", str(event(tmp_path, body=server.issues[12]["body"])), "--open-pr",
                    server=server)
        assert again.returncode == 0 and "sudah dicatat" in again.stderr
        assert len(server.calls("POST", r"/pulls$")) == 1


def test_without_open_pr_only_the_file_is_written(repo, tmp_path):
    output = tmp_path / "output"
    done = run(repo, "--event", str(event(tmp_path)), output=output)
    assert done.returncode == 0, done.stderr
    path = repo.path / done.stdout.strip()
    assert path.is_file() and outputs(output)["path"] == done.stdout.strip()


def test_invalid_answers_are_explained_on_the_issue_and_no_file_is_left(repo, tmp_path):
    body = json.loads((FIXTURES / "issues_opened.json").read_text(encoding="utf-8"))["issue"]["body"]
    body = body.replace("Farmasi (farmasi)", "Ruang Bersalin (ruang_bersalin)").replace("2026-11-19 10.30", "kemarin")
    with ForgeServer() as server:
        server.refs["main"] = repo.head()
        server._number = 11
        server.add_issue("[Pengaduan] obat", body, ["pengaduan"], author_association="MEMBER")
        done = run(repo, "--event", str(event(tmp_path, body=body)), "--open-pr", server=server)
        assert done.returncode == 1
        [comment] = server.calls("POST", r"/issues/12/comments$")
        assert "ruang_bersalin" in comment.body["body"] and "kemarin" in comment.body["body"]
        assert not server.calls("POST", r"/pulls$") and not server.calls("PATCH", r"/issues/12$")
    assert not (repo.path / "content" / "complaints").exists()


def test_issues_of_outsiders_or_without_the_label_are_ignored(repo, tmp_path):
    with ForgeServer() as server:
        done = run(repo, "--event", str(event(tmp_path, author_association="NONE")), "--open-pr", server=server)
        assert done.returncode == 0 and "bukan anggota tim" in done.stderr
        done = run(repo, "--event", str(event(tmp_path, labels=[{"name": "bug"}])), "--open-pr", server=server)
        assert done.returncode == 0 and "bukan formulir pengaduan" in done.stderr
        assert server.requests == []


@pytest.mark.parametrize("content, says", [
    (None, "tidak dapat dibaca"), (b"", "bukan JSON UTF-8 yang sah"), (b"{", "bukan JSON UTF-8 yang sah"),
    ("{}".encode("utf-16"), "bukan JSON UTF-8 yang sah"), (b"[]", "bukan objek JSON (isinya list)"),
    ("folder", "tidak dapat dibaca")])
def test_a_payload_file_that_is_not_one_is_said_and_nothing_is_written(repo, tmp_path, content, says):
    path = tmp_path / "event.json"
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    done = run(repo, "--event", str(path))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"pengaduan intake: payload event {path} {says}") and "Traceback" not in done.stderr
    assert "No such file" not in done.stderr and "Is a directory" not in done.stderr
    assert not (repo.path / "content").exists()


def test_fields_of_the_wrong_type_are_taken_as_absent(repo, tmp_path):
    """A payload edited by hand (or another forge's): `labels` as text is no label, `body` as a
    number no body, a `created_at` that is not a time is left out of the notes."""
    done = run(repo, "--event", str(event(tmp_path, labels="pengaduan")))
    assert (done.returncode, done.stderr) == (0, "Issue #12 tidak berlabel `pengaduan`: bukan formulir pengaduan.\n")
    done = run(repo, "--event", str(event(tmp_path, body=5)))
    assert done.returncode == 1 and "tidak lagi tersusun seperti formulir" in done.stderr
    assert "Traceback" not in done.stderr
    done = run(repo, "--event", str(event(tmp_path, created_at="kemarin", user=["x"])))
    assert done.returncode == 0, done.stderr
    text = (repo.path / done.stdout.strip()).read_text(encoding="utf-8")
    assert "Dicatat dari formulir issue #12 oleh @?.\n" in text


def test_confidential_request_is_recorded(repo, tmp_path):
    body = json.loads((FIXTURES / "issues_opened.json").read_text(encoding="utf-8"))["issue"]["body"]
    body = body.replace("- [ ] Pelapor meminta", "- [X] Pelapor meminta")
    done = run(repo, "--event", str(event(tmp_path, body=body)))
    assert done.returncode == 0, done.stderr
    front = yaml.safe_load((repo.path / done.stdout.strip()).read_text(encoding="utf-8").split("---\n")[1])
    assert front["kerahasiaan"] == "rahasia"


def test_committed_issue_form_matches_the_policy_and_the_parser():
    policy, problems = load_policy(ROOT)
    assert policy is not None, problems
    committed = (ROOT / intake.FORM_PATH).read_text(encoding="utf-8")
    assert committed == intake.form_yaml(policy), "jalankan `pengaduan intake --write-form`"
    form = yaml.safe_load(committed)
    fields = {item["id"]: item["attributes"]["label"] for item in form["body"] if "id" in item}
    assert fields == intake.LABELS        # the parser reads the body by these labels
    units = next(item for item in form["body"] if item.get("id") == "unit")["attributes"]["options"]
    assert [intake._choice(option, policy.units) for option in units] == list(policy.units)


def test_redact_keeps_public_fields_and_empty_answers():
    body = json.loads((FIXTURES / "issues_opened.json").read_text(encoding="utf-8"))["issue"]["body"]
    body = body.replace("Ibu Sri Rahayuningsih", "_No response_").replace("Jl. Kenanga Gg. 3 No. 12, Kauman", "")
    redacted = intake.redact(body)
    assert "0812-7788-9900" not in redacted and "Anak saya demam" not in redacted
    assert redacted.count(intake.HIDDEN) == 2
    assert "Obat racikan anak" in redacted and "_No response_" in redacted and "WhatsApp (whatsapp)" in redacted
    assert intake.parse_body(redacted)["pelapor_kontak"] == intake.HIDDEN
    assert intake.redact("teks bebas tanpa susunan formulir, 0812-1111-2222") == intake.HIDDEN + "\n"


def test_write_form_follows_the_policy(tmp_path):
    target = tmp_path / "repo"
    shutil.copytree(ROOT / "schema", target / "schema")
    text = (ROOT / "puskesmas.yaml").read_text(encoding="utf-8").replace(
        "  - {id: tata_usaha, nama: Tata Usaha}", "  - {id: tata_usaha, nama: Tata Usaha}\n  - {id: gizi, nama: Poli Gizi}")
    (target / "puskesmas.yaml").write_text(text, encoding="utf-8")
    done = subprocess.run([PENGADUAN, "intake", "--write-form", "--repo", str(target)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Poli Gizi (gizi)" in (target / intake.FORM_PATH).read_text(encoding="utf-8")
