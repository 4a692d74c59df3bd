"""Run every benchmark in turn and print its output (`make bench`).

    .venv/bin/python bench/run.py                 # each benchmark at a small size (a few minutes)
    .venv/bin/python bench/run.py --full          # each at its own default sizes (the README's figures)
    .venv/bin/python bench/run.py check site      # only these (check, site, deadlines, recap, pairs, instructions)

Each benchmark runs as its own process with this interpreter, one after the other (never side by
side: they would slow each other down), with its output passed through as it comes. A failing
benchmark is reported and the others still run; the exit code is 1 when any failed.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# name -> (script, arguments at the small default size). The scripts' own defaults (--full) are
# N = 1,000 and 10,000 for check and site, 10,000 for deadlines, 5,000 for recap; pairs compares HEAD
# with the working tree (2,000 complaints, 12 pairs), instructions too (2,000 complaints, 2 pairs;
# it needs valgrind).
BENCHMARKS = {
    "check": ("bench_check.py", ["--sizes", "1000", "--repeat", "1"]),
    "site": ("bench_site.py", ["300"]),
    "deadlines": ("bench_deadlines.py", ["1000", "--repeat", "1"]),
    "recap": ("bench_recap.py", ["500"]),
    "pairs": ("bench_pairs.py", ["300", "--pairs", "4", "--warm", "1"]),
    "instructions": ("bench_instructions.py", ["300", "--pairs", "1"]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})")
    parser.add_argument("--full", action="store_true",
                        help="run each benchmark at its own default sizes instead of the small ones")
    args = parser.parse_args(argv)
    names = args.names or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(unknown)} (choose from {', '.join(BENCHMARKS)})")
    failed = []
    for name in names:
        script, small = BENCHMARKS[name]
        command = [sys.executable, str(BENCH / script), *([] if args.full else small)]
        print(f"\n=== {name}: {' '.join([Path(command[0]).name, *command[1:]])}", flush=True)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=BENCH.parent)
        print(f"=== {name}: {'ok' if done.returncode == 0 else f'FAILED (exit {done.returncode})'}, "
              f"{time.perf_counter() - start:.1f} s", flush=True)
        if done.returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
