"""A staff image as the public site shows it: its pixels only, no bigger than a screen needs.

A photo carries more than its pixels: EXIF (the camera owner's name, where it was taken by GPS,
when), XMP, a JPEG comment, PNG text chunks (compressed ones too, which no text search reads),
Windows' author and comment tags (UTF-16). None of it is the privacy gate's to find: a page's
image (content/pages/images/) and a raster logo are published as a new file that Pillow encodes
from the decoded pixels alone, with only the display settings of `KEPT_INFO` (an allowlist, like
the site's text). The orientation the camera wrote is applied to the pixels first, so that the
photo still stands the right way up. An image larger than `MAX_SIDE` on a side is scaled down: a
phone's 4,000-pixel photo is megabytes a cheap phone downloads to show 360 pixels.

An SVG logo is published as it is (its text is the gate's to read), but only when it is a
drawing: `svg_problem` refuses what would run or fetch anything when the file is opened on its
own at the site's address, the address of the web editor too (a script, an event handler, an
embedded page, a link out of the file, a DOCTYPE's entities).

`image_problem` says, in Indonesian, why a file cannot be published (not an image of its name's
kind, damaged, too many pixels); `pengaduan check` and the page reader ask it. HINT says what
to do about it.
"""
from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ElementTree

import PIL
from PIL import Image, ImageOps, ImageSequence

MAX_IMAGE_BYTES = 5 * 1024 * 1024   # a file's size (a phone's photo; a page is read on slow connections)
MAX_SIDE = 1600             # pixels: a 1,280-px screen's column, sharp on a phone's 2x screen
MAX_PIXELS = 60_000_000     # decoded pixels of all frames (a 50-megapixel photo; a "bomb" is refused)
MAX_FRAMES = 300
KINDS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}
# What a published image keeps of its file's information: how to show it, nothing about who or where.
KEPT_INFO = {"transparency", "duration", "loop", "disposal", "background", "blend"}
SAVE_OPTIONS = {"JPEG": {"quality": 82, "optimize": True, "progressive": True},
                "PNG": {"optimize": True},
                "WEBP": {"quality": 82, "method": 4},
                "GIF": {"optimize": False}}
DAMAGED = "gambar rusak atau terpotong: isinya tidak dapat dibaca sampai habis."
# a public copy depends on these and on Pillow's encoders: part of its key in the build cache
VERSION = f"1 {PIL.__version__} {MAX_SIDE} {sorted(KEPT_INFO)} {SAVE_OPTIONS}"


HINT = ("Buka gambar itu di aplikasi galeri atau penyunting gambar, simpan (ekspor) lagi sebagai PNG, JPEG, "
        "GIF atau WebP dengan nama berakhiran jenisnya (mis. loket.jpg), lalu ganti berkasnya.")


# the elements of a drawing (SVG 1.1/2, by local name); anything else is refused
SVG_ELEMENTS = frozenset("""svg g defs symbol use title desc metadata path rect circle ellipse line polyline
    polygon text tspan textPath linearGradient radialGradient stop pattern clipPath mask marker filter
    feBlend feColorMatrix feComponentTransfer feComposite feFlood feGaussianBlur feMerge feMergeNode
    feOffset feFuncA feFuncB feFuncG feFuncR style switch""".split())
SVG_SPACE, XHTML_SPACE = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml"
SVG_HINT = ("Ekspor logo lagi sebagai SVG biasa (bentuk, warna dan teks saja: tanpa skrip, tanpa gambar tersemat, "
            "tanpa tautan ke berkas atau situs lain), atau pakai logo PNG.")
_LINK_OUT = re.compile(r"(?i)(?:url\(\s*['\"]?|@import)(?!\s*['\"]?#)|javascript:|data:")


class ImageProblem(Exception):
    """An image that cannot be published; the message says why, in Indonesian."""


def image_problem(data: bytes, kind: str) -> str | None:
    """Why `data` cannot be published as a `kind` image (its file name's ending), or None: every
    frame decoded, not encoded again."""
    try:
        published_size(data, kind)
    except ImageProblem as problem:
        return str(problem)
    return None


def published_size(data: bytes, kind: str) -> tuple[int, int]:
    """(width, height) of the public copy of `data` (every frame decoded, not encoded again), or
    ImageProblem: a page gives the browser its size, so that nothing moves when it arrives."""
    return _clean_frames(_opened(data, kind))[0].size


