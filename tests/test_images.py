"""The site's images are published as their pixels only (`outputs.images`, `plugin.staticimages`).

A phone's photo on a staff page, or a logo from an editor, carries the camera owner's name, the
place (GPS), comments, Windows' author tags in UTF-16 and PNG text chunks compressed with zlib:
none of it is text the privacy gate can read in the image's bytes. The images below carry a
canary in every one of those places, made by Pillow itself; the built site's copies carry none,
in any encoding, and keep their pixels (the orientation the camera asked for applied).
"""
from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ElementTree

import pytest
from PIL import Image, PngImagePlugin

from pipeline.outputs.images import MAX_SIDE, image_problem, public_image
from site_helpers import NOW, ROOT, build, project_policy, read_page, run_cli, synthetic_complaint, write_repo

CANARY = "CANARYFOTOPELAPOR"
PAGE = "Title: Foto Loket\nSlug: foto-loket\n\n![loket]({static}images/loket.jpg)\n\n![denah]({static}images/denah.png)\n"


def _jpeg(size=(40, 30), orientation=1) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((10, 10, 250), (0, 0, size[0] // 2, size[1] // 4))   # a mark: the top left corner is blue
    exif = Image.Exif()
    exif[0x013B] = f"{CANARY} artist"                               # Artist
    exif[0x9C9D] = f"{CANARY} xp".encode("utf-16-le")               # XPAuthor (Windows, UTF-16)
    exif[0x0112] = orientation
    exif.get_ifd(0x8825)[2] = (6.0, 12.0, 30.0)                      # GPSLatitude
    stream = io.BytesIO()
    image.save(stream, "JPEG", exif=exif, comment=f"{CANARY} comment", xmp=f"<x>{CANARY} xmp</x>".encode())
    return stream.getvalue()


def _png(mode="RGBA") -> bytes:
    image = Image.new(mode, (30, 20), (0, 0, 255, 128) if mode == "RGBA" else 3)
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", f"{CANARY} text")
    info.add_text("Description", f"{CANARY} ztxt", zip=True)
    info.add_itxt("Comment", f"{CANARY} itxt", zip=True)
    exif = Image.Exif()
    exif[0x9C9C] = f"{CANARY} xpcomment".encode("utf-16-le")        # XPComment
    stream = io.BytesIO()
    image.save(stream, "PNG", pnginfo=info, exif=exif)
    return stream.getvalue()


def _gif() -> bytes:
    frames = [Image.new("RGB", (20, 20), colour).convert("P") for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    stream = io.BytesIO()
    frames[0].save(stream, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0,
                   comment=f"{CANARY} gif")
    return stream.getvalue()


def _webp() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = CANARY
    stream = io.BytesIO()
    Image.new("RGB", (30, 30), (1, 2, 3)).save(stream, "WEBP", exif=exif, xmp=f"<x>{CANARY}</x>".encode(),
                                               lossless=True)
    return stream.getvalue()


def _holds_canary(data: bytes) -> bool:
    return any(CANARY.encode(encoding) in data for encoding in ("ascii", "utf-16-le", "utf-16-be"))


def _png_chunks(data: bytes) -> list[str]:
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.append(kind.decode("ascii"))
        at += 12 + length
    return chunks


def _jpeg_markers(data: bytes) -> list[int]:
    markers, at = [], 2
    while at < len(data) and data[at + 1] != 0xDA:   # up to the image data (SOS)
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        markers.append(data[at + 1])
        at += 2 + length
    return markers


@pytest.mark.parametrize("kind, make", [("jpg", _jpeg), ("png", _png), ("png", lambda: _png("P")),
                                        ("gif", _gif), ("webp", _webp)])
def test_a_public_copy_holds_no_metadata_in_any_encoding(kind, make):
    data = make()
    assert _holds_canary(data)   # (the canary is there to be found: some of it in UTF-16 or compressed)
    public = public_image(data, kind)
    assert not _holds_canary(public)
    image = Image.open(io.BytesIO(public))
    assert not image.getexif() and "icc_profile" not in image.info and "comment" not in image.info
    if kind == "png":
        assert set(_png_chunks(public)) <= {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}
        source = Image.open(io.BytesIO(data))
        assert image.convert("RGBA").tobytes() == source.convert("RGBA").tobytes()   # the same pixels
    if kind == "jpg":
        assert set(_jpeg_markers(public)) <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD}   # JFIF, tables, frame
    if kind == "gif":   # an animation stays one, with its timing
        assert image.n_frames == 3 and [(image.seek(n), image.info["duration"])[1] for n in range(3)] == [100, 200, 300]


def test_a_photo_is_turned_as_the_camera_asked_and_scaled_down():
    public = Image.open(io.BytesIO(public_image(_jpeg((3200, 2000), orientation=6), "jpg")))
    assert public.size == (1000, MAX_SIDE)   # turned a quarter (EXIF orientation 6), then 3200 -> 1600
    assert public.getpixel((990, 10))[2] > 200 and public.getpixel((10, 10))[2] < 100   # the blue mark: top right


def test_a_damaged_or_disguised_or_enormous_image_is_named_in_indonesian():
    photo = _jpeg((400, 300))
    assert image_problem(photo, "jpg") is None
    assert image_problem(photo[:len(photo) // 2], "jpg") == "gambar rusak atau terpotong: isinya tidak dapat " \
        "dibaca sampai habis."
    assert image_problem(photo, "png") == "isinya gambar JPEG, bukan PNG seperti nama berkasnya."
    assert image_problem(b"GIF89a" + b"\0" * 40, "gif").startswith("isinya bukan gambar PNG, JPEG, GIF atau WebP")
    too_big = ("gambar terlalu besar: lebih dari 25 juta piksel (JPEG 60 juta), semua bingkainya dijumlah, atau "
               "lebih dari 300 bingkai.")
    # a "bomb": many pixels in a few kilobytes; 25 million the limit of what is decoded whole (1 GB
    # for 60 million in WebP), 60 million Pillow's own while we decode
    for size in ((6_000, 5_000), (12_000, 6_000), (10_000, 10_000)):
        stream = io.BytesIO()
        Image.new("1", size).save(stream, "PNG")
        assert len(stream.getvalue()) < 100_000 and image_problem(stream.getvalue(), "png") == too_big


def test_an_image_that_would_take_minutes_or_gigabytes_to_decode_is_refused_at_once():
    """Found by a red team: a GIF whose header says 1 x 1 and whose next frames are 8,000 pixels
    square (a minute and 2.5 GB a decode), and a progressive JPEG of thousands of tiny scans (half
    an hour)."""
    small, big = io.BytesIO(), io.BytesIO()
    Image.new("P", (1, 1), 1).save(small, "GIF")
    Image.new("P", (8_000, 8_000), 1).save(big, "GIF")
    frame = big.getvalue()[big.getvalue().index(b"\x2c", 13 + 6):-1]   # its image, without header and end
    bomb = small.getvalue()[:-1] + b"\x21\xf9\x04\x00\x0a\x00\x00\x00" + frame + b"\x3b"
    assert Image.open(io.BytesIO(bomb)).size == (1, 1) and len(bomb) < 200_000
    assert image_problem(bomb, "gif").startswith("gambar terlalu besar")
    stream = io.BytesIO()
    Image.new("RGB", (64, 64), (9, 9, 9)).save(stream, "JPEG", progressive=True)
    photo = stream.getvalue()
    last_scan = photo[photo.rindex(b"\xff\xda"):photo.rindex(b"\xff\xd9")]
    layered = photo[:photo.rindex(b"\xff\xd9")] + last_scan * 150 + b"\xff\xd9"
    assert image_problem(layered, "jpg") == "gambar JPEG ini tersusun dari terlalu banyak lapisan (lebih dari 100)."


def test_a_palette_keeps_only_the_colours_the_image_uses():
    """Unused entries of a palette, and the alpha bytes of its transparency, could carry text."""
    image = Image.new("P", (8, 8), 1)
    palette = list(range(6)) + list(CANARY.encode()) * 3
    image.putpalette(palette + [0] * (768 - len(palette)))
    for kind, form, options in (("png", "PNG", {}), ("gif", "GIF", {}),
                                ("png", "PNG", {"transparency": b"\xff\x80" + CANARY.encode()})):
        stream = io.BytesIO()
        image.save(stream, form, **options, **({"optimize": False} if form == "GIF" else {}))
        assert CANARY.encode() in stream.getvalue(), (kind, options)
        public = public_image(stream.getvalue(), kind)
        assert CANARY.encode() not in public, (kind, options)
        assert Image.open(io.BytesIO(public)).convert("RGBA").getpixel((0, 0)) == \
            Image.open(stream).convert("RGBA").getpixel((0, 0))


def _site_repo(tmp_path, logo: str = "images/logo.png"):
    policy = project_policy()
    policy["puskesmas"]["logo"] = logo
    data = synthetic_complaint(1)
    repo = write_repo(tmp_path / "repo", [data], policy=policy)
    (repo / "content" / "pages" / "foto.md").write_text(PAGE, encoding="utf-8")
    (repo / "content" / "pages" / "images").mkdir()
    (repo / "content" / "pages" / "images" / "loket.jpg").write_bytes(_jpeg((1200, 900), orientation=6))
    (repo / "content" / "pages" / "images" / "denah.png").write_bytes(_png())
    (repo / "content" / "images").mkdir()
    (repo / "content" / "images" / "logo.png").write_bytes(_png("P"))
    return repo


def test_the_built_site_publishes_the_images_pixels_only(tmp_path):
    repo = _site_repo(tmp_path)
    output, cache = tmp_path / "site", tmp_path / "cache"
    result = build(repo, output, "--cache", cache)
    assert "Unable to find" not in result.stderr   # (Pelican's links to the images were made after they were known)
    published = {path: path.read_bytes() for path in output.rglob("*") if path.suffix in (".jpg", ".png")}
    assert sorted(path.relative_to(output).as_posix() for path in published) == \
        ["images/logo.png", "pages/images/denah.png", "pages/images/loket.jpg"]
    assert not any(_holds_canary(data) for data in published.values())
    assert Image.open(output / "pages/images/loket.jpg").size == (900, 1200)   # upright
    sizes = [(img["src"], img["width"], img["height"]) for img in read_page(output, "foto-loket/").all("img")
             if "pages/images" in img["src"]]   # (the page's, not the logo of every page's head)
    assert sizes == [("../pages/images/loket.jpg", "900", "1200"), ("../pages/images/denah.png", "30", "20")]
    # a rebuild takes the copies from the cache; a damaged copy in it is made again, never published
    kept = sorted((cache / "images").iterdir())
    assert len(kept) == 3
    for path in kept:
        path.write_bytes(path.read_bytes()[:40] + b"CANARY rusak")
    (repo / "content" / "pages" / "foto.md").write_text(PAGE + "\nDiperbarui.\n", encoding="utf-8")
    build(repo, output, "--cache", cache)
    assert {path: path.read_bytes() for path in published} == published
    # an image replaced under the same name, its page unchanged: the new one, with its size
    stream = io.BytesIO()
    Image.new("RGB", (64, 48), (5, 5, 5)).save(stream, "PNG")
    (repo / "content" / "pages" / "images" / "denah.png").write_bytes(stream.getvalue())
    build(repo, output, "--cache", cache)
    assert Image.open(output / "pages/images/denah.png").size == (64, 48)
    assert [(img["width"], img["height"]) for img in read_page(output, "foto-loket/").all("img")
            if img["src"].endswith("denah.png")] == [("64", "48")]


def test_a_settings_file_without_the_plugin_still_publishes_pixels_only(tmp_path):
    repo = _site_repo(tmp_path)
    settings = repo / "polos.py"   # (PLUGINS without `staticimages`: `pengaduan build` adds it)
    settings.write_text(f"exec(open({str(ROOT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
                        "PLUGINS = ['pipeline.plugin.publishing']\n", encoding="utf-8")
    output = tmp_path / "site"
    build(repo, output, "--settings", settings)
    assert not any(_holds_canary(path.read_bytes()) for path in output.rglob("*") if path.suffix in (".jpg", ".png"))


def test_a_damaged_page_image_is_an_error_of_check_and_stops_the_build(tmp_path):
    repo = _site_repo(tmp_path)
    photo = repo / "content" / "pages" / "images" / "loket.jpg"
    photo.write_bytes(photo.read_bytes()[:2000])
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1
    assert re.search(r"content/pages/foto\.md:4:\d+: galat: gambar `images/loket\.jpg`: gambar rusak atau "
                     r"terpotong: .* Saran: Buka gambar itu di aplikasi galeri", result.stdout), result.stdout
    output = tmp_path / "site"
    result = build(repo, output, check=False)
    assert result.returncode == 1 and not output.exists()


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 9 9">{}</svg>'
INKSCAPE = SVG.replace("<svg ", '<svg xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" ').format(
    '<sodipodi:namedview id="v"/><defs><linearGradient id="g"><stop offset="0"/></linearGradient>'
    '<filter id="f"><feDropShadow dx="1"/><feTurbulence baseFrequency="0.1"/></filter></defs>'
    '<circle r="4" fill="url(#g)" filter="url(#f)" aria-label="data: logo versi 2"/><use xlink:href="#g"/>')
ILLUSTRATOR = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
               '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + SVG.format('<rect width="9" height="9"/>'))


@pytest.mark.parametrize("logo, content, message", [
    ("complaints/2025/<id>.md", None, "bukan gambar: logo harus berkas SVG, PNG, JPEG, GIF atau WebP"),
    ("images/rusak.png", _png()[:60], "gambar rusak atau terpotong"),
    # an SVG is served from the site's address, the web editor's too: nothing in it may run or fetch
    ("images/logo.svg", SVG.format("<script>alert(1)</script>"), "SVG memuat unsur `<script>`"),
    ("images/logo.svg", SVG.format('<rect onload="alert(1)"/>'), "SVG memuat atribut `onload`"),
    ("images/logo.svg", SVG.format('<use xlink:href="https://contoh.example/a.svg#x"/>'), "tautan ke luar"),
    ("images/logo.svg", SVG.format('<rect style="fill:url(https://contoh.example/a)"/>'), "tautan ke luar"),
    ("images/logo.svg", SVG.format('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>'),
     "SVG memuat unsur `<foreignObject>`"),
    ("images/logo.svg", SVG.format('<metadata><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)'
                                   '</h:script></metadata>'), "SVG memuat unsur `<script>`"),
    ("images/logo.svg", SVG.format("<style>@import 'https://contoh.example/a.css';</style>"), "gaya (`<style>`)"),
    ("images/logo.svg", '<?xml-stylesheet href="https://contoh.example/a.css"?>' + SVG.format(""),
     "instruksi pemrosesan"),
    ("images/logo.svg", '<!DOCTYPE svg [<!ENTITY a SYSTEM "file:///etc/passwd">]>' + SVG.format("&a;"), "ENTITY"),
    ("images/logo.svg", "<svg><rect></svg>", "XML rusak"),
    # found by a red team: UTF-16 hid an instruction that made the logo an XSLT program (a script
    # ran); CSS escapes and image-set() fetched from another site
    ("images/logo.svg", ('<?xml version="1.0" encoding="UTF-16"?>\n<?xml-stylesheet type="text/xsl" href="logo.svg"?>'
                         + SVG.format("<rect/>")).encode("utf-16"), "tidak ditulis dalam UTF-8"),
    ("images/logo.svg", SVG.format('<rect fill="u\\rl(https://contoh.example/x.svg#a) red"/>'), "tautan ke luar"),
    ("images/logo.svg", SVG.format("<style>@\\69mport 'https://contoh.example/a.css';</style>"), "gaya (`<style>`)"),
    ("images/logo.svg", SVG.format('<style>svg{background-image:image-set("https://contoh.example/a.png" 1x)}'
                                   "</style>"), "gaya (`<style>`)"),
    ("images/logo.svg", SVG.format("<flowRoot><flowPara>Puskesmas</flowPara></flowRoot>"), "Ubah ke Teks")])
def test_a_logo_that_is_not_a_sound_image_stops_the_build_at_its_line(tmp_path, logo, content, message):
    logo = logo.replace("<id>", synthetic_complaint(1)["id"])   # (a complaint, with its reporter)
    repo = _site_repo(tmp_path, logo)
    if content is not None:
        (repo / "content" / logo).write_bytes(content if isinstance(content, bytes) else content.encode())
    checked = run_cli("check", "--repo", repo, "--now", NOW)
    output = tmp_path / "site"
    result = build(repo, output, check=False)
    assert result.returncode == 1 and not output.exists()
    line = next(number for number, text in enumerate((repo / "puskesmas.yaml").read_text().splitlines(), 1)
                if text.strip().startswith("logo:"))
    assert f"puskesmas.yaml:{line}:" in result.stderr and message in result.stderr, result.stderr
    assert checked.returncode == 1 and f"puskesmas.yaml:{line}:" in checked.stdout and message in checked.stdout


def _drawn(svg: bytes) -> list:
    """An SVG's drawing: each SVG element with its attributes (an editor's left out) and text."""
    root = ElementTree.fromstring(svg)
    return [(element.tag, {key: value for key, value in element.attrib.items() if "sodipodi" not in key},
             (element.text or "").strip(), (element.tail or "").strip()) for element in root.iter()
            if element.tag.startswith("{http://www.w3.org/2000/svg}")]


@pytest.mark.parametrize("drawing", [INKSCAPE, ILLUSTRATOR])
def test_a_drawing_made_by_an_svg_editor_is_a_logo(tmp_path, drawing):
    repo = _site_repo(tmp_path, "images/logo.svg")
    (repo / "content" / "images" / "logo.svg").write_text(drawing, encoding="utf-8")
    build(repo, tmp_path / "site")
    published = (tmp_path / "site" / "images" / "logo.svg").read_bytes()
    assert _drawn(published) == _drawn(drawing.encode()) and b"sodipodi" not in published
    assert (b'xlink:href="#g"' in published) == ("xlink:href" in drawing)   # (SVG's own prefixes, not ns1:)
    assert published.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')


# What Inkscape keeps beside a drawing: its user's name (Document Properties > Metadata), the
# path of the last export, the file's name, comments; a name in them stopped the build (the gate)
EDITORS_NOTES = ('<?xml version="1.0" encoding="UTF-8"?>\n<!-- dibuat oleh {name} -->\n'
                 '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
                 'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
                 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#" '
                 'xmlns:dc="http://purl.org/dc/elements/1.1/" viewBox="0 0 90 20" sodipodi:docname="logo {name}.svg" '
                 'inkscape:export-filename="/home/{name}/logo.png">\n'
                 '<metadata><rdf:RDF><cc:Work><dc:creator><cc:Agent><dc:title>{name}</dc:title></cc:Agent>'
                 '</dc:creator></cc:Work></rdf:RDF></metadata>\n<sodipodi:namedview inkscape:label="{name}"/>\n'
                 '<g inkscape:label="Lapisan {name}" inkscape:groupmode="layer"><text x="1" y="15" xml:space="preserve">'
                 'Puskesmas <inkscape:note>{name}</inkscape:note>Melati <tspan fill="#0b5d3b">Sehat</tspan></text>'
                 '</g>\n</svg>\n')


def test_what_an_editor_keeps_beside_the_drawing_is_not_published(tmp_path):
    name = "Sulastri Wahyuningsih"
    repo = _site_repo(tmp_path, "images/logo.svg")
    complaint = next((repo / "content" / "complaints").rglob("*.md"))
    complaint.write_text(complaint.read_text(encoding="utf-8").replace(
        "---\n", f"---\npelapor:\n  nama: {name}\n  kontak: '0815-5380-2916'\n", 1), encoding="utf-8")
    (repo / "content" / "images" / "logo.svg").write_text(EDITORS_NOTES.format(name=name), encoding="utf-8")
    build(repo, tmp_path / "site")   # (the privacy gate found no name in the logo)
    published = (tmp_path / "site" / "images" / "logo.svg").read_bytes()
    assert b"Sulastri" not in published and b"inkscape" not in published and b"<!--" not in published
    root = ElementTree.fromstring(published)
    assert "".join(root.itertext()).split() == ["Puskesmas", "Melati", "Sehat"]
    assert root.find(".//{http://www.w3.org/2000/svg}text").get("{http://www.w3.org/XML/1998/namespace}space") == \
        "preserve"


def test_a_photo_named_as_an_iphone_names_it_is_published_clean(tmp_path):
    """`IMG_1234.JPG`: the ending in capitals, as iPhones and cameras write it."""
    repo = _site_repo(tmp_path)
    (repo / "content" / "pages" / "images" / "IMG_1234.JPG").write_bytes(_jpeg())
    (repo / "content" / "pages" / "foto.md").write_text("Title: Foto\nSlug: foto-loket\n\n"
                                                        "![loket]({static}images/IMG_1234.JPG)\n", encoding="utf-8")
    assert run_cli("check", "--repo", repo, "--now", NOW).returncode == 0
    build(repo, tmp_path / "site")
    published = (tmp_path / "site" / "pages" / "images" / "IMG_1234.JPG").read_bytes()
    assert published[:3] == b"\xff\xd8\xff" and not _holds_canary(published)


def test_a_heic_photo_named_jpg_is_named_with_what_to_do(tmp_path):
    repo = _site_repo(tmp_path)
    (repo / "content" / "pages" / "images" / "loket.jpg").write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64)
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1 and "galat: berkas `images/loket.jpg` berisi foto HEIC (format foto iPhone), bukan " \
        "gambar JPG. Saran: Simpan gambarnya sebagai JPEG atau PNG (di iPhone: Pengaturan > Kamera" in result.stdout


def test_a_cached_rebuild_takes_an_images_size_from_its_kept_copy_without_decoding_it(tmp_path):
    """A photo is decoded whole once (0.3 s for 12 megapixels), when its public copy is made; a
    rebuild reads the size the page gives it from that copy. (Shown by a copy the cache keeps
    of another size: the page says that size.)"""
    import hashlib
    repo = _site_repo(tmp_path)
    output, cache = tmp_path / "site", tmp_path / "cache"
    build(repo, output, "--cache", cache)
    stream = io.BytesIO()
    Image.new("RGB", (7, 5)).save(stream, "JPEG")
    kept = next(path for path in (cache / "images").iterdir()
                if path.read_bytes()[32:] == (output / "pages" / "images" / "loket.jpg").read_bytes())
    kept.write_bytes(hashlib.sha256(stream.getvalue()).digest() + stream.getvalue())
    (repo / "content" / "pages" / "foto.md").write_text(PAGE + "\nDiperbarui.\n", encoding="utf-8")
    build(repo, output, "--cache", cache)
    assert [(img["width"], img["height"]) for img in read_page(output, "foto-loket/").all("img")
            if img["src"].endswith("loket.jpg")] == [("7", "5")]


def test_what_a_second_red_team_found_is_closed():
    """Text in the colour of transparent pixels (alpha 0: no one sees it, PNG keeps it); a GIF cut
    short and an odd EXIF beside a turn (internal errors); a phone's MPO photo (refused as not a
    JPEG)."""
    secret = f"NIK 3171012345678901 {CANARY}".encode()
    hidden = Image.new("RGBA", (len(secret), 1), (0, 0, 0, 0))
    hidden.putdata([(byte, byte, byte, 0) for byte in secret])
    stream = io.BytesIO()
    hidden.save(stream, "PNG")
    assert Image.open(stream).tobytes()[::4][:len(secret)] == secret
    assert CANARY.encode() not in Image.open(io.BytesIO(public_image(stream.getvalue(), "png"))).tobytes()[::4]
    palette = Image.new("P", (4, 1), 0)
    palette.putpalette(list(CANARY.encode()[:3]) + [9, 9, 9] + [0] * 762)
    palette.putpixel((1, 0), 1)
    stream = io.BytesIO()
    palette.save(stream, "PNG", transparency=0)
    assert CANARY.encode()[:3] in stream.getvalue() and CANARY.encode()[:3] not in public_image(stream.getvalue(), "png")
    frames = [Image.new("RGB", (40, 30), colour).convert("P") for colour in ((250, 0, 0), (0, 250, 0), (0, 0, 250))]
    stream = io.BytesIO()
    frames[0].save(stream, "GIF", save_all=True, append_images=frames[1:], duration=100)
    whole = stream.getvalue()
    for cut in range(20, len(whole), 3):
        problem = image_problem(whole[:cut], "gif")
        assert problem is None or problem.startswith(("gambar rusak", "isinya bukan")), (cut, problem)
    # turned (orientation 6), and a resolution that is no number (ASCII "abc", not a RATIONAL)
    exif = (b"Exif\0\0MM\0*\0\0\0\x08\0\x02" + struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) +
            struct.pack(">HHI4s", 0x011A, 2, 4, b"abc\0") + b"\0\0\0\0")
    stream = io.BytesIO()
    Image.new("RGB", (40, 20), (1, 2, 3)).save(stream, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(public_image(stream.getvalue(), "jpg"))).size == (20, 40)
    stream = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 1, 1)).save(stream, "MPO", save_all=True,
                                                 append_images=[Image.new("RGB", (40, 20), (1, 1, 200))])
    assert Image.open(stream).format == "MPO"
    public = Image.open(io.BytesIO(public_image(stream.getvalue(), "jpg")))
    assert public.format == "JPEG" and getattr(public, "n_frames", 1) == 1 and public.getpixel((5, 5))[0] > 150


