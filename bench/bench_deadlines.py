"""Benchmark `pengaduan deadlines` on a synthetic history beside a plain `git log`.

Builds (with `git fast-import`) a repository of N complaints and 3 commits per complaint
(record, response, follow-up; every tenth complaint through a merged branch), every version
stamped with RFC 3161 tokens of a local TSA (one token per simulated push, i.e. per step commit,
each run a commit of its own on the stamp branch, as `pengaduan stempel --push` in the workflows
leaves it; the CA is given with --tsa-ca, so the command verifies every token: signature, chain,
key usage, imprint), then prints, side
by side in one run: one plain `git log --raw -M` pass over the same history (the one-pass read
the command itself does, so its floor), and `pengaduan deadlines --format json` (the whole
command: loading every file, the git evidence, the deadlines), each with its peak memory.
Target: within 2x the plain git log, under 300 MB.

The generated repository is kept in --cache (default /tmp/bench-deadlines-stamped-<N>) and reused
by later runs: building 10,000 complaints takes a while. --rebuild builds it afresh; --no-stamps
leaves the stamps out (cache /tmp/bench-deadlines-<N>). The local TSA needs the `openssl` CLI.

    .venv/bin/python bench/bench_deadlines.py [N] [--repeat 3] [--cache DIR] [--rebuild] [--no-stamps]
    .venv/bin/python bench/bench_deadlines.py --evidence-only REPO [--repeat 3]

It also prints "evidence after one new commit": after one commit on a clone of the repository, a
full walk of the history beside the walk kept in the build cache (only the new commit read).
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
WIB = timezone(timedelta(hours=7))
UNITS = ["pendaftaran", "poli_umum", "farmasi", "laboratorium", "kia_kb"]
CHANNELS = ["email", "whatsapp", "telepon", "langsung", "kotak_saran"]


def complaint_id(index: int, day: datetime) -> str:
    code = "".join(CROCKFORD[(index >> shift) & 31] for shift in (15, 10, 5, 0))
    return f"ADU-{day:%Y%m%d}-{code}"


def complaint_text(cid: str, received: datetime, index: int, stage: int) -> bytes:
    lines = ["---", f"id: {cid}", f"judul: Pengaduan sintetis nomor {index}",
             f"diterima: {received:%Y-%m-%d %H:%M}", f"kanal: {CHANNELS[index % 5]}", "jenis: keluhan",
             f"unit: {UNITS[index % 5]}", "ringkasan: Antrean terlalu lama di loket pada pagi hari.",
             "pelapor:", "  nama: Warga Sintetis", '  kontak: "0812-0000-0000"']
    if stage >= 1:
        lines += ["tanggapan:", "  isi: Kami menambah petugas pada jam sibuk."]
    if stage >= 2:
        lines += ["rencana_tindak_lanjut:", "  isi: Menambah satu loket.", "  penanggung_jawab: pendaftaran"]
    return ("\n".join(lines) + "\n---\n").encode()


def _commit(out, ref: str, when: datetime, message: str, path: str, blob: bytes, parents=()) -> None:
    stamp = f"{int(when.timestamp())} +0700"
    out.append(f"commit {ref}\ncommitter Petugas <p@example> {stamp}\n"
               f"data {len(message)}\n{message}\n".encode())
    for parent in parents:
        out.append(f"merge {parent}\n".encode())
    if path:
        out.append(f"M 100644 inline {path}\ndata {len(blob)}\n".encode() + blob + b"\n")


# One stamping run (one token) per simulated push: every step commit is pushed on its own, and
# the workflow stamps the versions that push brought (a merge brings no new version).


def build_repository(target: Path, count: int, authority=None) -> int:
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    stream: list[bytes] = []
    start = datetime(2025, 1, 6, 8, 0, tzinfo=WIB)
    policy = (ROOT / "puskesmas.yaml").read_bytes()
    if authority is not None:
        policy += b"bukti:\n  tsa:\n    - nama: TSA Bench\n      url: http://127.0.0.1:9/tsr\n      ca: bukti/tsa/bench.pem\n"
        _commit(stream, "refs/heads/main", start, "TSA CA", "bukti/tsa/bench.pem", authority.ca_pem.read_bytes())
    _commit(stream, "refs/heads/main", start, "Add policy", "puskesmas.yaml", policy)
    commits = 1
    pushes: list[list[str]] = []   # the blob ids each push brought, in order
    for index in range(count):
        received = start + timedelta(minutes=37 * index)
        cid = complaint_id(index, received)
        path = f"content/complaints/{received:%Y}/{cid}.md"
        on_branch = index % 10 == 0
        ref = "refs/heads/pr" if on_branch else "refs/heads/main"
        if on_branch:
            stream.append(b"reset refs/heads/pr\nfrom refs/heads/main\n\n")
        for stage, hours in ((0, 2), (1, 30), (2, 60)):
            blob = complaint_text(cid, received, index, stage)
            _commit(stream, ref, received + timedelta(hours=hours), f"Step {stage} of {cid}", path, blob)
            pushes.append([hashlib.sha1(b"blob %d\0" % len(blob) + blob).hexdigest()])
            commits += 1
        if on_branch:
            # fast-import does not merge trees: the merge commit carries the branch's file itself.
            _commit(stream, "refs/heads/main", received + timedelta(hours=61), f"Merge {cid}", path,
                    complaint_text(cid, received, index, 2), parents=("refs/heads/pr",))
            commits += 1
    subprocess.run(["git", "-C", str(target), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", str(target), "checkout", "-q", "-f", "main"], check=True)
    if authority is not None:
        stamp_every_push(target, authority, pushes)
    return commits


def stamp_every_push(repo: Path, authority, pushes: list[list[str]]) -> int:
    """One token per push, each run its own commit on the stamp branch (as the workflow leaves it)."""
    sys.path.insert(0, str(ROOT))
    from concurrent.futures import ThreadPoolExecutor

    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder

    from pipeline.evidence.stamping import listing, run_name
    from pipeline.evidence.stamps import BRANCH, FOLDER, LIST_NAME

    messages = [listing(blobs) for blobs in pushes]
    queries = [TimestampRequestBuilder().data(message).hash_algorithm(HashAlgorithm.SHA256).build().as_bytes()
               for message in messages]
    with ThreadPoolExecutor(max_workers=4) as pool:   # `openssl ts -reply` is one process per token
        tokens = list(pool.map(authority.reply, queries))
    stream: list[bytes] = []
    start = datetime(2025, 1, 6, 8, 0, tzinfo=WIB)
    for index, (message, token) in enumerate(zip(messages, tokens)):
        folder = f"{FOLDER}/{run_name(message)}-{index:06d}"
        stamp = f"{int((start + timedelta(minutes=index)).timestamp())} +0700"
        stream.append(f"commit refs/heads/{BRANCH}\ncommitter Stempel <s@example> {stamp}\n"
                      f"data 7\nStempel\n".encode())
        for name, data in ((LIST_NAME, message), ("01-tsa-bench.tsr", token)):
            stream.append(f"M 100644 inline {folder}/{name}\ndata {len(data)}\n".encode() + data + b"\n")
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    return len(tokens)


_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
elapsed = time.perf_counter() - start
assert done.returncode == 0, done.stderr.decode()[-2000:]
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measure(command: list[str]) -> tuple[float, float]:
    """Wall time and peak memory (MB, the largest process of the command)."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    elapsed, peak_kb = done.stdout.split()
    return float(elapsed), int(peak_kb) / 1024


