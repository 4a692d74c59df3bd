"""The public site, built for real (Pelican + the plugin + the theme) from fixture repositories."""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import feedparser
import pytest

from pipeline.outputs.paging import listing_pages
from site_helpers import (NOW, ROOT, WIB, Page, build, complaint_links, output_files, project_policy,
                          read_page, resolve, run_cli, synthetic_complaint, write_repo)

PUBLIC_COUNT = 25
SECRET_TITLE = "Judul rahasia QZX-SECRET-7731"
SECRET_SUMMARY = "Ringkasan rahasia QZX-SUMMARY-4410 yang tidak boleh terbit."
BASE = "https://situs-uji.example.go.id"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>\n'
STATUS_BY_STAGE = ["baru", "diproses", "dijawab", "selesai"]


def fixture_policy() -> dict:
    policy = project_policy()
    policy["puskesmas"]["nama"] = "Puskesmas Uji Situs"
    policy["puskesmas"]["website"] = BASE
    policy["puskesmas"]["warna"] = {"utama": "#123f6b", "aksen": "#7a3300"}
    policy["puskesmas"]["logo"] = "images/logo.svg"
    return policy


def fixture_complaints() -> list[dict]:
    complaints = [synthetic_complaint(index) for index in range(PUBLIC_COUNT)]
    secret = synthetic_complaint(PUBLIC_COUNT + 2)  # a finished one: it has every public field
    secret.update(judul=SECRET_TITLE, ringkasan=SECRET_SUMMARY, kerahasiaan="rahasia")
    secret["tanggapan"]["isi"] = "Tanggapan rahasia QZX-RESPONSE-9902."
    return complaints + [secret]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    complaints = fixture_complaints()
    repo = write_repo(root / "repo", complaints, policy=fixture_policy(),
                      raw={"content/images/logo.svg": LOGO,
                           # Pelican must never read content/complaints: this would be a page if it did.
                           "content/complaints/README.md": "Title: Bocor dari README\n\nQZX-README-LEAK\n",
                           "content/complaints/2026/catatan.markdown": "Title: QZX-MARKDOWN-LEAK\n\nx\n"})
    output = root / "output"
    result = build(repo, output)
    public = [c for c in complaints if c.get("kerahasiaan") != "rahasia"]
    return {"repo": repo, "output": output, "complaints": complaints, "public": public,
            "secret": complaints[-1], "files": output_files(output), "result": result}


def expected_groups(public: list[dict]) -> dict:
    groups: dict = {}
    for data in public:
        index = int(data["judul"].split()[3])
        received = datetime.fromisoformat(data["diterima"]).astimezone(WIB)
        for dimension, value in (("tahun", str(received.year)), ("kanal", data["kanal"]), ("unit", data["unit"]),
                                 ("jenis", data["jenis"]), ("status", STATUS_BY_STAGE[index % 4])):
            groups.setdefault((dimension, value), []).append(data)
    return groups


def newest_first(complaints: list[dict]) -> list[str]:
    return [c["id"] for c in sorted(complaints, key=lambda c: (datetime.fromisoformat(c["diterima"]), c["id"]),
                                    reverse=True)]


def html_pages(site) -> dict[str, str]:
    return {path: data.decode("utf-8") for path, data in site["files"].items() if path.endswith(".html")}


def test_every_public_complaint_has_its_page(site):
    output = site["output"]
    for data in site["public"]:
        page = read_page(output, f"pengaduan/{data['id']}/")
        assert " ".join(page.h1_text).strip() == data["judul"]
        assert "antrean di loket terasa lama sekali" in page.text
        if "tanggapan" in data:
            assert data["tanggapan"]["isi"] in page.text
            assert data["rencana_tindak_lanjut"]["isi"] in page.text
        else:
            assert "Belum ada tanggapan" in page.text
    pages = sorted(path.split("/")[1] for path in site["files"] if path.startswith("pengaduan/"))
    assert pages == sorted(data["id"] for data in site["public"])


