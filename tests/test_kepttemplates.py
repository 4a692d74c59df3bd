"""The compiled templates kept in the build cache (`plugin.kepttemplates`)."""
from __future__ import annotations

import shutil

from jinja2 import DictLoader, Environment

from pipeline.plugin.kepttemplates import FOLDER, kept_templates


def _render(cache, environment: str, kind: str = "ComplaintsGenerator") -> str:
    env = Environment(loader=DictLoader({"a.html": "{{ 1 + 1 }}"}), bytecode_cache=kept_templates(cache, environment, kind))
    return env.get_template("a.html").render()


def test_each_environment_and_generator_has_its_folder_and_others_are_removed(tmp_path):
    assert _render(tmp_path, "a" * 64) == "2"
    assert _render(tmp_path, "a" * 64, "PagesGenerator") == "2"
    (tmp_path / FOLDER / "__jinja2_old.cache").write_bytes(b"the flat layout of before")
    (tmp_path / FOLDER / "elsewhere").symlink_to(tmp_path / "keep", target_is_directory=True)
    (tmp_path / "keep").mkdir()
    kept = {path.parent.relative_to(tmp_path / FOLDER).as_posix() for path in (tmp_path / FOLDER).rglob("*.cache")}
    assert kept == {"a" * 32 + "/ComplaintsGenerator", "a" * 32 + "/PagesGenerator", "."}
    assert _render(tmp_path, "b" * 64) == "2"
    assert [path.name for path in (tmp_path / FOLDER).iterdir()] == ["b" * 32]
    assert (tmp_path / "keep").is_dir()   # a link is removed, never followed


def test_a_folder_another_build_removed_meanwhile_only_keeps_nothing(tmp_path):
    cache = kept_templates(tmp_path, "c" * 64, "ComplaintsGenerator")
    shutil.rmtree(tmp_path / FOLDER)
    env = Environment(loader=DictLoader({"a.html": "{{ 2 + 2 }}"}), bytecode_cache=cache)
    assert env.get_template("a.html").render() == "4"
    assert not (tmp_path / FOLDER).exists()


def test_a_file_in_their_folder_s_place_makes_way_and_a_cache_with_no_room_only_compiles(tmp_path):
    (tmp_path / FOLDER).write_text("bukan folder", encoding="utf-8")
    assert _render(tmp_path, "d" * 64) == "2"
    assert (tmp_path / FOLDER / ("d" * 32) / "ComplaintsGenerator").is_dir()
    (tmp_path / "berkas").write_text("bukan folder", encoding="utf-8")
    assert kept_templates(tmp_path / "berkas" / "cache", "d" * 64, "ComplaintsGenerator") is None
    assert (tmp_path / "berkas").read_text(encoding="utf-8") == "bukan folder"
