"""Nothing private reaches the web: schema allowlist, canaries in every private field, personal
data warnings in `pengaduan check`, and hostile Markdown/HTML in every public text field."""
from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from datetime import datetime

import feedparser
import pytest
import yaml

from pipeline.records import schemas
from pipeline.records.privacy import field_paths, find_personal_data, public_view
from pipeline.outputs.markup import MarkdownRenderer
from site_helpers import (NOW, ROOT, XSS_PAYLOADS, Page, build, copy_real_content, executable_markup,
                          hostile_complaint, output_files, read_page, run_cli, split_front_matter,
                          project_policy, synthetic_complaint, write_repo)

SCHEMA = schemas.load_schema("complaint.schema.json")


def _node(path: tuple) -> dict:
    node = SCHEMA
    for key in path:
        node = node["properties"][key]
        while "$ref" in node and "properties" not in node:
            target = SCHEMA
            for part in node["$ref"][2:].split("/"):
                target = target[part]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


# --- the allowlist ------------------------------------------------------------------------------

def test_every_schema_field_says_whether_it_is_public():
    def walk(node, prefix):
        for key, child in (node.get("properties") or {}).items():
            assert child.get("x-visibility") in ("public", "private"), prefix + (key,)
            walk(child, prefix + (key,))
    walk(SCHEMA, ())
    assert ("pelapor",) in field_paths("private") and ("catatan_internal",) in field_paths("private")
    assert ("tanggapan", "isi") in field_paths("public")


def test_public_view_keeps_only_what_the_schema_marks_public():
    data = synthetic_complaint(3)
    plant(data, "X")
    data["kolom_baru"] = "tidak dikenal skema"            # unknown: dropped (fail closed)
    view = public_view(data)
    flat = json.dumps(view, ensure_ascii=False)
    assert "CANARY" not in flat and "kolom_baru" not in flat
    assert view["tanggapan"]["isi"] == data["tanggapan"]["isi"]
    assert view["rapat"] == {"waktu": data["rapat"]["waktu"]}
    assert "pelapor" not in view and "catatan_internal" not in view and "privasi_diperiksa" not in view
    public = set(field_paths("public"))
    def paths(value, prefix=()):
        for key, child in value.items():
            yield prefix + (key,)
            if isinstance(child, dict):
                yield from paths(child, prefix + (key,))
    assert set(paths(view)) <= public


# --- canaries -----------------------------------------------------------------------------------

def plant(data: dict, tag: str) -> list[str]:
    """A unique canary in every private field of the schema (found by walking it); returns them."""
    canaries = []
    for number, path in enumerate(field_paths("private")):
        parent = data
        for depth, key in enumerate(path[:-1]):
            if not isinstance(parent.get(key), dict):
                node = _node(path[:depth + 1])
                parent[key] = {name: "Isi publik pengganti." for name in node.get("required", [])}
            parent = parent[key]
        node = _node(path)
        kind = node.get("type")
        canary = f"CANARY{tag}N{number}Q"
        if kind == "object":
            parent.setdefault(path[-1], {})
            continue
        if kind == "boolean":
            parent[path[-1]] = True
            continue
        if kind == "array":
            parent[path[-1]] = [canary + "A", canary + "B"]
            canaries += [canary + "A", canary + "B"]
        else:
            parent[path[-1]] = canary
            canaries.append(canary)
    return canaries


def leaks(files: dict[str, bytes], canaries: list[str]) -> list[tuple[str, str]]:
    pattern = re.compile("|".join(re.escape(c) for c in canaries).encode(), re.IGNORECASE)
    return [(path, match.group().decode()) for path, data in files.items() for match in pattern.finditer(data)]


def test_no_private_field_reaches_any_built_file(tmp_path):
    complaints, bodies, canaries = [], {}, []
    for index in range(8):
        data = synthetic_complaint(index)
        canaries += plant(data, f"C{index}")
        bodies[data["id"]] = f"Catatan kerja: nomor pelapor CANARYBODY{index}Q ada di buku pengaduan."
        canaries.append(f"CANARYBODY{index}Q")
        complaints.append(data)
    # positive control: the same kind of token in a public field must be found, or the search is blind
    complaints[0]["ringkasan"] += " PUBLICCONTROL7Q"
    repo = write_repo(tmp_path / "repo", complaints, bodies=bodies)
    output = tmp_path / "output"
    build(repo, output)
    files = output_files(output)
    assert len(files) > 30
    # every kind of output is searched: pages, feed, sitemap, recap, board and open data
    for name in ("feeds/tanggapan.atom.xml", "sitemap.xml", "rekap/index.html", "papan/index.html",
                 "data/complaints.json", "data/complaints.csv", "data/requests.json", "data/services.json"):
        assert name in files, name
    found = {path for path, _ in leaks(files, ["PUBLICCONTROL7Q"])}
    assert {"data/complaints.json", "data/complaints.csv", "data/requests.json"} <= found, \
        "the canary search found nothing it should"
    assert leaks(files, canaries) == []


def test_real_example_content_with_canaries_leaks_nothing(tmp_path):
    repo = copy_real_content(tmp_path / "repo")
    files = sorted((repo / "content" / "complaints").rglob("*.md"))
    if not files:
        pytest.skip("no example complaints in content/complaints yet")
    canaries = []
    for number, path in enumerate(files):
        data, body = split_front_matter(path.read_text(encoding="utf-8"))
        canaries += plant(data, f"R{number}")
        canaries.append(f"CANARYREALBODY{number}Q")
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        path.write_text(f"---\n{front}---\n{body}\nCANARYREALBODY{number}Q\n", encoding="utf-8")
    # the real private values must not leak either
    output = tmp_path / "output"
    build(repo, output)
    built = output_files(output)
    assert leaks(built, canaries) == []
    for path in files:
        data, _ = split_front_matter(path.read_text(encoding="utf-8"))
        secret = data.get("kerahasiaan") == "rahasia"
        if secret:
            assert not leaks(built, [data["id"], data["judul"]])
        else:
            assert (output / "pengaduan" / data["id"] / "index.html").is_file()


# --- personal data warnings ---------------------------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    ("Hubungi 0812-3456-7890 segera", "nomor telepon"),
    ("nomornya +62 812 3456 7890", "nomor telepon"),
    ("WA 6281234567890", "nomor telepon"),
    ("atau 081234567890.", "nomor telepon"),
    ("email budi.santoso@gmail.com ya", "alamat email"),
    ("NIK 3573012345678901 terlampir", "NIK (16 angka)"),
    ("Ibu Sari Wulandari mengeluh", "nama orang"),
    ("disampaikan Bapak Joko", "nama orang"),
    ("oleh Sdr. Andi", "nama orang"),
    ("oleh Sdri. Rina", "nama orang"),
    ("pasien Bpk. Slamet", "nama orang"),
])
def test_personal_data_is_recognised(text, kind):
    assert [finding.kind for finding in find_personal_data(text)] == [kind]


@pytest.mark.parametrize("text", [
    "Antrean 120 menit di loket 3 pada 2026-01-05.",
    "ruang ibu hamil dan Ruang Ibu Menyusui",
    "Bapak/Ibu pengguna layanan",
    "telepon Puskesmas (0341) 356-111",
    "biaya Rp 1.250.000 untuk 62 orang",
    "nomor antrean 0812",
])
def test_ordinary_text_is_not_flagged(text):
    assert find_personal_data(text) == []


