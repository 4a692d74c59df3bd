"""The head approves the words the public will read: the pull-request workflow comments the public
view of each changed complaint, rendered by the site's own code, and names the private fields that
changed without showing them. Run as the workflow runs, against the test forge."""
from __future__ import annotations

from forge_server import ForgeServer
from gitrepo import GitRepo, complaint_path, complaint_text
from site_helpers import build
from test_workflows import Runner, ago, cid, clone, now, pr_event  # noqa: F401 (fixture)

from pipeline.outputs.preview import MARKER

SECRETS = {"nama": "Kanari Pelapor Rahasia", "petugas": "Kanari Petugas Rahasia",
           "catatan": "Kanari notulen rahasia", "body": "Kanari catatan kerja rahasia"}


def _file(complaint_id: str, received: str, **fields) -> str:
    return complaint_text(complaint_id, received, **fields) + f"\n{fields.pop('_body', '')}"


def test_the_head_sees_the_public_view_and_which_private_fields_changed(tmp_path, now):
    origin = GitRepo(tmp_path / "origin")
    base = origin.head()
    origin.branch("cms/pengaduan/2026/baru")
    received = ago(now, days=2, hours=1)
    new = cid(received, "PPPP")
    summary = "Antrean **farmasi** lama; obat diterima setelah satu jam. Hubungi @seseorang."
    origin.commit("Catat pengaduan", ago(now, days=2), files={complaint_path(new): complaint_text(
        new, received, ringkasan=summary, pelapor={"nama": SECRETS["nama"]})})
    origin.commit("Lapor tim dan rapat", ago(now, days=2, minutes=-30), files={
        complaint_path(new): complaint_text(
            new, received, ringkasan=summary, pelapor={"nama": SECRETS["nama"]},
            lapor_tim={"waktu": ago(now, days=2, minutes=-30), "petugas": SECRETS["petugas"]},
            rapat={"waktu": ago(now, days=1, hours=2), "catatan": SECRETS["catatan"]})
        + SECRETS["body"] + "\n"})
    origin.commit("Tanggapan", ago(now, days=1), files={complaint_path(new): complaint_text(
        new, received, ringkasan=summary, pelapor={"nama": SECRETS["nama"]},
        lapor_tim={"waktu": ago(now, days=2, minutes=-30), "petugas": SECRETS["petugas"]},
        rapat={"waktu": ago(now, days=1, hours=2), "catatan": SECRETS["catatan"]},
        tanggapan={"isi": "Mulai Senin satu petugas farmasi ditambah pada jam sibuk.",
                   "disetujui_oleh": "Kepala Puskesmas"}) + SECRETS["body"] + "\n"})
    head = origin.head()
    origin.checkout("main")
    work = clone(origin, tmp_path / "work")

    with ForgeServer() as server:
        server._number = 6
        server.add_pull("cms/pengaduan/2026/baru", head)   # the pull request of the event is #7
        runner = Runner(work, tmp_path, "pull_request", pr_event(base, head), server)
        steps = runner.run("periksa.yml")
        assert all(step.outcome == "success" for step in steps.values()), \
            [(s.name, s.stdout, s.stderr) for s in steps.values()]
        [comment] = [c for c in server.comments.values()
                     if c["issue"] == 7 and c["body"].startswith(MARKER)]
        body = comment["body"]
        # the public view: title, summary as the site renders it, response, timeline with its marks
        assert f"Pengaduan {new}" in body and f"`{new}`" in body
        assert "<strong>farmasi</strong>" in body
        assert "Mulai Senin satu petugas farmasi ditambah pada jam sibuk." in body
        assert "| Dilaporkan ke tim pengelola pengaduan |" in body and "Tepat waktu" in body
        assert "| Dibahas dalam rapat tim |" in body
        assert "@seseorang" not in body and "&#64;seseorang" in body   # nobody is notified
        # private fields: named, never shown
        assert "`pelapor.nama`" in body and "`lapor_tim.petugas`" in body and "`rapat.catatan`" in body
        assert "catatan kerja" in body
        for secret in SECRETS.values():
            assert secret not in body
            assert secret not in steps[list(steps)[-1]].summary

        # The same renderer as the site: the summary's HTML is the HTML of the complaint's page.
        build(work, tmp_path / "site")
        page = (tmp_path / "site" / "pengaduan" / new / "index.html").read_text(encoding="utf-8")
        assert "<strong>farmasi</strong>" in page

        # A second push updates the one comment.
        runner.run("periksa.yml")
        assert len([c for c in server.comments.values() if c["issue"] == 7 and c["body"].startswith(MARKER)]) == 1


def test_a_confidential_complaint_is_said_to_stay_unpublished(tmp_path, now):
    origin = GitRepo(tmp_path / "origin")
    base = origin.head()
    origin.branch("cms/pengaduan/2026/rahasia")
    received = ago(now, days=1, hours=1)
    secret = cid(received, "RRRR")
    origin.commit("Catat", ago(now, days=1), files={complaint_path(secret): complaint_text(
        secret, received, kerahasiaan="rahasia", judul="Kanari judul rahasia")})
    head = origin.head()
    origin.checkout("main")
    work = clone(origin, tmp_path / "work")
    with ForgeServer() as server:
        server._number = 6
        server.add_pull("cms/pengaduan/2026/rahasia", head)
        steps = Runner(work, tmp_path, "pull_request", pr_event(base, head), server).run("periksa.yml")
        [comment] = [c for c in server.comments.values() if c["body"].startswith(MARKER)]
        assert "tidak akan dipublikasikan" in comment["body"] and "Kanari judul rahasia" not in comment["body"]
        assert all(step.outcome == "success" for step in steps.values())


def test_the_title_is_plain_text_as_on_the_site(tmp_path):
    # The site shows `judul` as plain text (the template escapes it): in the comment's heading no
    # character may become Markdown, HTML, a link or a mention either.
    import html
    import re

    from markdown_it import MarkdownIt

    from conftest import make_repo, write_complaint
    from pipeline.outputs.preview import public_view_markdown
    from pipeline.records.loader import load

    title = "*Antrean* _obat_ [lama](https://x.example) #2 <b>A & B</b> | 1. ~x~ \\ @orang: `kode`"
    repo = make_repo(tmp_path / "repo")
    write_complaint(repo, judul=title)
    loaded = load(repo)
    [complaint] = loaded.complaints
    markdown = public_view_markdown(complaint, loaded.policy)
    heading = markdown.splitlines()[0]
    assert heading.startswith("### ") and "@" not in heading
    rendered = MarkdownIt("commonmark").render(heading)
    inner = re.fullmatch(r"<h3>(.*)</h3>\n", rendered, re.S)[1]
    assert "<" not in inner.replace("&lt;", "")   # no element at all: no emphasis, link or code
    assert html.unescape(inner) == title
