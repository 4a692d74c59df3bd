"""Staff pages (`content/pages/*.md`): checked and sanitised like complaint text.

A staff page is Markdown with a few metadata lines (`Title:`, `Slug:`, `Summary:`, `Status:`,
`Date:`, `Modified:`). It may not carry raw HTML, and it may not use Pelican's file links
(`{attach}`, `{static}`, `{filename}`) except in two checked forms:

    ![foto loket]({static}images/loket.jpg)   an image in content/pages/images/ (PNG, JPEG, GIF, WebP)
    [tentang]({filename}tentang.md)          another staff page in content/pages/

Anything else could make Pelican copy any file (a complaint, `.git/config`, `/proc/...`) into
the public site, so it is an error for `pengaduan check` and stops the build. The rendered HTML
goes through the same nh3 allowlist as complaint text (plus headings, images and tables). An
image is decoded whole here (`images.image_problem`: a damaged one is named by `check`) and
published as its pixels only (`plugin.staticimages`).
"""
from __future__ import annotations

import html
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import markdown as markdown_lib
import nh3

from pipeline.outputs import images
from pipeline.outputs.images import MAX_IMAGE_BYTES
from pipeline.outputs.markup import whole_words
from pipeline.records.problems import Problem
from pipeline.records.source import PAGE_HINTS, SourceError, inside, outside_problem, read_text

PAGES_DIR = Path("content") / "pages"
IMAGES = "images"
MARKDOWN_EXTENSIONS = ("md", "markdown", "mkd", "mdown")
METADATA = {"title", "slug", "summary", "status", "date", "modified"}
STATUSES = {"published", "hidden", "draft"}
# Paths the site itself writes: a page with one of these slugs would replace a generated page.
RESERVED_SLUGS = {"pengaduan", "halaman", "tahun", "kanal", "unit", "jenis", "status", "statistik", "rekap",
                  "papan", "data", "feeds", "cara-menyampaikan-pengaduan", "images", "css", "static",
                  "theme", "pagefind", "404"}
IMAGE_TYPES = {"png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
               "gif": (b"GIF87a", b"GIF89a"), "webp": (b"RIFF",)}
# Pelican's own syntax for links to files (settings INTRASITE_LINK_REGEX), in href/src/... values.
INTRASITE = r"[{|](?P<what>.*?)[|}]"
_ATTRIBUTE = re.compile(r"""(?P<attr>href|src|poster|data|cite|formaction|action|content)\s*=\s*"""
                        r"""(?P<quote>["'])(?P<value>.*?)(?P=quote)""", re.I)
_IMAGE_LINK = re.compile(r"\{(static|attach)\}images/[A-Za-z0-9][A-Za-z0-9_-]*\.(?i:png|jpe?g|gif|webp)")
_IMG_TAG = re.compile(r'<img [^<>]*?src="(?P<src>[^"<>]*)"[^<>]*>')
_PAGE_LINK = re.compile(r"\{filename\}[A-Za-z0-9][A-Za-z0-9_-]*\.md(#[A-Za-z0-9_-]+)?")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_RAW_HTML = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|/[A-Za-z]|!|\?)")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^\s<>]+>|<[^\s<>@]+@[^\s<>@]+>")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_META_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):\s?(.*)$")

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "em", "strong", "b", "i", "a", "blockquote", "code", "pre",
                "hr", "h2", "h3", "h4", "h5", "h6", "img", "table", "thead", "tbody", "tr", "th", "td"}
HINT_LINKS = ("Gambar: simpan di content/pages/images/ dan tulis `![keterangan]({static}images/nama.jpg)`; "
              "halaman lain: `[judul]({filename}nama-halaman.md)`; situs lain: `https://...`.")


@dataclass
class StaffPage:
    shown: str
    content: str = ""                      # sanitised HTML (file links still as {static}/{filename})
    metadata: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


def page_files(repo: Path) -> list[Path]:
    """Every Markdown page under content/pages (Pelican reads the same ones), sorted."""
    root = repo / PAGES_DIR
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(name for name in dirs if not name.startswith((".", "_")))
        for name in files:
            if name.rsplit(".", 1)[-1].lower() in MARKDOWN_EXTENSIONS and not name.startswith((".", "_", "README")):
                found.append(Path(folder) / name)
    return sorted(found)