def test_check_warns_about_personal_data_and_accepts_reviewed_fragments(tmp_path):
    data = synthetic_complaint(2)
    data["ringkasan"] = "Pelapor (hubungi 0812-3456-7890) mengeluh antrean\ndi loket pendaftaran."
    data["tanggapan"]["isi"] = "Terima kasih Ibu Sari, silakan hubungi WhatsApp 0812-3300-4455."
    repo = write_repo(tmp_path / "repo", [data])
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 0, result.stdout          # warnings never fail the check
    lines = [line for line in result.stdout.splitlines() if line.startswith("content/")]
    shown = f"content/complaints/{data['id'][4:8]}/{data['id']}.md"
    assert len(lines) == 2, result.stdout                  # the Puskesmas's own number is not flagged
    assert re.match(rf"{shown}:\d+:\d+: peringatan \[ringkasan\]: .*nomor telepon.*0812-3456-7890.*Saran: ", lines[0])
    assert "[tanggapan.isi]" in lines[1] and "Ibu Sari" in lines[1] and "privasi_diperiksa" in lines[1]
    as_json = json.loads(run_cli("check", "--repo", repo, "--now", NOW, "--format", "json").stdout)
    assert {p["severity"] for p in as_json["problems"]} == {"warning"}
    # a reviewer accepts both fragments: the warnings go away
    data["privasi_diperiksa"] = ["0812-3456-7890", "Ibu Sari"]
    write_repo(repo, [data])
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 0 and "peringatan" not in result.stdout, result.stdout
    # and the build goes on with warnings, the reviewed list itself never published
    output = tmp_path / "output"
    build(repo, output)
    assert not leaks(output_files(output), ["privasi_diperiksa"])


# --- hostile input ------------------------------------------------------------------------------

def test_markdown_is_sanitised_to_the_allowlist():
    render = MarkdownRenderer()
    html = render("**tebal** _miring_ [ok](https://contoh.example) [surel](mailto:a@b.example)\n\n"
                  "- satu\n- dua\n\n> kutip\n\n`kode`\n\n# Judul besar\n\n<img src=x> [rel](/lokal)")
    page = Page(str(html))
    assert {tag for tag, _ in page.tags} == {"p", "strong", "em", "a", "ul", "li", "blockquote", "code"}
    links = page.all("a")
    assert [a.get("href") for a in links] == ["https://contoh.example", "mailto:a@b.example", None]
    assert all(a.get("rel") == "nofollow noopener" for a in links)
    assert "Judul besar" in page.text   # headings become plain text: one h1 per page stays true
    for payload in XSS_PAYLOADS:
        assert executable_markup(Page(str(render(payload)))) == [], payload


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    complaints = [hostile_complaint(index, payload) for index, payload in enumerate(XSS_PAYLOADS)]
    repo = write_repo(root / "repo", complaints)
    output = root / "output"
    build(repo, output)
    return {"output": output, "complaints": complaints, "files": output_files(output)}


def test_no_payload_survives_as_markup_in_any_built_file(hostile_site):
    assert len(XSS_PAYLOADS) >= 30
    files = hostile_site["files"]
    html = {path: data.decode() for path, data in files.items() if path.endswith(".html")}
    assert len([path for path in html if path.startswith("pengaduan/")]) == len(XSS_PAYLOADS)
    for path, text in html.items():
        page = Page(text)
        if path == "cari/index.html":     # the search page: the theme's own form and script, nothing else
            assert sorted(tag for tag in executable_markup(page)) == ["<button>", "<form>", "<input>", "<label>", "<script>"]
            assert [attrs.get("src") for attrs in page.all("script")] == ["../tema/cari.js"]
            continue
        assert executable_markup(page) == [], path
        assert not page.all("img"), path
        assert len(page.all("h1")) == 1 and len(page.all("title")) == 1, path
        assert "<script" not in text.lower(), path
    feed = feedparser.parse(files["feeds/tanggapan.atom.xml"])
    assert not feed.bozo and len(feed.entries) == min(50, len(XSS_PAYLOADS))
    for entry in feed.entries:
        raw = re.search(re.escape(entry.link).encode() + rb".*?<summary type=\"html\">(.*?)</summary>",
                        files["feeds/tanggapan.atom.xml"], re.S).group(1).decode()
        import html as html_lib
        assert executable_markup(Page(html_lib.unescape(raw))) == [], entry.link


def test_plain_text_fields_are_shown_literally(hostile_site):
    output = hostile_site["output"]
    for data in hostile_site["complaints"]:
        page = read_page(output, f"pengaduan/{data['id']}/")
        assert "".join(page.h1_text) == data["judul"], data["judul"]     # escaped, never interpreted
        approver = " ".join(data["tanggapan"]["disetujui_oleh"].split())
        assert f"Disetujui oleh {approver}" in page.text, approver
    page = read_page(output, f"pengaduan/{hostile_site['complaints'][XSS_PAYLOADS.index('{{ 7*7 }} {% raw %}<script>window.__xss=1</script>{% endraw %}')]['id']}/")
    assert "{{ 7*7 }}" in page.text and "49" not in "".join(page.h1_text)


# --- the final gate of every build (issue 11) ----------------------------------------------------

GATE_SECRET = "Dian Puspitasari"


def _gate_repo(tmp_path, page: str | None = None):
    """Two complaints (one confidential) with private values; optionally a staff page."""
    public, secret = synthetic_complaint(2), synthetic_complaint(5)
    public["pelapor"] = {"nama": GATE_SECRET, "kontak": "0815-5380-2916", "alamat": "Jl. Kenanga Gg. 3 No. 12"}
    public["lapor_tim"]["petugas"] = "Dwi Hartono"
    secret["kerahasiaan"] = "rahasia"
    secret["judul"] = "Keluhan tentang perilaku petugas ruang bersalin malam"
    bodies = {public["id"]: "Pelapor menelepon dua kali dan minta dihubungi sore hari.\nok",
              secret["id"]: "Catatan rahasia kedua tentang kejadian malam itu."}
    repo = write_repo(tmp_path / "repo", [public, secret], bodies=bodies)
    if page is not None:
        (repo / "content" / "pages" / "kabar.md").write_text(page, encoding="utf-8")
    return repo, public, secret


