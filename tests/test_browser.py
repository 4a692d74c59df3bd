"""The built site in headless Chromium (Debian's, never a downloaded browser): no console error,
no failed or third-party request, no serious accessibility violation (axe-core), keyboard and
small screens work, and no injected script ever runs."""
from __future__ import annotations

import io
import os
from urllib.parse import urlparse

import pytest
from PIL import Image

from site_helpers import (CHROMIUM, CHROMIUM_ARGS, ROOT, XSS_PAYLOADS, Served, build, hostile_complaint,
                          synthetic_complaint, write_repo)

sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

if not os.path.exists(CHROMIUM):  # CI installs it (.ci/ensure-debian-packages); never download a browser
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'


@pytest.fixture(scope="module")
def chromium():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    complaints = [synthetic_complaint(index) for index in range(14)]
    complaints[3]["ringkasan"] += "\n\n- satu\n- dua\n\n> kutipan [tautan](https://contoh.example/)"
    secret = synthetic_complaint(20)
    secret["kerahasiaan"] = "rahasia"
    from site_helpers import project_policy
    policy = project_policy()
    policy["puskesmas"]["logo"] = "images/logo.svg"
    repo = write_repo(root / "repo", complaints + [secret], policy=policy,
                      raw={"content/images/logo.svg": LOGO, "content/pages/denah.md": DENAH,
                           "content/pages/images/denah.png": _wide_png()})
    output = root / "output"
    settings = root / "tiga.py"   # (three a page: the listings' older pages exist, as on a real site)
    settings.write_text(f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\nPENGADUAN_PER_PAGE = 3\n",
                        encoding="utf-8")
    build(repo, output, "--settings", settings)
    with Served(output) as served:
        yield {"url": served.url, "complaints": complaints, "output": output, "board_month": board_month(output)}


DENAH = "Title: Denah Ruang\nSlug: denah\n\nDenah lantai satu:\n\n![denah lantai satu]({static}images/denah.png)\n"


def _wide_png() -> bytes:
    """A plan wider than any phone (and than the page's column at 1,280 px)."""
    stream = io.BytesIO()
    Image.new("RGB", (2400, 500), (230, 240, 235)).save(stream, "PNG")
    return stream.getvalue()


def board_month(output) -> str:
    """The newest month of the announcement board (papan/<yyyy>-<mm>/)."""
    months = sorted(path.parent.name for path in (output / "papan").glob("*/index.html"))
    assert months, "the build wrote no board month"
    return f"papan/{months[-1]}/"


class Watch:
    """Console errors, page errors, failed requests, HTTP errors and off-site requests of one page."""

    def __init__(self, page, base: str):
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        host = urlparse(base).netloc
        page.on("console", lambda msg: msg.type == "error" and self.problems.append(f"console: {msg.text}"))
        page.on("pageerror", lambda err: self.problems.append(f"pageerror: {err}"))
        page.on("requestfailed", lambda req: self.problems.append(f"failed: {req.url} {req.failure}"))
        page.on("response", lambda res: res.status >= 400 and self.problems.append(f"HTTP {res.status}: {res.url}"))
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

        def route(route):
            url = urlparse(route.request.url)
            if url.scheme in ("http", "https") and url.netloc != host:
                self.problems.append(f"third-party request: {route.request.url}")
                return route.abort()
            return route.continue_()
        page.route("**/*", route)


def open_page(chromium, site_url: str, path: str, **context_options):
    context = chromium.new_context(**context_options)
    page = context.new_page()
    watch = Watch(page, site_url)
    response = page.goto(site_url + path, wait_until="load")
    return context, page, watch, response


def serious_violations(page) -> list[str]:
    results = axe_module.Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def test_pages_load_cleanly_and_pass_axe(chromium, site):
    complaint = site["complaints"][3]["id"]
    paths = ["", f"pengaduan/{complaint}/", "kanal/email/", "tahun/2026/", "halaman/2/",
             "cara-menyampaikan-pengaduan/", "statistik/", "tentang/", "denah/", "rekap/", "papan/",
             site["board_month"], "data/"]
    for path in paths:
        context, page, watch, response = open_page(chromium, site["url"], path)
        try:
            assert response.status == 200, path
            assert watch.problems == [], (path, watch.problems)
            assert page.evaluate("document.documentElement.lang") == "id"
            if path == site["board_month"]:   # the printable board has no site header: its own sheet
                assert page.evaluate("[...document.styleSheets].some(s => s.cssRules.length > 0)"), path
            else:
                assert page.evaluate("getComputedStyle(document.querySelector('.kepala')).backgroundColor") \
                    != "rgba(0, 0, 0, 0)", "the stylesheet did not load"
            assert serious_violations(page) == [], path
        finally:
            context.close()


def test_missing_page_gets_the_styled_404(chromium, site):
    context, page, watch, response = open_page(chromium, site["url"], "pengaduan/ADU-20990101-ZZZZ/")
    try:
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Halaman tidak ditemukan"
        others = [p for p in watch.problems if "ADU-20990101-ZZZZ" not in p and "404 (Not Found)" not in p]
        assert others == []
        assert page.evaluate("getComputedStyle(document.querySelector('.kepala')).backgroundColor") \
            != "rgba(0, 0, 0, 0)"
        assert serious_violations(page) == []
    finally:
        context.close()


