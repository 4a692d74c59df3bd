"""The locks in requirements/ agree with pyproject.toml, carry hashes, and are what every install uses."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(lock: str) -> dict[str, str]:
    """{name: version} of a pip-compile lock; fails on a pin without a hash."""
    text = (ROOT / "requirements" / lock).read_text()
    found: dict[str, str] = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{lock}: {match.group(1)} has no hash"
            found[canonicalize_name(match.group(1))] = match.group(2)
        else:
            assert block.startswith("#") or not block.strip(), f"{lock}: unpinned line {block!r}"
    return found


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize("lock, groups", [("runtime.txt", ["dependencies"]),
                                          ("test.txt", ["dependencies", "test"])])
def test_lock_satisfies_every_declared_requirement(lock, groups):
    locked = pins(lock)
    declared = [Requirement(line) for group in groups
                for line in (project()["dependencies"] if group == "dependencies"
                             else project()["optional-dependencies"][group])]
    for requirement in declared:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is in pyproject.toml but not in {lock}: run `make lock`"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{lock} pins {name}=={locked[name]}, outside pyproject's {requirement}: run `make lock`")


def test_runtime_lock_is_the_test_lock_minus_test_tools():
    runtime, test = pins("runtime.txt"), pins("test.txt")
    assert {name: test.get(name) for name in runtime} == runtime, "the two locks pin different versions"
    for tool in ("pytest", "playwright", "axe-playwright-python", "zizmor"):
        assert tool not in runtime, f"`make site` would install the test tool {tool}"


def test_no_unlocked_package_is_declared():
    declared = {canonicalize_name(Requirement(line).name) for line in project()["dependencies"]}
    assert "gitpython" not in declared, "nothing imports GitPython: the git runner is plain git"


def test_every_install_uses_the_lock_with_hashes():
    places = [ROOT / "Makefile", *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]
    for place in places:
        text = place.read_text()
        for line in text.splitlines():
            if "pip install" in line and "pip-tools" not in line:
                assert "--require-hashes -r requirements/" in line or "--no-deps -e ." in line, (
                    f"{place.name}: an install outside the lock: {line.strip()}")
        if "pip install" in text:
            assert "--require-hashes" in text, place.name
