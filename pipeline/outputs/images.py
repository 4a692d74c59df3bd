"""A staff image as the public site shows it: its pixels only, no bigger than a screen needs.

A photo carries more than its pixels: EXIF (the camera owner's name, where it was taken by GPS,
when), XMP, a JPEG comment, PNG text chunks (compressed ones too, which no text search reads),
Windows' author and comment tags (UTF-16). None of it is the privacy gate's to find: a page's
image (content/pages/images/) and a raster logo are published as a new file that Pillow encodes
from the decoded pixels alone, with only the display settings of `KEPT_INFO` (an allowlist, like
the site's text); a palette keeps only the colours used, a transparent pixel no colour. An image
larger than `MAX_SIDE` on a side is scaled down (a phone's 4,000-pixel photo is megabytes a cheap
phone downloads to show 360 pixels), then turned as the camera's EXIF says, so that it stands
the right way up. Decoding is bounded: pixels (all frames'), frames and a JPEG's scans are
counted before they cost minutes or gigabytes.

`image_problem` says, in Indonesian, why a file cannot be published (not an image of its name's
kind, damaged, too many pixels); `pengaduan check` and the page reader ask it. HINT says what
to do about it.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import PIL   # (its version only: Pillow's images are imported when an image is read, 18 ms)

if TYPE_CHECKING:
    from PIL import Image

MAX_IMAGE_BYTES = 5 * 1024 * 1024   # a file's size (a phone's photo; a page is read on slow connections)
MAX_SIDE = 1600             # pixels: a 1,280-px screen's column, sharp on a phone's 2x screen
MAX_PIXELS = 60_000_000         # a JPEG's (a 50-megapixel photo: decoded at a smaller scale)
MAX_DRAWN_PIXELS = 25_000_000   # the others', all frames (decoded whole: 1 GB for 60 million in WebP)
MAX_FRAMES = 300
MAX_SCANS = 100             # the scans of a progressive JPEG (a camera's has about ten)
KINDS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}
# What a published image keeps of its file's information: how to show it, nothing about who or where.
KEPT_INFO = {"transparency", "duration", "loop", "blend"}
SAVE_OPTIONS = {"JPEG": {"quality": 82, "optimize": True, "progressive": True},
                "PNG": {"optimize": True},
                "WEBP": {"quality": 82, "method": 4},
                "GIF": {"optimize": False}}
DAMAGED = "gambar rusak atau terpotong: isinya tidak dapat dibaca sampai habis."
TOO_BIG = (f"gambar terlalu besar: lebih dari {MAX_DRAWN_PIXELS // 1_000_000} juta piksel (JPEG "
           f"{MAX_PIXELS // 1_000_000} juta), semua bingkainya dijumlah, atau lebih dari {MAX_FRAMES} bingkai.")
HINT = ("Buka gambar itu di aplikasi galeri atau penyunting gambar, simpan (ekspor) lagi sebagai PNG, JPEG, "
        "GIF atau WebP dengan nama berakhiran jenisnya (mis. loket.jpg), lalu ganti berkasnya.")
# a public copy, and whether there is one, depends on this module (its limits, how it makes the
# copy) and on Pillow: part of its key in the build cache
VERSION = f"{PIL.__version__} {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}"
# what a file that is no image of ours often is, by its first bytes: named, with what to do
OTHER_KINDS = ((b"ftypheic", "foto HEIC (format foto iPhone)"), (b"ftypheix", "foto HEIC (format foto iPhone)"),
               (b"ftypmif1", "foto HEIF/HEIC"), (b"ftyphevc", "foto HEIC"), (b"ftypavif", "gambar AVIF"),
               (b"%PDF", "dokumen PDF"), (b"BM", "gambar BMP"), (b"II*\0", "gambar TIFF"), (b"MM\0*", "gambar TIFF"))
OTHER_HINT = ("Simpan gambarnya sebagai JPEG atau PNG (di iPhone: Pengaturan > Kamera > Format > Paling Kompatibel, "
              "atau bagikan foto lewat aplikasi yang mengubahnya ke JPEG), lalu ganti berkasnya.")


def other_kind(data: bytes) -> str | None:
    """What a file is when it is a known kind that the site does not publish (a HEIC photo named
    .jpg), or None."""
    for magic, name in OTHER_KINDS:
        if data[4:12] == magic if magic.startswith(b"ftyp") else data.startswith(magic):
            return name
    return None


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
    options = dict(SAVE_OPTIONS[_format(image)])
    if rest:
        options.update(save_all=True, append_images=rest)
        for name in ("duration", "loop"):
            values = [frame.info.get(name) for frame in frames]
            if all(value is not None for value in values):
                options[name] = values if name != "loop" else values[0]
        if _format(image) == "GIF":   # (each frame is whole, as Pillow composed it: drawn on a cleared one)
            options["disposal"] = 2
    stream = io.BytesIO()
    first.save(stream, _format(image), **options)
    return stream.getvalue()


def _opened(data: bytes, kind: str) -> Image.Image:
    expected = KINDS[kind.lower()]
    # (each scan of a progressive JPEG is decoded over the whole image: thousands of tiny ones in
    # a small file took half an hour)
    if expected == "JPEG" and data.count(b"\xff\xda") > MAX_SCANS:
        raise ImageProblem(f"gambar JPEG ini tersusun dari terlalu banyak lapisan (lebih dari {MAX_SCANS}).")
    other = other_kind(data)
    if other:
        raise ImageProblem(f"isinya {other}; situs hanya menerbitkan gambar PNG, JPEG, GIF atau WebP.")
    from PIL import Image
    with _bombs_refused():
        image = Image.open(io.BytesIO(data), formats=list(set(KINDS.values())))
    if _format(image) != expected:
        raise ImageProblem(f"isinya gambar {image.format}, bukan {kind.upper()} seperti nama berkasnya.")
    return image


def _format(image: Image.Image) -> str:
    """The image's format; a JPEG with more pictures in it (MPO: a phone's portrait photo, its
    depth map after it) is a JPEG, of which the first picture is published."""
    return "JPEG" if image.format == "MPO" else image.format


@contextmanager
def _bombs_refused():
    """Pillow's refusal of an image of more than MAX_PIXELS (its own limit, lowered while we
    decode; a frame's size too, which a GIF's header does not tell) as an ImageProblem, and its
    errors of a damaged file."""
    from PIL import Image
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # (Pillow's own, in English, of odd EXIF: not for staff)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(TOO_BIG) from None
    except Image.UnidentifiedImageError:
        raise ImageProblem("isinya bukan gambar PNG, JPEG, GIF atau WebP yang dapat dibaca.") from None
    except Exception:   # (a damaged file meets Pillow's decoders anywhere: IndexError, TypeError, ...)
        raise ImageProblem(DAMAGED) from None
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _clean_frames(image: Image.Image) -> list[Image.Image]:
    """Each frame's `_clean_frame`, the frames counted and their pixels summed as they come."""
    frames, pixels = [], 0
    jpeg = _format(image) == "JPEG"
    most = MAX_PIXELS if jpeg else MAX_DRAWN_PIXELS
    with _bombs_refused():
        for index in range(1 if jpeg else MAX_FRAMES + 1):
            if index:
                try:
                    image.seek(index)
                except EOFError:
                    return frames
            pixels += image.width * image.height
            if index == MAX_FRAMES or pixels > most:
                raise ImageProblem(TOO_BIG)
            frames.append(_clean_frame(image))
    return frames