def test_complaint_page_shows_the_details_in_indonesian(site):
    data = next(c for c in site["public"] if int(c["judul"].split()[3]) % 4 == 3)
    page = read_page(site["output"], f"pengaduan/{data['id']}/")
    received = datetime.fromisoformat(data["diterima"]).astimezone(WIB)
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
              "Oktober", "November", "Desember"]
    shown = f"{received.day} {months[received.month - 1]} {received.year}, {received:%H.%M} WIB"
    assert shown in page.text
    assert data["id"] in page.text
    for words in ("Ringkasan pengaduan", "Tanggapan Puskesmas", "Rencana tindak lanjut", "Linimasa penanganan",
                  "Pengaduan diterima", "Dilaporkan ke tim pengelola pengaduan", "Umpan balik kepada pelapor",
                  "Dipublikasikan di website", "1x24 jam hari kerja", "3x24 jam hari kerja", "Selesai",
                  data["rencana_tindak_lanjut"]["hasil"], "31 Desember 2026", "Disetujui oleh Kepala Puskesmas"):
        assert words in page.text, words
    times = [attrs["datetime"] for attrs in page.all("time")]
    assert received.isoformat(timespec="seconds") in times


def test_home_lists_newest_first_ten_per_page_counted_from_the_oldest(site):
    """The home page shows the newest one or two pages (10 to 19 complaints); the older pages are
    counted from the oldest, ten each, and followed by their "Lebih lama" links to the oldest."""
    output = site["output"]
    listed = complaint_links(output, "")
    assert listed == newest_first(site["public"])
    pages = listing_pages(len(site["public"]), 10)
    first = read_page(output, "")
    shown = [href for href in first.links() if resolve("index.html", href).startswith("pengaduan/")]
    assert len(shown) == pages[0].end and 10 <= len(shown) <= 19
    assert len(pages) > 1 and sorted(path.parent.name for path in (output / "halaman").glob("*/index.html")) == \
        sorted(str(page.number) for page in pages[1:])
    oldest = read_page(output, "halaman/1/")
    assert "Pengaduan ke-1 sampai ke-10, dihitung dari yang pertama diterima" in oldest.text
    assert " ".join(first.h1_text) == "Respon Pengaduan Pelayanan"


def test_every_filter_page_lists_exactly_the_right_complaints(site):
    output = site["output"]
    groups = expected_groups(site["public"])
    assert {dimension for dimension, _ in groups} == {"tahun", "kanal", "unit", "jenis", "status"}
    for (dimension, value), members in groups.items():
        listed = complaint_links(output, f"{dimension}/{value}/")
        assert listed == newest_first(members), (dimension, value)
    # no filter page for a value nobody has, and none for the secret complaint's own values only
    built = {tuple(path.split("/")[:2]) for path in site["files"]
             if path.split("/")[0] in ("tahun", "kanal", "unit", "jenis", "status")}
    assert built == set(groups)
    # the home page links every filter page (works without JavaScript)
    home_targets = {resolve("index.html", href) for href in read_page(output, "").links()}
    for dimension, value in groups:
        assert f"{dimension}/{value}/" in home_targets


def test_the_confidential_complaint_appears_nowhere_but_is_counted(site):
    secret = site["secret"]
    needles = [secret["id"], SECRET_TITLE, "QZX-SUMMARY-4410", "QZX-RESPONSE-9902", "QZX-README-LEAK",
               "QZX-MARKDOWN-LEAK", "Bocor dari README"]
    for path, data in site["files"].items():
        for needle in needles:
            assert needle.encode() not in data, f"{needle} in {path}"
    statistics = read_page(site["output"], "statistik/").text
    assert f"Seluruh pengaduan yang diterima: {PUBLIC_COUNT + 1}" in statistics
    assert "termasuk 1 pengaduan yang dirahasiakan" in statistics


def test_feed_has_the_responses_newest_first(site):
    feed = feedparser.parse(site["files"]["feeds/tanggapan.atom.xml"])
    assert not feed.bozo, feed.bozo_exception
    answered = [c for c in site["public"] if "tanggapan" in c]
    expected = [c["id"] for c in sorted(answered, key=lambda c: (c["tanggapan"]["waktu"], c["id"]), reverse=True)]
    assert [entry.link for entry in feed.entries] == [f"{BASE}/pengaduan/{cid}/" for cid in expected]
    assert feed.feed.title == "Tanggapan pengaduan · Puskesmas Uji Situs"
    first = next(c for c in answered if c["id"] == expected[0])
    assert feed.entries[0].title == first["judul"]
    assert first["tanggapan"]["isi"] in feed.entries[0].summary
    # linked from every HTML page
    for path, text in html_pages(site).items():
        assert 'type="application/atom+xml"' in text, path


