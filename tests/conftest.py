"""Shared helpers for tests that need a repository of complaints.

Everything here is real: repositories are real folders under pytest's tmp_path, the CLI is run
either in-process (`run_main`, through `pipeline.cli.main`) or as the installed console script in
a subprocess (`run_cli`). Nothing is mocked.

- `make_repo(root, policy=MINIMAL_POLICY)`: a minimal repository (puskesmas.yaml and an empty
  content/complaints/). The schemas come from the package, so a repo needs no schema/ folder.
- `repo` fixture: `make_repo(tmp_path / "repo")`.
- `example_repo` fixture: a copy of this repository's own puskesmas.yaml and content/complaints/
  as they are at run time.
- `complaint_text(**changes)`: the text of a valid complaint (VALID), with fields changed,
  added, or removed (`field=None`); `write_complaint(repo, ...)` writes it where it belongs:
  content/complaints/<YYYY>/<id>.md.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPLAINTS = Path("content") / "complaints"

# "Now" for checks that must not depend on the clock (WIB); every example date is before it.
NOW = "2026-03-01T12:00:00+07:00"

MINIMAL_POLICY = """\
puskesmas:
  nama: Puskesmas Uji Coba
  alamat: Jl. Percobaan No. 1
zona_waktu: {zona_waktu}
kanal:
  email:
    alamat: pkm.uji@example.go.id
  whatsapp:
    nomor: "0812-0000-0001"
  langsung:
    alamat: Meja informasi
  kotak_saran:
    jadwal_buka: Setiap hari Sabtu
unit:
  - {{id: pendaftaran, nama: Pendaftaran}}
  - {{id: poli_umum, nama: Poli Umum}}
  - {{id: farmasi, nama: Farmasi}}
tahapan:
  - {{id: lapor_tim, nama: Dilaporkan ke tim, bukti: recorded_at, batas_jam_kerja: 24}}
  - {{id: umpan_balik, nama: Umpan balik kepada pelapor, bukti: responded_at, batas_jam_kerja: 72}}
  - {{id: publikasi, nama: Dipublikasikan, bukti: published_at}}
"""


def policy_text(zona_waktu: str = "Asia/Jakarta") -> str:
    """MINIMAL_POLICY in a given time zone (Asia/Makassar for WITA, Asia/Jayapura for WIT)."""
    return MINIMAL_POLICY.format(zona_waktu=zona_waktu)


# A valid complaint under MINIMAL_POLICY (telepon is deliberately not one of its channels).
VALID = {
    "id": "ADU-20260105-7K3M",
    "judul": "Antrean pendaftaran pagi terlalu lama",
    "diterima": "2026-01-05 09:30",
    "kanal": "whatsapp",
    "jenis": "keluhan",
    "unit": "pendaftaran",
    "ringkasan": "Pelapor menunggu lebih dari dua jam di loket pendaftaran.",
    "pelapor": {"nama": "Budi Santoso", "kontak": "0812-3456-7890"},
}


class Raw(str):
    """A value written into the YAML exactly as given (unquoted): Raw("007"), Raw("no")."""


def _yaml_scalar(value) -> str:
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


def front_matter(fields: dict) -> str:
    """Block-style YAML of `fields`, one field per line, in order (so line numbers are easy)."""
    lines: list[str] = []

    def emit(key, value, indent: int) -> None:
        pad = "  " * indent
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            for child_key, child in value.items():
                emit(child_key, child, indent + 1)
        elif isinstance(value, list):
            lines.append(f"{pad}{key}: [{', '.join(_yaml_scalar(item) for item in value)}]")
        else:
            lines.append(f"{pad}{key}: {_yaml_scalar(value)}")

    for key, value in fields.items():
        emit(key, value, 0)
    return "\n".join(lines) + "\n"


def complaint_fields(**changes) -> dict:
    """VALID with `changes` applied: a new value, a new field (added last), or None to remove."""
    fields = {key: (dict(value) if isinstance(value, dict) else value) for key, value in VALID.items()}
    for key, value in changes.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return fields


def complaint_text(fields: dict | None = None, body: str = "Catatan kerja internal.\n", **changes) -> str:
    """The text of a complaint file: `---`, front matter, `---`, body."""
    fields = complaint_fields(**changes) if fields is None else fields
    return f"---\n{front_matter(fields)}---\n{body}"


def complaint_path(repo: Path, complaint_id: str) -> Path:
    """Where a complaint with this id belongs: content/complaints/<YYYY>/<id>.md."""
    return repo / COMPLAINTS / complaint_id[4:8] / f"{complaint_id}.md"


def write_complaint(repo: Path, fields: dict | None = None, *, text: str | bytes | None = None,
                    path: Path | str | None = None, **changes) -> Path:
    """Write a complaint into `repo` and return its path.

    By default the fields are VALID with `changes`, and the file goes where its id says. `text`
    (str or bytes) is written as it is; `path` (absolute, or relative to the repo) overrides the
    place.
    """
    if text is None:
        fields = complaint_fields(**changes) if fields is None else fields
        text = complaint_text(fields)
    if path is None:
        complaint_id = (fields or complaint_fields(**changes)).get("id") or VALID["id"]
        path = complaint_path(repo, str(complaint_id))
    path = repo / path
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    return path


def make_repo(root: Path, policy: str | None = None) -> Path:
    """A minimal repository at `root`: puskesmas.yaml and an empty content/complaints/."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "puskesmas.yaml").write_text(policy_text() if policy is None else policy, encoding="utf-8")
    (root / COMPLAINTS).mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


@pytest.fixture
def example_repo(tmp_path: Path) -> Path:
    """A copy of this repository's policy and example complaints, as they are right now."""
    target = tmp_path / "example"
    target.mkdir()
    shutil.copy2(ROOT / "puskesmas.yaml", target / "puskesmas.yaml")
    source = ROOT / COMPLAINTS
    if source.is_dir():
        shutil.copytree(source, target / COMPLAINTS)
    else:
        (target / COMPLAINTS).mkdir(parents=True)
    return target


# --- running the CLI ------------------------------------------------------------------------

def cli_command() -> list[str]:
    """The installed `pengaduan` console script of this virtualenv (else `python -m pipeline`)."""
    script = Path(sys.executable).with_name("pengaduan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline"]


def run_cli(*args, cwd: Path | None = None, input: str | None = None, timeout: float = 60,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `pengaduan ARGS` as a subprocess (stdin is not a terminal), capturing text output."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    full_env.pop("PENGADUAN_DEBUG", None)
    return subprocess.run(cli_command() + [str(arg) for arg in args], cwd=cwd, input=input,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout,
                          env=full_env, stdin=None if input is not None else subprocess.DEVNULL)


def run_main(*args) -> tuple[int, str, str]:
    """Run `pengaduan ARGS` in-process; returns (exit code, stdout, stderr)."""
    from pipeline.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as exit:  # argparse's usage errors
            code = exit.code if isinstance(exit.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def output_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]
