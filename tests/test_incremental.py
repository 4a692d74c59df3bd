"""Incremental builds: the build cache makes a rebuild faster, never different.

Every build here is a real `pengaduan build` on a real git repository. After each round of random
edits (add, change, rename, make confidential, delete), committed with controlled dates, the site
built incrementally (cache and previous output in place) must equal, byte for byte, a clean build
(no cache, fresh output folder); so must a build after the cache was damaged or deleted.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import random
import shutil
import zlib
from datetime import datetime, timedelta

import pytest
import yaml

from gitrepo import GitRepo
from pipeline.outputs.sitewriter import read_manifest
from pipeline.outputs.survey import differences, file_stat
from site_helpers import ROOT, WIB, build, output_files, run_cli, synthetic_complaint

CACHE = ".cache/pengaduan"


def _path(data: dict, folder: str | None = None) -> str:
    return f"content/complaints/{folder or data['id'][4:8]}/{data['id']}.md"


def _text(data: dict) -> str:
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\nCatatan kerja internal (rahasia) nomor {data['id']}.\n"


class Site:
    """A repository of synthetic complaints with a clock for its commits."""

    def __init__(self, root, count: int):
        self.repo = GitRepo(root / "repo")
        self.repo.write(".gitignore", "/.cache/\n/output/\n")   # as `pengaduan init` writes it
        shutil.copytree(os.path.join(os.path.dirname(__file__), "..", "content", "pages"),
                        root / "repo" / "content" / "pages")
        self.clock = datetime(2026, 4, 1, 9, 0, tzinfo=WIB)
        self.files: dict[str, tuple[str, dict]] = {}   # id -> (path, data)
        self.next_index = 0
        for _ in range(count):
            self.add()
        self.commit("Initial complaints")

    def commit(self, message: str) -> None:
        self.clock += timedelta(hours=7)
        self.repo.commit(message, self.clock.isoformat())

    def add(self) -> str:
        data = synthetic_complaint(self.next_index)
        self.next_index += 1
        path = _path(data)
        self.repo.write(path, _text(data))
        self.files[data["id"]] = (path, data)
        return data["id"]

    def change(self, cid: str, rng: random.Random) -> None:
        path, data = self.files[cid]
        data = {**data, "judul": f"{data['judul']} (diubah {rng.randrange(1000)})"}
        if rng.random() < 0.5:
            data["tanggapan"] = {"isi": f"Tanggapan baru **{rng.randrange(1000)}**.", "kanal": "whatsapp",
                                 "waktu": self.clock.isoformat(timespec="seconds"),
                                 "disetujui_oleh": "Kepala Puskesmas",
                                 "disetujui_pada": self.clock.isoformat(timespec="seconds")}
        self.repo.write(path, _text(data))
        self.files[cid] = (path, data)

    def rename(self, cid: str) -> None:
        path, data = self.files[cid]
        target = _path(data, "arsip" if "/arsip/" not in path else None)
        (self.repo.path / target).parent.mkdir(parents=True, exist_ok=True)
        self.repo.git("mv", path, target)
        self.files[cid] = (target, data)

    def hide(self, cid: str) -> None:
        path, data = self.files[cid]
        data = {**data, "kerahasiaan": "rahasia"}
        self.repo.write(path, _text(data))
        self.files[cid] = (path, data)

    def delete(self, cid: str) -> None:
        path, _ = self.files.pop(cid)
        self.repo.git("rm", "-q", path)


def _build_at_head(site: Site, folder, *extra) -> dict:
    """A build without --now: "now" is the date of the commit built."""
    result = run_cli("build", "--repo", site.repo.path, "--output", folder, *extra)
    assert result.returncode == 0, result.stderr
    return output_files(folder)


def _manifest(site: Site, output) -> tuple:
    """The site writer's manifest file of `output` and what it holds, every file's entry in
    "files" (as the next build reads it)."""
    [manifest] = (site.repo.path / CACHE).glob("output-*.pickle")
    return manifest, read_manifest(manifest, output)


def _save(manifest, stored: dict) -> None:
    """A manifest as `_manifest` read it, changed, saved for the next build to read."""
    manifest.write_bytes(pickle.dumps({**stored, "kept": None}))


def _clean(site: Site, tmp_path, name: str) -> dict:
    output = tmp_path / name
    build(site.repo.path, output, "--no-cache")
    return output_files(output)


def test_incremental_builds_equal_clean_builds_after_random_edits(tmp_path):
    rng = random.Random(15)
    site = Site(tmp_path, 14)
    output = tmp_path / "output"
    build(site.repo.path, output)
    assert (site.repo.path / CACHE).is_dir()
    for round_number in range(5):
        touched = set()
        for _ in range(rng.randint(1, 3)):
            action = rng.choice(["add", "change", "change", "rename", "hide", "delete"])
            cid = rng.choice(sorted(site.files))
            if action == "add":
                touched.add(site.add())
            else:
                getattr(site, action)(cid, rng) if action == "change" else getattr(site, action)(cid)
                touched.add(cid)
        site.commit(f"Round {round_number}")
        before = {path: path.stat().st_ino for path in output.glob("pengaduan/*/index.html")
                  if path.parent.name not in touched}
        build(site.repo.path, output)
        built = output_files(output)
        assert built == _clean(site, tmp_path, f"clean-{round_number}"), round_number
        # the walk of the history is kept for the next build, at this build's tip
        state = (site.repo.path / CACHE / "evidence-walk.json").read_bytes().partition(b"\n")[2]
        assert json.loads(state)["tip"] == site.repo.head()
        # unchanged bytes are never rewritten: the pages of the other complaints keep their file
        assert before and all(path.stat().st_ino == inode for path, inode in before.items()), round_number


def test_a_rebuild_with_nothing_changed_writes_nothing(tmp_path):
    site = Site(tmp_path, 6)
    output = tmp_path / "output"
    first = build(site.repo.path, output)
    stats = {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in output.rglob("*") if path.is_file()}
    again = build(site.repo.path, output)
    assert again.stdout == first.stdout and again.stderr == first.stderr
    assert {path: (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in output.rglob("*") if path.is_file()} == stats
    # a file edited or added by hand in the output is put right by the next build
    page = next(output.glob("pengaduan/*/index.html"))
    original = page.read_bytes()
    page.write_bytes(b"diubah tangan")
    (output / "asing.html").write_text("bukan hasil build", encoding="utf-8")
    (page.parent / "lampiran.txt").write_text("bukan hasil build", encoding="utf-8")   # deep in the site
    (output / "asing" / "dalam").mkdir(parents=True)
    (output / "asing" / "dalam" / "x.html").write_text("bukan hasil build", encoding="utf-8")
    outside = tmp_path / "di-luar"
    outside.mkdir()
    (outside / "jangan-dihapus.txt").write_text("milik orang lain", encoding="utf-8")
    (output / "tautan").symlink_to(outside)
    build(site.repo.path, output)
    assert page.read_bytes() == original and not (output / "asing.html").exists()
    assert (outside / "jangan-dihapus.txt").exists()   # a link is removed, never followed
    assert output_files(output) == _clean(site, tmp_path, "clean")


def test_an_output_restored_from_a_cache_is_used_only_where_its_bytes_are_the_last_builds(tmp_path):
    """As a workflow's actions/cache restores it (the same bytes and times, every inode new), with
    one page changed by hand to other bytes of the same size, its time set back: after one change
    the rebuild keeps the restored files, puts that page right, and equals a clean build."""
    site = Site(tmp_path, 8)
    output = tmp_path / "output"
    build(site.repo.path, output)
    shutil.move(output, tmp_path / "disimpan")
    shutil.copytree(tmp_path / "disimpan", output)
    cid, edited = sorted(site.files)[0], sorted(site.files)[1]
    page = output / "pengaduan" / edited / "index.html"
    original, times = page.read_bytes(), page.stat()
    page.write_bytes(original.replace(b"<title>", b"<titlE>"))
    os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert page.read_bytes() != original and page.stat().st_size == times.st_size
    restored = {path: path.stat().st_ino for path in output.glob("pengaduan/*/index.html")}
    site.change(cid, random.Random(3))
    site.commit("One complaint changed")
    build(site.repo.path, output)
    assert page.read_bytes() == original
    assert output_files(output) == _clean(site, tmp_path, "clean")
    kept = [path for path in restored if path.parent.name not in (cid, edited)]
    assert kept and all(path.stat().st_ino == restored[path] for path in kept)


def test_an_output_restored_with_nothing_to_build_is_up_to_date_and_its_stats_are_saved(tmp_path):
    """A pull request that changes no content, on a runner that restored the output and the
    cache: nothing is built again, nothing rewritten, the build says what the last one said, and
    the manifest takes the files' stats of now (the next build reads none of them). A file added
    to the restored copy is not the site's: the build then runs, and deletes it."""
    site = Site(tmp_path, 8)
    output = tmp_path / "output"
    first = build(site.repo.path, output)
    shutil.move(output, tmp_path / "disimpan")
    shutil.copytree(tmp_path / "disimpan", output)
    restored = {path: path.stat().st_ino for path in output.rglob("*") if path.is_file()}
    names = site.repo.path / CACHE / "template-names.pickle"   # (saved by every build that runs)
    saved = names.stat().st_ino
    again = build(site.repo.path, output)
    assert (again.stdout, again.stderr) == (first.stdout, first.stderr) and names.stat().st_ino == saved
    assert {path: path.stat().st_ino for path in output.rglob("*") if path.is_file()} == restored
    _, stored = _manifest(site, output)
    assert differences(str(output), stored["files"], stored["folders"]) == (set(), {}, {})
    shutil.rmtree(tmp_path / "disimpan")
    shutil.move(output, tmp_path / "disimpan")
    shutil.copytree(tmp_path / "disimpan", output)
    (output / "pengaduan" / sorted(site.files)[0] / "lampiran.html").write_text("asing", encoding="utf-8")
    build(site.repo.path, output)
    assert output_files(output) == _clean(site, tmp_path, "clean")