def test_sitemap_lists_exactly_the_public_pages(site):
    root = ET.fromstring(site["files"]["sitemap.xml"])
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in root.findall("s:url/s:loc", namespace)]
    assert urls == sorted(urls) and len(urls) == len(set(urls))
    expected = {f"{BASE}/{path[:-len('index.html')]}" for path in site["files"]
                if path.endswith("index.html")}
    assert set(urls) == expected
    assert f"{BASE}/pengaduan/{site['public'][0]['id']}/" in urls
    assert f"{BASE}/tentang/" in urls and f"{BASE}/cara-menyampaikan-pengaduan/" in urls
    assert not any("404" in url for url in urls)
    robots = site["files"]["robots.txt"].decode()
    assert f"Sitemap: {BASE}/sitemap.xml" in robots


def test_404_page_links_from_the_site_root(site):
    page = Page(site["files"]["404.html"].decode())
    assert "Halaman tidak ditemukan" in page.h1_text
    stylesheet = [attrs["href"] for attrs in page.all("link") if attrs.get("rel") == "stylesheet"]
    assert stylesheet == ["/tema/situs.css"]


def test_how_to_complain_lists_every_channel_schedule_and_deadlines(site):
    page = read_page(site["output"], "cara-menyampaikan-pengaduan/")
    policy = fixture_policy()
    labels = {"email": "Email", "instagram": "Instagram", "facebook": "Facebook", "whatsapp": "WhatsApp",
              "telepon": "Telepon", "langsung": "Langsung", "rapat": "Rapat", "kotak_saran": "Kotak saran",
              "website": "Website"}
    headings = [attrs.get("id") for attrs in page.all("h3")]
    for channel, details in policy["kanal"].items():
        assert f"kanal-{channel}" in headings
        assert labels[channel] in page.text
        for key in ("alamat", "akun", "nomor", "jam", "jadwal_buka", "keterangan"):
            if details.get(key):
                assert details[key] in page.text, (channel, key)
    assert "Setiap hari Sabtu" in page.text
    assert "paling lambat 1x24 jam hari kerja sejak pengaduan diterima" in page.text
    assert "paling lambat 3x24 jam hari kerja sejak pengaduan diterima" in page.text
    assert "mailto:pkm.arjuno@malangkota.go.id" in page.links()
    assert "Senin–Jumat" in page.text


def test_identity_and_colours_come_from_the_policy(site):
    css = site["files"]["tema/situs.css"].decode()
    assert "--utama:#123f6b" in css and "--aksen:#7a3300" in css
    # the logo's drawing (its public copy is written again: `outputs.svglogo.public_svg`)
    assert ET.canonicalize(site["files"]["images/logo.svg"].decode()) == ET.canonicalize(LOGO.strip())
    home = read_page(site["output"], "")
    assert "Puskesmas Uji Situs" in home.text
    assert any(attrs.get("src") == "./images/logo.svg" and attrs.get("alt") == "" for attrs in home.all("img"))


def test_every_page_is_semantic_and_self_contained(site):
    for path, text in html_pages(site).items():
        page = Page(text)
        assert page.all("html")[0].get("lang") == "id", path
        assert len(page.all("h1")) == 1, path
        for tag in ("header", "nav", "main", "footer"):
            assert page.all(tag), (path, tag)
        assert page.all("a")[0].get("href") == "#isi" and page.all("main")[0].get("id") == "isi", path
        # one script on the whole site: the search page's own, from this site (tema/cari.js)
        scripts = [attrs.get("src") for attrs in page.all("script")]
        assert scripts == (["../tema/cari.js"] if path == "cari/index.html" else []), path
        for attrs in page.all("link") + page.all("img") + page.all("script") + page.all("iframe"):
            for key in ("href", "src"):   # nothing is fetched from another host: no CDN, no web font
                assert not attrs.get(key, "").startswith(("http:", "https:", "//")), (path, attrs)


def test_internal_links_all_resolve(site):
    files = set(site["files"])
    for path, text in html_pages(site).items():
        if path == "404.html":
            continue
        page = Page(text)
        for attrs in page.all("a") + page.all("link") + page.all("img"):
            href = attrs.get("href") or attrs.get("src")
            if not href or href.startswith(("http:", "https:", "mailto:", "tel:", "#", "data:")):
                continue
            target = resolve(path, href)
            assert target in files or f"{target}index.html" in files or target == "" and "index.html" in files, \
                (path, href, target)


def test_complaint_page_is_small_on_the_wire(site):
    css = site["files"]["tema/situs.css"]
    largest = max((data for path, data in site["files"].items() if path.startswith("pengaduan/")), key=len)
    assert len(gzip.compress(largest, 9)) + len(gzip.compress(css, 9)) < 14 * 1024