def cached_repository(cache: Path, count: int, rebuild: bool, stamps: bool = True) -> tuple[Path, int]:
    """The synthetic repository, built once: a marker file written last says it is complete."""
    marker = cache / "commits.txt"
    if rebuild or not marker.exists():
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True)
        began = time.perf_counter()
        authority = None
        if stamps:
            sys.path.insert(0, str(ROOT / "tests"))
            from tsa_server import Authority
            authority = Authority(cache / "tsa", name="TSA Bench")
        commits = build_repository(cache / "repo", count, authority)
        print(f"repository built in {time.perf_counter() - began:.1f} s")
        marker.write_text(str(commits))
    return cache / "repo", int(marker.read_text())


def evidence_after_one_commit(source: Path, repeat: int) -> None:
    """The evidence of a history after one new commit: a full walk beside the walk kept in the
    build cache (`evidence.walkstate`), on a clone of `source` (the clone gets the commit)."""
    sys.path.insert(0, str(ROOT))
    import tempfile

    from pipeline.evidence.history import collect_evidence
    from pipeline.evidence.walkstate import WalkStats
    with tempfile.TemporaryDirectory(prefix="bench-evidence-") as folder:
        repo, state, kept = Path(folder) / "repo", Path(folder) / "walk.json", Path(folder) / "kept.json"
        subprocess.run(["git", "clone", "-q", str(source), str(repo)], check=True)
        collect_evidence(repo, "HEAD", state=kept)   # the state of the build before
        listed = subprocess.run(["git", "-C", str(repo), "ls-files", "content/complaints"],
                                capture_output=True, text=True, check=True).stdout.split()
        with open(repo / listed[len(listed) // 2], "a", encoding="utf-8") as stream:
            stream.write("\nCatatan tindak lanjut.\n")
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=Bench", "-c", "user.email=b@example",
                        "commit", "-q", "-am", "One change"], check=True)
        full = incremental = (9e9, 9e9)
        for _ in range(repeat):   # interleaved; each incremental run starts from the state before
            began = _clocks()
            expected = collect_evidence(repo, "HEAD")
            full = min(full, _clocks(began))
            shutil.copy(kept, state)
            stats = WalkStats()
            began = _clocks()
            found = collect_evidence(repo, "HEAD", state=state, stats=stats)
            incremental = min(incremental, _clocks(began))
            assert found == expected and stats.path == "incremental", stats
    print(f"evidence after one new commit ({len(expected):,} complaints, best of {repeat}): full walk "
          f"{full[0]:.2f} s (CPU of Python and git {full[1]:.2f} s), incremental {incremental[0]:.2f} s "
          f"(CPU {incremental[1]:.2f} s): {full[0] / incremental[0]:.1f}x; read {stats.commits_read} commit, "
          f"{stats.blobs_read} blob")


