"""Pelican plugin: the site's images published as their pixels only (`outputs.images`).

Pelican copies the files a page links (`{static}images/loket.jpg`) and the logo of
puskesmas.yaml (a link `publishing` adds) byte for byte, with whatever a phone or an editor wrote
into them. This plugin takes every PNG, JPEG, GIF and WebP off Pelican's list of files to copy
(`static_generator_finalized`) and writes its public copy in its place; so it does for an SVG
logo, whose public copy is its drawing only (`outputs.svglogo`). A public copy is kept in
the build cache by the sha256 of its source (`images/`), so a rebuild does not encode it again.
`pengaduan build` loads this plugin whatever the settings file's PLUGINS say.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
from pathlib import Path, PurePosixPath

from pelican import signals

from pipeline.outputs.images import HINT, KINDS, MAX_IMAGE_BYTES, VERSION, ImageProblem, image_problem, public_image
from pipeline.outputs.svglogo import HINT as SVG_HINT, public_svg, svg_problem
from pipeline.outputs.site import BuildStopped
from pipeline.plugin.cache import Shelf
from pipeline.records.policy import Policy
from pipeline.records.problems import Problem
from pipeline.records.osreasons import os_reason
from pipeline.records.source import SourceError, inside, parse_yaml, read_text

logger = logging.getLogger(__name__)
SHELF = "images"
LOGO_KINDS = ("svg", *KINDS)
LOGO_HINT = "Simpan logo di content/, mis. content/images/logo.svg, lalu tulis `logo: images/logo.svg`."


def checked_logo(repo: Path, content: Path, logo, cache: str | None = None) -> str | None:
    """The logo's path in content/ (and on the site), or BuildStopped naming puskesmas.yaml's line.
    `cache`: the build cache, whose public copy of the logo means it was decoded whole before."""
    if not logo:
        return None
    relative = PurePosixPath(str(logo))
    source = (content / relative).resolve()
    if relative.is_absolute() or ".." in relative.parts or not source.is_file():
        raise _logo_problem(repo, f"berkas logo `{logo}` tidak ditemukan di content/.", LOGO_HINT)
    if not inside(source, content):   # (a link to a file of the building machine)
        raise _logo_problem(repo, f"berkas logo `{logo}` adalah tautan (symlink) ke luar content/; tidak disalin "
                            "ke situs.", "Simpan berkas logonya sendiri (bukan tautan) di content/, mis. "
                            "content/images/logo.svg.")
    kind = relative.name.rsplit(".", 1)[-1].lower()
    if kind not in LOGO_KINDS or "." not in relative.name:
        raise _logo_problem(repo, f"berkas logo `{logo}` bukan gambar: logo harus berkas SVG, PNG, JPEG, GIF atau "
                            "WebP.", LOGO_HINT)
    problem = _read_problem(source)
    if problem is None:
        try:
            data = source.read_bytes()
        except OSError as err:
            raise _logo_problem(repo, f"berkas logo `{logo}` tidak dapat dibaca ({os_reason(err)}).",
                                LOGO_HINT) from None
        problem = svg_problem(data) if kind == "svg" else \
            None if kept_sizes(cache)(data, kind) else image_problem(data, kind)
    if problem:
        raise _logo_problem(repo, f"berkas logo `{logo}`: {problem}", SVG_HINT if kind == "svg" else HINT)
    return relative.as_posix()


def logo_problems(repo: Path, policy: Policy) -> list[Problem]:
    """`checked_logo`'s problems for `pengaduan check` (the policy as loaded)."""
    try:
        checked_logo(repo, repo / "content", policy.identity.logo)
    except BuildStopped as stopped:
        return stopped.problems
    return []


def _logo_problem(repo: Path, message: str, hint: str) -> BuildStopped:
    line, column = 1, 1
    try:
        document = parse_yaml(read_text(repo / "puskesmas.yaml", "puskesmas.yaml"), "puskesmas.yaml")
        line, column = document.position(("puskesmas", "logo"))
    except SourceError:
        pass
    return BuildStopped([Problem("puskesmas.yaml", line, column, message, hint, "puskesmas.logo")], 1)


def _read_problem(source: Path) -> str | None:
    try:
        size = source.stat().st_size
    except OSError:
        return "berkas gambar tidak dapat dibaca."
    return f"gambar terlalu besar (batas {MAX_IMAGE_BYTES // 1024} KB)." if size > MAX_IMAGE_BYTES else None


def publish_images(generator) -> None:
    """Write the public copy of each image Pelican was about to copy, and take it off the list."""
    cache = generator.settings.get("PENGADUAN_CACHE")
    shelf = Shelf(os.path.join(cache, SHELF) if cache else None)
    others, used = [], []
    for static in generator.staticfiles:
        kind = static.source_path.rsplit(".", 1)[-1].lower()
        if kind not in LOGO_KINDS:
            others.append(static)
            continue
        source = os.path.join(generator.path, static.source_path)
        try:
            data = _public_drawing(source) if kind == "svg" else _public_copy(source, kind, shelf, used)
        except ImageProblem as problem:
            logger.error("%s: %s %s Gambar ini tidak diterbitkan.", static.source_path, problem,
                         SVG_HINT if kind == "svg" else HINT)
            continue
        target = os.path.join(generator.output_path, static.save_as)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as stream:
            stream.write(data)
    generator.staticfiles[:] = others   # (the same list as the context's `staticfiles`)
    shelf.keep_only(used)


def _public_drawing(source: str) -> bytes:
    """An SVG logo's public copy (`checked_logo` passed it; read again, as Pelican would have)."""
    data = _read(source)
    problem = svg_problem(data)
    if problem:
        raise ImageProblem(problem)
    return public_svg(data)


def _public_copy(source: str, kind: str, shelf: Shelf, used: list) -> bytes:
    data = _read(source)
    key = _key(data, kind)
    used.append(key)
    public = _kept(shelf, key)
    if public is None:
        public = public_image(data, kind)
        shelf.write(key, hashlib.sha256(public).digest() + public)
    return public


def _read(source: str) -> bytes:
    try:
        with open(source, "rb") as stream:
            data = stream.read(MAX_IMAGE_BYTES + 1)
    except OSError:
        raise ImageProblem("berkas gambar tidak dapat dibaca.") from None
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageProblem(f"gambar terlalu besar (batas {MAX_IMAGE_BYTES // 1024} KB).")
    return data


def kept_sizes(cache: str | None):
    """For the page reader: (image bytes, kind) -> the size of its public copy when the build
    cache keeps one (made, so decoded whole, by an earlier build: a photo is not decoded again
    on every build, 0.3 s each), else None."""
    shelf = Shelf(os.path.join(cache, SHELF) if cache else None)

    def size(data: bytes, kind: str) -> tuple[int, int] | None:
        public = _kept(shelf, _key(data, kind)) if cache else None
        if public is None:
            return None
        from PIL import Image
        return Image.open(io.BytesIO(public)).size
    return size


def _key(data: bytes, kind: str) -> str:
    return hashlib.sha256(f"{VERSION}\0{kind}\0".encode() + data).hexdigest()


def _kept(shelf: Shelf, key: str) -> bytes | None:
    """The public copy the cache keeps under `key`, checked (kept with its own sha256: a damaged
    file of the cache is never published)."""
    try:
        kept = shelf.read(key)
    except OSError:
        return None
    return kept[32:] if hashlib.sha256(kept[32:]).digest() == kept[:32] else None


def register():
    signals.static_generator_finalized.connect(publish_images)