def test_the_gate_stops_a_build_whose_page_names_a_reporter(tmp_path):
    """A careless staff page (the allowlist never sees it) names the reporter, a confidential
    complaint's title and a line of the private notes: the build stops, says where and whose,
    and the previous site stays as it was."""
    repo, public, secret = _gate_repo(tmp_path)
    output = tmp_path / "output"
    build(repo, output)                                   # a clean build passes the gate
    before = output_files(output)
    page = (f"Title: Kabar\nSlug: kabar\n\nTerima kasih bu {GATE_SECRET.lower()} atas sarannya.\n\n"
            f"Kami menindaklanjuti *{secret['judul']}*.\n\n"
            "Pelapor menelepon dua kali dan minta dihubungi sore hari.\n")
    (repo / "content" / "pages" / "kabar.md").write_text(page, encoding="utf-8")
    result = build(repo, output, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "GERBANG PRIVASI" in result.stderr and "TIDAK diterbitkan" in result.stderr
    lines = result.stderr.splitlines()
    assert any(line.endswith(f"/kabar/index.html: pelapor.nama dari {public['id']}") for line in lines), result.stderr
    assert any(line.endswith(f"/kabar/index.html: judul (pengaduan rahasia) dari {secret['id']}") for line in lines)
    assert any(line.endswith(f"/kabar/index.html: catatan internal (badan berkas) dari {public['id']}")
               for line in lines)
    assert GATE_SECRET not in result.stderr               # the value itself is never printed
    assert output_files(output) == before                 # nothing published


def test_the_gate_finds_a_part_of_a_value_a_page_copies(tmp_path):
    """A page that copies part of a value: the account or the address of a contact holding more,
    one line of a meeting's notes written as a block, a name with its title in a slug. Each
    passed: a value was searched whole (and a long one for its first 160 characters)."""
    public = synthetic_complaint(2)
    public["pelapor"] = {"nama": "Hj. Ratna Dewi Anggraini",
                         "kontak": "Instagram @ratnadewi.l (DM) / fadli.rahman@example.com"}
    public["rapat"]["catatan"] = ("Rapat tertutup dengan kepala.\nAnak pasien pernah dirawat di RSJ Lawang "
                                  "karena depresi berat tahun lalu.\nTindak lanjut minggu depan oleh tim mutu.")
    repo = write_repo(tmp_path / "repo", [public])
    output = tmp_path / "output"
    build(repo, output)
    pages = {"akun": ("Terima kasih kepada @ratnadewi.l atas masukannya.", "pelapor.kontak"),
             "tautan": ("[Instagram](https://instagram.com/ratnadewi.l)", "pelapor.kontak"),
             "surel": ("Tulis ke fadli.rahman@example.com.", "pelapor.kontak"),
             "rapat": ("Anak pasien pernah dirawat di RSJ Lawang karena depresi berat tahun lalu.", "rapat.catatan"),
             "terima-kasih-hj-ratna-dewi-anggraini": ("Terima kasih.", "pelapor.nama")}
    for slug, (text, field) in pages.items():
        page = repo / "content" / "pages" / "kabar.md"
        page.write_text(f"Title: Kabar\nSlug: {slug}\n\n{text}\n", encoding="utf-8")
        result = build(repo, output, check=False)
        assert result.returncode == 1, (slug, result.stderr)
        assert f"/{slug}/index.html: {field} dari {public['id']}" in result.stderr, (slug, result.stderr)


def test_a_name_broken_by_markup_inside_a_word_is_shown_and_found_whole(tmp_path):
    """`Ang**gra**ini` is "Anggraini" to a reader but "ang gra ini" to a gate that reads a tag as a
    space: a tag inside a word is taken out when the text is rendered, in a complaint's text and
    in a staff page alike, so the page shows the word whole and the gate finds the name."""
    public = synthetic_complaint(2)
    public["pelapor"] = {"nama": "Ratna Dewi Anggraini", "kontak": "0812-5555-0101"}
    repo = write_repo(tmp_path / "repo", [public])
    output = tmp_path / "output"
    build(repo, output)
    tricks = ("Ratna Dewi Ang**gra**ini", "Ratna Dewi Ang*gra*ini", "Ratna Dewi Ang`gra`ini",
              "Ratna Dewi Ang[gra](https://contoh.example/)ini")
    path = next((repo / "content" / "complaints").rglob(f"{public['id']}.md"))
    original = path.read_text(encoding="utf-8")
    for trick in tricks:
        path.write_text(original.replace(public["ringkasan"], f"Keluhan dari {trick} soal antrean."), encoding="utf-8")
        result = build(repo, output, check=False)
        assert result.returncode == 1, (trick, result.stderr)
        assert f"pengaduan/{public['id']}/index.html: pelapor.nama dari {public['id']}" in result.stderr, trick
    path.write_text(original, encoding="utf-8")
    (repo / "content" / "pages" / "kabar.md").write_text(f"Title: Kabar\n\nTerima kasih Ibu {tricks[1]}.\n",
                                                         encoding="utf-8")
    result = build(repo, output, check=False)
    assert result.returncode == 1 and f"/kabar/index.html: pelapor.nama dari {public['id']}" in result.stderr


def test_the_gate_stops_a_build_whose_page_address_or_image_names_a_reporter(tmp_path):
    """A staff page whose slug is a reporter's name: the words are nowhere in its text, but its
    address (the file's path, the sitemap's links) names her, as a slug does, with hyphens. And
    a page whose image's description (`alt`, not shown as text) names her."""
    repo, public, _ = _gate_repo(tmp_path)
    output = tmp_path / "output"
    build(repo, output)
    before = output_files(output)
    slug = GATE_SECRET.lower().replace(" ", "-")
    (repo / "content" / "pages" / "kabar.md").write_text(f"Title: Kabar\nSlug: {slug}\n\nTerima kasih.\n",
                                                         encoding="utf-8")
    (repo / "content" / "pages" / "foto.md").write_text(f"Title: Foto\n\n![Foto bersama {GATE_SECRET}](/a.png)\n",
                                                        encoding="utf-8")
    result = build(repo, output, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"/{slug}/index.html (di nama berkasnya, yaitu alamatnya di situs): pelapor.nama dari {public['id']}" \
        in result.stderr, result.stderr
    assert f"/foto/index.html: pelapor.nama dari {public['id']}" in result.stderr
    assert "ganti `Slug:` halaman itu" in result.stderr
    assert GATE_SECRET not in result.stderr and slug not in result.stderr.replace(f"/{slug}/index.html", "")
    assert output_files(output) == before


def test_the_gate_stops_a_build_whose_page_hides_a_name_with_characters_no_reader_sees(tmp_path):
    """A name with a soft hyphen (`&shy;`, as a word processor leaves it) or a zero-width space
    inside reads whole on the page, so the gate takes those characters out before it compares."""
    repo, public, _ = _gate_repo(tmp_path)
    output = tmp_path / "output"
    first, last = GATE_SECRET.split()
    (repo / "content" / "pages" / "kabar.md").write_text(
        f"Title: Kabar\nSlug: kabar\n\nTerima kasih Bu {first} {last[:3]}&shy;{last[3:]}.\n", encoding="utf-8")
    (repo / "content" / "pages" / "salam.md").write_text(
        f"Title: Salam\nSlug: salam\n\nSalam untuk Bu {first}\u200b {last[:4]}\u2060{last[4:]}.\n", encoding="utf-8")
    result = build(repo, output, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    for page in ("kabar", "salam"):
        assert f"/{page}/index.html: pelapor.nama dari {public['id']}" in result.stderr, result.stderr
    assert not output.exists()


def test_the_gate_stops_a_build_whose_page_writes_a_reporter_in_look_alike_characters_or_a_file_name(tmp_path):
    """A name in the bold letters of "fancy text" (as social media posts write it) or in
    full-width letters, a number in full-width digits, and a link to a file named after her
    (`surat_dian_puspitasari.pdf`, on another site) name the reporter as plainly as her name."""
    repo, public, _ = _gate_repo(tmp_path)
    output = tmp_path / "output"
    bold = "".join(chr(0x1D400 + ord(char) - 65) if char.isupper() else chr(0x1D41A + ord(char) - 97)
                   if char.islower() else char for char in GATE_SECRET)
    wide = "".join(chr(ord(char) + 0xFEE0) if char.isalnum() else char for char in GATE_SECRET)
    pages = {"tebal": f"Terima kasih Bu {bold}.", "lebar": f"Salam untuk Bu {wide}.",
             "nomor": "Hubungi \uff10\uff18\uff11\uff15-\uff15\uff13\uff18\uff10-\uff12\uff19\uff11\uff16.",
             "surat": "[Surat](https://drive.contoh.id/berkas/surat_" + GATE_SECRET.lower().replace(" ", "_") + ".pdf)",
             "tautan": "[Foto](https://foto.contoh.id/" + GATE_SECRET.replace(" ", ".") + "/1.jpg)"}
    for slug, text in pages.items():
        (repo / "content" / "pages" / f"{slug}.md").write_text(f"Title: {slug}\nSlug: {slug}\n\n{text}\n",
                                                               encoding="utf-8")
    result = build(repo, output, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    for slug in ("tebal", "lebar", "surat", "tautan"):
        assert f"/{slug}/index.html: pelapor.nama dari {public['id']}" in result.stderr, result.stderr
    assert f"/nomor/index.html: pelapor.kontak dari {public['id']}" in result.stderr, result.stderr
    assert "Data dicari seperti pembaca membacanya" in result.stderr and "angka lebar" in result.stderr
    assert not output.exists()


def test_file_paths_are_searched_in_every_scan_and_kept_as_clean_only_when_clean(tmp_path):
    """The paths are searched in every scan, as one text (with the gate's state, paths found clean
    before only for the values added since); a file's path names the value as a slug would too."""
    from pipeline.outputs.gate import Hit, collect, scan
    repo, public, _ = _gate_repo(tmp_path)
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    secrets, known = collect(repo, ROOT / "theme"), {}
    # (files listed from a folder come without their sha256: only the paths are kept as clean)
    assert scan(site, secrets, known) == [] and len(known["clean"]) == 1
    assert scan(site, secrets, known) == [] and len(known["clean"]) == 1
    (site / "unduhan").mkdir()
    (site / "unduhan" / "surat_Dian_Puspitasari.pdf").write_bytes(b"%PDF-1.4 ok")
    (site / "0815-5380-2916").mkdir()
    (site / "0815-5380-2916" / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    assert scan(site, secrets, known) == [
        Hit("0815-5380-2916/index.html", public["id"], "pelapor.kontak", in_path=True),
        Hit("unduhan/surat_Dian_Puspitasari.pdf", public["id"], "pelapor.nama", in_path=True)]
    assert known["clean"] == set()            # (paths with a hit are not kept as clean)
    assert len(scan(site, secrets, known)) == 2
    # paths found clean before a value was added: searched for that value (its shortlist lets them
    # through when they hold its letters, and rules them out when they do not)
    from pipeline.outputs.gate import scan_plan, site_files
    from pipeline.outputs.gatepaths import paths_digest
    (site / "0815-5380-2916" / "index.html").unlink()
    (site / "0815-5380-2916").rmdir()
    new = next(digest for digest, needle in scan_plan(secrets).hashed.items() if needle == GATE_SECRET.lower())
    for present in (True, False):
        if not present:
            (site / "unduhan" / "surat_Dian_Puspitasari.pdf").rename(site / "unduhan" / "surat.pdf")
        paths = paths_digest([shown for shown, _ in site_files(site)])
        known = {"needles": frozenset(scan_plan(secrets).hashed) - {new}, "clean": {paths}, "pieces": set()}
        assert scan(site, secrets, known) == ([Hit("unduhan/surat_Dian_Puspitasari.pdf", public["id"],
                                                   "pelapor.nama", in_path=True)] if present else [])
        assert (paths in known["clean"]) is not present


def test_the_gate_runs_whatever_the_settings_say(tmp_path):
    repo, public, _ = _gate_repo(tmp_path, f"Title: Kabar\n\nSalam untuk {GATE_SECRET}.\n")
    settings = tmp_path / "polos.py"
    settings.write_text(f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
                        "PENGADUAN_PER_PAGE = 1\nPENGADUAN_GERBANG = False\n",
                        encoding="utf-8")
    result = build(repo, tmp_path / "out", "--settings", settings, check=False)
    assert result.returncode == 1 and "pelapor.nama" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_bytes_found_clean_before_are_searched_for_values_added_since(tmp_path):
    """The gate's state (build cache) spares re-reading bytes it found clean, but only for the
    values it searched them for: a staff page unchanged since the last build, naming someone who
    has only now become a reporter, stops the build."""
    from pipeline.outputs.gatestate import load_state
    from pipeline.outputs.sitewriter import digest
    newcomer = "Sri Rahayuningsih"
    repo, public, _ = _gate_repo(tmp_path, f"Title: Kabar\nSlug: kabar\n\nTerima kasih kepada {newcomer}.\n")
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(repo, output, "--cache", cache)
    page = (output / "kabar" / "index.html").read_bytes()
    state = load_state(cache / "gate.json")
    assert digest(page) in state["clean"] and state["needles"]            # found clean, remembered
    kept = (cache / "gate.json").read_text(encoding="utf-8").lower()
    assert GATE_SECRET.lower() not in kept and "0815" not in kept          # by hash, never in clear
    late = synthetic_complaint(9)
    late["pelapor"] = {"nama": newcomer, "kontak": "0812-7777-1234"}
    path = repo / "content" / "complaints" / late["id"][4:8] / f"{late['id']}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(late, allow_unicode=True, sort_keys=False) + "---\nCatatan.\n",
                    encoding="utf-8")
    result = build(repo, output, "--cache", cache, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert any(line.endswith(f"/kabar/index.html: pelapor.nama dari {late['id']}")
               for line in result.stderr.splitlines()), result.stderr
    assert (output / "kabar" / "index.html").read_bytes() == page          # the same bytes as before
    # a damaged state is no state: every file is searched again
    (cache / "gate.json").write_text('{"format": 1, "needles": [], "clean": "x"}', encoding="utf-8")
    assert load_state(cache / "gate.json") == {}
    assert build(repo, output, "--cache", cache, check=False).returncode == 1


def test_the_files_of_bytes_found_clean_are_looked_up_at_once_with_the_same_result(tmp_path):
    """After one change nearly every file of a site is bytes the gate found clean before: with no
    value added since, `scan` looks them up all at once (`BuiltFiles.unknown`) and reads only the
    others. Its hits and the state it leaves are those of the same files given one by one, with
    no value added and with one."""
    import copy

    from pipeline.outputs.gate import collect, scan
    from pipeline.outputs.builtfiles import BuiltFiles
    from pipeline.outputs.gatepaths import paths_digest
    from pipeline.outputs.sitewriter import digest
    complaint = synthetic_complaint(1)
    complaint["pelapor"] = {"nama": GATE_SECRET, "kontak": "0812-7777-1234"}
    secrets = collect(write_repo(tmp_path / "repo", [complaint, synthetic_complaint(2)]), ROOT / "theme")
    value = GATE_SECRET
    assert GATE_SECRET.lower() in secrets.sources and len(secrets.sources) > 1
    staging, output = tmp_path / "baru", tmp_path / "situs"
    pages = {("situs", "lama.html"): "<p>Halo.</p>", ("situs", "lama-2.html"): "<p>Salam.</p>",
             ("baru", "baru.html"): f"<p>{value}</p>", ("baru", "bersih.html"): "<p>Bersih.</p>"}
    for (where, name), text in pages.items():
        (tmp_path / where).mkdir(exist_ok=True)
        (tmp_path / where / name).write_text(text, encoding="utf-8")
    entries = {name: {"sha": digest(text.encode())} for (_, name), text in pages.items()}
    built = BuiltFiles((str(staging), str(output)), entries, {"baru.html", "bersih.html"})
    known: dict = {}
    assert scan([(name, str(output / name), entries[name]["sha"]) for name in ("lama.html", "lama-2.html")],
                secrets, known) == []
    for added in (False, True):
        before = copy.deepcopy(known)
        if added:
            before["needles"] = frozenset(sorted(before["needles"])[1:])
        at_once, one_by_one = copy.deepcopy(before), copy.deepcopy(before)
        hits = scan(built, secrets, at_once)
        assert hits == scan(list(built), secrets, one_by_one) and at_once == one_by_one
        assert {hit.output for hit in hits} == {"baru.html"}
        assert at_once["clean"] == {entries[name]["sha"] for name in ("lama.html", "lama-2.html", "bersih.html")} | {
            paths_digest(list(entries))}   # (and the paths: clean)


def test_values_kept_by_blob_id_follow_every_change_of_a_complaint_file(tmp_path):
    """The gate keeps each complaint file's private values in the build cache by its git blob id
    (unchanged files are not walked again). A reporter's name changed to one a staff page shows,
    committed or only written in the folder, is searched for at once: the build stops."""
    import pickle
    newcomer = "Sri Rahayuningsih"
    repo, public, _ = _gate_repo(tmp_path, f"Title: Kabar\nSlug: kabar\n\nTerima kasih kepada {newcomer}.\n")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=Petugas", "-c", "user.email=petugas@example.go.id", "commit", "-q", "-m", "Isi"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(repo, output, "--cache", cache)
    kept = {key: value for shard in cache.glob("gate-values.*.pickle")
            for key, value in pickle.loads(shard.read_bytes())["entries"].items()}
    assert len(kept) == 2 and all(len(key[1]) == 40 for key in kept)      # one entry per file, by blob id
    build(repo, output, "--cache", cache)                                  # reused: still clean
    path = repo / "content" / "complaints" / public["id"][4:8] / f"{public['id']}.md"
    clean = path.read_text(encoding="utf-8")
    path.write_text(clean.replace(GATE_SECRET, newcomer), encoding="utf-8")
    for commit in (False, True):                 # written only, then committed (git's index holds it)
        if commit:
            subprocess.run(["git", "-C", str(repo), "-c", "user.name=Petugas", "-c", "user.email=p@example.go.id",
                            "commit", "-q", "-am", "Ganti nama"], check=True, capture_output=True)
        result = build(repo, output, "--cache", cache, check=False)
        assert result.returncode == 1, result.stdout + result.stderr
        assert any(line.endswith(f"/kabar/index.html: pelapor.nama dari {public['id']}")
                   for line in result.stderr.splitlines()), result.stderr


def test_a_staff_field_holding_a_role_in_the_sites_words_is_not_a_secret_but_a_name_is(tmp_path):
    """"Penanggung jawab poli umum" in `lapor_tim.petugas` is a role the site itself names; were
    it searched for, every page would stop the build. A name in the same field is searched for,
    and so is a role word the site never uses."""
    from pipeline.outputs.gate import collect
    role, name, odd = synthetic_complaint(1), synthetic_complaint(5), synthetic_complaint(9)
    role["lapor_tim"]["petugas"] = "Penanggung jawab poli umum"
    name["lapor_tim"]["petugas"] = "Dwi Hartono"
    odd["lapor_tim"]["petugas"] = "Penanggung jawab Kenanga Wetan"
    secrets = collect(write_repo(tmp_path / "repo", [role, name, odd]), ROOT / "theme")
    assert "penanggung jawab poli umum" not in secrets.sources
    assert "dwi hartono" in secrets.sources and "penanggung jawab kenanga wetan" in secrets.sources


def test_text_no_page_shows_excuses_no_value(tmp_path):
    """What the site publishes by design (the policy, the theme) is not searched for; text that no
    page shows is not published by design. A reporter's name in a YAML comment of the policy let a
    staff page publish it, and a Jinja comment of the repository's own theme would have too. A
    value of the policy (the head's name as a staff field) is still published by design."""
    from pipeline.outputs.gate import collect
    comment, jinja, staff = synthetic_complaint(1), synthetic_complaint(5), synthetic_complaint(9)
    comment["pelapor"] = {"nama": "Bambang Suprapto"}
    jinja["pelapor"] = {"nama": "Sri Wahyuningsih"}
    head = project_policy()["puskesmas"]["kepala"]
    staff["lapor_tim"]["petugas"] = head
    repo = write_repo(tmp_path / "repo", [comment, jinja, staff], raw={
        "content/pages/kabar.md": "Title: Kabar\nSlug: kabar\n\nTerima kasih Bapak Bambang Suprapto dan "
                                  "Ibu Sri Wahyuningsih.\n"})
    policy = repo / "puskesmas.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + "# dibantu Bambang Suprapto\n", encoding="utf-8")
    shutil.copytree(ROOT / "theme", repo / "theme")
    base = repo / "theme" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "{# Sri Wahyuningsih #}\n", encoding="utf-8")
    secrets = collect(repo, repo / "theme")
    assert "bambang suprapto" in secrets.sources and "sri wahyuningsih" in secrets.sources
    assert head.lower() not in secrets.sources, "a value of the policy is published by design"
    result = build(repo, tmp_path / "output", check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    for reporter in (comment, jinja):
        assert f"/kabar/index.html: pelapor.nama dari {reporter['id']}" in result.stderr, result.stderr
    assert not (tmp_path / "output").exists()


def test_a_name_whose_words_public_texts_hold_is_still_a_name(tmp_path):
    """A staff field is a role when each of its words is a role's or the site's own (theme,
    policy). Public complaint texts do not count: "budi pekerti" in one and "Jalan Santoso" in
    another made the officer "Budi Santoso" a role, never searched for."""
    from pipeline.outputs.gate import collect
    fields = ["Budi Santoso", "dr. Budi Santoso", "Bidan Sri Wahyuni", "Ketua tim pengelola pengaduan",
              "Koordinator perawatan kesehatan masyarakat (perkesmas)"]
    staff = []
    for index, value in enumerate(fields):
        complaint = synthetic_complaint(1 + 4 * index)
        complaint["lapor_tim"]["petugas"] = value
        staff.append(complaint)
    texts = ["Pelapor menanyakan budi pekerti petugas loket.", "Pelapor memuji layanan di Jalan Santoso.",
             "Sri dan Wahyuni adalah nama kios di depan Puskesmas."]
    public = [synthetic_complaint(3 + 4 * index) for index in range(len(texts))]
    for complaint, text in zip(public, texts):
        complaint["ringkasan"] = text
    secrets = collect(write_repo(tmp_path / "repo", staff + public), ROOT / "theme")
    for name in ("budi santoso", "dr. budi santoso", "bidan sri wahyuni"):
        assert name in secrets.sources, name
    for role in ("ketua tim pengelola pengaduan", "koordinator perawatan kesehatan masyarakat (perkesmas)"):
        assert role not in secrets.sources, role


def _plant(output, relative: str, text: str) -> None:
    path = output / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    elif path.suffix == ".zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("di-dalam/berkas.txt", text)
        path.write_bytes(buffer.getvalue())
    else:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)


@pytest.mark.parametrize("processes", ["one", "two"])
def test_the_gate_finds_a_planted_value_in_every_output_kind(tmp_path, monkeypatch, processes):
    """Each private value, planted in each kind of output file in the form that file would hold it
    (escaped, encoded, split by tags, compressed), is found and named; the clean site is not.
    Big sites are searched by two processes: the same test with this small one made "big"."""
    from pipeline.commands.build import build_site
    from pipeline.outputs import gate
    from pipeline.outputs.gate import collect, scan
    from pipeline.outputs.gateworkers import GateWorkers
    monkeypatch.setattr(gate, "PARALLEL_BYTES", 0 if processes == "two" else 10 ** 12)
    workers = GateWorkers() if processes == "two" else None
    if processes == "two":
        assert workers, "two cores and fork: the gate has its workers"

    repo, public, secret = _gate_repo(tmp_path)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Wahyu Kurniawati", "-c", "user.email=wahyu@pkm.example",
                    "commit", "-qm", "awal"], check=True)
    output = tmp_path / "site"
    build_site(repo, output, now=datetime.fromisoformat(NOW))
    secrets = collect(repo, ROOT / "theme")
    assert scan(output, secrets) == []
    name = GATE_SECRET
    plants = {
        "pengaduan/x/index.html": ("<p>Bu <em>Dian</em>\n  Puspitasari</p>", "pelapor.nama"),
        "feeds/tanggapan.atom.xml": ("<summary>&lt;p&gt;Dian&#32;Puspitasari&lt;/p&gt;</summary>", "pelapor.nama"),
        "sitemap.xml": (f"<loc>https://x.example/pengaduan/{secret['id'].lower()}/</loc>", "id (pengaduan rahasia)"),
        "data/complaints.json": ('{"judul": "Keluhan tentang perilaku petugas ruang bersalin malam"}',
                                 "judul (pengaduan rahasia)"),
        "data/requests.json": ('{"x": "Jl. Kenanga Gg. 3 No. 12"}', "pelapor.alamat"),
        "data/complaints.csv": ('\r\nx,"0815-5380-2916"', "pelapor.kontak"),
        "robots.txt": ("\n# DIAN PUSPITASARI\n", "pelapor.nama"),
        "tema/situs.css": ("/* Dwi Hartono */", "lapor_tim.petugas"),
        "pagefind/fragment/id_1.pf_fragment": ('{"content":"Pelapor menelepon dua kali dan minta dihubungi sore hari."}',
                                               "catatan internal (badan berkas)"),
        "arsip/situs.html.gz": (f"<p>{name}</p>", "pelapor.nama"),
        "arsip/unduhan.zip": ("wahyu@pkm.example", "email petugas"),
        "data/lain.json": ('{"x": "Wahyu Kurniawati"}', "nama petugas"),
        "data/escaped.json": ('{"x": "Dian\\u0020Puspitasari"}', "pelapor.nama"),
        "pengaduan/y/index.html": ('<img src="a.png" alt="Bu Dian  Puspitasari">', "pelapor.nama"),
        "pengaduan/z/index.html": (f'<a href="/pengaduan/{secret["id"].lower()}/">lihat</a>', "id (pengaduan rahasia)"),
        "tentang/index.html": ("<!-- dihubungi: 0815-5380-2916 -->", "pelapor.kontak"),
        "feeds/semua.atom.xml": ('<link href="mailto:wahyu@pkm.example"/>', "email petugas"),
        "cari/index.html": ('<a href="https://wa.me/?text=Bu%20Dian+Puspitasari">kirim</a>', "pelapor.nama"),
    }
    for relative, (text, field) in plants.items():
        copy = tmp_path / f"copy-{len(relative)}-{abs(hash(relative))}"
        shutil.copytree(output, copy)
        _plant(copy, relative, text)
        hits = scan(copy, secrets, workers=workers)
        assert {(hit.output, hit.field) for hit in hits} == {(relative, field)}, (relative, hits)
        shutil.rmtree(copy)
    # a look-alike is not a hit: another name, the id of a public complaint
    _plant(output, "index.html", f"Dian Puspitasarina {public['id']} Puspitasari Dian")
    assert scan(output, secrets, workers=workers) == []
    if workers is not None:
        assert workers, "no worker failed: the searches above were theirs"
        workers.close()


def test_the_gate_workers_find_what_the_gate_finds_and_a_dead_worker_loses_no_search(tmp_path, monkeypatch):
    """The gate's workers (forked before the build) search with automata they make themselves:
    they find exactly what the gate's own search finds, the values new since the last scan too.
    A worker killed before the search costs no search: the gate searches itself."""
    from pipeline.outputs import gate
    from pipeline.outputs.gate import automaton, scan
    from pipeline.outputs.gatesearch import search_job
    from pipeline.outputs.gateworkers import GateWorkers
    monkeypatch.setattr(gate, "PARALLEL_BYTES", 0)
    workers = GateWorkers()
    assert workers
    site = tmp_path / "site"
    texts = {"a.html": "<p>Bu Dian Puspitasari</p>", "b.json": '{"x": "Dian\\u0020Puspitasari"}',
             "c.txt": "Wahyu Kurniawati dan Dian", "d.html": "tidak ada apa-apa"}
    for name, text in texts.items():
        _plant(site, name, text * 2000)
    # a big file, searched piece by piece: the name spans a line end
    _plant(site, "e.csv", "".join(f"baris {i} tanpa nama\n" for i in range(60000)) + "x,Dian\nPuspitasari,y\n" +
           "".join(f"baris {i} lagi\n" for i in range(30000)))
    words = {"all": ["dian puspitasari", "wahyu kurniawati"], "added": ["wahyu kurniawati"]}
    finders = {which: automaton(values) for which, values in words.items()}
    jobs = [(str(site / name), which) for name in sorted(texts) + ["e.csv"] for which in ("all", "added")]
    expected = [search_job(path, which, finders, set()) for path, which in jobs]
    assert workers.search(jobs, words, set()) == expected
    assert expected[0] == ({"dian puspitasari"}, set()) and expected[4] == ({"wahyu kurniawati"}, set())
    found, pieces = expected[8]
    assert found == {"dian puspitasari"} and len(pieces) > 10, "the big file's clean pieces are named"
    # a worker that fails on its share (a file gone): no answer, and the workers are not used again
    broken = GateWorkers()
    assert broken.search([(str(site / "hilang.html"), "all")] + jobs, words, set()) is None
    assert not broken

    secrets = gate.Secrets()
    secrets.add("Dian Puspitasari", "PGD-1", "pelapor.nama", strong=True)
    secrets.finish()
    workers._workers[0][0].kill()
    workers._workers[0][0].join()
    hits = scan(site, secrets, workers=workers)
    assert {(hit.output, hit.field) for hit in hits} == {("a.html", "pelapor.nama"), ("b.json", "pelapor.nama"),
                                                         ("e.csv", "pelapor.nama")}
    assert not workers, "a failed worker: the workers are closed, the gate searched itself"


def test_a_big_text_is_folded_in_pieces_to_the_same_text(monkeypatch):
    """The gate folds the spaces of a big file (the open data) a piece at a time, cut where a space
    is, and lowered a piece at a time; the text it searches is the one folding it whole gives,
    whatever the spaces, the cuts and the letters whose case depends on their neighbours (a Greek
    final sigma)."""
    import random
    from pipeline.outputs import gatetext as gate
    rng = random.Random(11)
    monkeypatch.setattr(gate, "FOLD_CHUNK", 7)
    words = ["Dian", "puspitasari", " ", "  ", "\n", "\t", "\u00a0", "\u2003", "Ügi", "08155380", "ΟΔΟΣ", "Σ",
             "İstanbul", "."]
    for _ in range(2000):
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 60)))
        assert gate._folded([text]) == " ".join(text.split()).lower(), repr(text)
    planted = "ok " * 40 + "Dian\n   Puspitasari" + " ok" * 40
    assert "dian puspitasari" in gate.normal(planted)