def read_page(path: Path, repo: Path, kept_size=None) -> StaffPage:
    """Read, check and render one staff page; `problems` says what is wrong (errors stop the build).
    `kept_size(data, kind)`: the published size of an image an earlier build decoded and kept, or
    None (then it is decoded here)."""
    path, repo = Path(path), Path(repo)
    shown = _shown(path, repo)
    page = StaffPage(shown)
    outside = outside_problem(path, shown, repo / PAGES_DIR, "folder content/pages")
    if outside:
        page.problems.append(outside)
        return page
    try:
        text = read_text(path, shown, hints=PAGE_HINTS)
    except SourceError as err:
        page.problems.append(err.problem)
        return page
    lines = text.split("\n")
    meta, first = _metadata(lines, shown, page.problems)
    body = "\n".join(lines[first:])
    _check_raw_html(lines, first, shown, page.problems)
    rendered = render_markdown(body)
    sizes: dict = {}
    _check_links(rendered, lines, path, repo, shown, page.problems, sizes, kept_size)
    page.content = with_image_sizes(sanitise(rendered), sizes)
    page.metadata = meta
    if "summary" in meta:
        page.metadata["summary"] = sanitise(render_markdown(meta["summary"]))
    return page


def render_markdown(text: str) -> str:
    """Markdown -> HTML with raw HTML turned off: any tag in the text is shown as text."""
    md = markdown_lib.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md.convert(text)


def sanitise(rendered: str) -> str:
    """Through nh3's allowlist, inline tags inside a word taken out (`markup.whole_words`)."""
    return whole_words(_clean(rendered), _clean)


def _clean(rendered: str) -> str:
    return nh3.clean(rendered, tags=ALLOWED_TAGS,
                     attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"},
                                 "th": {"align"}, "td": {"align"}},
                     attribute_filter=_attribute_filter, link_rel="nofollow noopener", strip_comments=True)


def _attribute_filter(tag: str, attribute: str, value: str):
    if attribute == "src":
        return value if _IMAGE_LINK.fullmatch(html.unescape(value)) else None
    if attribute == "href":
        clean = html.unescape(value).strip()
        if re.match(INTRASITE, clean):
            return value if _PAGE_LINK.fullmatch(clean) or _IMAGE_LINK.fullmatch(clean) else None
        scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", clean)
        if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
            return None
    return value


def _metadata(lines: list[str], shown: str, problems: list) -> tuple[dict, int]:
    meta: dict = {}
    index = 0
    while index < len(lines) and lines[index].strip():
        match = _META_LINE.match(lines[index])
        if not match:
            break
        name, value = match.group(1).lower(), match.group(2).strip()
        if name not in METADATA:
            problems.append(Problem(
                shown, index + 1, 1, f"kolom halaman `{match.group(1)}:` tidak dikenal atau tidak diizinkan.",
                "Kolom yang boleh: Title, Slug, Summary, Status, Date, Modified (alamat, templat dan "
                "tempat simpan halaman ditentukan situs, bukan halaman).", name))
        elif name == "slug" and (not _SLUG.fullmatch(value) or value in RESERVED_SLUGS):
            problems.append(Problem(
                shown, index + 1, 1, f"Slug `{value}` tidak sah atau sudah dipakai situs.",
                "Pakai huruf kecil, angka dan tanda `-` saja, mis. `Slug: jadwal-layanan`, dan bukan "
                "nama bagian situs (pengaduan, statistik, rekap, data, papan, ...).", name))
        elif name == "status" and value.lower() not in STATUSES:
            problems.append(Problem(shown, index + 1, 1, f"Status `{value}` tidak dikenal.",
                                    "Pakai `published`, `hidden` atau `draft`.", name))
        meta[name] = value
        index += 1
    if "title" not in meta:
        problems.append(Problem(shown, 1, 1, "halaman tidak punya judul (`Title:`).",
                                "Tulis `Title: Judul Halaman` di baris pertama.", "title"))
    return meta, index


def _check_raw_html(lines: list[str], first: int, shown: str, problems: list) -> None:
    fenced = None
    for number in range(first, len(lines)):
        line = lines[number]
        fence = _FENCE.match(line)
        if fence:
            fenced = None if fenced == fence.group(1) else (fenced or fence.group(1))
            continue
        if fenced or line.startswith(("    ", "\t")):
            continue
        visible = _AUTOLINK.sub(" ", _CODE_SPAN.sub(" ", line))
        match = _RAW_HTML.search(visible)
        if match:
            problems.append(Problem(
                shown, number + 1, match.start() + 1,
                "halaman memuat HTML mentah; HTML tidak diterbitkan (ditampilkan sebagai teks).",
                "Tulis dengan Markdown saja (mis. `**tebal**`, `## Subjudul`, `[tautan](https://...)`); "
                "bila memang ingin menampilkan tanda `<`, tulis di dalam `` `kode` ``."))


