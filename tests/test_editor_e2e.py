"""The web editor end to end, offline, in Debian's Chromium: the real Decap CMS (vendored in
admin/vendor/) with the configuration `pengaduan editor` generates, against decap-server (npm,
from package-lock.json) in git mode on a temporary repository, with the editorial workflow.

A staff member creates a complaint, then records the report to the team, the meeting and the
response, saving after each step. The test finds the complaint's branch cms/pengaduan/<year>/<id>,
one commit per save with the time it was saved, a file that `pengaduan check` accepts as written
(byte for byte what the form holds, keys in the order of a hand-written file, times with their
zone), and the deadline report's evidence taken from those commits. axe-core runs on every editor
page. Set PENGADUAN_SCREENSHOTS=docs/img to refresh the staff guide's screenshots.

It runs twice: with the browser in the Puskesmas's zone (WIB) and in UTC (a computer set wrongly).
Times typed and "Sekarang" must be saved as the Puskesmas's wall-clock time with +07:00 in both,
and changing the date received after the first save (the id holds it) is stopped with an
explanation. Screenshots and axe-core come from the WIB run.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import cli_command
from site_helpers import CHROMIUM, CHROMIUM_ARGS, Served

sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

ROOT = Path(__file__).resolve().parent.parent
DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
WIB = ZoneInfo("Asia/Jakarta")

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
if not DECAP_SERVER.exists() or not shutil.which("node"):
    if os.environ.get("CI"):
        raise RuntimeError("decap-server is missing: `make install-test` runs `npm ci`")
    pytest.skip("node_modules/decap-server missing (make install-test runs npm ci)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def _pengaduan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*cli_command(), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module", params=["Asia/Jakarta", "UTC"])
def editor(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("editor")
    repo = root / "repo"
    (repo / "content" / "complaints").mkdir(parents=True)
    shutil.copy(ROOT / "puskesmas.yaml", repo / "puskesmas.yaml")
    (repo / "content" / "complaints" / "README.md").write_text("# Berkas pengaduan\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    for key, value in (("user.name", "Petugas Pengaduan"), ("user.email", "petugas@puskesmas.example"),
                       ("commit.gpgsign", "false")):
        _git(repo, "config", key, value)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Start the complaint register")

    port = _free_port()
    log = open(root / "decap-server.log", "w")
    server = subprocess.Popen(
        ["node", str(DECAP_SERVER)], stdout=log, stderr=subprocess.STDOUT,
        env={"PATH": os.environ["PATH"], "HOME": str(root), "MODE": "git", "PORT": str(port),
             "BIND_HOST": "127.0.0.1", "GIT_REPO_DIRECTORY": str(repo), "LOG_LEVEL": "info",
             "TZ": "UTC"})
    api = f"http://127.0.0.1:{port}/api/v1"
    _wait_for(api, server, root / "decap-server.log")

    # The site's /admin/ as the build makes it: the template's admin/ with the generated files,
    # here pointing the CMS at the local decap-server.
    source = root / "source"
    shutil.copytree(ROOT / "admin", source / "admin")
    shutil.copy(ROOT / "puskesmas.yaml", source / "puskesmas.yaml")
    done = _pengaduan("editor", "--repo", str(source), "--local-backend", api)
    assert done.returncode == 0, done.stderr
    from pipeline.outputs.editor import copy_into_site
    site = root / "site"
    assert copy_into_site(source, site)
    try:
        with Served(site) as served, sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--lang=id"])
            context = browser.new_context(timezone_id=request.param, locale="id-ID",
                                          viewport={"width": 1280, "height": 900})
            page = context.new_page()
            yield {"page": page, "url": served.url + "admin/", "repo": repo, "root": root,
                   "context": context, "main": request.param == "Asia/Jakarta"}
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _wait_for(api: str, server, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"decap-server stopped: {log_path.read_text()}")
        try:
            request = urllib.request.Request(api, data=json.dumps({"action": "info"}).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"decap-server did not start: {log_path.read_text()}")


class Watch:
    """Page errors, console errors and requests that leave 127.0.0.1, during the whole test."""

    def __init__(self, page, base: str):
        self.problems: list[str] = []
        self.refusing = False   # while a save is stopped on purpose (see `page_error`)
        page.on("pageerror", self.page_error)
        page.on("console", lambda message: message.type == "error" and not _harmless(message.text)
                and self.problems.append(f"console: {message.text}"))
        page.on("request", lambda request: not request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                and self.problems.append(f"off-site request: {request.url}"))
        page.on("response", self.response)

    def page_error(self, error) -> None:
        # Decap CMS leaves the rejected promise of a failed save unhandled: the browser reports
        # it as a page error "Object" (the failure action). Expected only when we stop a save.
        if self.refusing and str(error) == "Object":
            return
        self.problems.append(f"page error: {error}")

    def response(self, response) -> None:
        if response.status < 400 or response.url.endswith((".map", "favicon.ico")):
            return
        body = json.loads(response.request.post_data or "{}")
        # decap-server answers "no unpublished entry (branch) for this slug yet" with 404
        if response.status == 404 and body.get("action") == "unpublishedEntry":
            return
        self.problems.append(f"HTTP {response.status}: {response.url} {body.get('action')}")


def _harmless(text: str) -> bool:
    # The browser reports a missing favicon or source map as a console error; nothing of ours.
    return "Failed to load resource" in text


def _shot(page, name: str, main: bool = True) -> None:
    folder = os.environ.get("PENGADUAN_SCREENSHOTS") if main else None
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"editor-{name}.png"), full_page=False)


def _axe(page, where: str, main: bool = True) -> list[str]:
    if not main:
        return []
    results = axe_module.Axe().run(page)
    return [f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}: "
            + "; ".join(f"{node['target']} {node.get('failureSummary', '')[:160]}" for node in violation["nodes"][:8])
            for violation in results.response["violations"] if violation["impact"] in ("serious", "critical")]


def _choose(page, label: str, option: str) -> None:
    page.get_by_label(label).first.click()
    page.get_by_role("option", name=option, exact=True).click()


def _show(page, heading: str) -> None:
    """Scroll the form so that a step's section is at the top (for its screenshot)."""
    page.wait_for_timeout(300)
    page.get_by_text(heading, exact=False).first.evaluate("e => e.scrollIntoView({block: 'start'})")