def test_a_person_committing_through_a_forge_is_staff_and_the_forge_is_not(tmp_path):
    """The web editor's commits carry the person's private address at GitHub
    (`12345+name@users.noreply.github.com`): their name is searched for like any staff name (it
    was let through as a bot's, for the "noreply" in the address). GitHub committing a web edit and
    the workflows' bot are programs: a page may say "GitHub"."""
    from pipeline.outputs.gate import is_program
    assert is_program("GitHub", "noreply@github.com")
    assert is_program("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
    assert is_program("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
    assert is_program("Forgejo", "forgejo@pkm.example") and is_program("Gitea", "no-reply@pkm.example")
    assert not is_program("Sulastri Handayani", "9876543+sulastri-h@users.noreply.github.com")
    assert not is_program("Rina Github", "rina@pkm.example")
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(1)], raw={
        "content/pages/kabar.md": "Title: Kabar\nSlug: kabar\n\nSitus ini disimpan di GitHub.\n"})
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    for name, email in (("Sulastri Handayani", "9876543+sulastri-h@users.noreply.github.com"),
                        ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")):
        subprocess.run(["git", "-C", str(repo), "-c", f"user.name={name}", "-c", f"user.email={email}", "commit",
                        "-q", "--allow-empty", "-m", "Lewat editor web"], check=True,
                       env={**os.environ, "GIT_COMMITTER_NAME": "GitHub", "GIT_COMMITTER_EMAIL": "noreply@github.com"})
    build(repo, tmp_path / "output")
    page = repo / "content" / "pages" / "kabar.md"
    page.write_text(page.read_text(encoding="utf-8") + "Dikelola oleh Sulastri Handayani.\n", encoding="utf-8")
    result = build(repo, tmp_path / "output", check=False)
    assert result.returncode == 1 and "/kabar/index.html: nama petugas dari riwayat git" in result.stderr, \
        result.stdout + result.stderr


def test_a_co_author_of_a_commit_is_staff(tmp_path):
    """GitHub names a squash merge's other authors, and whoever suggested a change, in
    `Co-authored-by:` trailers: only authors and committers were read, so her name passed."""
    repo = write_repo(tmp_path / "repo", [synthetic_complaint(1)], raw={
        "content/pages/kabar.md": "Title: Kabar\nSlug: kabar\n\nKabar terbaru.\n"})
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Tim Pengaduan", "-c", "user.email=tim@pkm.example",
                    "commit", "-q", "-m", "Tanggapan (#12)\n\nCo-authored-by: Dewi Kartika Sari "
                    "<dewi.ks@puskesmas-arjuno.example>"], check=True)
    output = tmp_path / "output"
    build(repo, output)
    for text, field in (("Dikelola oleh Dewi Kartika Sari.", "nama"), ("Surel: dewi.ks@puskesmas-arjuno.example", "email")):
        (repo / "content/pages/kabar.md").write_text(f"Title: Kabar\nSlug: kabar\n\n{text}\n", encoding="utf-8")
        result = build(repo, output, check=False)
        assert result.returncode == 1 and f"/kabar/index.html: {field} petugas dari riwayat git" in result.stderr, \
            result.stdout + result.stderr