def public_image(data: bytes, kind: str) -> bytes:
    """The bytes the site publishes for an image file of `kind`: its pixels, upright and at most
    MAX_SIDE on a side, encoded again with no metadata."""
    image = _opened(data, kind)
    frames = _clean_frames(image)
    first, rest = frames[0], frames[1:]
    options = dict(SAVE_OPTIONS[image.format])
    if rest:
        options.update(save_all=True, append_images=rest)
        for name in ("duration", "loop", "disposal"):
            values = [frame.info.get(name) for frame in frames]
            if all(value is not None for value in values):
                options[name] = values if name != "loop" else values[0]
    stream = io.BytesIO()
    first.save(stream, image.format, **options)
    return stream.getvalue()


def _opened(data: bytes, kind: str) -> Image.Image:
    expected = KINDS[kind.lower()]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(set(KINDS.values())))
        except (Image.UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageProblem(f"isinya bukan gambar {kind.upper()} yang dapat dibaca.") from None
        except (OSError, ValueError, SyntaxError, EOFError):
            raise ImageProblem(DAMAGED) from None
    if image.format != expected:
        raise ImageProblem(f"isinya gambar {image.format}, bukan {kind.upper()} seperti nama berkasnya.")
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_FRAMES or image.width * image.height * frames > MAX_PIXELS:
        raise ImageProblem(f"gambar terlalu besar ({image.width} x {image.height} piksel"
                           f"{f', {frames} bingkai' if frames > 1 else ''}; batas {MAX_PIXELS // 1_000_000} juta "
                           "piksel).")
    return image


def _clean_frames(image: Image.Image) -> list[Image.Image]:
    try:
        return [_clean_frame(frame) for frame in ImageSequence.Iterator(image)]
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        raise ImageProblem(DAMAGED) from None


def _clean_frame(frame: Image.Image) -> Image.Image:
    """A new image of `frame`'s pixels: upright, scaled down, with only the display settings."""
    if frame.format == "JPEG":
        frame.draft(frame.mode, (MAX_SIDE, MAX_SIDE))   # decoded at a smaller scale: faster, less memory
    upright = ImageOps.exif_transpose(frame)
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    upright.info = {name: value for name, value in frame.info.items() if name in KEPT_INFO}
    return upright


def svg_problem(data: bytes) -> str | None:
    """Why an SVG file may not be published as it is, or None."""
    if re.search(rb"(?i)<!(?:DOCTYPE|ENTITY)", data):
        return "SVG memuat DOCTYPE atau ENTITY (dapat memuat berkas lain)."
    if re.search(rb"<\?(?!xml[\s?])", data):   # (`<?xml-stylesheet href=...?>` loads a file)
        return "SVG memuat instruksi pemrosesan (`<?...?>`) yang dapat memuat berkas lain."
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError):
        return "isinya bukan SVG yang dapat dibaca (XML rusak)."
    if _local(root.tag) != "svg":
        return "isinya bukan gambar SVG."
    for element in root.iter():
        space, name = _split(element.tag)
        # (an editor's own elements, Inkscape's, RDF's, are not shown and never run; XHTML's may)
        if name not in SVG_ELEMENTS if space in ("", SVG_SPACE) else space == XHTML_SPACE or not name:
            return (f"SVG memuat unsur `<{name}>`, yang tidak diizinkan di logo: logo SVG hanya boleh berisi "
                    "bentuk, warna dan teks.")
        for attribute, value in element.attrib.items():
            attribute = _local(attribute)
            if attribute.lower().startswith("on"):
                return f"SVG memuat atribut `{attribute}` (skrip yang berjalan saat logo dibuka)."
            if attribute == "href" and not value.strip().startswith("#") or _LINK_OUT.search(value):
                return f"SVG memuat tautan ke luar berkasnya (`{attribute}`)."
        if name == "style" and _LINK_OUT.search("".join(element.itertext())):
            return "SVG memuat gaya (`<style>`) yang memuat berkas atau situs lain."
    return None


def _split(name) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag; a comment's or an instruction's: ("", "")."""
    if not isinstance(name, str):
        return "", ""
    space, _, local = name[1:].rpartition("}") if name.startswith("{") else ("", "", name)
    return space, local


def _local(name) -> str:
    return _split(name)[1]
