"""An SVG logo: a drawing only, published without what its editor wrote beside the drawing.

A file opened on its own at the site's address runs with the rights of that address, the web
editor's (`/admin/`) too. `svg_problem` refuses, before the build copies it, whatever could run or
fetch anything there: a script, an event handler, an element that is not a drawing's (an
embedded page or image, a link, an animation, XHTML's or XSLT's), a link out of the file, CSS
that loads a file (`url(...)`, `@import`, `image-set()`, CSS escapes that spell them), an
instruction (`<?xml-stylesheet?>`), an entity, and text in any encoding but UTF-8 (the checks read
UTF-8). What a drawing program writes for a drawing passes (Inkscape's and RDF's own elements,
Illustrator's DOCTYPE, filters, `#` links inside the file).

`public_svg` writes the public copy: the drawing's elements and attributes only. An editor keeps
its user's name (`<dc:creator>` in `<metadata>`), the file's path on their computer
(`inkscape:export-filename="/home/budi/..."`) and comments beside the drawing; none of them is
drawn, so none is published (the privacy gate would stop the build on a staff name in them).
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
XLINK, XML = "http://www.w3.org/1999/xlink", "http://www.w3.org/XML/1998/namespace"
DRAWN_SPACES = ("", SVG, XLINK, XML)   # the attributes of a drawing; an editor's own are in other spaces
NOT_DRAWN = {"metadata"}
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


def public_svg(data: bytes) -> bytes:
    """The public copy of a logo `svg_problem` passed: its drawing, without the editor's
    metadata, elements, attributes, comments and instructions."""
    root = ElementTree.fromstring(data.decode("utf-8-sig"))   # (comments and instructions are not kept)
    _drawing_only(root)
    # the drawing's own prefixes, so that the copy reads as SVG does (ElementTree's are global)
    ElementTree.register_namespace("", SVG)
    ElementTree.register_namespace("xlink", XLINK)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode")).encode()


def _drawing_only(element) -> None:
    for key in [key for key in element.attrib if _split(key)[0] not in DRAWN_SPACES]:
        del element.attrib[key]
    kept = None   # (a child left out leaves its tail: text between drawn elements is drawn text)
    for child in list(element):
        space, name = _split(child.tag)
        if space in ("", SVG) and name not in NOT_DRAWN:
            _drawing_only(child)
            kept = child
            continue
        if child.tail:
            if kept is None:
                element.text = (element.text or "") + child.tail
            else:
                kept.tail = (kept.tail or "") + child.tail
        element.remove(child)


def _split(name) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute."""
    if not isinstance(name, str):
        return "", ""
    space, _, local = name[1:].rpartition("}") if name.startswith("{") else ("", "", name)
    return space, local