def test_two_builds_are_byte_identical(site, tmp_path):
    again = tmp_path / "again"
    build(site["repo"], again)
    assert output_files(again) == site["files"]


def test_our_entry_template_names_the_site_root_once_as_its_links_start():
    """The build renders a listing entry once for every link depth, the site's root put in place
    of a marker (`publishing._entry`): that holds while the template names SITEURL once, as is."""
    template = (ROOT / "theme" / "templates" / "_entri.html").read_text(encoding="utf-8")
    assert template.count("SITEURL") == 1 and '<a href="{{ SITEURL }}/{{ c.url }}">' in template


def test_listing_entries_rendered_once_equal_entries_rendered_at_each_depth(site, tmp_path):
    """A repository's own theme (here a copy of ours) has its entries rendered once per link
    depth; our theme's are rendered once and given each depth's root: the same site, byte for
    byte (listing pages at three depths: home, a page of it, a filter's page; three a page, so
    that a filter has older pages)."""
    settings = tmp_path / "tiga.py"
    settings.write_text(f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\nPENGADUAN_PER_PAGE = 3\n",
                        encoding="utf-8")
    built = {}
    for theme in ("ours", "its own"):
        repo = tmp_path / theme / "repo"
        shutil.copytree(site["repo"], repo)
        if theme == "its own":
            shutil.copytree(ROOT / "theme", repo / "theme")
        build(repo, tmp_path / theme / "output", "--settings", settings)
        built[theme] = output_files(tmp_path / theme / "output")
    assert built["its own"] == built["ours"]
    assert any(name.count("/") == 4 and name.endswith("/index.html") and "entri" in text.decode()
               for name, text in built["ours"].items() if "/halaman/" in name)


def test_invalid_complaint_stops_the_build_with_the_check_message(site, tmp_path):
    broken = synthetic_complaint(7)
    broken["kanal"] = "merpati_pos"
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(i) for i in range(3)] + [broken], raw={
        "content/complaints/2026/ADU-20260105-7K3M.md": "---\nid: ADU-20260105-7K3M\njudul: [tidak ditutup\n---\n"})
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("situs lama", encoding="utf-8")
    check = run_cli("check", "--repo", repo, "--now", NOW)
    assert check.returncode == 1
    result = build(repo, output, check=False)
    assert result.returncode == 1, result.stderr
    messages = [line for line in check.stdout.splitlines() if line.startswith("content/")]
    assert len(messages) >= 2 and any("merpati_pos" in line for line in messages)
    for line in messages:
        assert re.match(r"content/complaints/\d{4}/ADU-[^:]+\.md:\d+:\d+: galat", line), line
        assert line in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert (output / "index.html").read_text(encoding="utf-8") == "situs lama"   # the old site stays
    assert not list(tmp_path.glob(".output.*"))                                     # no staging left


def test_build_refuses_to_replace_a_folder_it_did_not_build(tmp_path):
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(1)])
    precious = tmp_path / "dokumen"
    precious.mkdir()
    (precious / "skripsi.docx").write_text("penting", encoding="utf-8")
    for target in (repo, precious, repo / "content"):
        result = build(repo, target, check=False)
        assert result.returncode == 2, (target, result.stderr)
    assert (precious / "skripsi.docx").read_text(encoding="utf-8") == "penting"


def test_a_logo_that_is_a_link_out_of_content_is_not_copied(tmp_path):
    """The logo is copied as it is: a link committed in its place would have published any file
    of the building machine (a credentials file, the runner's event)."""
    secret = tmp_path / "rahasia-mesin.txt"
    secret.write_text("QZX-MACHINE-SECRET\n", encoding="utf-8")
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(1)], policy=fixture_policy())
    (repo / "content/images").mkdir(parents=True)
    (repo / "content/images/logo.svg").symlink_to(secret)
    output = tmp_path / "output"
    result = build(repo, output, check=False)
    assert result.returncode == 1 and not output.exists()
    assert ("galat [puskesmas.logo]: berkas logo `images/logo.svg` adalah tautan (symlink) ke luar content/; "
            "tidak disalin ke situs.") in result.stdout + result.stderr