def with_image_sizes(content: str, sizes: dict) -> str:
    """Each image of `sizes` ({link: (width, height)}) with its size, loaded lazily: a phone lays
    the page out before the image arrives, and fetches it only when it is scrolled to."""
    def sized(found) -> str:
        size = sizes.get(html.unescape(found.group("src")))
        if size is None:
            return found.group()
        return f'{found.group()[:-1]} width="{size[0]}" height="{size[1]}" loading="lazy" decoding="async">'
    return _IMG_TAG.sub(sized, content) if sizes else content


def _check_links(rendered: str, lines: list[str], path: Path, repo: Path, shown: str, problems: list,
                 sizes: dict, kept_size=None) -> None:
    """Problems of the file links in `rendered`; `sizes` gets each sound image's published size."""
    for match in _ATTRIBUTE.finditer(rendered):
        value = html.unescape(match.group("value")).strip()
        if not re.match(INTRASITE, value):
            continue
        line, column = _locate(lines, value)
        hint = HINT_LINKS
        if _IMAGE_LINK.fullmatch(value):
            problem, hint = _image_problem(path, repo, value.split("}", 1)[1], sizes, value, kept_size) or \
                (None, hint)
        elif _PAGE_LINK.fullmatch(value):
            problem = _page_link_problem(path, value.split("}", 1)[1].split("#")[0])
        elif re.match(r"\{(static|attach)\}images/", value):
            problem = (f"nama gambar `{value.split('}', 1)[1]}` tidak dapat dipakai: nama berkas gambar hanya boleh "
                       "berisi huruf, angka, `-` dan `_` (tanpa spasi atau titik lain), dengan akhiran .png, .jpg, "
                       ".jpeg, .gif atau .webp.")
            hint = "Ganti nama berkasnya dan tautannya, mis. `foto-loket.jpg`."
        else:
            problem = (f"tautan `{value}` tidak diizinkan di halaman: tautan berkas hanya boleh ke gambar di "
                       "content/pages/images/ atau ke halaman lain di content/pages/.")
        if problem:
            problems.append(Problem(shown, line, column, problem, hint))


def _image_problem(path: Path, repo: Path, relative: str, sizes: dict, link: str,
                   kept_size=None) -> tuple[str, str] | None:
    """(what is wrong with the image a page links, the advice), or None, its published size then
    in `sizes[link]`."""
    image = path.parent / relative
    folder = repo / PAGES_DIR / IMAGES
    if not image.is_file():
        return f"gambar `{relative}` tidak ditemukan di {_shown(image.parent, repo)}/.", HINT_LINKS
    if os.path.islink(image) or not inside(image, folder):
        return (f"gambar `{relative}` harus berkas biasa di content/pages/images/, bukan tautan ke berkas lain.",
                HINT_LINKS)
    size = image.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return (f"gambar `{relative}` terlalu besar ({size // 1024} KB; batas {MAX_IMAGE_BYTES // 1024} KB).",
                "Perkecil gambarnya (mis. simpan dengan lebar 1600 piksel), lalu ganti berkasnya.")
    with open(image, "rb") as handle:
        data = handle.read(MAX_IMAGE_BYTES + 1)
    kind = relative.rsplit(".", 1)[-1].lower()
    valid = any(data.startswith(magic) for magic in IMAGE_TYPES[kind])
    if kind == "webp":
        valid = valid and data[8:12] == b"WEBP"
    if not valid:
        other = images.other_kind(data)
        if other:
            return f"berkas `{relative}` berisi {other}, bukan gambar {kind.upper()}.", images.OTHER_HINT
        return f"berkas `{relative}` bukan gambar {kind.upper()} (isinya tidak sesuai nama berkasnya).", images.HINT
    try:   # (decoded whole: a damaged image stops `check`, not the build)
        sizes[link] = (kept_size and kept_size(data, kind)) or images.published_size(data, kind)
    except images.ImageProblem as problem:
        return f"gambar `{relative}`: {problem}", images.HINT
    return None


def _page_link_problem(path: Path, relative: str) -> str | None:
    target = path.parent / relative
    if not target.is_file() or not inside(target, path.parent):
        return f"halaman `{relative}` tidak ditemukan di folder yang sama."
    return None


def _locate(lines: list[str], value: str) -> tuple[int, int]:
    for number, line in enumerate(lines, start=1):
        column = line.find(value)
        if column != -1:
            return number, column + 1
    head = re.match(INTRASITE, value).group(0)
    for number, line in enumerate(lines, start=1):
        if head in line:
            return number, line.index(head) + 1
    return 1, 1


def _shown(path: Path, repo: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(repo)).as_posix()
    except ValueError:
        return posixpath.normpath(str(path))