@pytest.mark.parametrize("space", ["\u00a0", "\u3000", "\u2003"])
def test_a_link_behind_a_space_only_python_reads_as_one_is_a_link_out(space):
    """A browser reads only ASCII spaces as spaces: `href="\u00a0#x"` is a file of the site."""
    from pipeline.outputs.svglogo import svg_problem
    assert "tautan ke luar" in svg_problem(SVG.format(f'<use href="{space}#x"/>').encode())
    assert "tautan ke luar" in svg_problem(SVG.format(f'<rect style="mask-image:url({space}#m)"/>').encode())
    assert svg_problem(SVG.format('<use href=" #x"/><rect fill="url( #g)"/>').encode()) is None


def test_an_image_name_with_a_space_is_named_with_how_to_rename_it(tmp_path):
    repo = _site_repo(tmp_path)
    (repo / "content" / "pages" / "images" / "foto loket.jpg").write_bytes(_jpeg())
    (repo / "content" / "pages" / "foto.md").write_text("Title: Foto\n\n![loket]({static}images/foto loket.jpg)\n",
                                                        encoding="utf-8")
    result = run_cli("check", "--repo", repo, "--now", NOW)
    assert result.returncode == 1 and "nama gambar `images/foto loket.jpg` tidak dapat dipakai" in result.stdout \
        and "Saran: Ganti nama berkasnya dan tautannya, mis. `foto-loket.jpg`." in result.stdout, result.stdout


def test_an_animation_that_clears_its_frames_shows_the_same_frames():
    """A square moving over a transparent ground, each frame cleared before the next (disposal 2):
    the published GIF shows each frame as the original does, with no trail."""
    frames = []
    for step in range(4):
        frame = Image.new("RGBA", (16, 8), (0, 0, 0, 0))
        frame.paste((255, 0, 0, 255), (step * 4, 2, step * 4 + 4, 6))
        frames.append(frame)
    stream = io.BytesIO()
    frames[0].save(stream, "GIF", save_all=True, append_images=frames[1:], duration=100, disposal=2, loop=0)

    def shown(data: bytes) -> list[bytes]:
        image = Image.open(io.BytesIO(data))
        return [(image.seek(index), image.convert("RGBA").tobytes())[1] for index in range(image.n_frames)]
    assert shown(public_image(stream.getvalue(), "gif")) == shown(stream.getvalue())
