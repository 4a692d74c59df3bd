"""A published count never reveals a confidential complaint (finding 2 of issue 11).

The disclosure rule, written on /statistik/: a confidential complaint is counted only in the
yearly totals. Every breakdown (month, channel, unit, type, status, SOP stage, times), every
chart and every data file counts public complaints only.

The subtraction attack, run on every file of the site at once: the demo is built twice, with its
confidential complaint and with that complaint (and its timeline) removed. If any table, chart or
data file differed anywhere but in the yearly totals (marked `data-tahunan` in the pages), the
difference would be what the confidential complaint added to that breakdown: its month, unit,
channel, type, status or stage outcome. On today's main the difference named November, Tata Usaha,
email, keluhan and diproses.
"""
from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import sys

import pytest

from site_helpers import ROOT, output_files, read_page

SECRET = "ADU-20261105-FRMY"
YEARLY = re.compile(r"(<(\w+)\b[^>]*\bdata-tahunan\b[^>]*>).*?(</\2>)", re.S)
SHA = re.compile(rb"\b[0-9a-f]{7,40}\b")


def _demo(tmp_path, name: str, drop: bool) -> dict:
    source = tmp_path / f"sumber-{name}"
    source.mkdir()
    for item in ("puskesmas.yaml", "content", "demo"):
        copy = shutil.copytree if (ROOT / item).is_dir() else shutil.copy
        copy(ROOT / item, source / item)
    if drop:
        (source / "content" / "complaints" / "2026" / f"{SECRET}.md").unlink()
        timeline = source / "demo" / "timeline.yaml"
        timeline.write_text("".join(line for line in timeline.read_text(encoding="utf-8").splitlines(True)
                                    if SECRET not in line), encoding="utf-8")
    output = tmp_path / f"situs-{name}"
    done = subprocess.run([sys.executable, "-m", "pipeline", "demo", "--repo", str(source), "--into",
                           str(tmp_path / f"git-{name}"), "--output", str(output)], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return output_files(output)


def _masked(data: bytes) -> str:
    text = SHA.sub(b"<sha>", data).decode("utf-8", "replace")
    return YEARLY.sub(lambda m: m.group(1) + "#" + m.group(3), text)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("disclosure")
    return _demo(root, "dengan", drop=False), _demo(root, "tanpa", drop=True), root


def test_the_confidential_complaint_changes_only_the_yearly_totals(builds):
    with_secret, without, _ = builds
    assert with_secret.keys() == without.keys()
    differences = {}
    for name in sorted(with_secret):
        before, after = _masked(with_secret[name]), _masked(without[name])
        if before != after:
            diff = difflib.unified_diff(after.splitlines(), before.splitlines(), lineterm="", n=0)
            differences[name] = "\n".join(list(diff)[2:12])
    assert differences == {}, "\n\n".join(f"{name}:\n{diff}" for name, diff in differences.items())
    # and the yearly totals do count it (positive control: the masking hides a real difference)
    raw = [name for name in with_secret if with_secret[name] != without[name]]
    assert "statistik/index.html" in raw and "rekap/2026/index.html" in raw


def test_the_rule_is_written_on_the_statistics_page(builds):
    _, _, root = builds
    page = read_page(root / "situs-dengan", "statistik/")
    text = " ".join(page.text.split())
    assert "hanya dihitung dalam jumlah per tahun" in text, text[:2000]
    assert "terbuka" in text
