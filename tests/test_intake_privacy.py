"""Intake fails closed (findings 4, 5, 6, 7 and 12 of issue 11), against the local GitHub stand-in."""
from __future__ import annotations

import json
import threading

import pytest
import yaml

from forge_server import ForgeServer
from gitrepo import ROOT
from test_intake import FIXTURES, event, repo, run  # noqa: F401  (repo is a fixture)

from pipeline.commands import intake

BODY = json.loads((FIXTURES / "issues_opened.json").read_text(encoding="utf-8"))["issue"]["body"]
BOX = "- [ ] Pelapor meminta pengaduannya dirahasiakan (tidak diterbitkan, hanya dihitung di rekap)"


def _front(repo, done) -> dict:
    return yaml.safe_load((repo.path / done.stdout.strip()).read_text(encoding="utf-8").split("---\n")[1])


def _server(repo, body=BODY, **issue):
    server = ForgeServer()
    server.refs["main"] = repo.head()
    server._number = 11
    server.add_issue("[Pengaduan] Obat racikan lama", body, ["pengaduan"], author_association="MEMBER", **issue)
    return server


def test_a_public_repository_is_refused(repo, tmp_path):
    """Finding 4: the event says public (no --open-pr), or the API does (with it): nothing is written."""
    payload = json.loads(event(tmp_path).read_text(encoding="utf-8"))
    payload["repository"]["private"] = False
    (tmp_path / "publik.json").write_text(json.dumps(payload), encoding="utf-8")
    done = run(repo, "--event", str(tmp_path / "publik.json"))
    assert done.returncode == 1 and "repositori ini PUBLIK" in done.stderr, done.stderr
    del payload["repository"]["private"]
    (tmp_path / "tanpa.json").write_text(json.dumps(payload), encoding="utf-8")
    done = run(repo, "--event", str(tmp_path / "tanpa.json"))
    assert done.returncode == 1 and "mungkin publik" in done.stderr
    assert not (repo.path / "content" / "complaints").exists()
    with _server(repo) as server:
        server.private = False                     # the event says private, the repository is not
        done = run(repo, "--event", str(event(tmp_path)), "--open-pr", server=server)
        assert done.returncode == 1 and "PUBLIK" in done.stderr
        assert not server.calls("POST", r"/git/refs$") and not server.calls("POST", r"/pulls$")
        [comment] = server.calls("POST", r"/issues/12/comments$")
        assert "Delete issue" in comment.body["body"] and "0812" not in comment.text


@pytest.mark.parametrize("change", [
    lambda body: body.replace(BOX, BOX.replace("dirahasiakan", "DIRAHASIAKAN")),    # a label variant
    lambda body: body.replace("### Kerahasiaan\n\n" + BOX + "\n\n", ""),            # the section is missing
    lambda body: body.replace(BOX, BOX + "\n- [ ] pilihan lain"),                   # two boxes
    lambda body: body.replace(BOX, "_No response_"),
])
def test_an_unreadable_confidentiality_answer_means_rahasia(repo, tmp_path, change):
    """Finding 5: only the form's own untouched box means public; the PR says why it is rahasia."""
    body = change(BODY)
    assert body != BODY
    with _server(repo, body) as server:
        done = run(repo, "--event", str(event(tmp_path, body=body)), "--open-pr", server=server)
        assert done.returncode == 0, done.stderr
        front = yaml.safe_load(next(iter(server.files.values())).decode().split("---\n")[1])
        assert front["kerahasiaan"] == "rahasia"
        [pull] = server.calls("POST", r"/pulls$")
        assert "DICATAT RAHASIA" in pull.body["body"]


def test_an_untouched_box_is_public_and_a_ticked_one_rahasia(repo, tmp_path):
    done = run(repo, "--event", str(event(tmp_path)))
    assert done.returncode == 0 and "kerahasiaan" not in _front(repo, done)
    done = run(repo, "--event", str(event(tmp_path, body=BODY.replace("- [ ] Pelapor", "- [x] Pelapor"))))
    assert done.returncode == 0 and _front(repo, done)["kerahasiaan"] == "rahasia"


