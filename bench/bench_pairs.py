"""Benchmark: two versions of the program compared in paired runs of `pengaduan build`.

    .venv/bin/python bench/bench_pairs.py 2000                   # HEAD against the working tree
    .venv/bin/python bench/bench_pairs.py 10000 --base 8d09c00 --pairs 16
    .venv/bin/python bench/bench_pairs.py 2000 --change added     # after one complaint added
    .venv/bin/python bench/bench_pairs.py 2000 --change full      # full builds (no output, no cache)
    .venv/bin/python bench/bench_pairs.py 2000 --base HEAD --env-candidate PENGADUAN_PARALLEL_FROM=1

This machine's speed drifts by a third within the hour: a change worth 0.05 s cannot be seen by
timing each version on its own, an hour apart. Here the base (a git revision of this repository,
copied out with `git archive`) and the candidate (the working tree's files, copied beside it, or
another revision) each build their own copy of one generated repository (`bench_site.make_repo`, with its git history).
Each pair makes the same change in both copies and commits it, then builds both, one right after
the other, the base first in one pair and second in the next. What is reported is each pair's
difference (candidate minus base): its mean and standard error, and in how many pairs the
candidate was faster; each side's median and peak memory beside it.

Three mistakes of earlier sessions cannot happen here (docs/benchmarks.md, "How code is
compared"):
- the builds run in the work folder, never in the project folder (`python -m` puts the current
  folder first on `sys.path`: both sides imported the same code), and before the first pair each
  side is checked to import its own `pipeline`;
- both sides' bytecode is compiled first (with PYTHONDONTWRITEBYTECODE set, as on this machine, an
  uncompiled side compiles every module it imports on every run: 0.05 to 0.15 s of each build);
- the first builds, each side building its copy afresh for its own program (the cache is keyed by
  the program's source), are left out, as are `--warm` pairs after them.

The standard error understates the noise when the machine's speed jumps within a run: run the
same code against itself (`--candidate HEAD`) in the same hour, and take no difference smaller
than that control's as shown.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_site  # noqa: E402  (the generated repositories and their commits)

ROOT = bench_site.ROOT


def export_revision(revision: str, folder: Path) -> Path:
    """The files of `revision` of this repository in `folder` (`git archive`: no worktree left
    registered in the repository)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        raise SystemExit(f"git archive {revision}: {archive.stderr.decode(errors='replace').strip()}")
    folder.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        try:
            tar.extractall(folder, filter="data")
        except TypeError:   # (a Python before 3.11.4: no filters; the archive is our own)
            tar.extractall(folder)
    return folder


def export_working_tree(folder: Path) -> Path:
    """The working tree's files (tracked ones as they are now, and new ones git does not ignore)
    in `folder`: the candidate lives beside the base, laid out the same way (no .git, .venv or
    node_modules beside its code), so that where each side's files are is no difference between
    them."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape")
    for name in sorted(set(filter(None, listed.split("\0")))):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():   # (a tracked file deleted now: left out)
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return folder


def compile_side(root: Path) -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "pipeline")], check=True,
                   stdout=subprocess.DEVNULL)


def imported_from(root: Path, cwd: Path) -> Path:
    """The folder of the `pipeline` package a build of side `root` imports when run in `cwd`."""
    found = subprocess.run([sys.executable, "-c", "import pipeline; print(pipeline.__file__)"], cwd=cwd,
                           env=_environment(root, {}), capture_output=True, text=True, check=True)
    return Path(found.stdout.strip()).resolve().parent


def _environment(root: Path, extra: dict) -> dict:
    return {**os.environ, "PYTHONPATH": str(root), **extra}


def change_response(repo: Path, count: int, number: int) -> None:
    """Change one answered complaint's response (another one for each `number`, cycling) and commit
    it a day after the last commit, as `bench_site.edit_one` does; the text names `number`, so each
    call is a change even when the cycle comes back to a complaint."""
    span = max(1, (count // 2 - 8) // 4)
    index = (count // 2) - (count // 2) % 4 + 2 + 4 * (number % span)   # stage 2: answered, public
    relative, _ = bench_site.complaint_text(index, count)
    path = repo / relative
    text = path.read_text(encoding="utf-8")
    changed = re.sub(rf"Tanggapan nomor {index}\b[^.\n]*\.", f"Tanggapan nomor {index}, perubahan {number}.",
                     text, count=1)
    if changed == text:
        raise SystemExit(f"{relative}: no response to change (is complaint {index} answered?)")
    path.write_text(changed, encoding="utf-8")
    bench_site._commit(repo, relative, f"Change response {index} ({number})", after=86400)


def from_nothing(repo: Path, count: int, number: int) -> None:
    """No change to the files: the output and the build cache set aside in the work folder (deleted
    with it, not now: `bench_site.discard` says why), so that the next build is a full one, as
    `bench_site`'s full build is."""
    trash = repo.parent / ".trash"
    trash.mkdir(exist_ok=True)
    for name in ("output", ".cache"):
        if (repo / name).exists():
            os.rename(repo / name, trash / f"{repo.name}-{name}-{time.monotonic_ns()}")