def test_the_staff_read_while_the_site_is_built_are_the_staff_of_every_branch(tmp_path):
    """`people_later` (the build starts git before Pelican, the gate reads its answer) gives what
    `people` gives: authors and committers of every branch, and nothing outside a repository."""
    from pipeline.evidence.history import people, people_later
    from tests.gitrepo import GitRepo
    repo = GitRepo(tmp_path / "repo")
    repo.branch("usulan")
    repo.git("-c", "user.name=Sri Wahyuni", "-c", "user.email=sri@pkm.example", "commit", "-q", "--allow-empty",
             "-m", "Draft", author_date="2026-01-05T09:00:00+07:00")
    repo.checkout("main")
    later = people_later(repo.path)
    repo.commit("After the start", "2026-01-06T09:00:00+07:00")   # (the build reads the history it started with)
    found = later()
    assert found == people(repo.path)
    assert ("Sri Wahyuni", "sri@pkm.example") in found and ("Petugas Pengaduan", "pengaduan@puskesmas.example") in found
    outside = tmp_path / "bukan-repo"
    outside.mkdir()
    assert people_later(outside)() == set() == people(outside)


def test_staff_kept_between_builds_are_the_staff_a_whole_read_finds(tmp_path):
    """`people(repo, kept)` reads only the commits since the ones the last build's refs named, and
    only while each of those is still in the history of a ref: through new commits on a branch, a
    detached HEAD, a tag, a deleted branch, a rewritten main and a damaged state, it gives what
    `git log --all` gives. (A name planted in the kept state, in no commit, shows which read ran:
    it survives a read of the new commits, not a whole read.)"""
    from pipeline.evidence.history import PEOPLE_FORMAT, _people_of, people
    from tests.gitrepo import GitRepo
    repo = GitRepo(tmp_path / "repo")
    planted = ("Nama Tanam", "tanam@contoh.example")

    def by(name: str, email: str, message: str, date: str) -> None:
        repo.git("-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-q", "--allow-empty",
                 "-m", message, author_date=date)

    def whole() -> set:
        return _people_of(subprocess.run(["git", "-C", str(repo.path), "log", "--all", PEOPLE_FORMAT],
                                         capture_output=True, check=True).stdout)

    def read(kept: dict, incremental: bool) -> set:
        kept["people"] = sorted({*map(tuple, kept.get("people", [])), planted})
        found = people(repo.path, kept)
        assert (found - {planted}) == whole(), "the staff of every ref, no more, no less"
        assert (planted in found) == incremental
        assert kept["people"] == sorted(found) and kept["tips"]
        return found

    kept: dict = {}
    assert people(repo.path, kept) == whole() and kept["tips"] == [repo.head()]
    repo.branch("usulan")
    by("Sri Wahyuni", "sri@pkm.example", "Draft", "2026-01-05T09:00:00+07:00")
    assert ("Sri Wahyuni", "sri@pkm.example") in read(kept, incremental=True)
    read(kept, incremental=True)   # nothing new: the kept people alone
    repo.checkout("main")
    repo.git("tag", "-a", "v1", "-m", "Rilis")
    repo.git("checkout", "-q", "--detach")
    by("Dedi Kurnia", "dedi@pkm.example", "Detached", "2026-01-06T09:00:00+07:00")
    assert ("Dedi Kurnia", "dedi@pkm.example") in read(kept, incremental=True)
    repo.checkout("main")   # Dedi's commit is no longer in the history of any ref
    assert ("Dedi Kurnia", "dedi@pkm.example") not in read(kept, incremental=False)
    repo.git("branch", "-q", "-D", "usulan")
    assert ("Sri Wahyuni", "sri@pkm.example") not in read(kept, incremental=False)
    by("Citra Ayu", "citra@pkm.example", "On main", "2026-01-07T09:00:00+07:00")
    read(kept, incremental=True)
    repo.git("tag", "-d", "v1")
    repo.git("reset", "-q", "--hard", "HEAD~1")   # main rewritten: Citra's commit is gone
    assert ("Citra Ayu", "citra@pkm.example") not in read(kept, incremental=False)
    for damaged in ({"tips": ["bukan-sha"], "people": []}, {"tips": ["0" * 40], "people": []},
                    {"tips": kept["tips"], "people": "Nama"}, {"tips": [], "people": []}, {"tips": kept["tips"]}):
        assert people(repo.path, dict(damaged)) == whole()


