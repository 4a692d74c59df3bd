"""Benchmark of `pengaduan check` against its floor, side by side in one run.

For N synthetic complaints (default N = 1,000 and 10,000, written to a temporary repository):

  floor      read every file, cut out the front matter and parse it with PyYAML's C loader
             (`yaml.load(text, Loader=yaml.CSafeLoader)`): what any YAML-based check must pay
  in-process `pipeline.records.loader.load()`: discovery, policy, faithful YAML, JSON Schema, rules,
             unique ids (what `pengaduan check` runs, without interpreter start-up)
  CLI        `pengaduan check --repo DIR` as a subprocess (start-up and imports included)

Each figure is the best of --repeat runs on a warm file cache; the runs of floor, check and CLI
are interleaved, so that a busy moment of the machine hurts all of them alike. Every run is a
fresh Python process (floor and check are timed inside it, after the imports), so each peak
memory (resource.getrusage maxrss; os.wait4's for the CLI) is that run's own. The ratio is to
the floor; the target is check within 2.5x of it.

    .venv/bin/python bench/bench_check.py [--sizes 1000 10000] [--repeat 3] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.records.loader import load  # noqa: E402
from pipeline.records.complaint import COMPLAINT_DIR, discover  # noqa: E402

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NOW = datetime(2027, 6, 1, tzinfo=timezone.utc)
UNITS = ["pendaftaran", "poli_umum", "poli_gigi", "kia_kb", "farmasi", "laboratorium", "ugd"]
CHANNELS = ["email", "instagram", "whatsapp", "telepon", "langsung", "kotak_saran"]
KINDS = ["keluhan", "saran", "kritik", "pertanyaan", "apresiasi"]
POLICY = """\
puskesmas:
  nama: Puskesmas Bench
  alamat: Jl. Contoh No. 1
zona_waktu: Asia/Jakarta
kanal:
{channels}
unit:
{units}
tahapan:
  - {{id: lapor_tim, nama: Dilaporkan ke tim, bukti: recorded_at, batas_jam_kerja: 24}}
  - {{id: umpan_balik, nama: Umpan balik, bukti: responded_at, batas_jam_kerja: 72}}
  - {{id: publikasi, nama: Dipublikasikan, bukti: published_at}}
