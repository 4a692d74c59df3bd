"""Helpers for the site tests: fixture repositories, real builds, and reading what was built.

Everything is real: repositories are folders in pytest's tmp dirs, `pengaduan build` runs as a
subprocess (real Pelican, the real plugin and theme), pages are parsed with html.parser.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
NOW = "2027-06-01T12:00:00+07:00"
WIB = ZoneInfo("Asia/Jakarta")
CHANNELS = ["email", "instagram", "facebook", "whatsapp", "telepon", "langsung", "rapat", "kotak_saran",
            "website"]
UNITS = ["pendaftaran", "poli_umum", "poli_gigi", "kia_kb", "farmasi", "laboratorium", "ugd",
         "kebersihan", "pustu", "tata_usaha"]
KINDS = ["keluhan", "saran", "kritik", "pertanyaan", "apresiasi"]
BUILD_TIMEOUT = 300


def project_policy() -> dict:
    return yaml.safe_load((ROOT / "puskesmas.yaml").read_text(encoding="utf-8"))


def complaint_id(received: datetime, number: int) -> str:
    crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    suffix = ""
    for _ in range(4):
        suffix = crockford[number % 32] + suffix
        number //= 32
    return f"ADU-{received:%Y%m%d}-{suffix}"


def stamp(moment: datetime) -> str:
    return moment.astimezone(WIB).isoformat(timespec="seconds")


def synthetic_complaint(index: int, start: datetime = datetime(2025, 11, 3, 8, 15, tzinfo=WIB),
                        step_hours: float = 113) -> dict:
    """A valid complaint; index decides its channel, unit, kind and how far it got (status)."""
    received = start + timedelta(hours=step_hours * index)
    data = {
        "id": complaint_id(received, index),
        "judul": f"Pengaduan uji nomor {index} tentang layanan",
        "diterima": stamp(received),
        "kanal": CHANNELS[index % len(CHANNELS)],
        "jenis": KINDS[index % len(KINDS)],
        "unit": UNITS[index % len(UNITS)],
        "ringkasan": f"Ringkasan pengaduan uji nomor {index}: antrean di loket terasa *lama* sekali.",
    }
    stage = index % 4   # 0 baru, 1 diproses, 2 dijawab, 3 selesai
    if stage >= 1:
        data["lapor_tim"] = {"waktu": stamp(received + timedelta(hours=3))}
    if stage >= 2:
        data["rapat"] = {"waktu": stamp(received + timedelta(hours=20))}
        data["tanggapan"] = {"isi": f"Tanggapan uji nomor {index}: kami menambah petugas loket.",
                             "waktu": stamp(received + timedelta(hours=30)), "kanal": "whatsapp",
                             "disetujui_oleh": "Kepala Puskesmas",
                             "disetujui_pada": stamp(received + timedelta(hours=26))}
        data["rencana_tindak_lanjut"] = {"isi": f"Rencana uji nomor {index}: jadwal petugas diubah.",
                                         "penanggung_jawab": data["unit"], "target": "2026-12-31"}
    if stage >= 3:
        data["rencana_tindak_lanjut"]["selesai"] = stamp(received + timedelta(hours=60))
        data["rencana_tindak_lanjut"]["hasil"] = f"Hasil uji nomor {index}: antrean kini 20 menit."
    return data


def write_repo(root: Path, complaints: list[dict], bodies: dict | None = None, policy: dict | None = None,
               raw: dict | None = None) -> Path:
    """A repository with the policy, this project's static pages, and one file per complaint
    (front matter + private body).

    `raw` maps a relative path to text (or bytes) written as is (for broken or unusual files).
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "puskesmas.yaml").write_text(
        yaml.safe_dump(policy or project_policy(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    folder = root / "content" / "complaints"
    folder.mkdir(parents=True, exist_ok=True)
    for data in complaints:
        path = folder / data["id"][4:8] / f"{data['id']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = (bodies or {}).get(data["id"], "Catatan kerja internal.")
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    pages = ROOT / "content" / "pages"
    if pages.is_dir() and not (root / "content" / "pages").exists():
        shutil.copytree(pages, root / "content" / "pages")
    for relative, text in (raw or {}).items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            (root / relative).write_bytes(text)
        else:
            (root / relative).write_text(text, encoding="utf-8")
    return root


def run_cli(*args, env: dict | None = None, timeout: int = BUILD_TIMEOUT) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    environment.pop("PENGADUAN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True,
                          text=True, env=environment, cwd=ROOT, timeout=timeout)


def build(repo: Path, output: Path, *extra, env: dict | None = None, check: bool = True):
    result = run_cli("build", "--repo", repo, "--output", output, "--now", NOW, *extra, env=env)
    if check:
        assert result.returncode == 0, f"build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


def output_files(output: Path) -> dict[str, bytes]:
    """Every file of a built site: relative path -> bytes."""
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in sorted(output.rglob("*")) if path.is_file()}


def copy_real_content(target: Path) -> Path:
    """A copy of this repository's puskesmas.yaml and example complaints, as they are now."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "puskesmas.yaml", target / "puskesmas.yaml")
    source = ROOT / "content" / "complaints"
    if source.is_dir():
        shutil.copytree(source, target / "content" / "complaints")
    else:
        (target / "content" / "complaints").mkdir(parents=True)
    return target


def split_front_matter(text: str) -> tuple[dict, str]:
    lines = text.split("\n")
    closing = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    return yaml.safe_load("\n".join(lines[1:closing])), "\n".join(lines[closing + 1:])


# --- reading HTML -------------------------------------------------------------------------------

class Page(HTMLParser):
    """Tags, attributes and text of one HTML document."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text_parts: list[str] = []
        self._in_h1 = False
        self.h1_text = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "h1":
            self._in_h1 = True

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        self.text_parts.append(data)
        if self._in_h1:
            self.h1_text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]

    def links(self) -> list[str]:
        return [attrs["href"] for attrs in self.all("a") if attrs.get("href")]


def read_page(output: Path, relative: str) -> Page:
    path = output / relative
    if relative.endswith("/") or relative == "":
        path = output / relative / "index.html"
    return Page(path.read_text(encoding="utf-8"))


def resolve(page_path: str, href: str) -> str:
    """A link on the page at `page_path` (e.g. "tahun/2026/index.html") as a site path."""
    absolute = urljoin("http://situs.test/" + page_path, href)
    parsed = urlparse(absolute)
    return parsed.path.lstrip("/")


def complaint_links(output: Path, first: str) -> list[str]:
    """Complaint ids listed on a listing and all its following pages, in order."""
    found, current = [], first
    seen = set()
    while current is not None and current not in seen:
        seen.add(current)
        page_path = current + "index.html"
        page = read_page(output, current)
        for href in page.links():
            target = resolve(page_path, href)
            if target.startswith("pengaduan/") and target.count("/") == 2:
                found.append(target.split("/")[1])
        nexts = [attrs["href"] for attrs in page.all("a") if attrs.get("rel") == "next"]
        current = resolve(page_path, nexts[0]) if nexts else None
    return found


# --- serving ------------------------------------------------------------------------------------

class Served:
    """The output folder served on 127.0.0.1 (a free port) by the same handler as `pengaduan serve`."""

    def __init__(self, directory: Path):
        from pipeline.commands.serve import make_server
        self.server = make_server(directory, "127.0.0.1", 0, quiet=True)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]