def test_public_words_kept_between_builds_excuse_exactly_what_a_fresh_gate_excuses(tmp_path):
    """The gate keeps, per complaint file, which values its public text holds (`Secrets.finish`'s
    `kept`): an unchanged file is searched only for values new since. Through a series of changes
    (a public text that excused a name loses it, a new name already in an unchanged file's public
    text, that file deleted, a role), the values searched for are those of a gate without it."""
    import hashlib

    from pipeline.outputs.gate import collect
    from pipeline.plugin.cache import Memo
    complaints = {index: synthetic_complaint(index) for index in (1, 2, 3, 5, 6)}
    complaints[1]["lapor_tim"]["petugas"] = "Dwi Hartono"
    complaints[2]["ringkasan"] = "Pasien dilayani Dwi Hartono di loket dengan ramah sekali."
    complaints[3]["lapor_tim"]["petugas"] = "Penanggung jawab poli umum"
    complaints[6]["ringkasan"] = "Terima kasih kepada Sri Lestari yang membantu di apotek."
    repo, kept, memo = tmp_path / "repo", {}, Memo({})

    def gate(changed: dict):
        shutil.rmtree(repo / "content" / "complaints", ignore_errors=True)
        write_repo(repo, list(changed.values()))
        keys = {str(path): (str(path), hashlib.sha1(path.read_bytes()).hexdigest())
                for path in (repo / "content" / "complaints").rglob("*.md")}
        nonlocal memo
        memo = Memo(memo.used)
        incremental = collect(repo, ROOT / "theme", memo=memo, keys=keys, kept=kept)
        fresh = collect(repo, ROOT / "theme")
        assert {needle: sorted(map(repr, sources)) for needle, sources in incremental.sources.items()} == \
            {needle: sorted(map(repr, sources)) for needle, sources in fresh.sources.items()}
        return incremental.sources

    assert "dwi hartono" not in gate(complaints)           # excused by complaint 2's public text
    assert set(kept["hits"]) and "dwi hartono" in kept["words"]
    complaints[2] = synthetic_complaint(2)
    assert "dwi hartono" in gate(complaints)               # that text changed: a secret again
    complaints[5]["lapor_tim"]["petugas"] = "Sri Lestari"
    assert "sri lestari" not in gate(complaints)           # new, and in unchanged complaint 6's text
    del complaints[6]
    assert "sri lestari" in gate(complaints)
    assert "penanggung jawab poli umum" not in gate(complaints)