def test_keyboard_reaches_skip_link_first_with_visible_focus(chromium, site):
    context, page, watch, _ = open_page(chromium, site["url"], f"pengaduan/{site['complaints'][2]['id']}/")
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            const r = e.getBoundingClientRect();
            return {text: e.textContent, outline: s.outlineStyle, width: parseFloat(s.outlineWidth), top: r.top}; }""")
        assert focused["text"] == "Langsung ke isi"
        assert focused["outline"] != "none" and focused["width"] >= 2 and focused["top"] >= 0
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "isi"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "A"
        assert watch.problems == []
    finally:
        context.close()


@pytest.mark.parametrize("width, larger_text", [(320, False), (360, True)])
def test_small_phone_screen_needs_no_sideways_scrolling(chromium, site, width, larger_text):
    """At 320 px, and at 360 px with the text at 130% (a phone's "large" font size): the recap's
    tables scrolled the page sideways in both (found by hand)."""
    year = site["complaints"][0]["id"][4:8]
    for path in ("", "halaman/2/", f"pengaduan/{site['complaints'][3]['id']}/", "cara-menyampaikan-pengaduan/",
                 "statistik/", "denah/", "rekap/", f"rekap/{year}/"):
        context, page, watch, response = open_page(chromium, site["url"], path,
                                                   viewport={"width": width, "height": 640})
        try:
            assert response.ok, path
            if larger_text:
                page.add_style_tag(content="html{font-size:130%}")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        finally:
            context.close()


def test_print_stylesheet_hides_navigation(chromium, site):
    context, page, _, _ = open_page(chromium, site["url"], "")
    try:
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('.kepala nav')).display") == "none"
        assert page.evaluate("getComputedStyle(document.querySelector('.saring')).display") == "none"
    finally:
        context.close()


def test_an_older_page_links_to_its_listings_filters_open(chromium, site):
    """An older listing page has no filters of its own (they would change it with every new
    year, channel or unit): its link opens its listing's front page with the filters shown."""
    for width in (360, 1280):
        context, page, watch, _ = open_page(chromium, site["url"], "halaman/1/",
                                            viewport={"width": width, "height": 800})
        try:
            assert page.locator("details.saring").count() == 0
            page.click("p.saring-lain a")
            page.wait_for_url("**/#saring")
            assert page.url == site["url"] + "#saring"
            assert page.evaluate("document.querySelector('details.saring').open")
            assert page.evaluate("document.querySelector('details.saring > summary')"
                                 ".getBoundingClientRect().top >= 0"), "the filters' heading is in view"
            assert not watch.problems
        finally:
            context.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-hostile")
    complaints = [hostile_complaint(index, payload) for index, payload in enumerate(XSS_PAYLOADS)]
    repo = write_repo(root / "repo", complaints)
    output = root / "output"
    build(repo, output)
    with Served(output) as served:
        yield {"url": served.url, "complaints": complaints, "board_month": board_month(output)}


DANGEROUS = """() => {
  const bad = [];
  for (const e of document.querySelectorAll('*')) {
    const tag = e.tagName.toLowerCase();
    // the recap's own bars are inline SVG drawn at build time (no text): allowed, their content still checked
    const chart = tag === 'svg' && e.classList.contains('batang') && e.getAttribute('aria-hidden') === 'true';
    if (['script','iframe','object','embed','form','input','button','style','base','svg','math','img','video',
         'audio','source','template','marquee','textarea','foreignobject','a'].includes(tag) && !chart
        && !(tag === 'a' && !e.closest('svg'))) bad.push('<' + tag + '>');
    for (const a of e.attributes) {
      const v = a.value.replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      if (a.name.startsWith('on') || a.name === 'style' || a.name === 'srcdoc') bad.push(tag + ' ' + a.name);
      if (['href','src','action','formaction','data','xlink:href'].includes(a.name)
          && /^(javascript|vbscript|data):/.test(v) && !(tag === 'link' && a.value === 'data:,')) bad.push(tag + ' ' + a.name + '=' + a.value);
    }
  }
  return bad;
}"""


def test_no_injected_script_runs_in_the_browser(chromium, hostile):
    context = chromium.new_context()
    page = context.new_page()
    watch = Watch(page, hostile["url"])
    try:
        paths = ["", "halaman/1/", "halaman/2/", "jenis/keluhan/", "rekap/", hostile["board_month"]] + \
            [f"pengaduan/{data['id']}/" for data in hostile["complaints"]]
        for path in paths:
            response = page.goto(hostile["url"] + path, wait_until="load")
            assert response.status == 200, path
            page.mouse.move(5, 5)
            page.keyboard.press("Tab")
            assert page.evaluate("typeof window.__xss") == "undefined", path
            assert page.evaluate("typeof parent.__xss") == "undefined", path
            assert page.evaluate(DANGEROUS) == [], path
        # a link left in complaint text points to the web or mail only (or lost its href)
        for data in hostile["complaints"]:
            page.goto(hostile["url"] + f"pengaduan/{data['id']}/", wait_until="load")
            for link in page.locator("main .aduan section a").all():
                href = link.get_attribute("href")
                assert href is None or href.startswith(("https://", "http://", "mailto:")), href
                assert href is None or link.get_attribute("rel") == "nofollow noopener"
        assert watch.dialogs == []
        assert [p for p in watch.problems if "third-party" in p] == []
        assert watch.problems == [], watch.problems
    finally:
        context.close()
