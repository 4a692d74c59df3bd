"""Benchmark: `pengaduan build` on N synthetic complaints beside vanilla Pelican on N articles.

    .venv/bin/python bench/bench_site.py            # N = 1000 and 10000
    .venv/bin/python bench/bench_site.py 1000 --json bench/.work/site.json

For each N it writes a repository of N valid complaints (about 1.5 KB of Markdown each, spread
over three years, every channel, unit, kind and status; 1 in 20 confidential) with a git history
(each complaint committed when recorded and again when answered: the build reads it for the
deadline marks, the recap and the open data) and a folder of N plain Markdown articles of the
same size, builds each in a fresh process (cold start, as CI and staff run it) and reports wall time and peak memory (max RSS of the build process). Vanilla
Pelican uses its default settings and theme. Target: the site build is no slower than vanilla.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
WIB = ZoneInfo("Asia/Jakarta")
NOW = "2027-06-30T12:00:00+07:00"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHANNELS = ["email", "instagram", "facebook", "whatsapp", "telepon", "langsung", "rapat", "kotak_saran",
            "website"]
UNITS = ["pendaftaran", "poli_umum", "poli_gigi", "kia_kb", "farmasi", "laboratorium", "ugd", "kebersihan",
         "pustu", "tata_usaha"]
KINDS = ["keluhan", "saran", "kritik", "pertanyaan", "apresiasi"]
SENTENCE = ("Pelapor menyampaikan bahwa antrean di loket pendaftaran pada pagi hari sangat panjang dan "
            "petugas belum memberi informasi perkiraan waktu tunggu kepada pasien lansia. ")
RESPONSE = ("Terima kasih atas masukannya. Mulai pekan depan loket pendaftaran dibuka pukul 07.00 dan "
            "satu petugas tambahan membantu pasien **lansia** serta ibu hamil. ")


def _id(received: datetime, number: int) -> str:
    suffix = ""
    for _ in range(4):
        suffix = CROCKFORD[number % 32] + suffix
        number //= 32
    return f"ADU-{received:%Y%m%d}-{suffix}"


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def complaint_text(index: int, count: int) -> tuple[str, str]:
    start = datetime(2024, 1, 2, 8, 0, tzinfo=WIB)
    received = start + timedelta(minutes=int(index * (3 * 365 * 24 * 60) / max(count, 1)))
    cid = _id(received, index)
    stage = index % 4
    lines = [
        "---", f"id: {cid}", f"judul: Antrean pendaftaran pagi terlalu lama (uji {index})",
        f"diterima: {_stamp(received)}", f"kanal: {CHANNELS[index % 9]}", f"jenis: {KINDS[index % 5]}",
        f"unit: {UNITS[index % 10]}",
        # each text differs (its number): nothing may be rendered once for all complaints
        "ringkasan: |", f"  Aduan nomor {index}.", *("  " + SENTENCE for _ in range(4)),
        "pelapor:", f"  nama: Pelapor Uji {index}", "  kontak: \"0812-0000-0000\"",
    ]
    if index % 20 == 7:
        lines.append("kerahasiaan: rahasia")
    if stage >= 1:
        lines += ["lapor_tim:", f"  waktu: {_stamp(received + timedelta(hours=3))}", "  petugas: Petugas Uji"]
    if stage >= 2:
        lines += ["rapat:", f"  waktu: {_stamp(received + timedelta(hours=20))}",
                  "  peserta: [Ketua tim, Koordinator]", "  catatan: Catatan rapat internal.",
                  "tanggapan:", "  isi: |", f"    Tanggapan nomor {index}.",
                  *("    " + RESPONSE for _ in range(3)),
                  f"  waktu: {_stamp(received + timedelta(hours=30))}", "  kanal: whatsapp",
                  "  disetujui_oleh: Kepala Puskesmas",
                  f"  disetujui_pada: {_stamp(received + timedelta(hours=26))}",
                  "rencana_tindak_lanjut:", "  isi: |", "    - Menambah petugas loket pada pagi hari.",
                  "    - Memasang papan informasi waktu tunggu.", f"  penanggung_jawab: {UNITS[index % 10]}"]
    if stage >= 3:
        lines += [f"  selesai: {_stamp(received + timedelta(hours=60))}",
                  "  hasil: Waktu tunggu rata-rata turun menjadi 25 menit."]
    lines += ["---", "Catatan kerja internal: sudah ditelepon.", ""]
    return f"content/complaints/{received:%Y}/{cid}.md", "\n".join(lines)


def make_repo(folder: Path, count: int) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "content").mkdir(parents=True)
    shutil.copy(ROOT / "puskesmas.yaml", folder / "puskesmas.yaml")
    shutil.copytree(ROOT / "content" / "pages", folder / "content" / "pages")
    for index in range(count):
        relative, text = complaint_text(index, count)
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def commit_history(folder: Path, count: int) -> int:
    """Give the repository a real history, as the site build reads it: each complaint committed
    when it was recorded (3 hours after `diterima`, without the steps that came later) and again
    when it was answered (30 hours after). Built with `git fast-import`; returns the commit count."""
    events = [(datetime(2024, 1, 1, tzinfo=WIB), "Scaffold", [
        (str(path.relative_to(folder)), path.read_bytes()) for path in sorted(folder.rglob("*"))
        if path.is_file() and "complaints" not in path.parts])]
    for index in range(count):
        relative, text = complaint_text(index, count)
        received = datetime.fromisoformat(text.split("diterima: ", 1)[1].split("\n", 1)[0])
        lines = text.split("\n")
        if "rapat:" in lines:  # answered: first recorded without the meeting and the response
            recorded = lines[:lines.index("rapat:")] + lines[lines.index("---", 1):]
            events.append((received + timedelta(hours=3), f"Record {index}", [(relative, "\n".join(recorded).encode())]))
            events.append((received + timedelta(hours=30), f"Answer {index}", [(relative, text.encode())]))
        else:
            events.append((received + timedelta(hours=3), f"Record {index}", [(relative, text.encode())]))
    events.sort(key=lambda event: event[0])
    stream = bytearray()
    for moment, message, files in events:
        stamp = f"{int(moment.timestamp())} +0700"
        stream += (f"commit refs/heads/main\nauthor Petugas <petugas@example.go.id> {stamp}\n"
                   f"committer Petugas <petugas@example.go.id> {stamp}\ndata {len(message)}\n{message}\n").encode()
        for path, data in files:
            stream += f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True)
    subprocess.run(["git", "-C", str(folder), "fast-import", "--quiet"], input=bytes(stream), check=True)
    subprocess.run(["git", "-C", str(folder), "reset", "-q", "main"], check=True)  # index = the files on disk
    return len(events)


def make_vanilla(folder: Path, count: int) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    content = folder / "content"
    content.mkdir(parents=True)
    (folder / "pelicanconf.py").write_text('PATH = "content"\nTIMEZONE = "Asia/Jakarta"\n', encoding="utf-8")
    start = datetime(2024, 1, 2, 8, 0)
    for index in range(count):
        date = start + timedelta(minutes=int(index * (3 * 365 * 24 * 60) / max(count, 1)))
        body = "\n".join([f"Aduan nomor {index}. " + SENTENCE * 4, "", f"Tanggapan nomor {index}. " + RESPONSE * 3, "", "- Menambah petugas loket pada pagi hari.",
                          "- Memasang papan informasi waktu tunggu.", ""])
        (content / f"artikel-{index:05d}.md").write_text(
            f"Title: Antrean pendaftaran pagi terlalu lama (uji {index})\nDate: {date:%Y-%m-%d %H:%M}\n"
            f"Category: {UNITS[index % 10]}\nTags: {KINDS[index % 5]}, {CHANNELS[index % 9]}\n\n{body}",
            encoding="utf-8")
    return folder


def measure(command: list[str], cwd: Path) -> dict:
    """Wall time and peak RSS (MiB) of one build process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{stderr[-3000:]}")
    return {"seconds": round(elapsed, 2), "peak_mib": round(usage.ru_maxrss / 1024, 1)}


