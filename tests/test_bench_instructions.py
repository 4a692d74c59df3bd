"""The instruction-count benchmark (`bench/bench_instructions.py`): under real valgrind, each
process is counted once, a forked child from where it began (not with its parent's count before
the fork), and the programs a build runs by their kind."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import bench_instructions  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("valgrind") is None and not os.environ.get("CI"),
                                reason="valgrind is not installed (CI installs it: .ci/ensure-debian-packages)")

PROGRAM = """
import os, subprocess
sum(i * i for i in range(300_000))   # the parent's work before the fork
child = os.fork()
if child == 0:
    os._exit(0)
os.waitpid(child, 0)
subprocess.run(["git", "--version"], stdout=subprocess.DEVNULL, check=True)
"""


def test_each_process_is_counted_once_and_a_forked_child_from_where_it_began(tmp_path):
    program, counts = tmp_path / "work.py", tmp_path / "counts"
    program.write_text(PROGRAM, encoding="utf-8")
    counts.mkdir()
    process = subprocess.Popen(bench_instructions.counting(counts, [sys.executable, str(program)]))
    assert process.wait() == 0
    found = bench_instructions.by_kind(counts, process.pid)
    # the parent ran the loop (some 30 million instructions); the child, only its way out
    assert found["build"] > 30_000_000 and 0 < found["children"] < 2_000_000
    assert found["git"] > 0 and found["pagefind"] == 0
    assert found["all"] >= found["build"] + found["children"] + found["git"]
    with pytest.raises(SystemExit, match="no process 1 "):
        bench_instructions.by_kind(counts, 1)
