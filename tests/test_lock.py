"""The locks in requirements/ agree with pyproject.toml, carry hashes, and are what every install uses."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
LOCKS = ("build.txt", "runtime.txt", "test.txt", "lock.txt")
# How pip-compile marks a pin asked for by the lock's source (not pulled in by another pin).
SOURCE = {"build.txt": "respon-pengaduan (../pyproject.toml::build-system.requires)",
          "runtime.txt": "respon-pengaduan (../pyproject.toml)",
          "test.txt": "respon-pengaduan (../pyproject.toml)",
          "lock.txt": "-r lock.in"}


def lock_text(lock: str) -> str:
    return (ROOT / "requirements" / lock).read_text()


def blocks(text: str, lock: str = "lock") -> dict[str, tuple[str, str]]:
    """{name: (version, block text)} of a pip-compile lock; fails on a pin without a hash."""
    found: dict[str, tuple[str, str]] = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{lock}: {match.group(1)} has no hash"
            found[canonicalize_name(match.group(1))] = (match.group(2), block)
        else:
            assert block.startswith("#") or not block.strip(), f"{lock}: unpinned line {block!r}"
    return found


def pins(lock: str) -> dict[str, str]:
    return {name: version for name, (version, _) in blocks(lock_text(lock), lock).items()}


def top_level(text: str, source: str) -> set[str]:
    """The pins whose `# via` names the lock's source itself."""
    top = set()
    for name, (_, block) in blocks(text).items():
        via = [line.strip().lstrip("#").strip() for line in block.splitlines() if line.strip().startswith("#")]
        via = [entry.removeprefix("via").strip() for entry in via]
        if source in via:
            top.add(name)
    return top


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def declared(lock: str) -> list[Requirement]:
    data = project()
    if lock == "build.txt":
        lines = data["build-system"]["requires"]
    elif lock == "lock.txt":
        lines = [line.split("#")[0].strip() for line in (ROOT / "requirements" / "lock.in").read_text().splitlines()]
    else:
        lines = data["project"]["dependencies"] + (
            data["project"]["optional-dependencies"]["test"] if lock == "test.txt" else [])
    return [Requirement(line) for line in lines if line]


def disagreements(text: str, source: str, requirements: list[Requirement]) -> list[str]:
    """What `make lock` would change: a declared name not pinned at the top, a pin outside its range,
    a top-level pin nothing declares any more."""
    locked = {name: version for name, (version, _) in blocks(text).items()}
    names = {canonicalize_name(requirement.name) for requirement in requirements}
    found = []
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        if name not in locked:
            found.append(f"{requirement.name} is declared but not locked")
        elif not requirement.specifier.contains(locked[name], prereleases=True):
            found.append(f"{name}=={locked[name]} is outside {requirement}")
    found += [f"{name} is locked as asked for, but nothing declares it" for name in sorted(top_level(text, source) - names)]
    found += [f"{name} is declared, but the lock says another package pulled it in"
              for name in sorted(names & set(locked) - top_level(text, source))]
    return found


@pytest.mark.parametrize("lock", LOCKS)
def test_each_lock_is_exactly_what_its_source_declares(lock):
    assert disagreements(lock_text(lock), SOURCE[lock], declared(lock)) == [], f"{lock}: run `make lock`"


def test_a_stale_top_level_pin_is_a_disagreement():
    # Both directions: a dependency dropped from pyproject.toml but still locked is caught too.
    text = lock_text("runtime.txt")
    requirements = [r for r in declared("runtime.txt") if canonicalize_name(r.name) != "openpyxl"]
    assert disagreements(text, SOURCE["runtime.txt"], requirements) == [
        "openpyxl is locked as asked for, but nothing declares it"]
    assert disagreements(text, SOURCE["runtime.txt"], [*declared("runtime.txt"), Requirement("gitpython")]) == [
        "gitpython is declared but not locked"]


@pytest.mark.parametrize("lock", LOCKS)
def test_locks_are_made_with_the_oldest_python_we_support(lock):
    # A lock resolved on a newer Python may pin releases the oldest supported one cannot install
    # (and leaves out its backports): the locks are made with requires-python's floor.
    floor = re.fullmatch(r">=\s*(\d+\.\d+)", project()["project"]["requires-python"].strip())
    assert floor, "requires-python is a plain floor, >=X.Y"
    made_with = re.search(r"autogenerated by pip-compile with Python (\d+\.\d+)", lock_text(lock))
    assert made_with and made_with.group(1) == floor.group(1), (
        f"{lock} was made with Python {made_with and made_with.group(1)}, requires-python is {floor.group(0)}")


def test_every_python_we_name_is_the_floor():
    floor = project()["project"]["requires-python"].removeprefix(">=")
    spec = SpecifierSet(project()["project"]["requires-python"])
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/setup-python@"):
                    assert step["with"]["python-version"] == floor, path.name
    texts = {"README.md": (ROOT / "README.md").read_text(), "init's README": init_readme()}
    for where, text in texts.items():
        named = re.findall(r"Python (3\.\d+)\+", text)
        assert named and all(version == floor for version in named), (where, named, floor)
    assert not spec.contains("3.10") and spec.contains(floor + ".0")


def test_runtime_lock_is_the_test_lock_minus_test_tools():
    runtime, test = pins("runtime.txt"), pins("test.txt")
    assert {name: test.get(name) for name in runtime} == runtime, "the two locks pin different versions"
    for tool in ("pytest", "playwright", "axe-playwright-python", "zizmor"):
        assert tool not in runtime, f"`make site` would install the test tool {tool}"


def test_no_unlocked_package_is_declared():
    declared_names = {canonicalize_name(Requirement(line).name) for line in project()["project"]["dependencies"]}
    assert "gitpython" not in declared_names, "nothing imports GitPython: the git runner is plain git"


def init_readme() -> str:
    from pipeline.commands.init import _readme
    from pipeline.records.policy import load_policy
    return _readme(load_policy(ROOT)[0])


def install_places() -> dict[str, str]:
    places = {path.name: path.read_text() for path in
              [ROOT / "Makefile", ROOT / ".ci" / "run", *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]}
    places["init's README"] = init_readme()
    return places


def test_every_install_uses_the_lock_with_hashes():
    # Our package is built by the locked setuptools (requirements/build.txt, with hashes) without
    # build isolation: pip fetches nothing unpinned, not even the build backend.
    for place, text in install_places().items():
        lines = [line.strip() for line in text.splitlines() if "pip install" in line]
        for line in lines:
            assert (re.search(r"--require-hashes -r requirements/\w+\.txt$", line)
                    or line.endswith("pip install -q --no-deps --no-build-isolation -e .")
                    or line.endswith("pip install --no-deps --no-build-isolation -e .")), (
                f"{place}: an install outside the lock: {line}")
        editable = [i for i, line in enumerate(lines) if line.endswith("-e .")]
        build = [i for i, line in enumerate(lines) if line.endswith("--require-hashes -r requirements/build.txt")]
        if editable:
            assert build and build[0] < editable[0], f"{place}: install requirements/build.txt before our package"


def test_the_build_lock_is_what_pyproject_builds_with():
    locked = pins("build.txt")
    assert set(locked) == {canonicalize_name(r.name) for r in declared("build.txt")}
    assert project()["build-system"]["build-backend"] == "setuptools.build_meta"
