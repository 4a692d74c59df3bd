"""Each place a repository may be hosted (`editor.layanan` of puskesmas.yaml) gives a web editor
whose backend, in the vendored Decap CMS, supports the editorial workflow: the SOP is one pull
request per complaint, so a backend without it is refused with a reason, not discovered broken
when staff open /admin/.

The configuration `pengaduan editor` writes is loaded by the real vendored bundle in Chromium:
the sign-in page of that backend must appear, with no error. (Decap's Gitea backend throws "does
not support editorial workflow" here; it is refused in puskesmas.yaml instead.)
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import policy_text, run_cli
from site_helpers import CHROMIUM, CHROMIUM_ARGS, Served

from pipeline.records.schemas import load_schema

ROOT = Path(__file__).resolve().parent.parent
EDITOR = {
    "github": "editor:\n  layanan: github\n  repositori: dinkes/pengaduan-uji\n"
              "  alamat_oauth: https://oauth.dinkes.example.go.id\n",
    "forgejo": "editor:\n  layanan: forgejo\n  repositori: pkm/pengaduan-uji\n"
               "  alamat_layanan: https://git.dinkes.example.go.id\n  app_id: 0f1e2d3c-uji\n",
}
SIGN_IN = {"github": "Masuk dengan GitHub", "forgejo": "Masuk dengan Forgejo"}
SERVICES = load_schema("policy.schema.json")["properties"]["editor"]["properties"]["layanan"]["enum"]


def _repo(root: Path, editor: str) -> Path:
    repo = root / "repo"
    (repo / "content" / "complaints").mkdir(parents=True)
    (repo / "puskesmas.yaml").write_text(policy_text() + editor, encoding="utf-8")
    return repo


def test_every_allowed_service_has_an_example_here():
    assert set(SERVICES) == set(EDITOR) == set(SIGN_IN)


def test_gitea_is_refused_with_the_reason_and_what_to_do(tmp_path):
    repo = _repo(tmp_path, "editor:\n  layanan: gitea\n  repositori: pkm/pengaduan-uji\n")
    done = run_cli("editor", "--repo", repo)
    assert done.returncode == 1 and not (repo / "admin").exists()
    line = policy_text().count("\n") + 2
    assert f"puskesmas.yaml:{line}:" in done.stderr, done.stderr
    assert "tidak bisa dipakai dengan Gitea" in done.stderr and "alur persetujuan" in done.stderr
    assert "forgejo" in done.stderr and "Lampiran A" in done.stderr


def test_forgejo_needs_its_server_and_client_id(tmp_path):
    repo = _repo(tmp_path, "editor:\n  layanan: forgejo\n  repositori: pkm/pengaduan-uji\n")
    done = run_cli("editor", "--repo", repo)
    assert done.returncode == 1
    assert "kolom wajib `alamat_layanan` belum ada" in done.stderr
    assert "kolom wajib `app_id` belum ada" in done.stderr


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed")
@pytest.mark.parametrize("service", SERVICES)
def test_each_allowed_service_loads_in_the_vendored_decap_with_the_editorial_workflow(tmp_path, service):
    sync_api = pytest.importorskip("playwright.sync_api")
    repo = _repo(tmp_path, EDITOR[service])
    shutil.copytree(ROOT / "admin" / "vendor", repo / "admin" / "vendor")
    shutil.copy(ROOT / "admin" / "pengaduan-cms.js", repo / "admin" / "pengaduan-cms.js")
    done = run_cli("editor", "--repo", repo)
    assert done.returncode == 0, done.stderr
    errors: list[str] = []
    with Served(repo) as served, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        # Offline: nothing leaves this computer (the local decap-server Decap looks for first is
        # not running either).
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(served.url)
                   else route.abort())
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error"
                and "Failed to load resource" not in message.text and errors.append(message.text))
        page.goto(served.url + "admin/")
        page.get_by_role("button", name=SIGN_IN[service]).wait_for(timeout=20000)
        page.wait_for_timeout(500)
        shown = page.inner_text("body")
        browser.close()
    assert "editorial workflow" not in shown and "Kesalahan konfigurasi" not in shown, shown
    assert not errors, errors