def _folders(output) -> set[str]:
    return {path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_dir()}


def test_a_rebuild_that_adds_and_removes_files_leaves_a_clean_builds_folders(tmp_path):
    """Files added (a new complaint, a new search index) and removed (a deleted complaint, a
    confidential one): the folders left empty are deleted, new ones made, and what was put by hand
    in a folder this build changed, or in one it kept, is deleted; the output is a clean build's,
    folder for folder."""
    site = Site(tmp_path, 8)
    output = tmp_path / "output"
    build(site.repo.path, output)
    gone, hidden = sorted(site.files)[:2]
    site.delete(gone)
    site.hide(hidden)
    added = site.add()
    site.commit("Add one, delete one, hide one")
    kept = next(path.parent for path in output.glob("pengaduan/*/index.html")
                if path.parent.name not in (gone, hidden))
    (kept / "lampiran.txt").write_text("bukan hasil build", encoding="utf-8")   # a folder kept as it was
    (output / "pengaduan" / "asing.html").write_text("bukan hasil build", encoding="utf-8")   # one that changes
    (output / "pengaduan" / gone / "dalam").mkdir()
    build(site.repo.path, output)
    clean = tmp_path / "clean"
    build(site.repo.path, clean, "--no-cache")
    assert (output / "pengaduan" / added / "index.html").is_file()
    assert not (output / "pengaduan" / gone).exists() and not (output / "pengaduan" / hidden).exists()
    assert _folders(output) == _folders(clean)
    assert output_files(output) == output_files(clean)


