"""The documentation is tested like the code (in the style of Datasette's tests/test_docs.py).

- The command line speaks Indonesian: usage errors, usage lines and help headings come from
  argparse, translated by pipeline/commands/argparse_id.py; usage errors still exit with 2.
- docs/cli.md is generated from the real parsers (`python -m pipeline.docs`) and must be current.
- Every `PENGADUAN_*` setting the code reads, and every `pengaduan` command, is in README.md.
"""
from __future__ import annotations

import argparse
import gettext
import re
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, run_main
from pipeline import docs
from pipeline.cli import build_parser
from pipeline.commands import COMMANDS

README = (ROOT / "README.md").read_text(encoding="utf-8")
# argparse's own English, which staff must never see.
ENGLISH = ["usage:", "error:", "the following arguments are required", "invalid choice",
           "unrecognized arguments", "show this help message", "positional arguments",
           "optional arguments", "options:", "expected one argument", "choose from",
           "show program's version"]


def no_english(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text]


# --- the command line speaks Indonesian ------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    ([], "pengaduan: galat: argumen berikut wajib diisi: PERINTAH"),
    (["kirim"], "pengaduan: galat: perintah `kirim` tidak dikenal. Perintah: check, new, "),
    (["periksa"], "pengaduan: galat: perintah `periksa` tidak dikenal. Mungkin maksud Anda `pengaduan check`?"),
    (["chek"], "Mungkin maksud Anda `pengaduan check`?"),
    # with the command's usage, not the program's (it printed `pengaduan [-h] [--version] PERINTAH`)
    (["check", "--bogus"], "pengaduan check: galat: argumen tidak dikenal: --bogus"),
    (["deadlines", "--fail-on", "selalu"], "pengaduan deadlines: galat: argumen --fail-on: pilihan "
                                           "tidak dikenal: 'selalu' (pilih salah satu: 'breached', "
                                           "'overdue', 'never')"),
    (["pr", "preview", "--pr", "dua"], "pengaduan pr preview: galat: argumen --pr: nilai tidak sah: "
                                       "'dua' (harus bilangan bulat)"),
    (["serve", "--port", "delapan"], "pengaduan serve: galat: argumen --port: 'delapan' bukan nomor port"),
    (["init"], "pengaduan init: galat: argumen berikut wajib diisi: DIR"),
    (["pr"], "pengaduan pr: galat: argumen berikut wajib diisi: AKSI"),
    (["pr", "check", "--format"], "pengaduan pr check: galat: argumen --format: perlu satu nilai"),
    (["deadlines", "--now", "besok"], "pengaduan deadlines: galat: argumen --now: 'besok' bukan waktu "
                                      "ISO 8601"),
])
def test_usage_errors_are_indonesian_and_exit_2(args, message, tmp_path: Path):
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.startswith("penggunaan: pengaduan"), done.stderr
    assert message in done.stderr, done.stderr
    assert no_english(done.stderr) == [], done.stderr


def test_usage_error_in_process_and_argparse_left_as_it_was():
    code, out, err = run_main("check", "--format", "xml")
    assert (code, out) == (2, "")
    assert "pengaduan check: galat: argumen --format: pilihan tidak dikenal: 'xml'" in err
    # The translation is scoped to our parsers: argparse itself and other parsers stay English.
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext
    assert "usage:" in argparse.ArgumentParser(prog="lain").format_usage()


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["pr", "deadlines", "--help"]])
def test_help_is_indonesian(args):
    done = run_cli(*args)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("penggunaan: pengaduan")
    assert "\nopsi:\n" in done.stdout and "tampilkan bantuan ini lalu keluar" in done.stdout
    assert no_english(done.stdout) == []


def test_every_parser_has_indonesian_help_and_a_description():
    for parser in docs._walk(build_parser()):
        text = parser.format_help()
        assert no_english(text) == [], (parser.prog, no_english(text))
        assert parser.description, f"{parser.prog} has no description"
        for action in parser._actions:
            assert action.help, f"{parser.prog} {action.option_strings or action.dest} has no help"


# --- docs/cli.md is generated from the parsers ------------------------------------------------

def test_cli_reference_is_up_to_date():
    expected = docs.cli_reference()
    current = docs.CLI_DOC.read_text(encoding="utf-8") if docs.CLI_DOC.is_file() else ""
    assert current == expected, (
        "docs/cli.md is out of date with the command line's --help: regenerate it with "
        f"`{docs.REGENERATE}` (from the repository root) and commit the result.")


def test_cli_reference_covers_every_command():
    text = docs.CLI_DOC.read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"\n## pengaduan {name}\n" in text
    for action in ("files", "check", "deadlines"):
        assert f"\n## pengaduan pr {action}\n" in text


def test_check_mode_of_the_generator(tmp_path: Path, monkeypatch, capsys):
    assert docs.main(["--check"]) == 0
    stale = tmp_path / "cli.md"
    stale.write_text("# lama\n", encoding="utf-8")
    monkeypatch.setattr(docs, "CLI_DOC", stale)
    monkeypatch.setattr(docs, "ROOT", tmp_path)
    assert docs.main(["--check"]) == 1
    assert "python -m pipeline.docs" in capsys.readouterr().err
    assert stale.read_text(encoding="utf-8") == "# lama\n"      # --check never writes
    assert docs.main([]) == 0 and stale.read_text(encoding="utf-8") == docs.cli_reference()