def test_production_build_uses_absolute_urls(tmp_path):
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(i) for i in range(3)], policy=fixture_policy(),
                      raw={"content/images/logo.svg": LOGO})
    output = tmp_path / "output"
    build(repo, output, "--production", env={"SITEURL": "https://contoh.example.id/pengaduan"})
    home = read_page(output, "")
    stylesheet = [attrs["href"] for attrs in home.all("link") if attrs.get("rel") == "stylesheet"]
    assert stylesheet == ["https://contoh.example.id/pengaduan/tema/situs.css"]
    assert b"https://contoh.example.id/pengaduan/sitemap.xml" in (output / "robots.txt").read_bytes()
    feed = feedparser.parse((output / "feeds/tanggapan.atom.xml").read_bytes())
    assert all(entry.link.startswith("https://contoh.example.id/pengaduan/pengaduan/") for entry in feed.entries)


# A module a settings file could once name as the source of a page's marks (PENGADUAN_EVIDENCE).
OTHER_SOURCE = """
from pathlib import Path
Path(__file__).with_name("imported").write_text("yes")
def provider(loaded, settings):
    return {c.id: {"umpan_balik": {"status": "met", "keterangan": "Menurut sumber lain."}}
            for c in loaded.complaints}
"""


def test_complaint_pages_take_their_marks_from_the_one_report(tmp_path):
    # A real history: recorded within 1x24 working hours, answered a day after the 3x24 limit.
    from gitrepo import RESPONSE, GitRepo, complaint_path, complaint_text
    repo = GitRepo(tmp_path / "repo")
    cid = "ADU-20260105-BBBB"
    repo.commit("Record", "2026-01-05T09:00:00+07:00",
                files={complaint_path(cid): complaint_text(cid, "2026-01-05 08:00")})
    answered = "2026-01-09T09:00:00+07:00"
    repo.commit("Respond", answered,
                files={complaint_path(cid): complaint_text(cid, "2026-01-05 08:00", tanggapan=RESPONSE)})
    # No setting gives the pages another source of marks than the report /rekap/, the board and
    # the open data use, and none makes the build import a module by name.
    (tmp_path / "evidence_fixture.py").write_text(OTHER_SOURCE, encoding="utf-8")
    settings = tmp_path / "settings.py"
    settings.write_text("from pelicanconf import *\nPENGADUAN_EVIDENCE = 'evidence_fixture:provider'\n",
                        encoding="utf-8")
    output = tmp_path / "output"
    root = Path(__file__).resolve().parent.parent
    build(repo.path, output, "--settings", settings, env={"PYTHONPATH": f"{root}:{tmp_path}"})
    assert not (tmp_path / "imported").exists()
    page = read_page(output, f"pengaduan/{cid}/")
    assert [attrs["class"].removeprefix("tanda tanda-") for attrs in page.all("span")
            if attrs.get("class", "").startswith("tanda tanda-")] == ["tepat_waktu", "terlambat"]
    assert "Menurut sumber lain." not in page.text and "Selesai terlambat" in page.text
    assert datetime.fromisoformat(answered).isoformat(timespec="seconds") in [
        attrs["datetime"] for attrs in page.all("time")]
    row = next(r for r in json.loads((output / "data" / "complaints.json").read_text(encoding="utf-8"))["pengaduan"]
               if r["id"] == cid)
    assert [(stage["tahap"], stage["status"]) for stage in row["tahapan"]][:2] == [
        ("lapor_tim", "tepat_waktu"), ("umpan_balik", "terlambat")]


def test_a_folder_without_history_has_no_marks_but_a_passed_follow_up_target(tmp_path):
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(2)])
    data = synthetic_complaint(2)
    plain = tmp_path / "plain"
    build(repo, plain)
    text = read_page(plain, f"pengaduan/{data['id']}/").text
    assert "Tepat waktu" not in text and "Selesai terlambat" not in text and "Belum jatuh tempo" not in text
    # ... but the follow-up, whose target (31 December 2026) passed before NOW, is marked late
    assert "Belum selesai; target 31 Desember 2026 sudah lewat Terlambat, belum selesai" in text


def test_plain_pelican_stops_on_an_invalid_complaint_too(tmp_path):
    broken = synthetic_complaint(1)
    broken["unit"] = "farmasii"
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(0), broken])
    root = Path(__file__).resolve().parent.parent
    shutil.copy(root / "pelicanconf.py", repo / "pelicanconf.py")
    shutil.copytree(root / "theme", repo / "theme")
    environment = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run([sys.executable, "-m", "pelican", "-s", "pelicanconf.py", "-o", str(tmp_path / "out")],
                            cwd=repo, capture_output=True, text=True, env=environment, timeout=300)
    assert result.returncode == 1
    assert re.search(r"content/complaints/\d{4}/ADU-[^:]+\.md:\d+:\d+: galat \[unit\]: unit `farmasii`.*"
                     r"Mungkin maksud Anda `farmasi`", result.stderr + result.stdout)
    assert "Traceback" not in result.stderr + result.stdout


