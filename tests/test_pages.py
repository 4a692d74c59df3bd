"""Staff pages (content/pages) pass the same gate as complaint text (finding 1 of issue 11).

A page could use Pelican's `{attach}`/`{static}`/`{filename}` links to copy any file into the
public site (a complaint with its reporter, `.git/config`, `/proc/self/environ`), write outside
the output folder with `{static}../../x`, or carry raw HTML. Now `check` names file and line,
the build stops and nothing of it is published; images in content/pages/images/ still work.
"""
from __future__ import annotations

import io
import os
import re

import pytest
from PIL import Image

from site_helpers import NOW, build, output_files, read_page, run_cli, synthetic_complaint, write_repo



def _png() -> bytes:
    stream = io.BytesIO()
    Image.new("RGBA", (3, 2), (0, 90, 60, 200)).save(stream, "PNG")
    return stream.getvalue()


PNG = _png()


def _repo(tmp_path, page: str, name: str = "jahat.md", secret: bool = True):
    data = synthetic_complaint(2)
    data["pelapor"] = {"nama": "CANARYPAGEPELAPOR", "kontak": "0812-9999-0000"}
    if secret:
        data["kerahasiaan"] = "rahasia"
    repo = write_repo(tmp_path / "repo", [data], bodies={data["id"]: "CANARYPAGEBODY catatan"})
    (repo / ".git").mkdir(exist_ok=True)
    (repo / ".git" / "config").write_text("[remote]\n\turl = CANARYGITCONFIG\n", encoding="utf-8")
    (repo / "content" / "pages" / name).write_text(page.replace("<id>", data["id"]), encoding="utf-8")
    return repo, data


HOSTILE = """Title: Jahat
Slug: jahat

[a]({attach}../complaints/2026/<id>.md)
[b]({attach}../../.git/config)
[c]({attach}../../../../../../proc/self/environ)
[d]({static}../../x)
[e](|filename|../complaints/2026/<id>.md)
"""


def test_file_links_in_a_page_are_refused_by_check_and_build(tmp_path):
    repo, data = _repo(tmp_path, HOSTILE.replace("2026", data_year := "2026"))
    (repo / "x").write_text("CANARYOUTSIDE", encoding="utf-8")
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1, result.stdout
    lines = [line for line in result.stdout.splitlines() if line.startswith("content/pages/jahat.md:")]
    assert [int(line.split(":")[1]) for line in lines] == [4, 5, 6, 7, 8], result.stdout
    assert all("tidak diizinkan" in line and "Saran:" in line for line in lines)
    output = tmp_path / "site"
    result = build(repo, output, check=False)
    assert result.returncode == 1 and not output.exists(), result.stdout + result.stderr
    assert "content/pages/jahat.md:4" in result.stderr
    assert not (tmp_path / "x").exists() and not list(tmp_path.glob("**/environ"))


def test_raw_html_and_unknown_metadata_in_a_page_are_refused(tmp_path):
    page = ("Title: Jadwal\nSave_as: ../../keluar.html\nTemplate: pengaduan\n\nJam buka <b>08.00</b>\n\n"
            "<script>alert(1)</script>\n\n`<kode>` boleh, <https://contoh.example> juga.\n")
    repo, _ = _repo(tmp_path, page, secret=False)
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1
    found = {(int(line.split(":")[1]), "HTML mentah" in line) for line in result.stdout.splitlines()
             if line.startswith("content/pages/jahat.md:")}
    assert found == {(2, False), (3, False), (5, True), (7, True)}, result.stdout
    assert build(repo, tmp_path / "site", check=False).returncode == 1


def test_a_page_symlinked_out_of_content_pages_is_refused(tmp_path):
    repo, data = _repo(tmp_path, "Title: Biasa\n\nIsi.\n", name="biasa.md")
    complaint = repo / "content" / "complaints" / data["id"][4:8] / f"{data['id']}.md"
    os.symlink(complaint, repo / "content" / "pages" / "tautan.md")
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1 and "content/pages/tautan.md:1:1" in result.stdout, result.stdout
    assert "symlink" in result.stdout
    result = build(repo, tmp_path / "site", check=False)
    assert result.returncode == 1 and "tautan.md" in result.stderr


def test_images_and_page_links_by_the_checked_syntax_are_published(tmp_path):
    page = ("Title: Foto Loket\nSlug: foto-loket\n\n![loket pendaftaran]({static}images/loket.png)\n\n"
            "Baca juga [tentang situs]({filename}tentang.md).\n\n## Jadwal\n\n| hari | jam |\n|---|---|\n"
            "| Senin | 08.00 |\n")
    repo, _ = _repo(tmp_path, page, name="foto.md", secret=False)
    (repo / "content" / "pages" / "images").mkdir()
    (repo / "content" / "pages" / "images" / "loket.png").write_bytes(PNG)
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 0, result.stdout
    output = tmp_path / "site"
    build(repo, output)
    shown = read_page(output, "foto-loket/")
    # with the size of the published copy (nothing moves when it arrives), fetched when scrolled to
    assert [(img["src"], img["width"], img["height"], img["loading"]) for img in shown.all("img")] == \
        [("../pages/images/loket.png", "3", "2", "lazy")]
    published = Image.open(output / "pages" / "images" / "loket.png")
    assert published.format == "PNG" and published.tobytes() == Image.open(io.BytesIO(PNG)).tobytes()
    assert "../tentang/" in shown.links() and shown.all("table")
    # a text file named .png is not an image
    (repo / "content" / "pages" / "images" / "loket.png").write_text("CANARY bukan gambar", encoding="utf-8")
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1 and re.search(r"foto\.md:4:\d+: galat: berkas `images/loket\.png` bukan gambar PNG",
                                                result.stdout), result.stdout


def test_a_settings_file_cannot_turn_the_page_reader_off(tmp_path):
    repo, _ = _repo(tmp_path, HOSTILE)
    settings = repo / "longgar.py"
    settings.write_text(f"from pathlib import Path\nexec(Path({str(os.path.join(os.path.dirname(__file__), '..', 'pelicanconf.py'))!r}).read_text())\n"
                        "READERS = {}\nSTATIC_PATHS = ['complaints']\nPLUGINS = ['pipeline.plugin.publishing']\n",
                        encoding="utf-8")
    result = build(repo, tmp_path / "site", "--settings", settings, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert not (tmp_path / "site").exists()


def test_a_complaint_symlinked_out_of_the_repository_is_refused(tmp_path):
    """Finding 8: a complaint file linked to another repository's (or any) file is not published."""
    other = write_repo(tmp_path / "lain", [synthetic_complaint(5)])
    outside = next((other / "content" / "complaints").rglob("*.md"))
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(1)])
    link = repo / "content" / "complaints" / outside.parent.name / outside.name
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, link)
    shown = link.relative_to(repo).as_posix()
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1 and f"{shown}:1:1: galat: berkas ini adalah tautan (symlink) ke luar " \
        "repositori ini" in result.stdout, result.stdout
    result = run_cli("check", "--repo", repo, "--now", NOW, link)
    assert result.returncode == 1 and "symlink" in result.stdout, result.stdout
    output = tmp_path / "site"
    assert build(repo, output, check=False).returncode == 1 and not output.exists()
    # a link inside the repository is fine (e.g. a folder moved and linked back)
    os.unlink(link)
    inner = repo / "arsip" / outside.name
    inner.parent.mkdir()
    inner.write_bytes(outside.read_bytes())
    os.symlink(inner, link)
    assert run_cli("check", "--repo", repo, "--now", NOW).returncode == 0