def test_a_damaged_or_deleted_cache_never_changes_the_output(tmp_path):
    site = Site(tmp_path, 8)
    output = tmp_path / "output"
    build(site.repo.path, output)
    cache = site.repo.path / CACHE
    files = [path for path in cache.iterdir() if path.is_file()]
    assert files
    for number, path in enumerate(files):   # garbage, truncated, empty
        path.write_bytes([b"\x80\x04garbage", path.read_bytes()[:len(path.read_bytes()) // 2], b""][number % 3])
    cid = sorted(site.files)[3]
    site.change(cid, random.Random(1))
    site.commit("Change after damage")
    build(site.repo.path, output)
    assert output_files(output) == _clean(site, tmp_path, "clean-1")
    shutil.rmtree(cache)
    site.hide(sorted(site.files)[1])
    site.commit("Confidential after deletion")
    build(site.repo.path, output)
    assert output_files(output) == _clean(site, tmp_path, "clean-2")
    # each kept open-data row damaged on its own (they are kept compressed): made again
    shards = sorted(cache.glob("rows.*.pickle"))
    assert len(shards) == 16 and sum(len(pickle.loads(rows.read_bytes())["entries"]) for rows in shards) > 3
    for rows in shards:
        stored = pickle.loads(rows.read_bytes())
        stored["entries"] = {key: packed[:len(packed) // 2] for key, packed in stored["entries"].items()}
        rows.write_bytes(pickle.dumps(stored))
    site.change(sorted(site.files)[4], random.Random(2))
    site.commit("Change after damaged rows")
    build(site.repo.path, output)
    assert output_files(output) == _clean(site, tmp_path, "clean-3")
    # the cache of another output folder, or of another build, is not this one's
    other = tmp_path / "other"
    build(site.repo.path, other)
    assert output_files(other) == output_files(output)


def _entries(cache, name: str) -> dict:
    """The entries of a cache file kept in shards (`BuildCache.SHARDED`)."""
    entries: dict = {}
    for shard in sorted(cache.glob(f"{name}.*.pickle")):
        entries.update(pickle.loads(shard.read_bytes())["entries"])
    return entries


def test_views_kept_whole_only_when_shown_and_remade_when_their_bytes_are_damaged(tmp_path):
    """A kept view's summary is in `views.pickle`, the whole view on the shelf (`views/`, a file
    per view), read only when a page showing it is rendered again; when its file is damaged or
    gone, the view is made again, and the site is the clean one. The shelf keeps only the views
    the last build used."""
    site = Site(tmp_path, 8)
    output = tmp_path / "output"
    build(site.repo.path, output)
    summaries = _entries(site.repo.path / CACHE, "views")
    shelf = site.repo.path / CACHE / "views"
    assert sorted(path.name for path in shelf.iterdir()) == sorted(summaries) and len(summaries) == 8
    for number, (key, summary) in enumerate(sorted(summaries.items())):
        whole = (shelf / key).read_bytes()
        assert set(summary) < set(pickle.loads(whole))   # a few fields at hand, the rest kept
        if number % 2:
            (shelf / key).write_bytes(whole[:len(whole) // 2])
        elif number % 4 == 0:
            (shelf / key).unlink()
    site.add()                  # a new complaint: every listing page shows other views again
    site.commit("One more")
    build(site.repo.path, output)
    assert output_files(output) == _clean(site, tmp_path, "clean")
    cid = sorted(site.files)[2]
    site.change(cid, random.Random(3))
    site.commit("Change one")
    build(site.repo.path, output)
    assert output_files(output) == _clean(site, tmp_path, "clean-2")
    summaries = _entries(site.repo.path / CACHE, "views")
    # (a view whose file is damaged is made again when a page needs it whole: the listings take
    # their entries from the cache, `test_listing_entries_are_kept_under_their_views_keys`)
    assert {path.name for path in shelf.iterdir()} <= set(summaries) and len(summaries) == 9
    assert _entries(site.repo.path / CACHE, "listing-entries").keys() == summaries.keys()


def _rewrite_entries(cache, change) -> None:
    """Each shard of the kept listing entries with `change(entries)` done to its entries."""
    for shard in sorted(cache.glob("listing-entries.*.pickle")):
        stored = pickle.loads(shard.read_bytes())
        change(stored["entries"])
        shard.write_bytes(pickle.dumps(stored))


def test_listing_entries_are_kept_under_their_views_keys(tmp_path):
    """Each complaint's listing entry is kept under its view's key (`plugin.keptentries`): a build
    after one added renders the new complaint's entry and takes the others from the cache as they
    are (one altered there shows so); a damaged file of them only means they are rendered again."""
    site = Site(tmp_path, 6)
    output, cache = tmp_path / "output", site.repo.path / CACHE
    build(site.repo.path, output)
    views = _entries(cache, "views")
    assert _entries(cache, "listing-entries").keys() == views.keys() and len(views) == 6
    chosen = sorted(views)[0]

    def alter(entries):
        if chosen in entries:
            pieces = pickle.loads(zlib.decompress(entries[chosen]))
            entries[chosen] = zlib.compress(pickle.dumps(("<!-- DARI-CACHE -->" + pieces[0], *pieces[1:])))
    _rewrite_entries(cache, alter)
    site.add()
    site.commit("One more")
    build(site.repo.path, output)
    kept = _entries(cache, "listing-entries")
    assert chosen in kept and len(kept) == 7
    assert b"DARI-CACHE" in output_files(output)["index.html"]
    _rewrite_entries(cache, lambda entries: entries.update(dict.fromkeys(entries, b"rusak")))
    site.add()
    site.commit("Two more")
    build(site.repo.path, output)
    assert output_files(output) == _clean(site, tmp_path, "clean")


def test_a_rebuild_at_a_later_commit_equals_a_clean_build_then(tmp_path):
    """A complaint whose file did not change, judged at a later commit: its running stage is now
    late, on its page and in the open data, exactly as a clean build says."""
    site = Site(tmp_path, 2)
    fresh = synthetic_complaint(8, start=site.clock + timedelta(hours=1), step_hours=0)  # "baru"
    site.repo.write(_path(fresh), _text(fresh))
    site.commit("A new complaint")
    output, clean = tmp_path / "output", tmp_path / "clean"

    first = _build_at_head(site, output)
    site.clock += timedelta(days=30)
    site.add()
    site.commit("Another complaint, a month later")
    assert _build_at_head(site, output) == _build_at_head(site, clean, "--no-cache")
    row = next(line for line in output_files(output)["data/complaints.json"].splitlines()
               if fresh["id"].encode() in line)
    assert b'"lewat_batas"' in row and fresh["id"].encode() in first["data/complaints.json"]


def test_a_time_in_the_future_is_judged_against_this_builds_now_whatever_the_cache(tmp_path):
    """The cache keeps each record's problems that do not depend on "now"; a time after this
    build's "now" is still an error, though the same bytes were valid for the build before."""
    site = Site(tmp_path, 2)
    output = tmp_path / "output"
    late = run_cli("build", "--repo", site.repo.path, "--output", output, "--now", "2027-01-01T00:00:00+07:00")
    assert late.returncode == 0, late.stderr
    early = run_cli("build", "--repo", site.repo.path, "--output", output, "--now", "2025-11-04T00:00:00+07:00")
    assert early.returncode == 1 and "masa depan" in early.stderr, early.stderr


def test_a_build_on_two_processes_is_the_build_on_one(tmp_path):
    """The second process changes no byte: on a clean build (it renders the listing pages) and
    on a rebuild after one change and after one added, whether it renders the listing pages again
    (PENGADUAN_PARALLEL_FROM 1: one view to make is enough) or makes the recap, the board, the open
    data and half the listing pages (5: one view to make is too few, twelve complaints are enough;
    a complaint added shifts every listing page)."""
    site = Site(tmp_path, 12)
    settings = {}
    for name, start in (("dua", 1), ("lima", 5), ("satu", 10**9)):
        settings[name] = tmp_path / f"{name}.py"
        settings[name].write_text(f"from pathlib import Path\nexec(Path({str(ROOT / 'pelicanconf.py')!r}).read_text())\n"
                                  f"PENGADUAN_PARALLEL_FROM = {start}\n", encoding="utf-8")
    built = {name: tmp_path / name for name in settings}
    for name in ("dua", "lima"):
        build(site.repo.path, built[name], "--settings", settings[name], "--cache", tmp_path / f"cache-{name}")
    build(site.repo.path, built["satu"], "--settings", settings["satu"], "--no-cache")
    assert output_files(built["dua"]) == output_files(built["satu"]) == output_files(built["lima"])
    for change in ("One change", "One added"):
        if change == "One added":
            site.add()
        else:
            site.change(sorted(site.files)[2], random.Random(3))
        site.commit(change)
        for name in ("dua", "lima"):
            build(site.repo.path, built[name], "--settings", settings[name], "--cache", tmp_path / f"cache-{name}")
        shutil.rmtree(built["satu"])
        build(site.repo.path, built["satu"], "--settings", settings["satu"], "--no-cache")
        assert output_files(built["dua"]) == output_files(built["satu"]) == output_files(built["lima"]), change


def test_a_rebuild_on_a_day_after_a_follow_up_target_equals_a_clean_build(tmp_path):
    """Nothing of a complaint changed but the day: its follow-up, whose target date has passed,
    is late in the open data of an incremental build too (its rows are cached per day, as the
    pages are)."""
    site = Site(tmp_path, 3)          # the third complaint is answered, its follow-up not done
    cid = next(cid for cid, (_, data) in site.files.items() if "rencana_tindak_lanjut" in data)
    path, data = site.files[cid]
    target = (site.clock + timedelta(days=2)).date().isoformat()
    data = {**data, "rencana_tindak_lanjut": {**data["rencana_tindak_lanjut"], "target": target}}
    site.repo.write(path, _text(data))
    site.commit("A follow-up due in two days")
    output, clean = tmp_path / "output", tmp_path / "clean"

    assert b'"berjalan"' in _build_at_head(site, output)["data/complaints.json"]
    site.clock += timedelta(days=5)
    site.add()
    site.commit("Another complaint, after the target date")
    assert _build_at_head(site, output) == _build_at_head(site, clean, "--no-cache")
    row = next(line for line in output_files(output)["data/complaints.csv"].splitlines()
               if b"Rencana uji nomor 2" in line)
    assert b"lewat_batas" in row


def test_a_change_in_one_year_indexes_that_year_only(tmp_path):
    """The search index is one Pagefind bundle a year: after one complaint of a year changed, the
    other years' index files are kept as they were (same file), that year's is made again, and
    the site equals a clean build."""
    site = Site(tmp_path, 20)           # 3 Nov 2025 to Feb 2026: two years
    output = tmp_path / "output"
    build(site.repo.path, output)
    years = sorted(path.name for path in (output / "pagefind").iterdir())
    assert years == ["2025", "2026"]

    def stats(year):
        return {path: (path.stat().st_ino, path.stat().st_mtime_ns)
                for path in (output / "pagefind" / year).rglob("*") if path.is_file()}

    def entry(year):
        return (output / "pagefind" / year / "pagefind-entry.json").read_bytes()

    before = {year: stats(year) for year in years}
    entries = {year: entry(year) for year in years}
    cid = next(cid for cid in sorted(site.files) if cid[4:8] == "2025")
    path, data = site.files[cid]
    site.repo.write(path, _text({**data, "ringkasan": data["ringkasan"] + " Kata baru: wastafel."}))
    site.files[cid] = (path, {**data, "ringkasan": data["ringkasan"] + " Kata baru: wastafel."})
    site.commit("One complaint of 2025 changed")
    build(site.repo.path, output)
    assert stats("2026") == before["2026"]          # not indexed again: the very same files
    assert entry("2025") != entries["2025"]          # indexed again: a new word, a new index
    assert output_files(output) == _clean(site, tmp_path, "clean")


def test_after_a_rebuild_every_file_is_as_its_manifest_says(tmp_path):
    """A rebuild that indexes a year again gives Pagefind that year's kept pages through links to
    them, which leave the pages as they are: the next build trusts every file by its stat, without
    reading one."""
    site = Site(tmp_path, 20)
    output = tmp_path / "output"
    build(site.repo.path, output)
    cid = next(cid for cid in sorted(site.files) if cid[4:8] == "2025")
    site.change(cid, random.Random(1))
    site.commit("One complaint of 2025 changed")
    build(site.repo.path, output)
    _, stored = _manifest(site, output)
    assert sum(name.startswith("pengaduan/ADU-2025") for name in stored["files"]) > 2
    assert differences(str(output), stored["files"], stored["folders"]) == (set(), {}, {})


def _settings(tmp_path, **values) -> "os.PathLike":
    """A Pelican settings file: the project's, with `values` set."""
    path = tmp_path / ("pengaturan-" + "-".join(sorted(values)) + ".py")
    path.write_text(f"from pathlib import Path\nexec(Path({str(ROOT / 'pelicanconf.py')!r}).read_text())\n" +
                    "".join(f"{name} = {value!r}\n" for name, value in values.items()), encoding="utf-8")
    return path


def test_the_sitemap_is_kept_until_a_page_comes_or_its_date_moves(tmp_path):
    """The sitemap is keyed by its urls and their dates: after a change that moves no date it is
    kept as the last build wrote it, unrendered (a mark planted in the manifest's entry stays);
    after a complaint is added it is rendered again, with the new page, as a clean build has it."""
    site = Site(tmp_path, 6)
    output = tmp_path / "output"
    build(site.repo.path, output)

    def plant() -> None:
        manifest, stored = _manifest(site, output)
        stored["files"]["sitemap.xml"]["sha"] = "ditanam"
        _save(manifest, stored)

    def sha() -> str:
        return _manifest(site, output)[1]["files"]["sitemap.xml"]["sha"]
    plant()
    cid = sorted(site.files)[0]
    path, data = site.files[cid]
    site.repo.write(path, _text({**data, "judul": data["judul"] + " (judul diperbaiki)"}))
    site.commit("A title corrected")
    build(site.repo.path, output)
    assert "diperbaiki" in (output / "pengaduan" / cid / "index.html").read_text(encoding="utf-8")
    assert sha() == "ditanam"
    added = site.add()
    site.commit("One more")
    build(site.repo.path, output)
    assert sha() == hashlib.sha256((output / "sitemap.xml").read_bytes()).hexdigest()
    assert f"/pengaduan/{added}/" in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert output_files(output) == _clean(site, tmp_path, "clean")


def test_a_change_in_one_part_of_a_big_year_indexes_that_part_only(tmp_path):
    """A year of more pages than PENGADUAN_SEARCH_PART_PAGES is indexed in parts of whole months:
    after one complaint changed, only its part is indexed again (the others are the very same
    files), and the site equals a clean build with the same settings."""
    site = Site(tmp_path, 20)           # 3 Nov 2025 to Jan 2026, 4 to 6 public complaints a month
    settings = _settings(tmp_path, PENGADUAN_SEARCH_PART_PAGES=3)
    output = tmp_path / "output"
    build(site.repo.path, output, "--settings", settings)
    bundles = sorted(path.name for path in (output / "pagefind").iterdir())
    assert bundles == ["2025-11", "2025-12", "2026-01"]   # (each month over 3 pages: its own part)

    def stats(bundle):
        return {path: (path.stat().st_ino, path.stat().st_mtime_ns)
                for path in (output / "pagefind" / bundle).rglob("*") if path.is_file()}

    before = {bundle: stats(bundle) for bundle in bundles}
    entry = (output / "pagefind" / "2025-12" / "pagefind-entry.json").read_bytes()
    cid = next(cid for cid in sorted(site.files) if cid[4:10] == "202512")
    path, data = site.files[cid]
    changed = {**data, "ringkasan": data["ringkasan"] + " Kata baru: wastafel."}
    site.repo.write(path, _text(changed))
    site.files[cid] = (path, changed)
    site.commit("One complaint of December 2025 changed")
    build(site.repo.path, output, "--settings", settings)
    for bundle in ("2025-11", "2026-01"):
        assert stats(bundle) == before[bundle], bundle       # not indexed again
    assert (output / "pagefind" / "2025-12" / "pagefind-entry.json").read_bytes() != entry
    clean = tmp_path / "clean"
    build(site.repo.path, clean, "--settings", settings, "--no-cache")
    assert output_files(output) == output_files(clean)
    cari = (output / "cari" / "index.html").read_text(encoding="utf-8")
    assert 'data-indeks="2026-01 2025-12 2025-11"' in cari     # newest first: its program loads


def test_a_search_part_setting_that_is_no_number_is_said_and_builds_nothing(tmp_path):
    site = Site(tmp_path, 2)
    settings = _settings(tmp_path, PENGADUAN_SEARCH_PART_PAGES="seribu")
    result = run_cli("build", "--repo", site.repo.path, "--output", tmp_path / "output", "--settings", settings)
    assert result.returncode == 1, result.stderr
    # the file and the line that set it (line 3: after the two that read the project's settings)
    assert f"{settings}:3 [PENGADUAN_SEARCH_PART_PAGES]: harus bilangan bulat 1 atau lebih" in result.stderr, \
        result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "output").exists()


@pytest.mark.parametrize("name, value, least", [("PENGADUAN_PARALLEL_FROM", "'banyak'", 0),
                                                 ("PENGADUAN_PER_PAGE", "0", 1),
                                                 ("PENGADUAN_FEED_MAX", "'banyak'", 1),
                                                 ("PENGADUAN_FEED_MAX", "-1", 1)])
def test_a_number_setting_that_is_no_such_number_is_said_and_builds_nothing(tmp_path, name, value, least):
    """(`PENGADUAN_PER_PAGE = 0` and `PENGADUAN_FEED_MAX = 'banyak'` were "galat internal", and
    `PENGADUAN_FEED_MAX = -1` put every answer but the oldest in the feed.)"""
    site = Site(tmp_path, 2)
    settings = tmp_path / "salah.py"
    settings.write_text(f"from pathlib import Path\nexec(Path({str(ROOT / 'pelicanconf.py')!r}).read_text())\n"
                        f"{name} = {value}\n", encoding="utf-8")
    result = build(site.repo.path, tmp_path / "out", "--settings", settings, check=False)
    assert result.returncode == 1 and f"{settings}:3 [{name}]: harus bilangan bulat {least} atau lebih" \
        in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "galat internal" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_build_cache_that_came_with_the_content_is_never_read(tmp_path):
    """A cache is the building machine's own. One committed into the repository (its pickles would
    run whatever code they hold) is not read: the build says so, how to take it out of git, and
    builds without a cache, the same site."""
    import pickle
    site = Site(tmp_path, 4)
    marker = tmp_path / "dijalankan.txt"

    class Planted:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    cache = site.repo.path / CACHE
    cache.mkdir(parents=True)
    for name in ("records.00", "records.01", "views.00", "due"):
        (cache / f"{name}.pickle").write_bytes(pickle.dumps(Planted()))
    site.repo.git("add", "-f", CACHE)
    site.commit("A cache that should not be here")
    output = tmp_path / "output"
    result = build(site.repo.path, output)
    assert not marker.exists()
    assert "TIDAK dipakai" in result.stderr and "`git rm -r --cached .cache/pengaduan`" in result.stderr, result.stderr
    assert output_files(output) == _clean(site, tmp_path, "clean")
    # a link committed in its place, pointing elsewhere, is not followed to a cache either
    site.repo.git("rm", "-r", "-q", "--cached", ".cache")
    shutil.rmtree(site.repo.path / ".cache")
    elsewhere = tmp_path / "di-luar" / "pengaduan"
    elsewhere.mkdir(parents=True)
    (elsewhere / "records.00.pickle").write_bytes(pickle.dumps(Planted()))
    (site.repo.path / ".cache").symlink_to(elsewhere.parent)
    site.repo.git("add", "-f", ".cache")
    site.commit("A link instead")
    result = build(site.repo.path, output)
    assert not marker.exists() and "TIDAK dipakai" in result.stderr, result.stderr
    assert "`git rm -r --cached .cache`" in result.stderr
    # a folder of the repository's own files named as the cache: never the advice to untrack it
    result = build(site.repo.path, output, "--cache", site.repo.path / "content/complaints")
    assert "TIDAK dipakai" in result.stderr and "git rm" not in result.stderr, result.stderr
    assert "Folder itu berisi berkas repositori, bukan cache: pilih folder lain untuk --cache" in result.stderr


def test_a_years_recap_figures_are_kept_while_its_complaints_are_unchanged(tmp_path):
    """Each year's recap figures are kept by the view keys of its complaints: after a change to a
    2026 complaint, 2025's figures come from the cache (planted here, to see them used) and 2026's
    are counted again."""
    import dataclasses
    import pickle
    import re
    site = Site(tmp_path, 20)   # received from November 2025 into 2026
    output = tmp_path / "output"
    build(site.repo.path, output)
    kept = site.repo.path / CACHE / "figures.pickle"
    stored = pickle.loads(kept.read_bytes())
    assert len(stored["entries"]) >= 2     # 2025, 2026 (and this build's year, if another)
    for key, packed in stored["entries"].items():
        stored["entries"][key] = pickle.dumps(dataclasses.replace(pickle.loads(packed), total=7000))
    kept.write_bytes(pickle.dumps(stored))
    changed = next(cid for cid in sorted(site.files) if cid[4:8] == "2026")
    site.change(changed, random.Random(3))
    site.commit("Change a 2026 complaint")
    build(site.repo.path, output)
    def total(year: str) -> int:
        page = (output / "rekap" / year / "index.html").read_text(encoding="utf-8")
        return int(re.search(r"Jumlah pengaduan</th><td data-tahunan>(\d+)<", page).group(1))
    assert total("2025") >= 7000 and total("2026") < 7000


def test_a_staged_file_is_compared_with_the_outputs_a_piece_at_a_time(tmp_path, monkeypatch):
    """Files that others (the open data) wrote into the staging folder are kept out of the output
    when it holds the same bytes, compared a piece at a time (20 MB at 10,000 complaints): a
    difference in the last piece, or one byte more, is a change."""
    import hashlib
    from pipeline.outputs import sitewriter
    monkeypatch.setattr(sitewriter, "PIECE", 64)
    output, staging = tmp_path / "output", tmp_path / "staging"
    body = bytes(range(256)) * 10
    files = {"data/same.json": (body, body), "data/last.json": (body, body[:-1] + b"x"),
             "data/longer.json": (body, body + b"!")}
    for name, (old, new) in files.items():
        for folder, data in ((output, old), (staging, new)):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
    writer = sitewriter.SiteWriter(output, staging)   # no manifest: the bytes are compared
    writer.adopt_staged_files()
    assert writer.staged == {"data/last.json", "data/longer.json"}
    assert not (staging / "data" / "same.json").exists()
    assert {name: entry["sha"] for name, entry in writer.entries.items()} == \
        {name: hashlib.sha256(new).hexdigest() for name, (_, new) in files.items()}


def test_a_build_the_next_day_reuses_every_view_whose_follow_up_target_did_not_pass(tmp_path):
    """"Now" (the date of the commit built) changes a complaint's page only where its follow-up's
    target day passed between two builds, or where its marks changed: a build of a commit made
    the next day reuses every other view (the shelf holds the same views), and its site is the
    clean one of that commit."""
    site = Site(tmp_path, 6)
    output, shelf = tmp_path / "output", site.repo.path / CACHE / "views"
    _build_at_head(site, output)
    views = sorted(path.name for path in shelf.iterdir())
    assert len(views) >= 4
    site.clock += timedelta(days=1)
    site.repo.write("content/pages/kabar.md", "Title: Kabar\nSlug: kabar\n\nJam layanan tetap.\n")
    site.commit("A staff page, the next day")
    next_day = _build_at_head(site, output)
    assert sorted(path.name for path in shelf.iterdir()) == views
    assert next_day == _build_at_head(site, tmp_path / "clean", "--no-cache")


def test_one_change_rewrites_only_the_cache_files_that_hold_it(tmp_path):
    """The big cache files (a value per complaint file) are kept in shards by key; after one
    complaint changed, only the shards holding its old and new entries are written again (one
    change rewrote 52 MB of cache at 10,000), and of the kept judgments only its group's; the
    site is still the clean one."""
    site = Site(tmp_path, 12)
    output = tmp_path / "output"
    build(site.repo.path, output)
    cache = site.repo.path / CACHE

    def files():
        return {path.name: path.stat().st_ino for path in [*cache.glob("*.*.pickle"), *cache.glob("judged-*.pickle")]}
    before = files()
    assert len([name for name in before if name.startswith("records.")]) == 16
    assert len([name for name in before if name.startswith("judged-")]) > 1   # (the groups holding one)
    site.change(sorted(site.files)[3], random.Random(5))
    site.commit("Change one")
    build(site.repo.path, output)
    after = files()
    rewritten = {name.split(".")[0] for name in after if after[name] != before.get(name)}
    counts = {kind: sum(1 for name in after if name.startswith(kind + ".") and after[name] != before[name])
              for kind in ("records", "gate-values")}
    assert 1 <= counts["records"] <= 2 and 1 <= counts["gate-values"] <= 2, (counts, rewritten)
    # its judgment: the one file of the kept evidence's group that holds it (`keptjudgment`)
    assert sum(1 for name in after if name.startswith("judged-") and after[name] != before[name]) == 1
    assert output_files(output) == _clean(site, tmp_path, "clean")


def test_the_kept_records_hold_no_paths_even_after_they_are_reused(tmp_path):
    """The records' memo keeps each record without its path (10,000 paths unpickled cost 0.06 s
    a build); a record read back from it gets its path in a copy, so a shard saved again after a
    change never holds the paths of the records it reused."""
    from pipeline.plugin.cache import Memo
    from pipeline.records.loader import load
    site = Site(tmp_path, 3)
    first = Memo({}, packed=False)
    load(site.repo.path, memo=first, personal_data=False)
    again = Memo(dict(first.used), packed=False)
    loaded = load(site.repo.path, memo=again, personal_data=False)
    assert len(again.used) == 3 and all(kept.path is None for kept, _, _ in again.used.values())
    assert sorted(complaint.path.name for complaint in loaded.complaints) == \
        sorted(path.rsplit("/", 1)[1] for path, _ in site.files.values())


def test_a_views_key_holds_every_mark_but_those_the_others_decide():
    """A view's key holds its file's key and its marks: every field of a stage result but its due
    time and done time (decided by the file, the policy and the other fields), each moment by its
    instant and offset."""
    from datetime import timezone
    from zoneinfo import ZoneInfo

    from pipeline.plugin.cache import DERIVED_FIELDS, plain_marks, quick_key
    from pipeline.records.policy import Stage
    from pipeline.report.deadlines import StageResult

    stage = Stage("umpan_balik", "Umpan balik", "responded_at", 24.0)
    claimed = datetime(2026, 1, 6, 10, 0, tzinfo=timezone(timedelta(hours=7)))
    result = StageResult(stage, claimed + timedelta(days=1), claimed, "met", claimed_at=claimed)

    def key(**changes) -> str:
        marks = {"umpan_balik": StageResult(**{**vars(result), **changes}), "terbit": {"waktu": claimed}}
        return quick_key("environment", "file", plain_marks(marks))

    assert DERIVED_FIELDS == {"due_at", "done_at"}
    assert key() == key(due_at=claimed, done_at=None)
    assert key() == key(claimed_at=claimed.astimezone(ZoneInfo("Asia/Jakarta")))   # the same instant and offset
    changed = [key(status="breached"), key(due_soon=True), key(flags=["future"]), key(proof_tsa="tsa"),
               key(claimed_at=claimed + timedelta(seconds=1)), key(proven_at=claimed),
               key(claimed_at=claimed.astimezone(timezone.utc))]
    assert len({key(), *changed}) == len(changed) + 1


def test_a_rebuild_copies_the_open_datas_unchanged_lines_from_the_files_the_last_build_left(tmp_path):
    site = Site(tmp_path, 12)
    output = tmp_path / "output"
    build(site.repo.path, output)
    data = output / "data" / "complaints.json"
    places = pickle.loads((site.repo.path / CACHE / "opendata-places.pickle").read_bytes())["entries"]
    assert len(places["places"]) == 12 and set(places["files"]) == {"complaints.json", "complaints.csv",
                                                                    "requests.json"}
    # A line changed, and the cache made to say the last build wrote those bytes (the manifest and
    # the places): the writer trusts the file as it trusts every kept page, so the rebuild's copy
    # shows the line. That proves the lines are copied.
    text = data.read_bytes()
    assert text.count(b"Pengaduan uji nomor 3 ") == 1
    data.write_bytes(text.replace(b"Pengaduan uji nomor 3 ", b"Pengaduan uji NOMOR 3 "))
    sha = hashlib.sha256(data.read_bytes()).hexdigest()
    manifest, stored = _manifest(site, output)
    stored["files"]["data/complaints.json"].update(sha=sha, stat=file_stat(str(data)))
    _save(manifest, stored)
    kept = site.repo.path / CACHE / "opendata-places.pickle"
    stored = pickle.loads(kept.read_bytes())
    stored["entries"]["files"]["complaints.json"] = sha
    kept.write_bytes(pickle.dumps(stored))
    site.change(sorted(site.files)[5], random.Random(3))
    site.commit("Change one")
    build(site.repo.path, output)
    assert b"Pengaduan uji NOMOR 3 " in data.read_bytes()
    assert output_files(output) != _clean(site, tmp_path, "clean-0")
    # A file edited by hand is never copied from: every line made again, the same bytes as a clean
    # build.
    for name in ("complaints.json", "complaints.csv", "requests.json"):
        edited = output / "data" / name
        edited.write_bytes(edited.read_bytes().replace(b"Pengaduan uji", b"Diubah tangan"))
    site.change(sorted(site.files)[6], random.Random(4))
    site.commit("Change another")
    build(site.repo.path, output)
    assert output_files(output) == _clean(site, tmp_path, "clean-1")
    # Damaged places (not three pairs of whole numbers) are not used either.
    kept = site.repo.path / CACHE / "opendata-places.pickle"
    stored = pickle.loads(kept.read_bytes())
    stored["entries"]["places"] = {key: ("x", -1) for key in stored["entries"]["places"]}
    kept.write_bytes(pickle.dumps(stored))
    site.change(sorted(site.files)[7], random.Random(5))
    site.commit("Change a third")
    build(site.repo.path, output)
    assert output_files(output) == _clean(site, tmp_path, "clean-2")


def test_the_open_datas_rows_keys_are_kept_with_the_judgments(tmp_path):
    """Each public complaint's open-data rows' key is made with its view's key, before the open
    data's process is forked, and kept in its judgment's memo: a rebuild makes it again only for
    a complaint judged again (the open data's process made 10,000 again in 0.12 s)."""
    site = Site(tmp_path, 12)
    output = tmp_path / "output"

    def kept_keys() -> tuple[dict, set]:
        rows = {}
        for shard in sorted((site.repo.path / CACHE).glob("judged-*.pickle")):
            for complaint, entry in pickle.loads(shard.read_bytes())["entries"].items():
                rows.update({complaint: key for name, key in entry[-1].items() if name[0] == "rows"})
        places = pickle.loads((site.repo.path / CACHE / "opendata-places.pickle").read_bytes())["entries"]
        return rows, set(places["places"])

    build(site.repo.path, output)
    rows, places = kept_keys()
    assert len(rows) == len(places) >= 10 and set(rows.values()) == places
    changed = sorted(site.files)[5]
    site.change(changed, random.Random(3))
    site.commit("Change one")
    build(site.repo.path, output)
    again, places = kept_keys()
    assert set(again.values()) == places
    assert [name for name in rows if again.get(name) != rows[name]] == [changed]


def test_templates_compiled_under_other_jinja_options_are_never_reused(tmp_path):
    """Jinja checks a kept template against its source, not against the options it was compiled
    with: after JINJA_ENVIRONMENT changed, a rebuild equals a clean build (it did not: the old
    code kept its trimmed blocks), and only this environment's compiled templates are kept."""
    site = Site(tmp_path, 6)
    trimmed = _settings(tmp_path, JINJA_ENVIRONMENT={"autoescape": True, "trim_blocks": True, "lstrip_blocks": True})
    (tmp_path / "untrimmed").mkdir()
    untrimmed = _settings(tmp_path / "untrimmed", JINJA_ENVIRONMENT={"autoescape": True, "trim_blocks": False,
                                                                    "lstrip_blocks": False})
    output = tmp_path / "output"
    build(site.repo.path, output, "--settings", trimmed)
    first = output_files(output)
    kept = site.repo.path / CACHE / "jinja"
    compiled_first = {path.relative_to(kept).parts[:2] for path in kept.rglob("*.cache")}
    build(site.repo.path, output, "--settings", untrimmed)
    clean = tmp_path / "clean"
    build(site.repo.path, clean, "--settings", untrimmed, "--no-cache")
    assert output_files(output) == output_files(clean) != first
    # one folder per environment, the last one's only; Pelican's own generators keep theirs too
    # (the staff pages', the article templates loaded on a site without articles)
    [environment] = {folder for folder, _ in compiled_first}
    assert {kind for _, kind in compiled_first} >= {"ComplaintsGenerator", "PagesGenerator", "ArticlesGenerator"}
    assert [path.name for path in kept.iterdir()] != [environment] and len(list(kept.iterdir())) == 1


def test_a_rebuild_after_each_settings_theme_policy_or_page_change_equals_a_clean_build(tmp_path):
    """Not only the complaints: whatever else a build reads, changed in turn, and each rebuild with
    the cache is byte for byte a clean build (and differs from the one before, so each step counts)."""
    site = Site(tmp_path, 8)
    repo, output = site.repo.path, tmp_path / "output"
    theme = repo / "theme"

    def edit(path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, path
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    fewer = _settings(tmp_path, PENGADUAN_PER_PAGE=3, PENGADUAN_FEED_MAX=2)
    steps = [
        ("settings", lambda: None, ["--settings", fewer]),
        ("the site's own theme, its entry template changed",
         lambda: (shutil.copytree(ROOT / "theme", theme),
                  edit(theme / "templates" / "_entri.html", "<", "<!-- entri -->\n<")), ["--settings", fewer]),
        ("base template", lambda: edit(theme / "templates" / "base.html", "</footer>", "<p>Kaki</p></footer>"),
         ["--settings", fewer]),
        ("theme script", lambda: edit(theme / "static" / "js" / "cari.js", "\n", "\n// cari\n"), ["--settings", fewer]),
        ("policy", lambda: edit(repo / "puskesmas.yaml", "nama: Puskesmas Arjuno", "nama: Puskesmas Arjuna"),
         ["--settings", fewer]),
        ("staff page", lambda: edit(repo / "content" / "pages" / "tentang.md", "Situs ini", "Situs kami"),
         ["--settings", fewer]),
        ("back to the project's settings", lambda: None, []),
    ]
    build(repo, output)
    before = output_files(output)
    for number, (what, change, options) in enumerate(steps):
        change()
        build(repo, output, *options)
        built = output_files(output)
        clean = tmp_path / f"clean-{number}"
        build(repo, clean, *options, "--no-cache")
        assert built == output_files(clean), what
        assert built != before, what
        before = built


def test_an_upgraded_library_whichever_it_is_is_a_new_build(tmp_path):
    """Every installed distribution with its version is part of the fingerprint and of the cache's
    environment (Pagefind's index, the timestamps' checks: not only the libraries that render)."""
    site = Site(tmp_path, 4)
    libraries = tmp_path / "pustaka"
    (libraries / "pustaka_contoh-1.0.dist-info").mkdir(parents=True)
    env = {"PYTHONPATH": str(libraries)}
    output, cache = tmp_path / "output", site.repo.path / CACHE

    def cache_files() -> dict:
        return {path.name: path.stat().st_mtime_ns for path in cache.glob("*.pickle")}

    build(site.repo.path, output, env=env)
    before = cache_files()
    build(site.repo.path, output, env=env)   # nothing changed: nothing read, nothing saved
    assert cache_files() == before
    (libraries / "pustaka_contoh-1.0.dist-info").rename(libraries / "pustaka_contoh-1.1.dist-info")
    build(site.repo.path, output, env=env)
    after = cache_files()
    # what the environment keys is made again (the history's evidence is keyed by the history; a
    # search bundle's pages' extracts are cut again only when the bundle is indexed again)
    keyed = [name for name in before if not name.startswith(("evidence-kept.", "search-extracts-"))]
    assert after.keys() == before.keys() and "records.00.pickle" in keyed
    assert [name for name in keyed if after[name] == before[name]] == []
    assert output_files(output) == _clean(site, tmp_path, "clean")


def test_a_cache_entry_of_the_wrong_kind_never_stops_a_build(tmp_path):
    """A damaged (or tampered) build cache: each of its files made a folder and each folder a file,
    one of each kind of file in turn. The build still succeeds and builds the clean site (it did
    not: a folder in place of the gate's state, of the output's manifest or a file in place of the
    compiled templates stopped it with an internal error)."""
    import re
    site = Site(tmp_path, 4)
    output, cache, good = tmp_path / "output", site.repo.path / CACHE, tmp_path / "cache-baik"
    build(site.repo.path, output)
    clean = _clean(site, tmp_path, "clean")
    shutil.copytree(cache, good, symlinks=True)
    kinds: dict = {}
    for path in sorted(good.iterdir()):   # (records.00.pickle .. records.15.pickle: one kind)
        kinds.setdefault(re.sub(r"[.-]\d\d(\.[0-9a-f]+)?\.pickle$", "", path.name), path.name)
    assert {"jinja", "views", "records", "gate.json", "evidence-walk.json"} <= set(kinds)
    for name in kinds.values():
        shutil.rmtree(cache)
        shutil.copytree(good, cache, symlinks=True)
        target = cache / name
        if target.is_dir():
            shutil.rmtree(target)
            target.write_text("bukan folder", encoding="utf-8")
        else:
            target.unlink()
            target.mkdir()
        next(output.glob("pengaduan/*/index.html")).unlink()   # (else nothing changed: nothing read)
        result = build(site.repo.path, output, check=False)
        assert result.returncode == 0, (name, result.stderr)
        assert output_files(output) == clean, name
    assert len(kinds) > 15


def test_a_link_in_place_of_a_cache_folder_is_never_followed(tmp_path):
    """A folder of the build cache (the views' shelf, the compiled templates) replaced by a link to
    a copy of it elsewhere: the build removes the link and makes its own folder, and never reads,
    writes or deletes a file where the link points (it deleted the files it no longer used there)."""
    site = Site(tmp_path, 4)
    output, cache, good = tmp_path / "output", site.repo.path / CACHE, tmp_path / "cache-baik"
    build(site.repo.path, output)
    clean = _clean(site, tmp_path, "clean")
    shutil.copytree(cache, good, symlinks=True)
    for name in ("views", "jinja"):
        shutil.rmtree(cache)
        shutil.copytree(good, cache, symlinks=True)
        outside = tmp_path / f"di-luar-{name}"
        shutil.copytree(cache / name, outside)
        (outside / "milik-orang-lain").write_bytes(b"bukan milik cache")
        before = output_files(outside)
        shutil.rmtree(cache / name)
        (cache / name).symlink_to(outside, target_is_directory=True)
        next(output.glob("pengaduan/*/index.html")).unlink()   # (else nothing changed: nothing read)
        build(site.repo.path, output)
        assert output_files(output) == clean, name
        assert output_files(outside) == before, name
        assert (cache / name).is_dir() and not (cache / name).is_symlink(), name


def _one_a_page(tmp_path):
    settings = tmp_path / "satu.py"
    settings.write_text(f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\nPENGADUAN_PER_PAGE = 1\n",
                        encoding="utf-8")
    return settings


def test_a_new_filter_option_changes_no_older_listing_page(tmp_path):
    """Our listings show the filters on their front pages only (older pages link to them), so the
    first complaint of a new year, a new filter option, changes the front pages; an older page
    changes only when the new complaint is in its listing (`outputs/paging.py`)."""
    site = Site(tmp_path, 13)   # (2025-11-03 to 2025-12-29: the next is the first of 2026)
    settings = _one_a_page(tmp_path)
    output, clean = tmp_path / "output", tmp_path / "clean"
    before = _build_at_head(site, output, "--settings", settings)
    site.add()
    site.commit("The first complaint of 2026")
    after = _build_at_head(site, output, "--settings", settings)
    assert after == _build_at_head(site, clean, "--no-cache", "--settings", settings)
    assert "tahun/2026/index.html" in after and b"tahun/2026/" in after["tahun/2025/index.html"]
    older_2025 = [name for name in before if name.startswith("tahun/2025/halaman/")]
    assert len(older_2025) >= 10 and all(after[name] == before[name] for name in older_2025)
    changed = [name for name in after if "/halaman/" in "/" + name and after[name] != before.get(name)]
    # each listing of the new complaint (home, its year, month, channel, unit, type, status): its
    # newest older page may take the front page's oldest, and the one before it gains a link
    assert changed and len(changed) <= 2 * 7, changed


def test_a_theme_that_shows_the_filters_counts_on_every_page_has_them_right_after_one_added(tmp_path):
    """Our templates show the filters (and their counts) on a listing's front page only, so its
    older pages are kept when a complaint is added. A repository's own theme may show them on
    every page: then its older pages are made again, as a clean build makes them."""
    site = Site(tmp_path, 12)   # (every channel, unit, type and status is there: the new one adds no option)
    theme = site.repo.path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    index = theme / "templates" / "index.html"
    ours = index.read_text(encoding="utf-8")
    front_only = ours[ours.index("{% if halaman.nomor is none %}{{ saring("):ours.index("{% if items %}")]
    index.write_text(ours.replace(front_only, "{{ saring(listing, SITEURL) }}\n"), encoding="utf-8")
    site.commit("Our own theme: the filters and their counts on every page")
    settings = _one_a_page(tmp_path)
    output, clean = tmp_path / "output", tmp_path / "clean"
    before = _build_at_head(site, output, "--settings", settings)
    assert b'<nav aria-label="Saring pengaduan">' in before["halaman/1/index.html"]
    site.add()
    site.commit("One more complaint")
    after = _build_at_head(site, output, "--settings", settings)
    assert after == _build_at_head(site, clean, "--no-cache", "--settings", settings)
    older = [name for name in after if "/halaman/1/" in "/" + name and after[name] != before.get(name)]
    assert older, "an older page shows the counts: it changed"
