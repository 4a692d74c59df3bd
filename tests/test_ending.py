"""A rebuild run from the command line holds what it lets go and ends its process at once
(`pipeline.outputs.ending`): nothing it said is lost, nothing it made is left half done, and a
program calling the build in its own process never holds anything."""
from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import weakref

import yaml

from gitrepo import GitRepo
from site_helpers import ROOT, build, output_files, synthetic_complaint

CHILD = """
import atexit, sys
from pipeline.outputs import ending
atexit.register(lambda: print("atexit ran"))
if "allow" in sys.argv:
    ending.allow()
if "hold" in sys.argv:
    ending.hold()
ending.let_go(object())
print("said before the end")          # (stdout is a pipe: buffered until flushed)
print("warned before the end", file=sys.stderr)
sys.exit(ending.end(3))
"""


def _child(*words: str) -> subprocess.CompletedProcess:
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-c", CHILD, *words], capture_output=True, text=True, cwd=ROOT,
                          env=buffered)


def test_a_process_that_held_what_it_let_go_ends_with_its_code_and_all_it_said():
    ended = _child("allow", "hold")
    assert ended.returncode == 3
    assert ended.stdout == "said before the end\n"   # flushed; no exit handler ran (no "atexit ran")
    assert ended.stderr == "warned before the end\n"


def test_without_hold_or_without_allow_the_process_ends_as_usual():
    for words in (("allow",), ("hold",), ()):
        ended = _child(*words)
        assert ended.returncode == 3, words
        assert ended.stdout == "said before the end\natexit ran\n", words


class _Thing:
    pass


def test_what_is_let_go_is_held_only_when_the_process_ends_with_its_command(monkeypatch):
    from pipeline.outputs import ending
    monkeypatch.setattr(ending, "_ALLOWED", [])
    monkeypatch.setattr(ending, "_HELD", None)

    def kept_after_let_go() -> bool:
        thing = _Thing()
        alive = weakref.ref(thing)
        ending.let_go(thing)
        del thing
        gc.collect()
        return alive() is not None

    ending.hold()   # (not allowed: a program calling the build in its own process)
    assert not kept_after_let_go()
    assert ending.end(5) == 5   # and its process goes on
    ending.allow()
    assert not kept_after_let_go()   # (allowed, but no build asked to hold)
    ending.hold()
    thing = _Thing()
    alive = weakref.ref(thing)
    ending.let_go(thing)
    del thing
    gc.collect()
    assert alive() is not None   # held
    ending.release()   # (the gate runs in the build's own process after all)
    gc.collect()
    assert alive() is None
    assert not kept_after_let_go()
    assert ending.end(5) == 5


def test_only_the_build_command_ends_its_process_with_its_build():
    from pipeline.cli import build_parser
    assert build_parser("build").parse_args(["build"]).process_ends_with_it is True
    # `serve --build` builds with the build's options, then serves on: nothing held while it serves
    for command in ("serve", "demo", "check"):
        assert not hasattr(build_parser(command).parse_args([command]), "process_ends_with_it"), command


def _text(data: dict) -> str:
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\nCatatan kerja internal.\n"


def test_a_rebuild_from_the_command_line_ends_as_a_clean_build_and_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)   # (what it says is buffered until its end)
    repo = GitRepo(tmp_path / "repo")
    repo.write(".gitignore", "/.cache/\n/output/\n")
    complaints = [synthetic_complaint(index) for index in range(12)]
    for data in complaints:
        repo.write(f"content/complaints/{data['id'][4:8]}/{data['id']}.md", _text(data))
    repo.commit("Twelve complaints", "2026-04-01T09:00:00+07:00")
    output = tmp_path / "site"
    build(repo.path, output)
    data = {**complaints[3], "judul": "Judul yang diubah"}
    repo.write(f"content/complaints/{data['id'][4:8]}/{data['id']}.md", _text(data))
    repo.commit("Change one title", "2026-04-01T10:00:00+07:00")
    # a rebuild: its gate runs in its worker, so it holds what it lets go and ends at once
    rebuilt = build(repo.path, output)
    assert rebuilt.stdout.startswith("Situs dibangun di")   # (said before the end)
    assert "Judul yang diubah" in (output / "pengaduan" / data["id"] / "index.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    build(repo.path, clean, "--no-cache")
    assert output_files(output) == output_files(clean)
    cache = repo.path / ".cache" / "pengaduan"
    left = [path.name for folder in (tmp_path, cache) for path in folder.iterdir() if path.name.startswith(".")]
    assert left == [], left   # no staging folder, copy of the pages or half-written cache file
    for path in cache.glob("*.pickle"):   # every cache file it wrote is whole
        with open(path, "rb") as stream:
            assert isinstance(pickle.load(stream), dict), path