def test_what_a_tag_holds_is_searched_each_tag_apart():
    """An attribute's value, a link or a comment is in the file for every reader: the gate
    searches what each tag holds too, apart from the text around it and from the next tag. A
    value split by tags in the text is still one value."""
    from pipeline.outputs.gatetext import automaton, built_text, matches
    finder = automaton(["dian puspitasari", "adu-20260101-ab12", "0815-5380-2916"])

    def found(page: str) -> set:
        return set(matches(finder, built_text(page)))

    assert found('<img src="a.png" alt="Bu Dian&#32;PUSPITASARI">') == {"dian puspitasari"}
    assert found('<a href="/pengaduan/adu-20260101-ab12/">lihat</a>') == {"adu-20260101-ab12"}
    assert found("<p>ok</p><!-- kontak 0815-5380-2916 -->") == {"0815-5380-2916"}
    assert found('<meta content="Dian\n  Puspitasari">') == {"dian puspitasari"}
    assert found("<p>Dian <em>Puspitasari</em></p>") == {"dian puspitasari"}   # (the text, as before)
    assert found('<a title="Dian"><b title="Puspitasari">') == set()           # (two tags: not one value)
    assert found('Dian <b title="Puspitasari">') == set()                      # (text and a tag: neither)
    assert found('<a href="/pengaduan/adu-20260101-ab123/">') == set()          # (whole words only)
    assert found('<a href="/cari/?q=Dian%20Puspitasari&amp;x=1">') == {"dian puspitasari"}   # (a URL's escapes)
    assert found("<p>0815%2D5380-2916</p>") == {"0815-5380-2916"}
    assert found('<a href="https://wa.me/?text=Halo+Bu+Dian+Puspitasari">') == {"dian puspitasari"}   # ("+": a space)
    assert found('<a href="/?a=Dian+Puspitasari+b" title="x+y">') == {"dian puspitasari"}
    assert found("<p>Dian+Puspitasari</p>") == set()   # (in the text a "+" is a sign, not a space)
    # a file's name or an address joins words with "-", "_" or ".": read as spaces, in the text too
    assert found('<a href="https://contoh.id/surat_dian_puspitasari.pdf">') == {"dian puspitasari"}
    assert found('<img src="https://contoh.id/Dian.Puspitasari/1.jpg">') == {"dian puspitasari"}
    assert found("<p>berkas dian-puspitasari-2.pdf</p>") == {"dian puspitasari"}
    assert found("<p>0815_5380_2916</p>") == {"0815-5380-2916"}
    assert found('<a href="/surat_dian_puspitasari2.pdf">') == set()   # (still whole words)
    assert found('<a href="/adu_20260101_ab12/">') == {"adu-20260101-ab12"}
