"""What decides publication is guarded (findings 3 and 13 of issue 11) and the workflows pass zizmor.

- CODEOWNERS gives every path an owner (`*`), and everything that decides what is published
  (complaints, pages, policy, schema, code, theme, Pelican settings, dependencies, workflows) to
  the head of the Puskesmas, by GitHub's rule (the last matching pattern wins);
- `PENGADUAN_TOKEN` is read only by jobs in the environment `pengaduan`, which the guide says
  to limit to `main`: a same-repository pull request that edits a workflow cannot read it;
- zizmor (locked in requirements/test.txt) finds nothing in the workflows, offline, and does
  find a template injection in a broken copy (so this test can fail).
"""
from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HEAD = "@ganti-akun-kepala-puskesmas"
DECIDES_PUBLICATION = ["content/complaints/2026/ADU-20260105-7K3M.md", "content/pages/tentang.md",
                       "puskesmas.yaml", "schema/complaint.schema.json", "pipeline/plugin/publishing.py",
                       "pipeline/records/privacy.py", "theme/templates/base.html", "pelicanconf.py",
                       "publishconf.py", "pyproject.toml", "requirements/runtime.txt", "Makefile",
                       ".github/workflows/terbitkan.yml", ".github/CODEOWNERS"]
ENVIRONMENT = "pengaduan"


def codeowners() -> list[tuple[str, list[str]]]:
    rules = []
    for line in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pattern, *owners = line.split()
            rules.append((pattern, owners))
    return rules


def _matches(pattern: str, path: str) -> bool:
    """GitHub's CODEOWNERS patterns as this file uses them (gitignore syntax)."""
    anchored = pattern.startswith("/")
    pattern = pattern.lstrip("/")
    if pattern.endswith("/"):
        return path.startswith(pattern) if anchored else f"/{pattern}" in f"/{path}"
    if anchored:
        return fnmatch.fnmatchcase(path, pattern) or path.startswith(pattern + "/")
    return any(fnmatch.fnmatchcase(part, pattern) for part in path.split("/")) or fnmatch.fnmatchcase(path, pattern)


def owners_of(path: str) -> list[str]:
    owners: list[str] = []
    for pattern, who in codeowners():
        if _matches(pattern, path):
            owners = who
    return owners


def test_every_path_has_an_owner_and_the_head_owns_what_decides_publication():
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True,
                             check=True).stdout.split()
    assert tracked
    assert [path for path in tracked + ["berkas-baru.txt", "folder/baru.py"] if not owners_of(path)] == []
    assert {path: owners_of(path) for path in DECIDES_PUBLICATION} == {path: [HEAD] for path in DECIDES_PUBLICATION}
    explicit = {pattern for pattern, _ in codeowners()}
    for folder in ("/schema/", "/pipeline/", "/theme/", "/pelicanconf.py", "/publishconf.py", "/pyproject.toml",
                   "/requirements/", "/.github/"):
        assert folder in explicit, folder   # named, not only by the default: changing `*` keeps them


def _jobs():
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in document["jobs"].items():
            yield path.name, name, job


def test_the_token_lives_in_an_environment_limited_to_main():
    users = []
    for workflow, name, job in _jobs():
        if "PENGADUAN_TOKEN" in json.dumps(job):
            users.append((workflow, name))
            environment = job.get("environment")
            environment = environment.get("name") if isinstance(environment, dict) else environment
            assert environment == ENVIRONMENT, (workflow, name)
    assert users == [("formulir.yml", "catat")]
    for document in ("README.md", "docs/panduan-petugas.md"):
        text = " ".join((ROOT / document).read_text(encoding="utf-8").split())
        assert re.search(r"environment `pengaduan`", text, re.I), document
        assert "Deployment branches" in text and "`main`" in text, document


def zizmor() -> str:
    found = shutil.which("zizmor", path=str(Path(sys.executable).parent))
    assert found, "zizmor tidak terpasang: make install-test"
    return found


def test_zizmor_finds_nothing_in_the_workflows():
    done = subprocess.run([zizmor(), "--offline", "--format", "json", str(ROOT / ".github" / "workflows")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []


def test_zizmor_finds_a_template_injection(tmp_path):
    broken = (ROOT / ".github" / "workflows" / "formulir.yml").read_text(encoding="utf-8").replace(
        'run: pengaduan intake --event "$GITHUB_EVENT_PATH" --open-pr',
        'run: echo "${{ github.event.issue.title }}"')
    assert "github.event.issue.title" in broken
    (tmp_path / "formulir.yml").write_text(broken, encoding="utf-8")
    done = subprocess.run([zizmor(), "--offline", "--format", "json", str(tmp_path / "formulir.yml")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "template-injection" in {finding["ident"] for finding in json.loads(done.stdout)}