def _clocks(since: tuple | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its finished children), or the time since."""
    import resource
    cpu = sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for field in ("ru_utime", "ru_stime"))
    now = (time.perf_counter(), cpu)
    return now if since is None else (now[0] - since[0], now[1] - since[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-stamps", action="store_true")
    parser.add_argument("--evidence-only", type=Path, metavar="REPO", default=None,
                        help="only the figure 'evidence after one new commit' on a clone of REPO")
    options = parser.parse_args()
    if options.evidence_only:
        evidence_after_one_commit(options.evidence_only, options.repeat)
        return
    count = options.count
    stamps = not options.no_stamps
    cache = options.cache or Path(f"/tmp/bench-deadlines-{'stamped-' if stamps else ''}{count}")
    repo, commits = cached_repository(cache, count, options.rebuild, stamps)
    tokens = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", "pengaduan-stempel"],
                            capture_output=True, text=True).stdout.count(".tsr")
    print(f"repository: {count:,} complaints, {commits:,} commits, {tokens} timestamp tokens ({repo})")
    # The floor is a plain `git log --name-status`; `--raw -M` is the read we really do.
    commands = {
        "git log --name-status (plain floor)": ["git", "-C", str(repo), "log", "--name-status", "main"],
        "git log --raw -M (the read we do)": ["git", "-C", str(repo), "log", "--raw", "-M", "main"],
        "pengaduan deadlines --format json": [
            sys.executable, "-m", "pipeline", "deadlines", "--repo", str(repo), "--ref", "main",
            "--format", "json", "--now", "2026-12-01T00:00:00+07:00",
            *(["--tsa-ca", str(cache / "tsa" / "ca.pem")] if stamps else [])],
    }
    if stamps:   # the first read verifies every token and reads the whole stamp branch; later
        # reads find both in .git/pengaduan/ (token_cache, stampstate)
        for kept in ("token-cache.json", "stamp-state.json"):
            (repo / ".git" / "pengaduan" / kept).unlink(missing_ok=True)
        cold = measure(commands["pengaduan deadlines --format json"])
        print(f"pengaduan deadlines, every token verified, the stamp branch read in full (no cache): "
              f"{cold[0]:.2f} s, {cold[1]:.0f} MB")
    best = dict.fromkeys(commands, (9e9, 0.0))
    for _ in range(options.repeat):  # interleaved: a busy moment of the machine hurts all alike
        for name, command in commands.items():
            best[name] = min(best[name], measure(command))
    print(f"{'command':<44}{'seconds':>9}{'peak MB':>10}")
    for name, (seconds, peak) in best.items():
        print(f"{name:<44}{seconds:>9.2f}{peak:>10.0f}")
    ours = best["pengaduan deadlines --format json"][0]
    for name in list(commands)[:2]:
        print(f"ratio to {name.split(' (')[0]}: {ours / best[name][0]:.2f}x (target <= 2x)")
    print("peak memory: the largest process of the command (git's own, for ours); target < 300 MB")
    evidence_after_one_commit(repo, options.repeat)


if __name__ == "__main__":
    main()