def test_policy_colours_are_darkened_until_text_on_them_is_readable():
    from pipeline.outputs.views import contrast, readable_colour
    assert readable_colour("#0b5d3b", "#000000") == "#0b5d3b"          # already AA: kept as is
    for light in ("#ffcc00", "#7fdbff", "#ffffff", "not-a-colour"):
        colour = readable_colour(light, "#0b5d3b")
        assert re.fullmatch(r"#[0-9a-f]{6}", colour) and contrast(colour, "#ffffff") >= 4.5, light


def test_sop_limits_are_said_the_way_the_sop_says_them():
    from pipeline.outputs.text import limit_text, tanggal, waktu
    assert limit_text(24) == "1x24 jam hari kerja"
    assert limit_text(72) == "3x24 jam hari kerja"
    assert limit_text(8) == "8 jam kerja"
    assert limit_text(7.5) == "7,5 jam kerja"                  # an Indonesian decimal comma
    assert limit_text(None) == "tanpa batas" and limit_text(None, unlimited="") == ""
    moment = datetime.fromisoformat("2026-01-05T02:30:00+00:00")
    assert waktu(moment, WIB) == "5 Januari 2026, 09.30 WIB"
    assert tanggal(moment, WIB) == "5 Januari 2026"
    from zoneinfo import ZoneInfo
    assert waktu(moment, ZoneInfo("Asia/Jayapura")) == "5 Januari 2026, 11.30 WIT"


def test_search_index_is_whole_when_the_build_returns(site):
    """Pagefind 1.5.2's Python API could hand back before its files were written (an empty
    pagefind-entry.json, seen 1 build in 10 under load); the index is now taken once Pagefind has exited."""
    from pipeline.plugin.search import SearchIndex

    def index_files(pages):
        index = SearchIndex()
        try:
            for url, html in pages:
                index.add(url, html)
            return [(name, path.read_bytes()) for name, path, _ in index.files()]
        finally:
            index.close()
    pages = [(path[:-len("index.html")], data.decode("utf-8")) for path, data in site["files"].items()
             if path.startswith("pengaduan/") and path.endswith("/index.html")]
    for _ in range(3):
        files = dict(index_files(pages))
        assert files and all(files.values()), [name for name, data in files.items() if not data]
        entries = [json.loads(data) for name, data in files.items() if name.endswith("/pagefind-entry.json")]
        assert entries and sum(language["page_count"] for entry in entries
                               for language in entry["languages"].values()) == len(pages)
    built = {path: data for path, data in site["files"].items() if path.startswith("pagefind/")}
    assert built == files   # what the build published is that index, byte for byte
    assert not list(site["output"].parent.glob(".cari-*"))   # the pages' copy is gone


def test_a_big_year_is_cut_into_parts_of_whole_months():
    """`search.parts`: a year of at most `most` pages is one bundle; a bigger one is cut into runs
    of whole months from January, each at most `most` pages unless one month alone has more."""
    from pipeline.plugin.search import parts

    def numbers(months):   # {month: pages}
        return [f"ADU-2026{month:02d}{day + 1:02d}-{month:02d}{day:02d}" for month, count in months.items()
                for day in range(count)]
    assert parts("2026", numbers({1: 2, 5: 1}), 3) == {"2026": sorted(numbers({1: 2, 5: 1}))}
    found = parts("2026", numbers({1: 2, 2: 1, 3: 1, 4: 5, 6: 1, 11: 2}), 3)
    assert {name: len(pages) for name, pages in found.items()} == \
        {"2026-01": 3, "2026-03": 1, "2026-04": 5, "2026-06": 3}
    assert sorted(number for pages in found.values() for number in pages) == \
        sorted(numbers({1: 2, 2: 1, 3: 1, 4: 5, 6: 1, 11: 2}))
    # one more page in November changes the last part only (here: cut in two)
    more = parts("2026", numbers({1: 2, 2: 1, 3: 1, 4: 5, 6: 1, 11: 3}), 3)
    assert {name: pages for name, pages in more.items() if name < "2026-06"} == \
        {name: pages for name, pages in found.items() if name < "2026-06"}
    assert {name: len(pages) for name, pages in more.items() if name >= "2026-06"} == {"2026-06": 1, "2026-11": 3}
    assert parts("lain", ["X-1", "X-2", "X-3", "X-4"], 3) == {"lain": ["X-1", "X-2", "X-3", "X-4"]}