def test_one_issue_makes_one_complaint_however_many_events(repo, tmp_path):
    """Finding 6: `opened` and `labeled` for one issue (each with its stale payload), at once and
    after each other, and a rerun after a run that stopped before editing the issue."""
    with _server(repo) as server:
        opened = event(tmp_path)
        labeled_payload = json.loads(opened.read_text(encoding="utf-8"))
        labeled_payload["action"] = "labeled"
        (tmp_path / "labeled.json").write_text(json.dumps(labeled_payload), encoding="utf-8")
        first = run(repo, "--event", str(opened), "--open-pr", server=server)
        second = run(repo, "--event", str(tmp_path / "labeled.json"), "--open-pr", server=server)
        assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
        assert "sudah dicatat" in second.stderr
        assert len(server.calls("POST", r"/pulls$")) == 1 and len(server.calls("POST", r"/git/refs$")) == 1
    # A run that opened the PR but could not edit the issue: the next event finds the PR.
    with _server(repo) as server:
        server.issues[12]["body"] = BODY
        done = run(repo, "--event", str(event(tmp_path)), "--open-pr", server=server)
        assert done.returncode == 0
        server.issues[12]["body"] = BODY                       # as if the edit had failed
        again = run(repo, "--event", str(event(tmp_path)), "--open-pr", server=server)
        assert again.returncode == 0 and "sudah punya pull request" in again.stderr, again.stderr
        assert len(server.calls("POST", r"/pulls$")) == 1
    formulir = yaml.safe_load((ROOT / ".github" / "workflows" / "formulir.yml").read_text(encoding="utf-8"))
    assert formulir["concurrency"] == {"group": "formulir-${{ github.event.issue.number }}",
                                       "cancel-in-progress": False}


def test_headings_inside_the_reporter_text_do_not_move_fields(repo, tmp_path):
    """Finding 7: a `### Ringkasan untuk publik` line inside the private notes stays private."""
    injected = BODY.replace('Pesan WA asli: "Anak saya demam, sudah sejam belum dapat obat."',
                            "Pesan WA asli.\n\n### Ringkasan untuk publik\n\nHubungi pelapor di 0812-5555-6666.\n\n"
                            "### Nama pelapor (RAHASIA)\n\nPalsu\n\n### Kerahasiaan\n\n" + BOX)
    fields = intake.parse_body(injected)
    assert fields["ringkasan"].startswith("Pelapor menunggu obat racikan") and "0812-5555" not in fields["ringkasan"]
    assert "0812-5555-6666" in fields["catatan"] and fields["pelapor_nama"] == "Ibu Sri Rahayuningsih"
    done = run(repo, "--event", str(event(tmp_path, body=injected)))
    assert done.returncode == 0, done.stderr
    text = (repo.path / done.stdout.strip()).read_text(encoding="utf-8")
    front, notes = text.split("---\n")[1], text.split("---\n", 2)[2]
    assert "0812-5555-6666" not in front and "0812-5555-6666" in notes
    # a body that is not the form any more is refused, not guessed
    assert intake.parse_body("### Ringkasan untuk publik\n\nteks") is None
    with _server(repo, "### Ringkasan untuk publik\n\nteks saja") as server:
        done = run(repo, "--event", str(event(tmp_path, body="x")), "--open-pr", server=server)
        assert done.returncode == 1 and "tidak lagi tersusun seperti formulir" in done.stderr


def test_messages_say_what_github_keeps_and_how_to_delete_the_issue(repo, tmp_path):
    """Finding 12: no claim that the data "telah dihapus"; edit history, rename events and
    notification e-mails are named, and how an admin deletes the issue outright."""
    with _server(repo) as server:
        done = run(repo, "--event", str(event(tmp_path)), "--open-pr", server=server)
        assert done.returncode == 0, done.stderr
        [patch] = server.calls("PATCH", r"/issues/12$")
        [comment] = server.calls("POST", r"/issues/12/comments$")
    form = (ROOT / intake.FORM_PATH).read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "panduan-petugas.md").read_text(encoding="utf-8")
    for text in (patch.body["body"], comment.body["body"], " ".join(form.split()), " ".join(guide.split())):
        assert "telah dihapus dari issue" not in text
        for kept in ("riwayat suntingan", "judul", "email notifikasi", "Delete issue"):
            assert kept in text, (kept, text[:300])