def _clean_frame(frame: Image.Image) -> Image.Image:
    """A new image of `frame`'s pixels: scaled down, upright, with only the display settings, no
    colour under a transparent pixel and, in a palette, only the colours it uses (unused ones, or
    hidden ones, could carry text)."""
    if _format(frame) == "JPEG":
        frame.draft(frame.mode, (MAX_SIDE, MAX_SIDE))   # decoded at a smaller scale: faster, less memory
    clean = _fitted(frame)
    turn = _TURNS.get(_orientation(frame))
    if turn is not None:
        clean = clean.transpose(turn)
    clean.info = {name: value for name, value in frame.info.items() if name in KEPT_INFO}
    if clean.mode == "P":
        clean = _used_palette(clean)
    elif clean.mode in ("RGBA", "LA"):
        clean.paste(0, mask=clean.getchannel("A").point(_CLEAR))
    return clean


# EXIF's orientation -> the turn that stands the picture up (as ImageOps.exif_transpose)
# (Pillow's `Image.Transpose`: FLIP_LEFT_RIGHT 0, FLIP_TOP_BOTTOM 1, ROTATE_90 2, ROTATE_180 3,
# ROTATE_270 4, TRANSPOSE 5, TRANSVERSE 6)
_TURNS = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}
LANCZOS = 1   # (`Image.Resampling.LANCZOS`)
_CLEAR = [255] + [0] * 255   # (a mask of the fully transparent pixels)


def _orientation(frame: Image.Image) -> int:
    try:   # (a damaged EXIF tells nothing: the picture as it is)
        return int(frame.getexif().get(0x0112, 1))
    except Exception:
        return 1


def _fitted(frame: Image.Image) -> Image.Image:
    """A new image of `frame` at most MAX_SIDE on a side (the frame itself is left as it is: the
    next frame of an animation is drawn on it)."""
    width, height = frame.size
    scale = MAX_SIDE / max(width, height)
    if scale >= 1:
        return frame.copy()
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return frame.resize(size, LANCZOS, reducing_gap=3.0)


def _used_palette(image: Image.Image) -> Image.Image:
    used = sorted(index for _, index in image.getcolors(256))
    alpha = image.info.pop("transparency", None)
    kept = image.remap_palette(used)
    kept.info = dict(image.info)
    if isinstance(alpha, bytes):   # (one alpha a colour: those of the colours used)
        alpha = bytes(alpha[index] if index < len(alpha) else 255 for index in used)
        kept.info["transparency"] = alpha
        hidden = [index for index, value in enumerate(alpha) if value == 0]
    elif alpha in used:   # (the index of the transparent colour: where that colour went)
        kept.info["transparency"] = used.index(alpha)
        hidden = [used.index(alpha)]
    else:
        hidden = []
    if hidden:   # (the colour of a transparent entry is seen by no one: it could carry text)
        palette = kept.getpalette()
        for index in hidden:
            palette[index * 3:index * 3 + 3] = [0, 0, 0]
        kept.putpalette(palette)
    return kept