def test_listings_show_the_start_of_each_text_and_the_page_shows_it_whole(tmp_path):
    """Seven listings hold each complaint: they show an excerpt cut at a word's end, the
    complaint's page the whole summary and response (fewer bytes for the same information)."""
    from pipeline.outputs.views import EXCERPT_CHARS
    data = synthetic_complaint(2)   # answered
    words = " ".join(f"kata{n}" for n in range(120))
    data["ringkasan"] = f"Ringkasan panjang: {words} akhir-ringkasan."
    data["tanggapan"]["isi"] = f"Tanggapan panjang: {words} akhir-tanggapan."
    output = tmp_path / "output"
    build(write_repo(tmp_path / "repo", [data]), output)
    home = (output / "index.html").read_text(encoding="utf-8")
    summary = re.search(r'<p class="ringkasan">(.*?)</p>', home, re.S).group(1)
    response = re.search(r'<p class="tanggapan"><strong>.*?</strong> (.*?)</p>', home, re.S).group(1)
    for shown, whole in ((summary, data["ringkasan"]), (response, data["tanggapan"]["isi"])):
        assert shown.endswith("…") and len(shown) <= EXCERPT_CHARS + 1
        assert whole.startswith(shown[:-1]) and whole[len(shown) - 1] == " "   # cut at a word's end
    page = (output / "pengaduan" / data["id"] / "index.html").read_text(encoding="utf-8")
    assert "akhir-ringkasan." in page and "akhir-tanggapan." in page
    assert "akhir-ringkasan" not in home and "akhir-tanggapan" not in home


def test_serve_builds_a_site_never_built_then_serves_it(tmp_path):
    """`pengaduan serve` in a repository without a built site builds it first, with `pengaduan
    build`'s own defaults (its build cache), then serves it: the home page answers."""
    import socket
    import time
    import urllib.request
    from site_helpers import ROOT, BUILD_TIMEOUT
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(index) for index in range(3)])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("PENGADUAN_DEBUG", None)
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--repo", str(repo), "--port", str(port)],
                               cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, body = time.monotonic() + BUILD_TIMEOUT, None
        while body is None and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    body = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.3)
        assert body is not None and "Respon Pengaduan Pelayanan" in body
        assert (repo / "output" / "index.html").is_file() and (repo / ".cache" / "pengaduan").is_dir()
        # a second preview on the same port: why not, in Indonesian, and what to try
        second = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--repo", str(repo), "--port", str(port)],
                                cwd=ROOT, env=environment, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
        assert second.returncode == 1 and second.stderr.endswith(
            f"pengaduan serve: port {port} tidak dapat dipakai (sudah dipakai program lain); coba --port 8001.\n")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_build_leaves_what_it_made_to_the_oldest_generation_unwalked():
    """The collector is stopped while a site is built; then what the build made goes to the oldest
    generation without being walked (a young collection after it walked all of it: 0.1 s at
    10,000), and a later full collection still frees its cycles."""
    import gc
    import weakref

    from pipeline.commands.common import no_automatic_collections

    class Node:
        pass

    gc.enable()
    with no_automatic_collections():
        assert not gc.isenabled()
        made = [Node() for _ in range(50_000)]
        cycle = Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle
        assert gc.get_count()[0] > 50_000
    assert gc.isenabled()
    oldest = {id(each) for each in gc.get_objects(generation=2)}   # (walked young, they would be in the middle one)
    assert id(made[0]) in oldest and id(made[-1]) in oldest
    del made, oldest
    gc.collect()
    assert gone() is None


def test_the_site_is_built_with_the_theme_the_privacy_gate_reads(tmp_path):
    """The privacy gate takes the theme's text as what the site publishes by design
    (`build.gate_theme`: the repository's theme/, else ours). A settings file naming another
    theme folder must not make the site use a theme the gate does not read: the build sets THEME
    itself, as it sets where Pelican reads content."""
    root = Path(__file__).resolve().parent.parent
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(0)])
    shutil.copytree(root / "theme", repo / "theme")
    shutil.copytree(root / "theme", repo / "tema-lain")
    base = repo / "tema-lain" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body>", "<body>TEMA-LAIN"), encoding="utf-8")
    settings = (root / "pelicanconf.py").read_text(encoding="utf-8")
    (repo / "pelicanconf.py").write_text(settings + '\nTHEME = "tema-lain"\n', encoding="utf-8")
    own = repo / "theme" / "templates" / "base.html"
    own.write_text(own.read_text(encoding="utf-8").replace("<body>", "<body>TEMA-SENDIRI"), encoding="utf-8")
    build(repo, tmp_path / "situs")
    home = (tmp_path / "situs" / "index.html").read_text(encoding="utf-8")
    assert "TEMA-SENDIRI" in home and "TEMA-LAIN" not in home