CHANGES = {"one": change_response,
           "added": lambda repo, count, number: bench_site.add_one(repo, count, number),
           "full": from_nothing}


def build(root: Path, repo: Path, cwd: Path, extra: dict) -> tuple[float, float]:
    """One `pengaduan build` of `repo` by side `root`: (seconds, peak MiB of it and its children)."""
    os.sync()   # (the last build's writes are not this one's to wait for)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--repo", str(repo), "--output",
                                str(repo / "output"), "--now", bench_site.NOW], cwd=cwd,
                               env=_environment(root, extra), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the build of {repo} by {root} failed:\n{stderr[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024


def summary(pairs: list[tuple[float, float]]) -> dict:
    """Each side's median and the pairs' differences (candidate minus base), in seconds."""
    differences = [candidate - base for base, candidate in pairs]
    return {"pairs": len(pairs),
            "base_median": statistics.median(base for base, _ in pairs),
            "candidate_median": statistics.median(candidate for _, candidate in pairs),
            "difference_mean": statistics.mean(differences),
            "standard_error": statistics.stdev(differences) / len(differences) ** 0.5 if len(differences) > 1 else None,
            "candidate_faster": sum(difference < 0 for difference in differences)}


def _parse_env(values: list[str]) -> dict:
    found = {}
    for value in values:
        name, equals, setting = value.partition("=")
        if not equals or not name:
            raise SystemExit(f"--env-base/--env-candidate take NAME=VALUE, not {value!r}")
        found[name] = setting
    return found


def comparison_arguments(parser: argparse.ArgumentParser, pairs: int) -> None:
    """The arguments of a comparison of two versions (this program's and `bench_instructions`')."""
    parser.add_argument("count", type=int, nargs="?", default=2000, help="complaints (default 2000)")
    parser.add_argument("--base", default="HEAD", metavar="REV", help="the revision to compare with (default HEAD)")
    parser.add_argument("--candidate", default=None, metavar="REV",
                        help="the revision compared (default: the working tree, uncommitted changes too)")
    parser.add_argument("--pairs", type=int, default=pairs, help=f"pairs measured (default {pairs})")
    parser.add_argument("--change", choices=sorted(CHANGES), default="one",
                        help="what each pair changes: one complaint's response (default), one added, or "
                             "nothing, with the output and the cache set aside (full builds)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    comparison_arguments(parser, pairs=12)
    parser.add_argument("--warm", type=int, default=2, help="pairs run first and left out (default 2)")
    parser.add_argument("--env-base", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for the base's builds only")
    parser.add_argument("--env-candidate", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for the candidate's builds only")
    parser.add_argument("--work", type=Path, default=None, metavar="DIR",
                        help="where the copies of the program and the repositories are made (default: a new "
                             "folder in the system's temporary folder, deleted afterwards)")
    parser.add_argument("--json", type=Path, help="also write every pair and the summary here")
    args = parser.parse_args(argv)
    if args.pairs < 1 or args.warm < 0 or args.count < 20:
        parser.error("--pairs must be at least 1, --warm at least 0, and count at least 20")
    extras = {"base": _parse_env(args.env_base), "candidate": _parse_env(args.env_candidate)}
    work = Path(tempfile.mkdtemp(prefix="bench-pairs-")) if args.work is None else args.work.resolve()
    if args.work is not None and work.exists() and any(work.iterdir()):
        parser.error(f"--work {work} is not empty")
    try:
        return _run(args, work, extras)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def sides(base: str, candidate: str | None, work: Path) -> dict[str, Path]:
    """{"base", "candidate"}: each side's program copied into `work`, compiled and checked to
    import its own `pipeline` there (the working tree's files when `candidate` is None)."""
    roots = {"base": export_revision(base, work / "program-base"),
             "candidate": export_working_tree(work / "program-candidate") if candidate is None
             else export_revision(candidate, work / "program-candidate")}
    for side, root in roots.items():
        compile_side(root)
        found = imported_from(root, work)
        if found != (root / "pipeline").resolve():
            raise SystemExit(f"the {side} imports {found}, not {root / 'pipeline'}: its figures would be another's")
    return roots


def repositories(roots: dict, count: int, work: Path, extras: dict) -> dict[str, Path]:
    """One generated repository of `count` complaints with its history, a copy for each side,
    each built once by its side (a full build for its own program: not measured)."""
    repos = {"base": work / "repo-base"}
    bench_site.make_repo(repos["base"], count)
    bench_site.commit_history(repos["base"], count)
    repos["candidate"] = work / "repo-candidate"
    shutil.copytree(repos["base"], repos["candidate"], symlinks=True)
    for side in roots:
        build(roots[side], repos[side], work, extras[side])
    return repos


def _run(args, work: Path, extras: dict) -> int:
    roots = sides(args.base, args.candidate, work)
    print(f"base {args.base}, candidate {args.candidate or 'the working tree'} (copied to {work}); "
          f"{args.count} complaints, change: {args.change}", flush=True)
    repos = repositories(roots, args.count, work, extras)
    change, measured, memory = CHANGES[args.change], [], {"base": [], "candidate": []}
    for number in range(args.warm + args.pairs):
        for side in roots:
            change(repos[side], args.count, number)
        order = ["base", "candidate"] if number % 2 == 0 else ["candidate", "base"]
        seconds = {}
        for side in order:
            seconds[side], peak = build(roots[side], repos[side], work, extras[side])
            if number >= args.warm:
                memory[side].append(peak)
        if number < args.warm:
            continue
        measured.append((seconds["base"], seconds["candidate"]))
        print(f"pair {len(measured):>3}: base {seconds['base']:.3f} s, candidate {seconds['candidate']:.3f} s, "
              f"difference {1000 * (seconds['candidate'] - seconds['base']):+.0f} ms", flush=True)
    found = summary(measured)
    found["peak_mib"] = {side: max(values) for side, values in memory.items()}
    error = found["standard_error"]
    print(f"base median {found['base_median']:.3f} s, candidate median {found['candidate_median']:.3f} s; "
          f"difference {1000 * found['difference_mean']:+.0f} ms"
          + (f" (standard error {1000 * error:.0f} ms)" if error is not None else "")
          + f", candidate faster in {found['candidate_faster']} of {found['pairs']} pairs; peak "
            f"{found['peak_mib']['base']:.0f} / {found['peak_mib']['candidate']:.0f} MiB")
    if args.json:
        args.json.write_text(json.dumps({"arguments": {"count": args.count, "base": args.base,
                                                       "candidate": args.candidate, "change": args.change,
                                                       "env_base": extras["base"], "env_candidate": extras["candidate"]},
                                         "pairs": measured, "summary": found}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
