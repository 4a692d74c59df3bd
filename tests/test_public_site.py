"""The public site as a citizen sees it, on the demo (a replayed git history with steps on time,
late, overdue and not yet due), in Debian's headless Chromium: every page type at 360x800 and
1280x900 fits the screen with nothing cut and no text under 12 px, passes axe, stays light; the
board prints one A4 sheet per month; search finds a complaint by number and by word and never a
confidential one; and every sentence of every complaint page is true for that complaint."""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from site_helpers import (CHROMIUM, CHROMIUM_ARGS, WIB, Page, Served, build, read_page, run_cli,
                          synthetic_complaint, write_repo)

from pipeline.records.labels import STAGE_STATES

sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

OVERDUE = "ADU-20261109-57DA"        # reported late, no response, response overdue
ANSWERED = "ADU-20261009-XYE2"       # answered late; follow-up target 31 Oct 2026 passed, not done
SECRET = "ADU-20261105-FRMY"         # confidential: no page, never found
NEW = "ADU-20261120-5WBE"            # "baru": reported to the team, no response yet
CLOSED = "ADU-20260924-18VV"         # "selesai": answered late, follow-up done
VIEWPORTS = [{"width": 360, "height": 800}, {"width": 1280, "height": 900}]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    output = folder / "site"
    # (--into: the demo's repository in the test's folder, not a new one left in the system's /tmp)
    result = run_cli("demo", "--into", folder / "repo", "--output", output)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads((output / "data" / "complaints.json").read_text(encoding="utf-8"))
    with Served(output) as served:
        yield {"output": output, "url": served.url, "data": data}


@pytest.fixture(scope="module")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def page_types(output: Path) -> list[str]:
    board = sorted(path.parent.name for path in (output / "papan").glob("*/index.html"))[-1]
    month = sorted(path.parent.name for path in (output / "bulan").glob("*/index.html"))[-1]
    year = sorted(path.parent.name for path in (output / "rekap").glob("*/index.html"))[-1]
    # (the demo's 19 complaints fit on its home page: the older pages are checked in test_browser.py)
    older = ["halaman/1/"] if (output / "halaman" / "1" / "index.html").is_file() else []
    return ["", *older, "kanal/email/", "status/diproses/", "unit/kebersihan/", "jenis/keluhan/",
            f"tahun/{year}/", f"bulan/{month}/", f"pengaduan/{OVERDUE}/", f"pengaduan/{ANSWERED}/",
            f"pengaduan/{NEW}/", f"pengaduan/{CLOSED}/", "cari/", "cara-menyampaikan-pengaduan/",
            "statistik/", "rekap/", f"rekap/{year}/", "papan/", f"papan/{board}/", "data/", "tentang/",
            "404.html"]