""".format(channels="\n".join(f"  {c}: {{keterangan: kanal {c}}}" for c in CHANNELS),
           units="\n".join(f"  - {{id: {u}, nama: Unit {u}}}" for u in UNITS))


def complaint_text(index: int, rng: random.Random) -> tuple[str, str]:
    """(relative path, text) of one realistic complaint; about a third are answered."""
    received = datetime(2026, 1, 1, 7, 0) + timedelta(minutes=rng.randrange(0, 500 * 24 * 60))
    suffix = "".join(CROCKFORD[(index >> shift) & 31] for shift in (15, 10, 5, 0))
    complaint_id = f"ADU-{received:%Y%m%d}-{suffix}"
    lines = [
        "---",
        f"id: {complaint_id}",
        f"judul: Antrean di {rng.choice(UNITS)} terlalu lama nomor {index}",
        f"diterima: {received:%Y-%m-%d %H:%M}",
        f"kanal: {rng.choice(CHANNELS)}",
        f"jenis: {rng.choice(KINDS)}",
        f"unit: {rng.choice(UNITS)}",
        "ringkasan: >-",
        "  Pelapor menunggu lebih dari dua jam di loket; petugas tidak memberi nomor antrean",
        "  dan tidak ada informasi kapan layanan dibuka kembali.",
        "pelapor:",
        f"  nama: Pelapor {index}",
        f'  kontak: "0812-{index % 10000:04d}-{rng.randrange(10000):04d}"',
    ]
    if index % 3 == 0:
        reported = received + timedelta(hours=3)
        answered = received + timedelta(days=2)
        lines += [
            "lapor_tim:",
            f"  waktu: {reported:%Y-%m-%dT%H:%M:00}+07:00",
            "  petugas: Petugas Informasi",
            "diteruskan_ke: [pendaftaran, poli_umum]",
            "rencana_tindak_lanjut:",
            "  isi: Menambah satu loket pada jam sibuk.",
            "  penanggung_jawab: pendaftaran",
            f"  target: {answered + timedelta(days=30):%Y-%m-%d}",
            "tanggapan:",
            "  isi: |",
            "    Terima kasih atas masukannya. Mulai bulan depan kami menambah satu loket",
            "    pendaftaran pada pukul 07.30-09.00.",
            f"  waktu: {answered:%Y-%m-%d %H:%M}",
            "  kanal: whatsapp",
            "  disetujui_oleh: Kepala Puskesmas",
            f"  disetujui_pada: {answered - timedelta(hours=1):%Y-%m-%d %H:%M}",
            "status: dijawab",
        ]
    lines += ["---", "Catatan kerja internal: sudah dikonfirmasi ke petugas loket.", ""]
    return f"{COMPLAINT_DIR.as_posix()}/{received:%Y}/{complaint_id}.md", "\n".join(lines)


def make_repo(root: Path, count: int) -> Path:
    rng = random.Random(count)
    (root / "puskesmas.yaml").write_text(POLICY, encoding="utf-8")
    for index in range(count):
        relative, text = complaint_text(index, rng)
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def floor(paths: list[Path]) -> int:
    """Read each file and parse its front matter with the C loader; nothing else."""
    parsed = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        front = text[4:text.index("\n---", 3)]
        if yaml.load(front, Loader=yaml.CSafeLoader):
            parsed += 1
    return parsed


def timed(run) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("pengaduan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline"]


def child(kind: str, repo: Path) -> dict:
    """One run in this fresh process (timed after the imports), and this process's peak memory."""
    if kind == "floor":
        paths = discover(repo)
        seconds, parsed = timed(lambda: floor(paths))
        assert parsed == len(paths)
    else:
        profiler = cProfile.Profile() if kind == "profile" else None
        if profiler:
            profiler.enable()
        seconds, loaded = timed(lambda: load(repo, now=NOW))
        if profiler:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        if not loaded.ok:
            raise SystemExit("bench data is not valid:\n" + "\n".join(
                problem.as_text() for problem in loaded.problems[:10]))
    return {"seconds": seconds, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(kind: str, repo: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(repo)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stdout}{done.stderr}")
    if kind == "profile":
        print(f"\n--- cProfile of load() on {repo.name} (top 25 by own time) ---\n{done.stderr}")
    return json.loads(done.stdout)


def run_alone(command: list[str]) -> dict:
    """Run a command to its end: its wall time and its own peak memory (os.wait4's rusage)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n"
                             + errors.read().decode("utf-8", "replace"))
    return {"seconds": seconds, "maxrss_mb": usage.ru_maxrss / 1024}


def bench(count: int, repeat: int, profile: bool) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-check-{count}-"))
    try:
        repo = make_repo(workdir, count)
        assert len(discover(repo)) == count
        floor(discover(repo))  # warm the file cache for everyone
        command = cli_command() + ["check", "--repo", str(repo), "--now", NOW.isoformat()]
        runs: dict = {"floor": [], "check": [], "cli": [], "startup": []}
        for _ in range(repeat):  # interleaved, so that a busy moment hurts all of them alike
            runs["floor"].append(measure("floor", repo))
            runs["check"].append(measure("load", repo))
            runs["cli"].append(run_alone(command))
            runs["startup"].append(run_alone(cli_command() + ["--version"]))
        if profile:
            measure("profile", repo)
        row = {"n": count}
        for kind, results in runs.items():
            row[kind] = min(result["seconds"] for result in results)
            row["rss_" + kind] = max(result["maxrss_mb"] for result in results)
        return row
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of load()")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "REPO"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0

    print(f"python {sys.version.split()[0]}, PyYAML {yaml.__version__} "
          f"(libyaml {getattr(yaml, '__with_libyaml__', False)}), best of {args.repeat}, "
          f"{os.cpu_count()} CPU, load average {os.getloadavg()[0]:.2f}")
    rows = [bench(count, args.repeat, args.profile) for count in args.sizes]
    header = (f"{'N':>7} | {'floor':>8} | {'check':>8} | {'ratio':>5} | {'CLI':>8} | {'ratio':>5} "
              f"| {'CLI start-up':>12} | {'maxrss floor':>12} | {'maxrss check':>12} | {'maxrss CLI':>10}")
    print(header)
    print("-" * len(header))
    worst = 0.0
    for row in rows:
        ratio, cli_ratio = row["check"] / row["floor"], row["cli"] / row["floor"]
        worst = max(worst, ratio)
        print(f"{row['n']:>7,} | {row['floor']:>6.3f} s | {row['check']:>6.3f} s | {ratio:>4.2f}x "
              f"| {row['cli']:>6.3f} s | {cli_ratio:>4.2f}x | {row['startup']:>10.3f} s "
              f"| {row['rss_floor']:>9.1f} MB | {row['rss_check']:>9.1f} MB | {row['rss_cli']:>7.1f} MB")
    print("floor: read + cut front matter + yaml.load(CSafeLoader); check: pipeline.records.loader.load() "
          "in-process; CLI: `pengaduan check` as a subprocess, start-up included (start-up alone: "
          "`pengaduan --version`).")
    print(f"target: check in-process within 2.5x of the floor -> "
          f"{'met' if worst <= 2.5 else 'NOT met'} (worst {worst:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