# --- hostile input ------------------------------------------------------------------------------

# Every payload, if it ever ran, would set window.__xss (or open a dialog): the browser test checks
# both. They go into every public text field of a complaint (judul, ringkasan, tanggapan.isi,
# tanggapan.disetujui_oleh, rencana_tindak_lanjut.isi/hasil).
XSS_PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=//127.0.0.1:9/x.js></SCRIPT>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<img src=x onerror=alert(1)>",
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "<body onload=window.__xss=1>",
    "<iframe src=\"javascript:parent.__xss=1\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "<a href=\"javascript:window.__xss=1\">klik</a>",
    "<a href=\"JaVaScRiPt:window.__xss=1\">klik</a>",
    "<a href=\"jav&#x09;ascript:window.__xss=1\">klik</a>",
    "<a href=\"&#106;avascript:window.__xss=1\">klik</a>",
    "[klik](javascript:window.__xss=1)",
    "[klik](JAVASCRIPT:window.__xss=1)",
    "[klik]( javascript:window.__xss=1 )",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==)",
    "[klik][ref]\n\n[ref]: javascript:window.__xss=1",
    "<javascript:window.__xss=1>",
    "![gambar](x\" onerror=\"window.__xss=1)",
    "![gambar](javascript:window.__xss=1)",
    "<form action=\"javascript:window.__xss=1\"><button>kirim</button></form>",
    "<input autofocus onfocus=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>x</details>",
    "<style>body{background:url(\"javascript:window.__xss=1\")}</style>",
    "<div style=\"background-image:url(javascript:window.__xss=1)\">gaya</div>",
    "<p style=\"position:fixed;top:0;left:0;width:100%;height:100%\">tutup</p>",
    "<object data=\"javascript:window.__xss=1\"></object>",
    "<embed src=\"javascript:window.__xss=1\">",
    "<base href=\"javascript:window.__xss=1//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=1\">",
    "<link rel=stylesheet href=\"javascript:window.__xss=1\">",
    "<video><source onerror=\"window.__xss=1\"></video>",
    "<math><mi xlink:href=\"javascript:window.__xss=1\">x</mi></math>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=1>\"></noscript>",
    "\"><script>window.__xss=1</script>",
    "'--><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    "</textarea><script>window.__xss=1</script>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<<script>script>window.__xss=1<</script>/script>",
    "<a href=\"https://contoh.example\" onclick=\"window.__xss=1\" onmouseover=\"window.__xss=1\">tautan</a>",
    "<a href=\"https://contoh.example\" target=\"_blank\" rel=\"opener\">tautan</a>",
    "`<script>window.__xss=1</script>`",
    "    <script>window.__xss=1</script>",
    "<!-- <script>window.__xss=1</script> -->",
    "<template><script>window.__xss=1</script></template>",
    "{{ 7*7 }} {% raw %}<script>window.__xss=1</script>{% endraw %}",
    "<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>",
    "<marquee onstart=window.__xss=1>x</marquee>",
    "<isindex type=image src=1 onerror=window.__xss=1>",
    "<table background=\"javascript:window.__xss=1\"><tr><td>x</td></tr></table>",
]


