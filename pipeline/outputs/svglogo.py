"""An SVG logo: published as it is (its text is the privacy gate's to read), so a drawing only.

A file opened on its own at the site's address runs with the rights of that address, the web
editor's (`/admin/`) too. `svg_problem` refuses, before the build copies it, whatever could run or
fetch anything there: a script, an event handler, an element that is not a drawing's (an
embedded page or image, a link, an animation, XHTML's or XSLT's), a link out of the file, CSS
that loads a file (`url(...)`, `@import`, `image-set()`, CSS escapes that spell them), an
instruction (`<?xml-stylesheet?>`), an entity, and text in any encoding but UTF-8 (the checks read
UTF-8). What a drawing program writes for a drawing passes (Inkscape's and RDF's own elements,
Illustrator's DOCTYPE, filters, `#` links inside the file).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

# the elements of a drawing (SVG 1.1/2, by local name); anything else is refused
ELEMENTS = frozenset("""svg g defs symbol use view title desc metadata path rect circle ellipse line polyline
    polygon text tspan textPath linearGradient radialGradient stop pattern clipPath mask marker filter
    feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
    feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR
    feGaussianBlur feMerge feMergeNode feMorphology feOffset fePointLight feSpecularLighting
    feSpotLight feTile feTurbulence style switch""".split())
SVG, XHTML, XSLT = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml", "http://www.w3.org/1999/XSL/Transform"
ACTIVE_SPACES = {XHTML, XSLT}   # (elements of other spaces, an editor's own, are neither shown nor run)
HINT = ("Ekspor logo lagi sebagai SVG biasa (bentuk, warna dan teks saja: tanpa skrip, tanpa gambar tersemat, "
        "tanpa tautan ke berkas atau situs lain), atau pakai logo PNG.")
FLOWED_TEXT = {"flowRoot", "flowRegion", "flowPara", "flowSpan", "flowDiv"}
# CSS that fetches: a url() not to "#...", an import, a font, image functions; and any escape,
# which could spell them (`u\72 l(`)
# (spaces as a browser reads them, ASCII's only: before "#", a no-break space makes a link a file's)
_CSS_FETCH = re.compile(r"(?i)url\([ \t\n\r\f]*(?![\"']?[ \t\n\r\f]*#)|@import|@font-face|image-set\(|image\(|"
                        r"cross-fade\(|element\(|src\(|\\")
ASCII_SPACES = " \t\n\r\f"
_DECLARATION = re.compile(r"<\?xml\s[^<>]*?\?>")
_ENCODING = re.compile(r"""encoding\s*=\s*["']([^"']*)["']""")


def svg_problem(data: bytes) -> str | None:
    """Why an SVG file may not be published as it is, or None."""
    text, problem = _text(data)
    if problem:
        return problem
    try:
        root = ElementTree.fromstring(text)
    except (ElementTree.ParseError, ValueError):
        return "isinya bukan SVG yang dapat dibaca (XML rusak)."
    if _split(root.tag) != (SVG, "svg"):
        return "isinya bukan gambar SVG."
    for element in root.iter():
        problem = _element_problem(element)
        if problem:
            return problem
    return None


def _text(data: bytes) -> tuple[str, str | None]:
    """The file's text and what in it, outside its elements, is refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "", "SVG tidak ditulis dalam UTF-8 (mis. UTF-16); simpan lagi sebagai SVG dengan UTF-8."
    declaration = _DECLARATION.match(text.lstrip())
    encoding = _ENCODING.search(declaration.group()) if declaration else None
    if encoding and encoding.group(1).lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii", "ascii"):
        return "", f"SVG menyatakan pengodean {encoding.group(1)}; simpan lagi sebagai SVG dengan UTF-8."
    rest = text.lstrip()[declaration.end():] if declaration else text
    if "<?" in rest:   # (`<?xml-stylesheet href=...?>` loads a file, and can make the file a program)
        return "", "SVG memuat instruksi pemrosesan (`<?...?>`) yang dapat memuat berkas lain."
    if re.search(r"(?i)<!ENTITY|<!DOCTYPE[^>]*\[", rest):
        return "", "SVG memuat ENTITY (dapat memuat berkas lain)."
    return text, None


def _element_problem(element) -> str | None:
    space, name = _split(element.tag)
    if name in FLOWED_TEXT:
        return ("SVG memuat teks berbingkai Inkscape (`<flowRoot>`), yang tidak tampil di peramban: ubah menjadi "
                "teks biasa (menu Teks > Ubah ke Teks) lalu simpan lagi.")
    if (name not in ELEMENTS) if space in ("", SVG) else (space in ACTIVE_SPACES or not name):
        return (f"SVG memuat unsur `<{name}>`, yang tidak diizinkan di logo: logo SVG hanya boleh berisi "
                "bentuk, warna dan teks.")
    for attribute, value in element.attrib.items():
        attribute_space, attribute = _split(attribute)
        if attribute.lower().startswith("on") and attribute_space in ("", SVG) or attribute_space == XSLT:
            return f"SVG memuat atribut `{attribute}` (skrip yang berjalan saat logo dibuka)."
        if attribute == "href" and not value.strip(ASCII_SPACES).startswith("#") or \
                attribute_space in ("", SVG) and _CSS_FETCH.search(value):
            return f"SVG memuat tautan ke luar berkasnya (`{attribute}`)."
    if name == "style" and _CSS_FETCH.search("".join(element.itertext())):
        return "SVG memuat gaya (`<style>`) yang memuat berkas atau situs lain."
    return None


def _split(name) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute."""
    if not isinstance(name, str):
        return "", ""
    space, _, local = name[1:].rpartition("}") if name.startswith("{") else ("", "", name)
    return space, local