def _branch_commits(repo: Path, branch: str) -> list[tuple[str, str]]:
    lines = _git(repo, "log", "--reverse", "--format=%aI\t%s", f"main..{branch}").splitlines()
    return [tuple(line.split("\t", 1)) for line in lines]


def _save(page, repo: Path, expected_commits: int) -> tuple[datetime, datetime]:
    """Click Simpan and wait until decap-server committed; the clock before and after."""
    time.sleep(1.1)   # git times have whole seconds: keep each save's commit in its own second
    before = datetime.now(WIB).replace(microsecond=0)
    page.get_by_role("button", name="Simpan", exact=True).click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        branches = [b.strip("* ").strip() for b in _git(repo, "branch", "--list", "cms/*").splitlines()]
        if branches and len(_branch_commits(repo, branches[0])) == expected_commits:
            page.get_by_text("Tersimpan").first.wait_for(timeout=10000)
            page.wait_for_url("**/#/collections/pengaduan/entries/**", timeout=10000)
            page.get_by_role("button", name="Simpan", exact=True).wait_for()
            page.wait_for_timeout(1000)   # the editor reloads the saved entry
            return before, datetime.now(WIB).replace(microsecond=0) + timedelta(seconds=1)
        time.sleep(0.2)
    raise AssertionError(f"save {expected_commits} made no commit")