def hostile_complaint(index: int, payload: str) -> dict:
    """A valid complaint (finished, with every public text field) carrying `payload` everywhere."""
    data = synthetic_complaint(4 * index + 3, step_hours=29)
    data["judul"] = (payload if len(payload) >= 3 else payload + "...")[:140]
    data["ringkasan"] = f"{payload}\n\nRingkasan uji keamanan."
    data["tanggapan"]["isi"] = f"{payload}\n\nTanggapan uji keamanan."
    data["tanggapan"]["disetujui_oleh"] = payload
    data["rencana_tindak_lanjut"]["isi"] = f"{payload}\n\nRencana uji keamanan."
    data["rencana_tindak_lanjut"]["hasil"] = f"{payload}\n\nHasil uji keamanan."
    return data


SAFE_LINK_SCHEMES = ("http:", "https:", "mailto:", "tel:")
ALLOWED_ELEMENTS = {"html", "head", "meta", "title", "link", "body", "a", "header", "nav", "main", "footer",
                    "article", "section", "p", "ul", "ol", "li", "em", "strong", "b", "i", "blockquote", "code",
                    "pre", "hr", "br", "h1", "h2", "h3", "dl", "dt", "dd", "span", "time", "small", "details",
                    "summary", "div", "table", "caption", "thead", "tbody", "tr", "th", "td", "img",
                    "wbr",   # where /data/'s long field names may break (after "." and "_")
                    # the recap's bars: inline SVG drawn at build time, no text (pipeline/outputs/charts.py)
                    "svg", "rect"}


def executable_markup(page: Page) -> list[str]:
    """Everything in a parsed page that could run script, load something, or restyle the page."""
    found = []
    for tag, attrs in page.tags:
        if tag not in ALLOWED_ELEMENTS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            value = value or ""
            if name.startswith("on") or name in ("style", "srcdoc", "formaction", "background", "xlink:href"):
                found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "data", "poster", "cite"):
                compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if ":" in compact.split("/")[0] and not compact.startswith(SAFE_LINK_SCHEMES) \
                        and not (tag == "link" and attrs.get("rel") == "icon" and value == "data:,"):
                    found.append(f"<{tag} {name}={value!r}>")
        if tag == "meta" and ("http-equiv" in attrs or set(attrs) - {"charset", "name", "content"}):
            found.append(f"<meta {attrs}>")
        if tag == "link" and attrs.get("rel") not in ("stylesheet", "icon", "alternate"):
            found.append(f"<link {attrs}>")
        if tag == "a" and attrs.get("target"):
            found.append(f"<a target={attrs['target']!r}>")
    return found
