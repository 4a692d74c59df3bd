"""Benchmark: two versions of the program compared by the instructions their builds run, not by time.

    .venv/bin/python bench/bench_instructions.py 10000             # HEAD against the working tree
    .venv/bin/python bench/bench_instructions.py 2000 --base 8d09c00 --pairs 2 --change added

This machine's speed jumps from one build to the next: paired timings (`bench_pairs.py`) of one
change at 10,000 have a standard error of 30 to 55 ms, so a change worth 20 ms cannot be seen.
The instructions a build runs move far less (0.4% of the build's own process from one change to
the next), whatever the machine's speed. Each build runs under valgrind's callgrind, which counts
them in every process: the build's own, the children it forks, and the programs it runs (git,
Pagefind). A forked child starts with its parent's counts; each is zeroed where the child begins
(`--zero-before=PyOS_AfterFork_Child`, which CPython calls in every forked child), so each
process's figure is its own. Both sides build at once (the counts do not depend on sharing the
cores), with PYTHONHASHSEED 0 (the order of sets and dicts of strings, the same every run).

The sides, their copies, the checks that each imports its own code and the changes are
`bench_pairs.py`'s. What is printed, per pair and side: the instructions of the build's own
process, its forked children, git, Pagefind and all of them, in millions, and the candidate's
difference in percent. They are not time: waiting, the disk and the sharing of the cores are not
in them, and work moved from one process to another shows as just that.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_pairs  # noqa: E402  (the sides, their checks and the changes)
import bench_site  # noqa: E402

KINDS = ("build", "children", "git", "pagefind", "all")


def counted(root: Path, repo: Path, cwd: Path, counts: Path) -> dict[str, int]:
    """One `pengaduan build` of `repo` by side `root` under callgrind: its instructions by kind of
    process (`KINDS`). `counts`: an empty folder for callgrind's files."""
    command = counting(counts, [sys.executable, "-m", "pipeline", "build", "--repo", str(repo),
                                "--output", str(repo / "output"), "--now", bench_site.NOW])
    environment = {**bench_pairs._environment(root, {}), "PYTHONHASHSEED": "0"}
    process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, stderr = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"the build of {repo} by {root} under valgrind failed:\n"
                         f"{stderr.decode(errors='replace')[-3000:]}")
    return by_kind(counts, process.pid)


def counting(counts: Path, command: list[str]) -> list[str]:
    """`command` run under callgrind, counting the instructions of every process it starts into
    the folder `counts`, each forked child's from where it began."""
    return ["valgrind", "--tool=callgrind", "--zero-before=PyOS_AfterFork_Child", "--trace-children=yes",
            f"--callgrind-out-file={counts}/out.%p", f"--log-file={counts}/log.%p", *command]


def by_kind(counts: Path, first: int) -> dict[str, int]:
    """The instructions in callgrind's files in `counts`, by kind of process: the build's own
    (process `first`, the one valgrind started), the children it forked (the same command), git,
    Pagefind; "all" of them."""
    found = {kind: 0 for kind in KINDS}
    processes = []
    for path in counts.glob("out.*"):
        header = {}
        with path.open(encoding="utf-8", errors="replace") as stream:
            for line in stream:
                name, colon, value = line.partition(":")
                if colon and name in ("pid", "cmd", "summary"):
                    header[name] = value.strip()
                if "summary" in header:
                    break
        processes.append((int(header["pid"]), header.get("cmd", ""), int(header["summary"])))
    if not processes:
        raise SystemExit(f"callgrind wrote nothing in {counts}")
    first_command = next((command for pid, command, _ in processes if pid == first), None)
    if first_command is None:
        raise SystemExit(f"callgrind counted no process {first} in {counts}")
    each = []
    for pid, command, instructions in sorted(processes):
        program = Path(command.split()[0]).name if command else ""
        kind = ("build" if pid == first else "children" if command == first_command else
                "git" if program == "git" else "pagefind" if "pagefind" in program else None)
        if kind is not None:
            found[kind] += instructions
        found["all"] += instructions
        each.append([kind or program, instructions])
    found["each"] = each   # (by process id: the children in the order they were forked)
    return found


def _pair(roots: dict, repos: dict, work: Path, number: int) -> dict:
    with ThreadPoolExecutor(max_workers=2) as pool:
        running = {}
        for side in roots:
            counts = work / f"counts-{side}-{number}"
            counts.mkdir()
            running[side] = pool.submit(counted, roots[side], repos[side], work, counts)
        found = {side: result.result() for side, result in running.items()}
    for side in roots:
        shutil.rmtree(work / f"counts-{side}-{number}")
    return found


def _line(label: str, found: dict) -> str:
    return f"{label:>10} " + " ".join(f"{found[kind] / 1e6:>12,.1f}" for kind in KINDS)


def _difference(base: dict, candidate: dict) -> str:
    return f"{'difference':>10} " + " ".join(
        f"{100 * (candidate[kind] - base[kind]) / base[kind]:>+11.2f}%" if base[kind] else f"{'-':>12}"
        for kind in KINDS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    bench_pairs.comparison_arguments(parser, pairs=2)
    parser.add_argument("--json", type=Path, help="also write every pair's counts here (each process's too)")
    args = parser.parse_args(argv)
    if args.pairs < 1 or args.count < 20:
        parser.error("--pairs must be at least 1 and count at least 20")
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (Debian: apt-get install valgrind)")
    work = Path(tempfile.mkdtemp(prefix="bench-instructions-"))
    try:
        return _run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(args, work: Path) -> int:
    roots = bench_pairs.sides(args.base, args.candidate, work)
    print(f"base {args.base}, candidate {args.candidate or 'the working tree'}; {args.count} complaints, "
          f"change: {args.change}; instructions in millions", flush=True)
    repos = bench_pairs.repositories(roots, args.count, work, {"base": {}, "candidate": {}})
    print(f"{'':>10} " + " ".join(f"{kind:>12}" for kind in KINDS), flush=True)
    pairs = []
    for number in range(args.pairs):
        for side in roots:
            bench_pairs.CHANGES[args.change](repos[side], args.count, number)
        found = _pair(roots, repos, work, number)
        pairs.append(found)
        print(f"pair {number + 1}", flush=True)
        print(_line("base", found["base"]), _line("candidate", found["candidate"]),
              _difference(found["base"], found["candidate"]), sep="\n", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"arguments": {"count": args.count, "base": args.base,
                                                       "candidate": args.candidate, "change": args.change},
                                         "pairs": pairs}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