# Everything that makes a page hard to read on a small screen, measured as rendered.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width + 1) problems.push('page wider than the screen: ' + document.documentElement.scrollWidth);
  // visually hidden on purpose (a screen reader's table head: a 1 px clipped box) counts as hidden
  const srOnly = e => { for (let x = e; x && x !== document.body; x = x.parentElement) {
    const r = x.getBoundingClientRect(); if (r.width <= 1 || r.height <= 1) return true; } return false; };
  const visible = e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0 && !srOnly(e); };
  for (const e of document.querySelectorAll('body *')) {
    if (!visible(e) || e.closest('.lompat')) continue;
    const s = getComputedStyle(e);
    const ownText = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const name = e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className : '');
    if (ownText) {
      let size = parseFloat(s.fontSize);
      if (e instanceof SVGElement && e.getScreenCTM) size *= Math.abs(e.getScreenCTM().a);
      if (size < 12 - 0.01) problems.push(`text ${size.toFixed(1)}px in ${name}: ${e.textContent.trim().slice(0, 40)}`);
      const r = e.getBoundingClientRect();
      if (r.right > width + 1 || r.left < -1) problems.push(`text outside the screen in ${name}: ${e.textContent.trim().slice(0, 40)}`);
    }
    const clipsX = !['visible'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1;
    const clipsY = !['visible'].includes(s.overflowY) && e.scrollHeight > e.clientHeight + 1 && e !== document.body;
    if (clipsX || clipsY) problems.push(`content cut or hidden in a scroll box: ${name}`);
    if (s.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1) problems.push(`text cut with … in ${name}`);
  }
  return problems;
}"""


def serious_violations(page) -> list[str]:
    results = axe_module.Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_every_page_type_fits_the_screen_is_readable_and_passes_axe(chromium, demo, viewport):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    try:
        for path in page_types(demo["output"]):
            response = page.goto(demo["url"] + path, wait_until="load")
            assert response.status == 200, path
            assert page.evaluate(LAYOUT_PROBLEMS) == [], (path, viewport)
            assert serious_violations(page) == [], (path, viewport)
        assert failed == []
    finally:
        context.close()


def test_the_first_complaint_is_on_the_first_screen_of_a_phone(chromium, demo):
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        page.goto(demo["url"], wait_until="load")
        first = page.evaluate("document.querySelector('.entri h2 a').getBoundingClientRect().bottom")
        assert first <= 800, first
    finally:
        context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_open_data_field_names_break_only_after_a_dot_or_underscore(chromium, demo, viewport):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(demo["url"] + "data/", wait_until="load")
        # each line of a wrapped name ends at "." or "_" (never "lapor_tim.w|aktu"), and fits its cell
        broken = page.evaluate("""() => [...document.querySelectorAll('main th[scope=row] code')].flatMap(code => {
            const text = code.textContent, range = document.createRange(), lines = [];
            let top = null, line = '';
            for (const node of code.childNodes) {
              if (node.nodeType !== 3) continue;
              for (let i = 0; i < node.length; i++) {
                range.setStart(node, i); range.setEnd(node, i + 1);
                const y = Math.round(range.getBoundingClientRect().top);
                if (top !== null && y > top + 2) { lines.push(line); line = ''; }
                top = y; line += node.data[i];
              }
            }
            const cut = lines.filter(l => !/[._]$/.test(l));
            const wide = code.getBoundingClientRect().right > code.parentElement.getBoundingClientRect().right + 1;
            return cut.length || wide ? [text + ': ' + cut.join('|')] : [];
        })""")
        assert broken == [], broken
        assert page.locator("main th[scope=row] code").count() > 40
    finally:
        context.close()


# --- the board: one A4 sheet per month ----------------------------------------------------------

def sheets(page, hide: str = "") -> int:
    if hide:
        page.add_style_tag(content=f"{hide} {{ display: none !important; }}")
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)   # A4
    return len(boxes)


def board_sheets(chromium, url: str) -> tuple[int, int, int]:
    """(responses on the board, sheets printed, sheets printed without the signature and note)."""
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        page.emulate_media(media="print")
        responses = page.locator(".papan-entri").count()
        printed = sheets(page)
        without = sheets(page, ".papan-tanda-tangan, .papan-kaki")
        return responses, printed, without
    finally:
        context.close()


def test_the_board_prints_one_sheet_for_each_month_of_the_demo(chromium, demo):
    counts = {}
    for month in sorted(path.parent.name for path in (demo["output"] / "papan").glob("*/index.html")):
        responses, printed, without = board_sheets(chromium, f"{demo['url']}papan/{month}/")
        counts[month] = responses
        assert printed == 1, (month, responses, printed)
        assert printed == without, month          # the signature never sits alone on a sheet
    assert max(counts.values()) == 6, counts      # the demo's fullest month has six responses


def test_six_long_responses_print_on_one_sheet_in_readable_type(chromium, tmp_path):
    """Six entries of realistic upper length (a summary and a response of about 90 words each,
    as long as the demo's longest response, and a follow-up plan of about 50): still one A4
    sheet, the response in at least 9 pt, the summary and the plan cut at a word and the address
    of their whole text on the sheet."""
    answered = [synthetic_complaint(index, step_hours=24) for index in range(12) if index % 4 in (2, 3)]
    words = " ".join(["Petugas loket menjelaskan jadwal layanan dan alur antrean kepada pasien."] * 8)
    plan = " ".join(["Jadwal petugas loket pagi ditambah satu orang mulai pekan depan."] * 4)   # ~40 words
    for data in answered:
        data["ringkasan"] += "\n\n" + words
        data["tanggapan"]["isi"] += "\n\n" + words
        data["rencana_tindak_lanjut"]["isi"] += "\n\n" + plan
    repo = write_repo(tmp_path / "repo", answered)
    output = tmp_path / "output"
    build(repo, output)
    months = sorted(path.parent.name for path in (output / "papan").glob("*/index.html"))
    with Served(output) as served:
        responses, printed, without = board_sheets(chromium, f"{served.url}papan/{months[0]}/")
        context = chromium.new_context()
        page = context.new_page()
        page.goto(f"{served.url}papan/{months[0]}/", wait_until="load")
        page.emulate_media(media="print")
        size = page.eval_on_selector(".papan-tanggapan p:last-child", "p => parseFloat(getComputedStyle(p).fontSize)")
        context.close()
    assert responses == 6 and printed == 1 == without, (responses, printed)
    assert size * 0.75 >= 9, size          # px to pt
    html = (output / "papan" / months[0] / "index.html").read_text(encoding="utf-8")
    assert html.count("…</p>") == 12 and "Teks lengkap (…): " in html and "/pengaduan/<i>nomor</i>/" in html
    assert all(data["id"] in html for data in answered)
    assert html.count(words) == 6          # every response whole, no summary whole
    # each SOP's document number under its own title
    assert re.findall(r"<dt>([^<]*)</dt><dd>No. Dokumen ([^<]*)</dd>", html) == [
        ("SOP Identifikasi Pengaduan melalui Email/Instagram/Facebook", "SOP/60/35.73.402.07/2023 (rev. 1)"),
        ("SOP Pengelolaan Umpan Balik dari Pengguna Layanan", "SOP.PJ.KMP.KP.003 (rev. 00)")]


def test_a_long_month_continues_on_numbered_sheets_with_the_signature_never_alone(chromium, tmp_path):
    answered = [synthetic_complaint(index, step_hours=24) for index in range(20) if index % 4 in (2, 3)]
    words = " ".join(["Petugas loket menjelaskan jadwal layanan dan alur antrean kepada pasien."] * 8)
    for data in answered:      # responses as long as the demo's (about 150 words each)
        data["ringkasan"] += "\n\n" + words
        data["tanggapan"]["isi"] += "\n\n" + words
    repo = write_repo(tmp_path / "repo", answered)
    output = tmp_path / "output"
    build(repo, output)
    months = sorted(path.parent.name for path in (output / "papan").glob("*/index.html"))
    with Served(output) as served:
        responses, printed, without = board_sheets(chromium, f"{served.url}papan/{months[0]}/")
    assert responses == 10 and printed >= 2, (responses, printed)
    assert printed == without
    css = (Path(__file__).resolve().parent.parent / "theme" / "static" / "css" / "print-board.css").read_text()
    assert '"Lembar " counter(page) " dari " counter(pages)' in css
    html = (output / "papan" / months[0] / "index.html").read_text(encoding="utf-8")
    assert "SOP SOP" not in html


# --- search -------------------------------------------------------------------------------------

def search(page, base: str, query: str):
    page.goto(base + "cari/", wait_until="load")
    page.fill("#cari-isian", query)
    page.click("#cari-form button")


@contextmanager
def phone(chromium):
    """A page of `chromium` at 360x800 and the URLs it requests."""
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        yield page, requests
    finally:
        context.close()


def found(page, base: str, word: str) -> list[str]:
    """The links the search page lists for `word`, once it says how many complaints hold it."""
    search(page, base, word)
    page.wait_for_function("document.querySelector('#cari-hasil').textContent.includes('memuat')")
    return page.eval_on_selector_all(".hasil a", "els => els.map(a => a.getAttribute('href'))")


def bundles_loaded(requests: list[str]) -> tuple[list[str], set[str]]:
    """(the bundles whose WebAssembly was loaded, the bundles whose entry was loaded)."""
    wasm = [url.split("/pagefind/")[1].split("/")[0] for url in requests if url.endswith(".pagefind") and "/wasm." in url]
    return wasm, {url.split("/pagefind/")[1].split("/")[0] for url in requests if "pagefind-entry.json" in url}


def test_search_finds_a_complaint_by_number_and_by_word_never_a_confidential_one(chromium, demo):
    base = demo["url"]
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        # the index is loaded by the search page only, and only from this site
        for path in ("", f"pengaduan/{OVERDUE}/", "rekap/"):
            page.goto(base + path, wait_until="load")
        assert not [url for url in requests if "/pagefind/" in url or "cari.js" in url]
        # a number, however typed, goes straight to the complaint's page
        for typed in (OVERDUE, "adu 20261109 57da", "ADU-20261109-57DA "):
            search(page, base, typed)
            page.wait_for_url(f"**/pengaduan/{OVERDUE}/")
            assert page.locator("h1").inner_text() == "Jadwal layanan di website Puskesmas belum diperbarui"
        # a word of a summary finds its complaint
        search(page, base, "parkir")
        page.wait_for_selector(".hasil a")
        links = page.eval_on_selector_all(".hasil a", "els => els.map(a => a.href)")
        assert any(link.endswith("/pengaduan/ADU-20261120-5WBE/") for link in links), links
        assert all(link.startswith(base) for link in links)
        # the page's own headings are not indexed: "ringkasan" does not find every complaint
        search(page, base, "ringkasan")
        page.wait_for_function("document.querySelector('#cari-hasil').textContent.includes('memuat')")
        found = page.locator(".hasil a").count()
        assert found < len(demo["data"]["pengaduan"]) // 2, found
        assert "Ringkasan pengaduan" not in page.inner_text("#cari-hasil")
        # a confidential complaint is never found, by its words or by its number
        for word in ("pungutan", "karcis"):
            search(page, base, word)
            page.wait_for_function("document.querySelector('#cari-hasil').textContent.includes('Tidak ada')")
            assert page.locator(".hasil a").count() == 0
        search(page, base, "retribusi")
        page.wait_for_selector(".hasil a")
        assert SECRET not in page.inner_text("#cari-hasil")
        assert not [href for href in page.eval_on_selector_all(".hasil a", "els => els.map(a => a.href)")
                    if SECRET in href]
        search(page, base, SECRET)
        page.wait_for_function("document.querySelector('#cari-hasil').textContent.includes('tidak ditemukan')")
        assert page.url == base + "cari/"
        assert [url for url in requests if "/pagefind/" in url] and \
            all(url.startswith(base) for url in requests)
    finally:
        context.close()


def test_one_search_finds_complaints_of_every_year(chromium, tmp_path):
    """One bundle a year, merged by the search page: a word finds its complaints in every year,
    exactly the pages that hold it; a number of an older year still opens its page."""
    complaints = []
    flowers = {2024: "mawar", 2025: "melati", 2026: "kenanga"}
    for year, flower in flowers.items():
        for index in range(3):
            data = synthetic_complaint(index, start=datetime(year, 3, 2, 8, 15, tzinfo=WIB))
            data["ringkasan"] += f" Taman {flower} kering." + (" Juru parkir meminta uang." if index == 1 else "")
            complaints.append(data)
    output = tmp_path / "output"
    build(write_repo(tmp_path / "repo", complaints), output)
    assert sorted(path.name for path in (output / "pagefind").iterdir()) == ["2024", "2025", "2026"]
    expected = {f"/pengaduan/{data['id']}/" for data in complaints if "parkir" in data["ringkasan"]}
    with phone(chromium) as (page, requests), Served(output) as served:
        links = found(page, served.url, "parkir")
        assert sorted(links) == sorted(expected) and len(expected) == 3, links
        assert page.inner_text("#cari-hasil").startswith("3 pengaduan memuat")
        # the address keeps the search (Back from a result returns to it), and a preview holds the
        # complaint's text, not the page's way back ("‹ Semua pengaduan": found by hand)
        assert page.evaluate("location.search") == "?q=parkir"
        assert "Semua pengaduan" not in page.inner_text(".hasil")
        # Pagefind's program (and its WebAssembly) once, from the newest year's bundle
        assert bundles_loaded(requests) == (["2026"], {"2024", "2025", "2026"})
        links = found(page, served.url, "mawar")
        assert sorted(links) == sorted(f"/pengaduan/{data['id']}/" for data in complaints
                                       if data["id"][4:8] == "2024")
        oldest = complaints[0]["id"]
        search(page, served.url, oldest.lower().replace("-", " "))
        page.wait_for_url(f"**/pengaduan/{oldest}/")


def test_one_search_finds_complaints_in_every_part_of_a_big_year(chromium, tmp_path):
    """A year of more pages than PENGADUAN_SEARCH_PART_PAGES is indexed in parts of whole months,
    all merged by the search page: Pagefind's program loads once, from the newest part, and a word
    finds exactly its complaints, whichever part holds them."""
    complaints = [synthetic_complaint(index, start=datetime(2026, 1, 5, 8, 15, tzinfo=WIB), step_hours=480)
                  for index in range(8)]   # every 20 days, January to May 2026
    for index, data in enumerate(complaints):
        data["ringkasan"] += " Taman mawar kering." if index % 2 else " Taman melati kering."
    settings = tmp_path / "pengaturan.py"
    settings.write_text(f"from pathlib import Path\nexec(Path({str(Path(__file__).parent.parent / 'pelicanconf.py')!r})"
                        ".read_text())\nPENGADUAN_SEARCH_PART_PAGES = 2\n", encoding="utf-8")
    output = tmp_path / "output"
    build(write_repo(tmp_path / "repo", complaints), output, "--settings", settings)
    bundles = sorted((path.name for path in (output / "pagefind").iterdir()), reverse=True)
    assert len(bundles) >= 4 and all(name.startswith("2026-") for name in bundles), bundles
    expected = {f"/pengaduan/{data['id']}/" for data in complaints if "mawar" in data["ringkasan"]}
    with phone(chromium) as (page, requests), Served(output) as served:
        links = found(page, served.url, "mawar")
        assert sorted(links) == sorted(expected) and len(expected) == 4, links
        assert bundles_loaded(requests) == ([bundles[0]], set(bundles))


def test_search_index_holds_complaint_pages_only(demo):
    output = demo["output"]
    years = sorted({record["id"][4:8] for record in demo["data"]["pengaduan"]})
    assert sorted(path.name for path in (output / "pagefind").iterdir()) == years   # one bundle a year
    pages = 0
    for year in years:
        assert (output / "pagefind" / year / "pagefind.js").is_file()
        entry = json.loads((output / "pagefind" / year / "pagefind-entry.json").read_text())
        pages += sum(language["page_count"] for language in entry["languages"].values())
    assert pages == len(list(output.glob("pengaduan/*/index.html"))) == len(demo["data"]["pengaduan"])
    assert not (output / "pengaduan" / SECRET).exists()


def test_without_javascript_the_search_page_says_how_to_find_a_complaint(chromium, demo):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        page.goto(demo["url"] + "cari/", wait_until="load")
        assert not page.locator("#cari-form").is_visible()
        text = page.inner_text("main")
        assert "Nomor pengaduan memuat tanggal pengaduan diterima" in text
        # the example is the newest public complaint's number, never one written into the theme
        newest = max(demo["data"]["pengaduan"], key=lambda record: record["diterima"])["id"]
        assert f"{newest[:12]}-… diterima" in text and "ADU-20261109-…" not in text, text
        page.click(".bulan-cari a:text-is('November')")
        page.wait_for_url("**/bulan/2026-11/")
        assert page.locator(f"a[href$='pengaduan/{OVERDUE}/']").count() == 1
    finally:
        context.close()


# --- page weight --------------------------------------------------------------------------------

def test_every_page_with_its_css_stays_under_14_kb_gzip(demo):
    output = demo["output"]
    css = gzip.compress((output / "tema" / "situs.css").read_bytes(), 9)
    board_css = gzip.compress((output / "tema" / "print-board.css").read_bytes(), 9)
    script = gzip.compress((output / "tema" / "cari.js").read_bytes(), 9)
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        if relative.startswith("pagefind/"):
            continue     # the search page's index: loaded by the search page only, when searching
        extra = board_css if relative.startswith("papan/") and relative != "papan/index.html" else css
        extra = len(extra) + (len(script) if relative == "cari/index.html" else 0)
        size = len(gzip.compress(path.read_bytes(), 9)) + extra
        assert size < 14 * 1024, (relative, size)


# --- every sentence true for its complaint -----------------------------------------------------

def test_every_complaint_page_says_only_what_is_true_for_its_state(demo):
    output, data = demo["output"], demo["data"]
    now = data["dibuat"][:10]
    states_seen, sentences = set(), set()
    for record in data["pengaduan"]:
        cid = record["id"]
        page = read_page(output, f"pengaduan/{cid}/")
        text = page.text
        stages = [stage for stage in record["tahapan"] if stage.get("status")]
        states_seen |= {stage["status"] for stage in stages}
        html = (output / "pengaduan" / cid / "index.html").read_text(encoding="utf-8")
        marks = re.findall(r'<span class="tanda tanda-(\w+)">', html)
        plan = record.get("rencana_tindak_lanjut") or {}
        plan_late = bool(plan.get("target")) and not plan.get("selesai") and plan["target"] < now
        expected = [stage["status"] for stage in stages]
        if plan.get("target"):
            done = (plan.get("selesai") or "")[:10]
            expected.append("lewat_batas" if plan_late else "berjalan" if not done else
                            "tepat_waktu" if done <= plan["target"] else "terlambat")
        assert marks == expected, cid
        for state in marks:
            assert STAGE_STATES[state] in text, (cid, state)
        overdue = "lewat_batas" in expected
        assert ("Terlambat, belum selesai" in text) == overdue, cid
        assert "sesuai SOP" not in text and "Melewati batas waktu" not in text, cid
        response = next(stage for stage in record["tahapan"] if stage["tahap"] == "umpan_balik")
        if record.get("tanggapan"):
            assert "Belum ada tanggapan" not in text and "Menunggu tanggapan" not in text, cid
            published = re.search(r"Dipublikasikan di website \(respon pengaduan pelayanan\) (\S+)", text)
            assert published and published.group(1) != "Belum", cid
        elif response["status"] == "lewat_batas":
            assert "Belum ada tanggapan, padahal batas waktunya" in text and "sudah lewat" in text, cid
        elif response["status"] == "berjalan":
            assert "Belum ada tanggapan. Tanggapan paling lambat" in text, cid
        if plan_late:
            assert "sudah lewat" in text and "Belum selesai; target" in text, cid
        if plan.get("target"):
            assert "Target: " in text and "Batas: target" not in text, cid
        # the sentence under the status agrees with the timeline: reported, answered, followed up
        sentence = re.search(r'>Status</dt><dd[^>]*>.*?<small[^>]*>([^<]*)</small>', html).group(1)
        reported = next(stage for stage in record["tahapan"] if stage["tahap"] == "lapor_tim")["selesai"]
        if record.get("tanggapan"):
            assert sentence.startswith("sudah ditanggapi"), (cid, sentence)
            if plan:
                assert ("tindak lanjut belum selesai" in sentence) == (not plan.get("selesai")), (cid, sentence)
        else:
            assert "belum ada tanggapan" in sentence, (cid, sentence)
            assert ("belum dilaporkan" in sentence) == (not reported), (cid, sentence)
        sentences.add(sentence)
        # the listings say it too: the home list, the month list
        month = record["diterima"][:7]
        listing = (output / "bulan" / month / "index.html").read_text(encoding="utf-8")
        entry = re.search(r'<article class="entri">\s*<h2><a href="[^"]*' + cid + r'/">.*?</article>', listing, re.S)
        assert entry, cid
        assert ("Terlambat, belum selesai" in entry.group(0)) == overdue, cid
    assert states_seen == {"tepat_waktu", "terlambat", "lewat_batas", "berjalan"}   # the demo has them all
    assert "sudah dilaporkan ke tim, belum ada tanggapan" in sentences, sentences   # ADU-20261120-5WBE
    home = read_page(output, "").text
    assert home.count("Terlambat, belum selesai") >= 1
    # the open data and the board speak the same words
    requests = json.loads((output / "data" / "requests.json").read_text(encoding="utf-8"))
    notes = " ".join(request["status_notes"] for request in requests)
    assert "terlambat, belum selesai" in notes and "belum jatuh tempo" in notes and "lewat batas" not in notes
    # a follow-up whose target date passed is late in the open data too (its notes, JSON and CSV)
    answered = next(request for request in requests if request["service_request_id"] == ANSWERED)
    assert "Rencana tindak lanjut: terlambat, belum selesai." in answered["status_notes"], answered
    record = next(record for record in data["pengaduan"] if record["id"] == ANSWERED)
    assert record["rencana_tindak_lanjut"]["status"] == "lewat_batas"
    rows = csv.DictReader(io.StringIO((output / "data" / "complaints.csv").read_text(encoding="utf-8")))
    assert next(row for row in rows if row["id"] == ANSWERED)["rencana_tindak_lanjut.status"] == "lewat_batas"


def test_public_pages_speak_without_jargon(demo):
    output = demo["output"]
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        if relative.startswith(("pagefind/", "data/")):
            continue      # /data/ is for developers: technical terms are explained there
        text = Page(path.read_text(encoding="utf-8")).text
        for word in ("Umpan Atom", "riwayat git", "median", "Median", "ISO 8601", "Open311", "SOP SOP"):
            assert word not in text, (relative, word)
    data_page = read_page(output, "data/").text
    assert "`" not in data_page
    assert "ISO 8601" in data_page and "Open311" in data_page and "Bukti git" in data_page
    statistics = (output / "statistik" / "index.html").read_text(encoding="utf-8")
    head = re.search(r"<thead>(.*?)</thead>", statistics, re.S).group(1)
    assert "Dirahasiakan" not in head          # not a column beside the statuses, to be added to them
    assert "dirahasiakan" in statistics        # but said, inside the total
