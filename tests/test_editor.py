"""The web editor's generated configuration (admin/config.yml, admin/index.html) and its place in
the built site. The editor itself runs end to end in tests/test_editor_e2e.py."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml

from conftest import run_cli
from site_helpers import build, write_repo

from pipeline.outputs.editor import PRIVATE, complaint_fields, generated_files

DECAP_VERSION = "3.16.3"   # the vendored Decap CMS (admin/vendor/decap-cms/README.md)
from pipeline.records.policy import load_policy
from pipeline.records.privacy import field_paths
from pipeline.records.schemas import load_schema

ROOT = Path(__file__).resolve().parent.parent
ADMIN = ROOT / "admin"


def _config() -> dict:
    return yaml.safe_load((ADMIN / "config.yml").read_text(encoding="utf-8"))


def _settings() -> dict:
    page = (ADMIN / "index.html").read_text(encoding="utf-8")
    return json.loads(re.search(r"window\.PENGADUAN = (\{.*\});", page)[1])


def _fields_by_path(fields: list[dict], prefix: str = "") -> dict[str, dict]:
    found = {}
    for field in fields:
        path = prefix + field["name"]
        found[path] = field
        found.update(_fields_by_path(field.get("fields", []), path + "."))
    return found


def _schema_paths(node: dict, root: dict, prefix: str = "") -> list[str]:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
    paths = []
    for key, child in (node.get("properties") or {}).items():
        paths.append(prefix + key)
        paths += _schema_paths(child, root, prefix + key + ".")
    return paths


def test_committed_editor_files_are_generated_from_the_schema_and_policy():
    # Fails when the schema or puskesmas.yaml changed and `pengaduan editor` was not run again.
    policy, problems = load_policy(ROOT)
    assert policy is not None, problems
    for name, text in generated_files(policy).items():
        assert (ADMIN / name).read_text(encoding="utf-8") == text, (
            f"admin/{name} is stale: run `pengaduan editor` and commit it")


def test_editor_periksa_says_stale_and_the_command_rewrites(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "puskesmas.yaml", repo / "puskesmas.yaml")
    done = run_cli("editor", "--repo", repo, "--periksa")
    assert done.returncode == 0 and "tanpa editor web" in done.stdout   # no admin/: no editor
    (repo / "admin").mkdir()
    done = run_cli("editor", "--repo", repo, "--periksa")
    assert done.returncode == 1 and "usang" in done.stderr and "pengaduan editor" in done.stderr
    done = run_cli("editor", "--repo", repo)
    assert done.returncode == 0 and "ditulis" in done.stdout
    assert run_cli("editor", "--repo", repo, "--periksa").returncode == 0
    policy = (repo / "puskesmas.yaml").read_text(encoding="utf-8")
    (repo / "puskesmas.yaml").write_text(policy.replace("{id: farmasi, nama: Farmasi}",
                                                        "{id: farmasi, nama: Instalasi Farmasi}"), encoding="utf-8")
    done = run_cli("editor", "--repo", repo, "--periksa")
    assert done.returncode == 1 and "config.yml" in done.stderr


def test_every_schema_field_staff_fill_is_in_the_form_with_its_rules():
    root = load_schema("complaint.schema.json")
    fields = _fields_by_path(_config()["collections"][0]["fields"])
    schema_paths = _schema_paths(root, root)
    missing = [path for path in schema_paths if path not in fields]
    assert not missing, f"schema fields missing from the editor: {missing}"
    assert set(fields) - set(schema_paths) == {"body"}   # the private working notes
    for path in schema_paths:   # each has a label of ours, not just its name
        assert fields[path]["label"].split(" (")[0] != path.rsplit(".", 1)[-1], path
    assert fields["body"]["label"].endswith(f"({PRIVATE})")
    for path in map(".".join, field_paths("private")):
        assert PRIVATE in fields[path]["label"], path
    for path in map(".".join, field_paths("public")):
        assert PRIVATE not in fields[path]["label"], path
    required = {name for name, field in fields.items() if field.get("required")}
    assert required == set(root["required"]) - {"id"}    # the id is made when saved
    assert fields["id"]["widget"] == "hidden"


def test_choices_come_from_the_policy_and_times_keep_their_zone():
    policy, _ = load_policy(ROOT)
    fields = _fields_by_path(_config()["collections"][0]["fields"])
    assert [option["value"] for option in fields["kanal"]["options"]] == list(policy.channels)
    assert {option["value"]: option["label"] for option in fields["unit"]["options"]} == policy.units
    assert fields["diteruskan_ke"]["multiple"] is True
    assert [option["value"] for option in fields["kerahasiaan"]["options"]] == ["terbuka", "rahasia"]
    assert fields["kerahasiaan"]["default"] == "terbuka"
    for path in ("diterima", "lapor_tim.waktu", "rapat.waktu", "tanggapan.waktu", "tanggapan.disetujui_pada",
                 "rencana_tindak_lanjut.selesai"):
        # the Puskesmas's wall-clock time: admin/pengaduan-cms.js adds the zone when saving
        assert fields[path]["format"] == "YYYY-MM-DDTHH:mm:ss", path
        assert list(path.split(".")) in _settings()["waktu"], path
    assert fields["rencana_tindak_lanjut.target"]["format"] == "YYYY-MM-DD"


def test_each_sop_step_is_a_section_of_the_form():
    fields = _config()["collections"][0]["fields"]
    labels = [field["label"] for field in fields if field["label"].startswith("Langkah")]
    steps = ["Lapor ke tim", "Rapat", "Distribusi", "Rencana tindak lanjut", "Tanggapan", "umpan balik",
             "Publikasi"]
    positions = []
    for step in steps:
        position = next(i for i, label in enumerate(labels) if step.lower() in label.lower())
        positions.append(position)
    assert positions == sorted(positions) and len(labels) == 6   # steps 5 and 6 share the response


def test_editorial_workflow_and_everything_in_indonesian():
    config = _config()
    assert config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "id"
    assert config["backend"]["squash_merges"] is False    # merge commits keep the evidence
    collection = config["collections"][0]
    assert collection["folder"] == "content/complaints" and collection["format"] == "yaml-frontmatter"
    english = re.compile(r"\b(the|and|field|required|save|entry|must)\b", re.I)
    for field in _fields_by_path(collection["fields"]).values():
        for key in ("label", "hint"):
            assert not english.search(field.get(key, "")), field[key]
    script = (ADMIN / "pengaduan-cms.js").read_text(encoding="utf-8")
    assert "registerLocale('id'" in script


def test_editor_page_loads_nothing_from_another_host_and_the_cms_is_vendored_with_its_licence():
    page = (ADMIN / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    vendor = ADMIN / "vendor" / "decap-cms"
    assert (vendor / "decap-cms.js").read_text(encoding="utf-8").count(f"decap-cms {DECAP_VERSION}") == 1
    assert "MIT License" in (vendor / "LICENSE").read_text(encoding="utf-8")
    assert DECAP_VERSION in (vendor / "README.md").read_text(encoding="utf-8")


def test_build_puts_the_editor_at_admin(tmp_path):
    repo = write_repo(tmp_path / "repo", [])
    shutil.copytree(ADMIN, repo / "admin")
    build(repo, tmp_path / "out")
    assert (tmp_path / "out" / "admin" / "index.html").read_text(encoding="utf-8") == (ADMIN / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "admin" / "vendor" / "decap-cms" / "decap-cms.js").is_file()
    assert (tmp_path / "out" / "admin" / "vendor" / "decap-cms" / "LICENSE").is_file()


def test_build_without_the_editor_says_so(tmp_path):
    repo = write_repo(tmp_path / "repo", [])
    done = build(repo, tmp_path / "out")
    assert not (tmp_path / "out" / "admin").exists()
    assert "Editor web /admin/ tidak disertakan" in done.stdout + done.stderr


def test_form_field_order_is_the_order_of_a_hand_written_file():
    policy, _ = load_policy(ROOT)
    names = [field["name"] for field in complaint_fields(policy)]
    text = (ROOT / "content" / "complaints" / "2026" / "ADU-20261006-3VPF.md").read_text(encoding="utf-8")
    written = [line.split(":")[0] for line in text.split("---")[1].splitlines() if re.match(r"^[a-z_]+:", line)]
    assert [name for name in names if name in written] == written


def test_a_changed_editor_is_rebuilt_even_when_nothing_else_changed(tmp_path):
    repo = write_repo(tmp_path / "repo", [])
    shutil.copytree(ADMIN, repo / "admin")
    build(repo, tmp_path / "out")
    config = repo / "admin" / "config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "# diubah\n", encoding="utf-8")
    build(repo, tmp_path / "out")
    assert (tmp_path / "out" / "admin" / "config.yml").read_text(encoding="utf-8").endswith("# diubah\n")


def test_the_published_editor_holds_no_phone_number_a_reporter_may_have():
    """/admin/config.yml is published: its example `0812-3456-7890` was a number a reporter can
    have (a contact written from the hint stopped the build at the gate, in a file staff cannot
    edit; found by hand). Its examples write no digits a gate would read as a phone number."""
    from pipeline.outputs.gatenumbers import phone_digits
    policy, _ = load_policy(ROOT)
    for name, text in generated_files(policy).items():
        assert phone_digits(text) == [] or all(number in (policy_numbers(policy)) for number in phone_digits(text)), name


def policy_numbers(policy) -> set[str]:
    """The Puskesmas's own numbers (its channels'), which the editor may show."""
    from pipeline.outputs.gatenumbers import phone_digits
    return {number for details in (policy.channels or {}).values() if isinstance(details, dict)
            for number in phone_digits(str(details.get("nomor") or ""))}