def test_staff_record_each_sop_step_in_the_web_editor(editor):
    page, repo, main = editor["page"], editor["repo"], editor["main"]
    shot = lambda name: _shot(page, name, main)   # noqa: E731
    axe = lambda where: _axe(page, where, main)   # noqa: E731
    watch = Watch(page, editor["url"])
    violations: list[str] = []
    received = (datetime.now(WIB) - timedelta(hours=2)).replace(second=0, microsecond=0)
    reported = received + timedelta(minutes=30)
    meeting = received + timedelta(minutes=60)

    page.goto(editor["url"])
    page.get_by_role("button", name="Masuk").wait_for()
    shot("masuk")
    violations += axe("sign-in")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text("Pengaduan baru").first.wait_for()
    page.wait_for_timeout(500)
    page.get_by_text("Memuat pengaduan").first.wait_for(state="hidden")   # the list has loaded
    shot("daftar")
    violations += axe("list")

    # 1. The complaint itself.
    page.goto(editor["url"] + "#/collections/pengaduan/new")
    page.get_by_label("Judul (publik)").fill("Antrean obat di farmasi terlalu lama")
    page.get_by_label("Waktu pengaduan diterima").fill(received.strftime("%Y-%m-%dT%H:%M"))
    _choose(page, "Kanal pengaduan", "WhatsApp")
    _choose(page, "Jenis", "Keluhan")
    _choose(page, "Unit yang diadukan", "Farmasi")
    page.get_by_label("Ringkasan untuk publik").fill(
        "Pasien menunggu obat lebih dari satu jam di loket farmasi pada pagi hari.")
    page.get_by_label("Nama pelapor (RAHASIA: tidak dipublikasikan)").fill("Sari Wulandari")
    page.get_by_label("Kontak pelapor (telepon atau email) (RAHASIA: tidak dipublikasikan)").fill("0812-3456-7890")
    shot("pengaduan-baru")
    violations += axe("new complaint form")
    saves = [_save(page, repo, 1)]
    branch = next(b.strip("* ").strip() for b in _git(repo, "branch", "--list", "cms/*").splitlines())
    complaint_id = branch.rsplit("/", 1)[1]
    assert branch == f"cms/pengaduan/{received.year}/{complaint_id}"
    assert complaint_id[4:12] == f"{received:%Y%m%d}"
    # Read back from the file, the form shows the time as typed, in the Puskesmas's zone.
    assert page.get_by_label("Waktu pengaduan diterima").input_value() == received.strftime("%Y-%m-%dT%H:%M")

    # 2. Reported to the team (SOP step 1).
    page.get_by_label("Waktu dilaporkan ke tim").fill(reported.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Petugas yang melapor (RAHASIA: tidak dipublikasikan)").fill("Rina Kusumawati")
    _show(page, "Langkah 1 — Lapor ke tim pengelola pengaduan")
    shot("lapor-tim")
    saves.append(_save(page, repo, 2))

    # 3. The meeting (SOP step 2).
    page.get_by_label("Waktu rapat").fill(meeting.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Tambah peserta rapat (RAHASIA: tidak dipublikasikan)").click()
    page.locator("[id^='peserta-field'] input, input[id^='isi-field']").last.fill("Ketua tim pengelola pengaduan")
    page.get_by_label("Notulen rapat (RAHASIA: tidak dipublikasikan)").fill("Tambah satu petugas loket pada jam sibuk.")
    _show(page, "Langkah 2 — Rapat tim")
    shot("rapat")
    saves.append(_save(page, repo, 3))

    # 4. The response, approved and given (SOP steps 5 and 6).
    page.get_by_label("Isi tanggapan (publik)").fill(
        "Mulai pekan depan satu petugas farmasi ditambah pada pukul 08.00-10.00.")
    page.get_by_label("Disetujui oleh").fill("Kepala Puskesmas")
    # "Sekarang": the time now in the Puskesmas, whatever the zone of the browser.
    clicked = datetime.now(WIB).replace(second=0, microsecond=0)
    page.get_by_label("Umpan balik: waktu tanggapan disampaikan kepada pelapor").locator(
        "xpath=..").get_by_test_id("now-button").click()
    answered = datetime.strptime(page.get_by_label("Umpan balik: waktu tanggapan disampaikan kepada pelapor")
                                 .input_value(), "%Y-%m-%dT%H:%M").replace(tzinfo=WIB)
    assert clicked <= answered <= datetime.now(WIB), (clicked, answered)
    _choose(page, "Umpan balik: cara menyampaikan", "WhatsApp")
    _show(page, "Langkah 5 dan 6 — Tanggapan dan umpan balik kepada pelapor")
    shot("tanggapan")
    violations += axe("filled form")
    saves.append(_save(page, repo, 4))

    page.goto(editor["url"] + "#/workflow")
    page.get_by_text(complaint_id).first.wait_for()
    shot("alur")
    violations += axe("workflow")

    # On a phone: the same form, one column.
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(editor["url"] + f"#/collections/pengaduan/entries/{received.year}/{complaint_id}")
    page.get_by_label("Judul (publik)").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    shot("ponsel")
    violations += axe("phone")

    # The date received changed to another day after the first save: the id (and the file's
    # name) hold the first date and cannot be renamed here, so the save is stopped, with what to do.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Waktu pengaduan diterima").fill((received + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    time.sleep(1.1)
    watch.refusing = True
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.get_by_role("alert").filter(has_text="Gagal menyimpan: Belum disimpan").wait_for(timeout=10000)
    problem = page.locator("#pengaduan-masalah")   # stays until closed: the notice goes after 8 s
    problem.wait_for(timeout=10000)
    said = problem.inner_text()
    assert f"{received + timedelta(days=1):%d-%m-%Y} (WIB)" in said and complaint_id in said, said
    assert f"kembalikan tanggalnya ke {received:%d-%m-%Y}" in said, said
    violations += axe("save stopped")
    page.wait_for_timeout(1000)
    assert len(_branch_commits(repo, branch)) == 4   # nothing saved
    watch.refusing = False

    # The branch: one commit per save, each at the time it was saved.
    commits = _branch_commits(repo, branch)
    assert [message for _, message in commits] == [
        f"Catat pengaduan {received.year}/{complaint_id}"] + [
        f"Perbarui pengaduan {received.year}/{complaint_id}"] * 3
    for (when, _), (before, after) in zip(commits, saves):
        assert before <= datetime.fromisoformat(when) <= after, (when, before, after)

    # The file as the editor wrote it: exactly what a careful person would write by hand.
    path = f"content/complaints/{received.year}/{complaint_id}.md"
    text = _git(repo, "show", f"{branch}:{path}")
    stamp = lambda moment: moment.strftime("%Y-%m-%dT%H:%M:00+07:00")  # noqa: E731
    assert text == (
        "---\n"
        f"id: {complaint_id}\n"
        "judul: Antrean obat di farmasi terlalu lama\n"
        f"diterima: {stamp(received)}\n"
        "kanal: whatsapp\n"
        "jenis: keluhan\n"
        "unit: farmasi\n"
        "ringkasan: Pasien menunggu obat lebih dari satu jam di loket farmasi pada pagi hari.\n"
        "kerahasiaan: terbuka\n"
        "pelapor:\n"
        "  nama: Sari Wulandari\n"
        "  kontak: 0812-3456-7890\n"
        "lapor_tim:\n"
        f"  waktu: {stamp(reported)}\n"
        "  petugas: Rina Kusumawati\n"
        "rapat:\n"
        f"  waktu: {stamp(meeting)}\n"
        "  peserta:\n"
        "    - Ketua tim pengelola pengaduan\n"
        "  catatan: Tambah satu petugas loket pada jam sibuk.\n"
        "tanggapan:\n"
        "  isi: Mulai pekan depan satu petugas farmasi ditambah pada pukul 08.00-10.00.\n"
        f"  waktu: {stamp(answered)}\n"
        "  kanal: whatsapp\n"
        "  disetujui_oleh: Kepala Puskesmas\n"
        "---\n"), text

    checkout = editor["root"] / "checkout"
    _git(repo, "worktree", "add", "-q", str(checkout), branch)
    done = _pengaduan("check", "--repo", str(checkout))
    assert done.returncode == 0 and done.stdout.endswith("semua sah.\n"), done.stdout + done.stderr
    assert "peringatan" not in done.stdout + done.stderr, done.stdout + done.stderr

    # The deadline evidence comes from the branch's commits.
    done = _pengaduan("deadlines", "--repo", str(repo), "--ref", branch, "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    entry = next(item for item in report["complaints"] if item["id"] == complaint_id)
    stages = {stage["stage"]: stage for stage in entry["stages"]}
    assert datetime.fromisoformat(entry["recorded_at"]) == datetime.fromisoformat(commits[0][0])
    assert datetime.fromisoformat(entry["responded_at"]) == datetime.fromisoformat(commits[3][0])
    assert datetime.fromisoformat(stages["lapor_tim"]["done_at"]) == datetime.fromisoformat(commits[0][0])
    assert stages["lapor_tim"]["status"] == "met" and stages["umpan_balik"]["status"] == "met"
    done = _pengaduan("deadlines", "--repo", str(repo), "--ref", "main", "--format", "json")
    assert complaint_id not in done.stdout   # not published until the head merges

    assert not violations, "\n".join(violations)
    assert not watch.problems, watch.problems