def run(count: int) -> dict:
    repo = make_repo(WORK / f"site-{count}", count)
    commits = commit_history(repo, count)
    vanilla = make_vanilla(WORK / f"vanilla-{count}", count)
    ours = measure([sys.executable, "-m", "pipeline", "build", "--repo", str(repo), "--output",
                    str(repo / "output"), "--now", NOW], ROOT)
    files = sum(1 for path in (repo / "output").rglob("*") if path.is_file())
    theirs = measure([sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
                     vanilla)
    vanilla_files = sum(1 for path in (vanilla / "output").rglob("*") if path.is_file())
    return {"n": count, "commits": commits, "site": {**ours, "files": files}, "vanilla_pelican": {**theirs, "files": vanilla_files},
            "ratio": round(ours["seconds"] / theirs["seconds"], 2)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the generated folders in bench/.work")
    args = parser.parse_args(argv)
    results = []
    print(f"{'N':>6} {'commits':>7} | {'site s':>7} {'MiB':>6} {'files':>6} | {'vanilla s':>9} {'MiB':>6} {'files':>6} | ratio")
    for count in args.counts:
        result = run(count)
        results.append(result)
        site, vanilla = result["site"], result["vanilla_pelican"]
        print(f"{count:>6} {result['commits']:>7} | {site['seconds']:>7} {site['peak_mib']:>6} {site['files']:>6} | "
              f"{vanilla['seconds']:>9} {vanilla['peak_mib']:>6} {vanilla['files']:>6} | {result['ratio']}",
              flush=True)
        if not args.keep:
            shutil.rmtree(WORK / f"site-{count}", ignore_errors=True)
            shutil.rmtree(WORK / f"vanilla-{count}", ignore_errors=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