@pytest.mark.parametrize("arguments, message", [
    (("build", "--repo", "{empty}"), "pengaduan build: folder content/ tidak ada di '{empty}': ini bukan repositori "
                                     "pengaduan. Jalankan dari folder repositori"),
    (("build", "--repo", "{repo}", "--settings", "{empty}/tidakada.py", "--output", "{empty}/site"),
     "pengaduan build: berkas pengaturan '{empty}/tidakada.py' tidak ditemukan (--settings)."),
    (("serve", "--repo", "{repo}", "--port", "99999"), "argumen --port: port 99999 tidak ada; tulis angka 1 sampai 65535"),
    (("serve", "--repo", "{repo}", "--port", "delapan"), "argumen --port: 'delapan' bukan nomor port"),
    (("check", "--repo", "{repo}", "--now", "2026-12-01+07:00"),
     "argumen --now: '2026-12-01+07:00' perlu tanggal, jam dan zona waktu: tulis mis. 2026-12-01T00:00+07:00")])
def test_a_wrong_folder_file_port_or_time_is_said_in_indonesian(tmp_path, arguments, message):
    """Found by hand: no content/ folder and a missing --settings file were internal errors in
    English (Pelican's "You need to specify a path", FileNotFoundError), a port over 65535 too
    (OverflowError); `--now 2026-12-01+07:00`, written as the message asked, was refused again."""
    empty, repo = tmp_path / "kosong", write_repo(tmp_path / "repo", [synthetic_complaint(1)])
    empty.mkdir()
    names = {"empty": empty, "repo": repo}
    result = run_cli(*(argument.format(**names) for argument in arguments), timeout=60)
    assert result.returncode == 2 and message.format(**names) in result.stderr, result.stderr
    assert "internal" not in result.stderr and "Traceback" not in result.stderr
    assert sorted(path.name for path in empty.iterdir()) == []


def test_a_listing_entry_shows_its_number_and_a_list_as_one_line(tmp_path):
    """Found by hand: /cari/ without JavaScript sends people to a month's listing to find their
    number, which no entry showed; a list in a summary showed its "- " marks on one line."""
    data = synthetic_complaint(1)
    data["ringkasan"] = "Pelapor menyarankan:\n\n- jadwal dokter setiap poli\n- nomor antrean\n\nTerima kasih."
    repo = write_repo(tmp_path / "repo", [data])
    output = tmp_path / "site"
    build(repo, output)
    home = (output / "index.html").read_text(encoding="utf-8")
    assert f'<span class="nomor">{data["id"]}</span></p>' in home
    assert '<p class="ringkasan">Pelapor menyarankan: jadwal dokter setiap poli; nomor antrean. Terima kasih.</p>' \
        in home


def test_a_deadline_at_midnight_is_the_end_of_the_day_before():
    """Found by hand: "batas waktunya (5 November 2026, 00.00 WIB)" was read as a day later."""
    from zoneinfo import ZoneInfo
    from pipeline.outputs.text import batas
    makassar = ZoneInfo("Asia/Makassar")
    assert batas(datetime(2026, 11, 5, tzinfo=makassar), makassar) == "4 November 2026, 24.00 WITA"
    assert batas(datetime(2026, 1, 1, tzinfo=WIB), WIB) == "31 Desember 2025, 24.00 WIB"
    assert batas(datetime(2026, 11, 5, 16, 45, tzinfo=WIB), WIB) == "5 November 2026, 16.45 WIB"
    assert batas(datetime(2026, 11, 5, 0, 0, 1, tzinfo=WIB), WIB) == "5 November 2026, 00.00 WIB"


def test_a_years_recap_lists_its_months_from_its_first_complaint(site):
    """Found by hand: a service begun in September listed January to August as "0% (0 dari 19)"."""
    first = min(data["diterima"] for data in site["public"])
    year, month = int(first[:4]), int(first[5:7])
    page = site["files"][f"rekap/{year}/index.html"].decode()
    months = page[page.index('id="h-bulan"'):]
    months = months[:months.index("</table>")]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>', months)
    from pipeline.records.timeutil import MONTHS
    assert rows and rows[0] == MONTHS[month - 1], rows
