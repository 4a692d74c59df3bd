"""Benchmark: `pengaduan build` (full, one change, no change) beside vanilla Pelican and Hugo.

    .venv/bin/python bench/bench_site.py            # N = 1000 and 10000
    .venv/bin/python bench/bench_site.py 1000 --json bench/.work/site.json
    .venv/bin/python bench/bench_site.py 1000 --profile bench/.work/profile   # + cProfile of each build
    .venv/bin/python bench/bench_site.py 1000 --work /dev/shm/bw   # on tmpfs: the disk left out

For each N it writes a repository of N valid complaints (about 1.5 KB of Markdown each, spread
over three years, every channel, unit, kind and status; 1 in 20 confidential) with a git history
(each complaint committed when recorded and again when answered: the build reads it for the
deadline marks, the recap and the open data), then measures, each in a fresh process (cold start,
as CI and staff run it), wall time and peak memory (max RSS of the build process and its
children):

- full: `pengaduan build` with no build cache and no previous output;
- one change: one complaint's response edited and committed, then `pengaduan build` again (the
  cache and the output of the last build in place, as on a laptop);
- one change + a note: one complaint's response edited and a line added to its private working
  notes, committed (the team's answer as the SOP records it: a new private value, which the
  privacy gate looks for in every file of the site);
- one change, restored: the same as one change, the cache and the output first copied back in place as the
  workflows' `actions/cache` restores them on a fresh runner (same bytes and times, every inode
  new); and, for comparison, with the cache only (the workflows cached no output before the
  twentieth session: every page was rendered again);
- one added: one new complaint, newer than every other, recorded and committed, then `pengaduan
  build` again (the most frequent change: it tops every listing, whose front page changes, and the
  gate has new values to search the whole site for; the first one added is of a new year, a new
  filter option, which changes every listing page);
- no change: `pengaduan build` once more, nothing changed;
- vanilla Pelican (default settings and theme) on N plain Markdown articles of the same size;
- Hugo (Debian's `hugo`, when installed; skipped with a note otherwise) on the same N pages with a
  minimal baseof/single/list layout, the five filters as taxonomies and pages of the same size
  (counted from the newest, as Hugo counts them; ours are counted from the oldest).

The program's bytecode is compiled first (`compile_program`), as pip does for an installed package.
Every figure of `pengaduan build` includes everything the command does (loading, the git
evidence, every page, the open data, the privacy checks, the swap into output/). The privacy
gate (outputs/gate.py, in every build) is also timed apart within one more full build: its share
of that build is printed (target: under 10%).
Targets (issue 15): full within 2x Hugo at 10,000 (1.5x at 1,000); one change >= 10x faster than
full at 10,000; no change under 1 s after start-up; peak under 300 MB at 10,000.
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


TRASH = WORK / ".trash"


def discard(path: Path) -> None:
    """Set `path` aside; it is deleted when every figure has been taken (`empty_trash`). On a file
    system without a journal (this machine's), ext4 will not reuse an inode freed in the last minutes
    and scans past each one: deleting 15,000 files right before a build made every file it created
    slower (45% of a full build at 1,000 was in the kernel, by perf). CI's runners start empty."""
    if path.exists() or path.is_symlink():
        TRASH.mkdir(parents=True, exist_ok=True)
        os.rename(path, TRASH / f"{path.name}-{time.monotonic_ns()}")


def empty_trash() -> None:
    shutil.rmtree(TRASH, ignore_errors=True)


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
        # (each reporter's own number, as on a real site: the gate searches each in any layout)
        "pelapor:", f"  nama: Pelapor Uji {index}", f"  kontak: \"0812-{index // 10000:04d}-{index % 10000:04d}\"",
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
    discard(folder)
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
    discard(folder)
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


HUGO_CONFIG = """baseURL = "http://localhost:8000/"
languageCode = "id"
title = "Respon Pengaduan Pelayanan"
paginate = 10
disableKinds = ["RSS"]
[taxonomies]
tahun = "tahun"
kanal = "kanal"
unit = "unit"
jenis = "jenis"
status = "status"
"""
HUGO_LAYOUTS = {
    "baseof.html": '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
                   '</head>\n<body><header><a href="/">{{ .Site.Title }}</a></header>\n<main>{{ block "main" . }}'
                   '{{ end }}</main></body></html>\n',
    "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }} · '
                   '{{ .Params.kanal }} · {{ .Params.unit }}</p>{{ .Content }}</article>{{ end }}\n',
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<article><h2>'
                 '<a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ .Summary }}</article>{{ end }}'
                 '{{ template "_internal/pagination.html" . }}{{ end }}\n',
}
STATUSES = ["baru", "diproses", "dijawab", "selesai"]


def make_hugo(folder: Path, count: int) -> Path:
    """The same N pages for Hugo: one page per complaint, the five filters as taxonomies."""
    discard(folder)
    content = folder / "content" / "pengaduan"
    content.mkdir(parents=True)
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (folder / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    start = datetime(2024, 1, 2, 8, 0, tzinfo=WIB)
    for index in range(count):
        date = start + timedelta(minutes=int(index * (3 * 365 * 24 * 60) / max(count, 1)))
        body = "\n".join([f"Aduan nomor {index}. " + SENTENCE * 4, "", f"Tanggapan nomor {index}. " + RESPONSE * 3,
                          "", "- Menambah petugas loket pada pagi hari.", "- Memasang papan informasi waktu tunggu.", ""])
        (content / f"aduan-{index:05d}.md").write_text(
            f'---\ntitle: "Antrean pendaftaran pagi terlalu lama (uji {index})"\ndate: {date.isoformat()}\n'
            f'tahun: ["{date.year}"]\nkanal: ["{CHANNELS[index % 9]}"]\nunit: ["{UNITS[index % 10]}"]\n'
            f'jenis: ["{KINDS[index % 5]}"]\nstatus: ["{STATUSES[index % 4]}"]\n---\n{body}', encoding="utf-8")
    return folder


def measure(command: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Wall time and peak RSS (MiB; the largest of the process and its children) of one process.
    The disk's pending writes are flushed first: a full build and the gate's own site leave some
    400 MB at 10,000 for the kernel to write back, and the next figure paid for it (from the
    fourteenth session on)."""
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, **(env or {})})
    stderr = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{stderr[-3000:]}")
    return {"seconds": round(elapsed, 2), "peak_mib": round(usage.ru_maxrss / 1024, 1)}


def count_files(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def edit_one(repo: Path, count: int, shift: int = 0) -> str:
    """Change one answered complaint's response and commit it (a day after the last commit);
    `shift` picks another complaint for each repetition."""
    index = (count // 2) - (count // 2) % 4 + 2 + 4 * shift  # stage 2: answered, public
    relative, text = complaint_text(index, count)
    path = repo / relative
    path.write_text(text.replace(f"Tanggapan nomor {index}.", f"Tanggapan nomor {index}, diperbarui."),
                    encoding="utf-8")
    _commit(repo, relative, f"Edit response {index}", after=86400)
    return relative


def answer_with_note(repo: Path, count: int, shift: int = 0) -> str:
    """Change one answered complaint's response and add a line to its private working notes, then
    commit it (a day after the last commit): the team's answer as the SOP has it recorded. The line
    is a new private value, which the privacy gate looks for in every file of the site. Other
    complaints than `edit_one`'s (below the middle, going down)."""
    index = (count // 2) - (count // 2) % 4 + 2 - 4 * (shift + 1)  # stage 2: answered, public
    relative, text = complaint_text(index, count)
    path = repo / relative
    text = text.replace(f"Tanggapan nomor {index}.", f"Tanggapan nomor {index}, diperbarui.")
    path.write_text(text.rstrip("\n") + f"\nPelapor dihubungi lagi oleh Bu Wulan Kusumastuti, catatan {shift}.\n",
                    encoding="utf-8")
    _commit(repo, relative, f"Answer {index} with a note", after=86400)
    return relative


def add_one(repo: Path, count: int, shift: int = 0) -> str:
    """Record one new complaint, newer than every other, and commit it (an hour after the last
    commit): the change a Puskesmas makes most often. It tops every listing, so each listing's front
    page changes (its older pages, counted from the oldest, do not), and its reporter's values are
    new to the privacy gate."""
    relative, text = complaint_text(count + 1 + shift, count)
    path = repo / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _commit(repo, relative, f"Add complaint {count + 1 + shift}", after=3600)
    return relative


def restore(repo: Path, kept: tuple) -> None:
    """The build cache and the output as a fresh CI runner has them after `actions/cache`
    restored the folders in `kept` (the same bytes and times, a new inode for every file); the
    others are not there."""
    for name in (".cache", "output"):
        if (repo / name).exists():
            aside = TRASH / f"{name.strip('.')}-{time.monotonic_ns()}"
            TRASH.mkdir(parents=True, exist_ok=True)
            os.rename(repo / name, aside)
            if name in kept:
                shutil.copytree(aside, repo / name, symlinks=True)


def _commit(repo: Path, relative: str, message: str, after: int) -> None:
    """Commit `relative` as the officer would, `after` seconds after the last commit."""
    last = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%ct"], capture_output=True, text=True,
                          check=True).stdout.strip()
    stamp = f"{int(last) + after} +0700"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_NAME": "Petugas",
           "GIT_AUTHOR_EMAIL": "petugas@example.go.id", "GIT_COMMITTER_NAME": "Petugas",
           "GIT_COMMITTER_EMAIL": "petugas@example.go.id"}
    subprocess.run(["git", "-C", str(repo), "add", relative], check=True)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", message], env=env, check=True)


def _ours(repo: Path, profile: Path | None, name: str) -> list[str]:
    command = [sys.executable]
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
        command += ["-m", "cProfile", "-o", str(profile / f"{repo.name}-{name}.prof")]
    return command + ["-m", "pipeline", "build", "--repo", str(repo), "--output", str(repo / "output"),
                      "--now", NOW]


GATE = """
import json, sys, time
from datetime import datetime
from pathlib import Path
from pipeline.commands.build import build_site, privacy_gate
from pipeline.outputs.gateworkers import GateWorkers
repo, folder = Path(sys.argv[1]), Path(sys.argv[3])
seen = {}
workers = GateWorkers()   # forked before the build, as `pengaduan build` does
started = time.perf_counter()
build_site(repo, folder / "site", now=datetime.fromisoformat(sys.argv[2]), seen=seen)
built = time.perf_counter()
hits = privacy_gate(repo, folder / "site", seen.get("loaded"), workers=workers)
done = time.perf_counter()
workers.close()
print(json.dumps({"seconds": round(done - built, 2), "build_seconds": round(built - started, 2),
                  "hits": len(hits)}))
"""


def measure_gate(repo: Path) -> dict:
    """The privacy gate as `pengaduan build` runs it (after Pelican, on the records the plugin
    read, over every file of the site), timed apart within one more full build (no cache): its
    share is gate / (rest of the build + gate). Target: under 10%. (Built into the trash: deleted
    with it at the end.)"""
    TRASH.mkdir(parents=True, exist_ok=True)
    folder = TRASH / f"gate-{time.monotonic_ns()}"
    folder.mkdir()   # (the site's parent: `pengaduan build` makes it, `build_site` does not)
    done = subprocess.run([sys.executable, "-c", GATE, str(repo), NOW, str(folder)], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    result = json.loads(done.stdout)
    result["share"] = round(result["seconds"] / (result["seconds"] + result["build_seconds"]), 3)
    return result


def repeated(times: int, once) -> dict:
    """`once()` (one measurement) run `times` times: the median time, the largest peak."""
    runs = [once() for _ in range(times)]
    seconds = sorted(run["seconds"] for run in runs)
    return {"seconds": seconds[len(seconds) // 2], "peak_mib": max(run["peak_mib"] for run in runs),
            "runs": [run["seconds"] for run in runs]}


def run(count: int, profile: Path | None = None, repeat: int = 1) -> dict:
    repo = make_repo(WORK / f"site-{count}", count)
    commits = commit_history(repo, count)
    result = {"n": count, "commits": commits, "repeat": repeat}
    # a rebuild's figure moves by a tenth from run to run with the machine, and costs a tenth of a
    # full build: at least 3 runs of each, even where the full builds run once
    rebuilds = max(repeat, 3)

    def full():
        discard(repo / "output")
        discard(repo / ".cache")
        return measure(_ours(repo, profile, "full"), ROOT)

    def one_change(shift=iter(range(rebuilds))):
        edit_one(repo, count, next(shift))
        return measure(_ours(repo, profile, "one"), ROOT)

    result["full"] = repeated(repeat, full)
    result["files"], result["bytes"] = count_files(repo / "output")
    gates = [measure_gate(repo) for _ in range(repeat)]
    result["gate"] = sorted(gates, key=lambda gate: gate["share"])[len(gates) // 2]
    result["one_change"] = repeated(rebuilds, one_change)

    def one_change_note(shift=iter(range(rebuilds))):
        answer_with_note(repo, count, next(shift))
        return measure(_ours(repo, profile, "note"), ROOT)

    result["one_change_note"] = repeated(rebuilds, one_change_note)

    def restored(kept: tuple, shift):
        def once():
            edit_one(repo, count, next(shift))
            restore(repo, kept)
            return measure(_ours(repo, profile, "restored"), ROOT)
        return once

    result["one_change_restored"] = repeated(rebuilds, restored((".cache", "output"), iter(range(rebuilds, 2 * rebuilds))))
    result["one_change_cache_only"] = repeated(rebuilds, restored((".cache",), iter(range(2 * rebuilds, 3 * rebuilds))))

    def one_added(shift=iter(range(rebuilds))):
        add_one(repo, count, next(shift))
        return measure(_ours(repo, profile, "added"), ROOT)

    result["one_added"] = repeated(rebuilds, one_added)
    result["no_change"] = repeated(rebuilds, lambda: measure(_ours(repo, profile, "none"), ROOT))

    def no_change_restored():   # (a pull request that changes no content, on a fresh runner)
        restore(repo, (".cache", "output"))
        return measure(_ours(repo, profile, "none-restored"), ROOT)

    result["no_change_restored"] = repeated(rebuilds, no_change_restored)
    result["startup"] = repeated(rebuilds, lambda: measure([sys.executable, "-m", "pipeline", "build", "--help"], ROOT))
    startup = result["startup"]
    vanilla = make_vanilla(WORK / f"vanilla-{count}", count)
    result["vanilla_pelican"] = repeated(repeat, lambda: measure(
        [sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"], vanilla))
    result["vanilla_pelican"]["files"], result["vanilla_pelican"]["bytes"] = count_files(vanilla / "output")
    hugo = shutil.which("hugo")
    if hugo:
        folder = make_hugo(WORK / f"hugo-{count}", count)
        result["hugo"] = repeated(repeat, lambda: measure([hugo, "--quiet", "-d", "public"], folder))
        result["hugo"]["files"], result["hugo"]["bytes"] = count_files(folder / "public")
    else:
        result["hugo"] = None
    full = result["full"]["seconds"]
    result["ratios"] = {
        "full_vs_hugo": round(full / result["hugo"]["seconds"], 2) if hugo else None,
        "full_vs_vanilla": round(full / result["vanilla_pelican"]["seconds"], 2),
        "full_vs_one_change": round(full / result["one_change"]["seconds"], 1),
        "full_vs_one_change_restored": round(full / result["one_change_restored"]["seconds"], 1),
        "full_vs_one_change_note": round(full / result["one_change_note"]["seconds"], 1),
        "full_vs_one_added": round(full / result["one_added"]["seconds"], 1),
        "no_change_after_startup": round(result["no_change"]["seconds"] - startup["seconds"], 2),
    }
    return result


def _row(label: str, figures: dict | None) -> str:
    if not figures:
        return f"  {label:<22} (skipped)"
    extra = f" {figures['files']:>6} files {figures['bytes'] / 1e6:>7.1f} MB" if "files" in figures else ""
    return f"  {label:<22} {figures['seconds']:>7.2f} s {figures['peak_mib']:>7.1f} MiB{extra}"


def compile_program() -> None:
    """The program's bytecode written beforehand, as an installed package has it (pip compiles
    what it installs; Pelican and the other libraries in .venv have theirs). Run from a checkout
    with PYTHONDONTWRITEBYTECODE set (this machine sets it), every build would compile the
    package's 70 modules first: some 0.2 s of each figure, none of it the build's work."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pipeline")], check=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the generated folders in bench/.work")
    parser.add_argument("--work", type=Path, default=None, metavar="DIR",
                        help="where the repositories and sites are made (default bench/.work; e.g. /dev/shm "
                             "to leave the disk out of every figure)")
    parser.add_argument("--repeat", type=int, default=None, metavar="R",
                        help="runs of each measurement, median shown (default: 3 up to 2,000 complaints, "
                             "else 1; the rebuilds at least 3)")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="run our builds under cProfile, one .prof file each in DIR")
    args = parser.parse_args(argv)
    if args.work is not None:
        global WORK, TRASH
        WORK, TRASH = args.work.resolve(), args.work.resolve() / ".trash"
    compile_program()
    if not shutil.which("hugo"):
        print("note: hugo is not installed (apt-get install hugo): Hugo's figures are skipped.", flush=True)
    results = []
    for count in args.counts:
        result = run(count, args.profile, args.repeat or (3 if count <= 2000 else 1))
        results.append(result)
        print(f"N = {count} complaints, {result['commits']} commits, median of {result['repeat']} run(s) "
              f"({max(result['repeat'], 3)} of each rebuild)", flush=True)
        print(_row("pengaduan build, full", {**result["full"], "files": result["files"], "bytes": result["bytes"]}))
        gate = result["gate"]
        print(f"  {'privacy gate':<22} {gate['seconds']:>7.2f} s = {gate['share']:.1%} of a full build "
              f"({gate['build_seconds']:.2f} s before it; target < 10%)")
        print(_row("  one change", result["one_change"]))
        print(_row("  one change + a note", result["one_change_note"]))
        print(_row("  one change, restored", result["one_change_restored"]))
        print(_row("  ... cache only", result["one_change_cache_only"]))
        print(_row("  one added", result["one_added"]))
        print(_row("  no change", result["no_change"]))
        print(_row("  no change, restored", result["no_change_restored"]))
        print(_row("  start-up (--help)", result["startup"]))
        print(_row("vanilla Pelican", result["vanilla_pelican"]))
        print(_row("Hugo", result["hugo"]))
        ratios = result["ratios"]
        print(f"  full / Hugo {ratios['full_vs_hugo']}x, full / vanilla {ratios['full_vs_vanilla']}x, "
              f"full / one change {ratios['full_vs_one_change']}x (restored {ratios['full_vs_one_change_restored']}x, "
              f"with a note {ratios['full_vs_one_change_note']}x), "
              f"full / one added {ratios['full_vs_one_added']}x, "
              f"no change after start-up "
              f"{ratios['no_change_after_startup']} s", flush=True)
        if not args.keep:
            for name in ("site", "vanilla", "hugo"):
                discard(WORK / f"{name}-{count}")
    empty_trash()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