# --- README.md: settings and commands ---------------------------------------------------------

def section(title: str) -> str:
    """The text of README's `## title` section, up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def used_settings() -> dict[str, set[str]]:
    """Every PENGADUAN_* name in the code, the Pelican settings and the workflows -> files."""
    files = [*sorted((ROOT / "pipeline").rglob("*.py")), ROOT / "pelicanconf.py", ROOT / "publishconf.py",
             *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]
    found: dict[str, set[str]] = {}
    for path in files:
        for name in re.findall(r"\bPENGADUAN_[A-Z][A-Z0-9_]*\b", path.read_text(encoding="utf-8")):
            found.setdefault(name, set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_settings_are_found():
    # The scan itself works: these are read by the site plugin and set in pelicanconf.py.
    assert {"PENGADUAN_REF", "PENGADUAN_REPO", "PENGADUAN_PER_PAGE"} <= set(used_settings())


@pytest.mark.parametrize("name", sorted(used_settings()))
def test_setting_is_documented_in_readme(name):
    rows = [line for line in section("Settings").splitlines() if line.startswith(f"| `{name}`")]
    assert rows, (f"{name} (used in {', '.join(sorted(used_settings()[name]))}) is not documented: "
                  "add a row `| `NAME` | ... |` to the table in README.md's '## Settings' section")


def test_readme_documents_no_setting_that_does_not_exist():
    documented = re.findall(r"^\| `(PENGADUAN_[A-Z0-9_]+)`", section("Settings"), re.M)
    assert documented and sorted(set(documented) - set(used_settings())) == []


def test_the_deadline_marks_have_one_source():
    # The complaint pages' marks come from the build's one report, like /rekap/ and the open
    # data: no setting names another source (PENGADUAN_EVIDENCE could, and imported any module).
    assert "PENGADUAN_EVIDENCE" not in used_settings() and "PENGADUAN_EVIDENCE" not in README
    plugin = (ROOT / "pipeline" / "plugin" / "publishing.py").read_text(encoding="utf-8")
    assert "judged = [item for item in self.report.complaints if item.complaint.is_public]" in plugin
    assert "deadlines.complaint_marks(judged, self.policy)" in plugin and "import_module" not in plugin


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_documented_in_readme(name):
    commands = section("Commands")
    assert re.search(rf"^- `pengaduan {name}\b", commands, re.M), (
        f"`pengaduan {name}` is missing from README.md's '## Commands' section: add one line")


def test_readme_links_the_cli_reference_and_keeps_the_two_set_up_commands():
    assert "(docs/cli.md)" in section("Commands")
    setup = section("Set-up (two commands, a fresh machine with Python 3.11+ and git)")
    assert re.findall(r"^make \w+", setup, re.M) == ["make site", "make test"]


def test_layout_and_architecture_name_every_layer_and_module():
    package = ROOT / "pipeline"
    layers = sorted(path.name for path in package.iterdir() if (path / "__init__.py").is_file())
    layout = section("Layout")
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for layer in layers:
        assert f"| `pipeline/{layer}/` |" in layout, f"README's layout table lacks pipeline/{layer}/"
        assert f"`{layer}/`" in architecture, f"docs/architecture.md lacks the layer {layer}/"
        for module in sorted((package / layer).glob("*.py")):
            if module.name != "__init__.py":
                assert f"`{module.stem}`" in architecture, f"docs/architecture.md lacks {layer}/{module.name}"
    for dotted in re.findall(r"`((?:records|evidence|report|outputs|plugin|commands)\.\w+)", architecture):
        layer, module = dotted.split(".")
        assert (package / layer / f"{module}.py").is_file(), f"docs/architecture.md names {dotted}: no such module"


def _guide() -> str:
    return (Path(__file__).resolve().parent.parent / "docs" / "panduan-petugas.md").read_text(encoding="utf-8")


def test_the_guides_step_numbers_are_the_forms_section_numbers():
    # A staff member reading "Langkah 2" in the guide finds "Langkah 2" in the form: the same step.
    import yaml
    config = yaml.safe_load((ROOT / "admin" / "config.yml").read_text(encoding="utf-8"))
    labels = [field["label"].split(":")[0] for field in config["collections"][0]["fields"]
              if field["label"].startswith("Langkah ")]   # "Langkah 3 — Distribusi"
    headings = re.findall(r"^## (.*)$", _guide(), re.M)
    numbers = {number for heading in headings for number in re.findall(r"Langkah [0-9](?: dan [0-9])?", heading)}
    assert numbers == {label.split(" — ")[0] for label in labels}
    for label in labels:
        assert any(label in heading for heading in headings), f"no heading of the guide names {label!r}"


def test_the_guide_starts_with_the_install_and_types_the_command_from_the_virtualenv():
    guide = _guide()
    setup = guide[guide.index("## 0. Persiapan"):]
    assert setup.index("make install") < setup.index(".venv/bin/pengaduan")
    typed = []
    for block in re.findall(r"```sh\n(.*?)```", guide, re.S):
        typed += [line.strip() for line in block.splitlines() if line.strip().startswith("pengaduan ")]
    typed += [span for span in re.findall(r"`(pengaduan [^`]*)`", guide) if "--" in span or "/" in span]
    assert not typed, f"commands typed without .venv/bin/: {typed}"
