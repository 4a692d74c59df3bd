"""The site writer on a real folder: what a rebuild trusts of the last build's output, with the
last output surveyed by a forked child (`outputs.survey`) and with the stat calls made in the
build's own process. Both must see every change made by hand, and leave the same output."""
from __future__ import annotations

import os
import pickle
import shutil
import time

import pytest

from pipeline.outputs import survey
from pipeline.outputs.builtfiles import BuiltFiles
from pipeline.outputs.sitewriter import FLAT, SiteWriter, flat_name

FILES = {"index.html": b"beranda", "pengaduan/a/index.html": b"a", "pengaduan/b/index.html": b"b",
         "pengaduan/c/index.html": b"c", "data/x.json": b"{}"}


def _writer(tmp_path, number: int) -> SiteWriter:
    return SiteWriter(tmp_path / "output", tmp_path / f"staging-{number}", tmp_path / "cache" / "manifest.pickle")


def _first_build(tmp_path) -> None:
    writer = _writer(tmp_path, 0)
    for relative, data in FILES.items():
        writer.write(relative, data, key=f"key-{relative}")
    writer.commit()


def _set_time(path, mtime_ns: int, ctime_ns: int) -> None:
    """The file's time set by hand; its change time moves, as it does when a person does it (a
    clock tick after the build: the same tick could hide it)."""
    while True:
        os.utime(path, ns=(path.stat().st_atime_ns, mtime_ns))
        if path.stat().st_ctime_ns != ctime_ns:
            return
        time.sleep(0.005)


def _files(folder) -> dict:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.fixture(params=["surveyed", "in-process"])
def surveyed(request, monkeypatch):
    monkeypatch.setattr(survey, "SURVEY_FROM", 0 if request.param == "surveyed" else 10 ** 9)
    return request.param == "surveyed"


def test_a_rebuild_trusts_only_the_files_and_folders_left_as_they_were(tmp_path, surveyed):
    _first_build(tmp_path)
    output = tmp_path / "output"
    assert _writer(tmp_path, 1).up_to_date(None) is False
    (output / "pengaduan" / "a" / "index.html").write_bytes(b"A")          # edited by hand
    (output / "pengaduan" / "b" / "lampiran.txt").write_bytes(b"asing")   # added to a folder kept
    (output / "pengaduan" / "c" / "lampiran.txt").write_bytes(b"asing")   # added to a folder that changes
    (output / "asing" / "dalam").mkdir(parents=True)                      # a folder of its own
    writer = _writer(tmp_path, 1)
    assert (writer._survey._started is not None) == surveyed   # (the child was forked, or not)
    assert writer._intact("pengaduan/a/index.html") is None
    assert writer.keep_if_rendered_from("pengaduan/b/index.html", "key-pengaduan/b/index.html")
    assert writer.keep_if_rendered_from("index.html", "key-index.html")
    writer.write("pengaduan/a/index.html", b"a", key="key-pengaduan/a/index.html")
    writer.write("pengaduan/c/index.html", b"c berubah", key="baru")
    writer.write("pengaduan/d/index.html", b"d", key="baru")   # data/x.json is no more
    writer.commit()
    assert _files(output) == {"index.html": b"beranda", "pengaduan/a/index.html": b"a",
                              "pengaduan/b/index.html": b"b", "pengaduan/c/index.html": b"c berubah",
                              "pengaduan/d/index.html": b"d"}
    assert not (output / "asing").exists() and not (output / "data").exists()
    # the manifest holds each folder as the commit left it: the next build finds nothing to list
    after = _writer(tmp_path, 2)
    assert after._survey.answer() == ((set(), {}, {}) if surveyed else None)
    after.discard()


def test_a_rebuild_with_nothing_changed_is_up_to_date_until_a_hand_touches_the_output(tmp_path, surveyed):
    _first_build(tmp_path)
    writer = _writer(tmp_path, 1)
    writer.fingerprint = "sidik"
    for relative, data in FILES.items():
        writer.write(relative, data, key=f"key-{relative}")
    writer.commit()
    assert _writer(tmp_path, 2).up_to_date("sidik")
    assert not _writer(tmp_path, 3).up_to_date("lain")
    page = tmp_path / "output" / "pengaduan" / "a" / "index.html"
    built = page.stat()
    page.write_bytes(b"A")   # the same size, its time set back: not its change time
    _set_time(page, built.st_mtime_ns, built.st_ctime_ns)
    assert not _writer(tmp_path, 4).up_to_date("sidik")
    page.write_bytes(b"a")   # the same bytes, touched: up to date, its stat of now saved
    assert _writer(tmp_path, 5).up_to_date("sidik")
    after = _writer(tmp_path, 6)
    assert after.previous["pengaduan/a/index.html"]["stat"] == survey.file_stat(str(page))
    assert after._survey.answer() == ((set(), {}, {}) if surveyed else None)
    after.discard()
    _set_time(page, built.st_mtime_ns, built.st_ctime_ns)
    again = _writer(tmp_path, 6)   # the build keeps it by its bytes, and records its stat of now
    again.fingerprint = "sidik"
    assert again.keep_if_rendered_from("pengaduan/a/index.html", "key-pengaduan/a/index.html")
    for relative, data in FILES.items():
        again.write(relative, data, key=f"key-{relative}")
    assert again.commit()["written"] == 0
    assert _writer(tmp_path, 7).up_to_date("sidik")
    (tmp_path / "output" / "pengaduan" / "a" / "lampiran.txt").write_bytes(b"asing")
    assert not _writer(tmp_path, 8).up_to_date("sidik")


def test_a_file_edited_in_place_with_its_time_set_back_is_not_trusted(tmp_path, surveyed):
    """Same size, same inode (written in place), its time set back by hand: only the change time
    tells, and the bytes are compared."""
    _first_build(tmp_path)
    page = tmp_path / "output" / "pengaduan" / "b" / "index.html"
    before = page.stat()
    with open(page, "r+b") as stream:
        stream.write(b"B")
    _set_time(page, before.st_mtime_ns, before.st_ctime_ns)
    after = page.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    writer = _writer(tmp_path, 1)
    assert not writer.keep_if_rendered_from("pengaduan/b/index.html", "key-pengaduan/b/index.html")
    writer.write("pengaduan/b/index.html", b"b", key="key-pengaduan/b/index.html")
    writer.commit()
    assert page.read_bytes() == b"b"


def test_an_output_restored_from_a_cache_is_trusted_by_its_bytes(tmp_path, surveyed):
    """A workflow's `actions/cache` (or a copy) restores the output with a new inode for every
    file: a file whose bytes still have the sha256 the last build recorded is kept without being
    made again; a file whose bytes changed (same size, its time set back) or a link put in a
    file's place, even to the same bytes, is not."""
    _first_build(tmp_path)
    output = tmp_path / "output"
    shutil.move(output, tmp_path / "disimpan")
    shutil.copytree(tmp_path / "disimpan", output)   # (times kept, every inode new)
    edited = output / "pengaduan" / "a" / "index.html"
    times = edited.stat()
    edited.write_bytes(b"A")
    os.utime(edited, ns=(times.st_atime_ns, times.st_mtime_ns))
    (tmp_path / "luar.html").write_bytes(b"c")
    (output / "pengaduan" / "c" / "index.html").unlink()
    (output / "pengaduan" / "c" / "index.html").symlink_to(tmp_path / "luar.html")
    # added to the restored copy: in a folder the commit leaves alone, in one it changes, as a
    # folder and as a link (with the survey, each found in its listing of the moved folders)
    (output / "pengaduan" / "b" / "lampiran.txt").write_bytes(b"asing")
    (output / "pengaduan" / "lampiran.txt").write_bytes(b"asing")
    (output / "data" / "asing" / "dalam").mkdir(parents=True)
    (output / "tautan").symlink_to(tmp_path)
    writer = _writer(tmp_path, 1)
    if surveyed:
        assert set(writer._survey.listings()["pengaduan/b"]) == {"index.html", "lampiran.txt"}
    for relative in ("index.html", "pengaduan/b/index.html", "data/x.json"):
        assert writer.keep_if_rendered_from(relative, f"key-{relative}"), relative
    for relative in ("pengaduan/a/index.html", "pengaduan/c/index.html"):
        assert not writer.keep_if_rendered_from(relative, f"key-{relative}"), relative
        writer.write(relative, FILES[relative], key=f"key-{relative}")
    assert writer.commit() == {"written": 2, "kept": 3, "deleted": 3}
    assert _files(output) == FILES and not (output / "pengaduan" / "c" / "index.html").is_symlink()
    assert not (output / "data" / "asing").exists() and not os.path.lexists(output / "tautan")
    assert (tmp_path / "luar.html").read_bytes() == b"c" and (tmp_path / "disimpan").is_dir()
    # the manifest now holds each file's new stat: the next build trusts them without reading
    after = _writer(tmp_path, 2)
    assert after._survey.answer() == ((set(), {}, {}) if surveyed else None)
    assert all(after._intact(relative) is after.previous[relative] for relative in FILES)
    after.discard()


def test_an_output_restored_with_nothing_changed_is_up_to_date_while_it_holds_only_its_files(tmp_path, surveyed):
    """A run whose site is the last one (a pull request changing no content) on a runner that
    restored the output: up to date, checked by bytes and by the listing of every folder."""
    _first_build(tmp_path)
    writer = _writer(tmp_path, 1)
    writer.fingerprint = "sidik"
    for relative, data in FILES.items():
        writer.write(relative, data, key=f"key-{relative}")
    writer.commit()
    output = tmp_path / "output"
    shutil.move(output, tmp_path / "disimpan")
    shutil.copytree(tmp_path / "disimpan", output)   # (times kept, every inode new)
    for number, stray in enumerate((output / "pengaduan" / "b" / "lampiran.txt", output / "tautan")):
        stray.symlink_to(tmp_path) if stray.name == "tautan" else stray.write_bytes(b"asing")
        assert not _writer(tmp_path, 2 + number).up_to_date("sidik"), stray
        stray.unlink()
    unsaved = _writer(tmp_path, 4)   # where its stats cannot be saved (a full disk, say): up to date all the same
    shutil.move(tmp_path / "cache", tmp_path / "cache-disimpan")
    (tmp_path / "cache").write_bytes(b"bukan folder")
    assert unsaved.up_to_date("sidik") and (tmp_path / "cache").read_bytes() == b"bukan folder"
    (tmp_path / "cache").unlink()
    shutil.move(tmp_path / "cache-disimpan", tmp_path / "cache")
    assert _writer(tmp_path, 4).up_to_date("sidik")
    after = _writer(tmp_path, 5)   # (the stats of now saved: nothing read again)
    assert after._survey.answer() == ((set(), {}, {}) if surveyed else None) and after.up_to_date("sidik")
    assert after.previous_meta["fingerprint"] == "sidik" and _files(output) == FILES


def _in_a_child(ask) -> bytes:
    """What `ask()` gives in a process forked now (as the build forks its second process)."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        status = 1
        try:
            os.close(read)
            os.write(write, ask())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    said = os.read(read, 8)
    os.close(read)
    assert os.waitpid(child, 0)[1] == 0
    return said


def test_a_writer_forked_from_the_build_reads_the_survey_only_once_the_build_has(tmp_path, monkeypatch):
    """The open data's process is forked from the build before the survey's answer came: the
    answer is the build's to read, the child makes its own stat calls. A process forked after it
    came holds the build's answer (what the output was when the build began), and makes none."""
    monkeypatch.setattr(survey, "SURVEY_FROM", 0)
    _first_build(tmp_path)
    (tmp_path / "output" / "data" / "x.json").write_bytes(b"[]")
    writer = _writer(tmp_path, 1)

    def ask() -> bytes:
        return b"%d%d" % (writer._intact("data/x.json") is None, writer._intact("index.html") is not None)
    assert _in_a_child(ask) == b"11"
    assert writer._intact("data/x.json") is None and writer._intact("index.html") is not None
    (tmp_path / "output" / "index.html").write_bytes(b"diubah saat build berjalan")
    assert _in_a_child(ask) == b"11"   # (its own stat would find index.html changed)
    assert writer._survey.listings() == {} and _in_a_child(lambda: b"%d" % (writer._survey.listings() is None)) == b"1"
    writer.discard()


def test_a_forked_childs_value_comes_back_and_its_failure_is_said():
    """`outputs.forked`: what the survey and the early gate's second searcher run on."""
    import time

    from pipeline.outputs import forked
    assert forked.finish(forked.start(lambda: {"berkas": {1, 2}})) == {"berkas": {1, 2}}
    with pytest.raises(forked.ChildFailed):
        forked.finish(forked.start(lambda: 1 / 0))
    with pytest.raises(forked.ChildFailed):
        forked.finish(forked.start(lambda: lambda: None))   # (a value that does not pickle)
    started = forked.start(lambda: time.sleep(60))
    began = time.monotonic()
    forked.stop(started)
    assert time.monotonic() - began < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0], 0)   # (already waited for)


def test_a_forked_childs_series_comes_back_value_by_value():
    """`forked.start_series`: the survey's answer, then its listings, each taken when wanted."""
    from pipeline.outputs import forked

    def values():
        yield {"jawaban": 1}
        yield ["daftar"] * 100_000   # (more than a pipe holds)
        raise RuntimeError("gagal")
    started = forked.start_series(values)
    assert forked.take(started) == {"jawaban": 1}
    assert forked.take(started) == ["daftar"] * 100_000
    with pytest.raises(forked.ChildFailed):
        forked.take(started)
    forked.stop(started)
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0], 0)


def test_a_rebuild_stages_its_files_side_by_side_and_moves_each_into_its_place(tmp_path):
    """A rebuild's new files wait in one folder of the staging folder (no folder made and removed
    again for each page), the files others wrote into the staging folder where they go; the commit
    puts each where its path says and leaves no staging folder. A first build stages in place."""
    _first_build(tmp_path)
    assert not list(tmp_path.glob("staging-0"))   # (a first build: the staging folder became the output)
    writer = _writer(tmp_path, 1)
    changed = {"pengaduan/a/index.html": b"A baru", "pengaduan/d/index.html": b"d", "halaman/2/index.html": b"2"}
    for relative, data in {**FILES, **changed}.items():
        writer.write(relative, data, key=f"key-{relative}")
    staging = tmp_path / "staging-1"
    assert sorted(path.name for path in staging.iterdir()) == [FLAT]   # nothing else made in it
    assert {path.name for path in (staging / FLAT).iterdir()} == {flat_name(name) for name in changed}
    assert writer.file_of("pengaduan/d/index.html") == str(staging / FLAT / "pengaduan%2Fd%2Findex.html")
    (staging / "tema").mkdir()   # as Pelican's own writer does, into the staging folder
    (staging / "tema" / "situs.css").write_bytes(b"body{}")
    writer.adopt_staged_files()
    assert writer.flat_staged() == set(changed)
    built = {name: open(path, "rb").read() for name, path, _ in
             BuiltFiles((str(staging), str(tmp_path / "output")), writer.entries, writer.staged, writer.flat_staged())}
    writer.commit(adopted=True)
    expected = {**FILES, **changed, "tema/situs.css": b"body{}"}
    assert built == expected   # the privacy gate read each file where it was
    assert _files(tmp_path / "output") == expected
    assert not staging.exists()


def test_a_file_whose_flat_name_would_be_too_long_is_staged_in_place(tmp_path):
    _first_build(tmp_path)
    writer = _writer(tmp_path, 1)
    deep = "/".join(["bagian-yang-panjang"] * 12) + "/index.html"   # quoted, longer than a name may be
    for relative, data in {**FILES, deep: b"dalam"}.items():
        writer.write(relative, data, key=f"key-{relative}")
    assert writer.file_of(deep) == str(tmp_path / "staging-1" / deep)
    assert writer.flat_staged() == set()
    writer.commit()
    assert _files(tmp_path / "output") == {**FILES, deep: b"dalam"}


def test_a_link_or_a_file_in_place_of_a_folder_is_never_trusted_nor_written_through(tmp_path, surveyed):
    """A folder of the output replaced by a link to a copy of it elsewhere, another by a file:
    nothing is kept, read or written through the link (a page trusted through it by its bytes was
    gone once the commit deleted the link; a page moved in through it landed outside the site), and
    the commit makes real folders in their place."""
    _first_build(tmp_path)
    output, outside = tmp_path / "output", tmp_path / "di-luar"
    shutil.copytree(output / "pengaduan", outside)   # the same bytes, every inode new
    (outside / "milik-orang-lain.txt").write_bytes(b"bukan milik situs")
    before = _files(outside)
    shutil.rmtree(output / "pengaduan")
    (output / "pengaduan").symlink_to(outside, target_is_directory=True)
    shutil.rmtree(output / "data")
    (output / "data").write_bytes(b"bukan folder")
    writer = _writer(tmp_path, 1)
    assert writer._intact("pengaduan/b/index.html") is None
    for relative, data in FILES.items():
        if not writer.keep_if_rendered_from(relative, f"key-{relative}"):
            writer.write(relative, data, key=f"key-{relative}")
    assert writer.changed() == sorted(name for name in FILES if name != "index.html")
    writer.commit()
    assert _files(output) == FILES and not (output / "pengaduan").is_symlink()
    assert _files(outside) == before
    # a file in place of a folder two levels above the pages: it makes way for the folders
    shutil.rmtree(output / "pengaduan")
    (output / "pengaduan").write_bytes(b"bukan folder")
    writer = _writer(tmp_path, 2)
    for relative, data in FILES.items():
        if not writer.keep_if_rendered_from(relative, f"key-{relative}"):
            writer.write(relative, data, key=f"key-{relative}")
    writer.commit()
    assert _files(output) == FILES


def test_a_manifest_begun_before_the_commit_holds_every_file_as_committed(tmp_path):
    """`prepare_manifest` pickles the entries of the files the commit does not move in, those not
    pickled yet, while the build waits (for Pagefind, then for the privacy gate); the manifest the
    commit saves still holds every file, each staged one with its stat of after the move. A file
    staged since is in it too, a file kept since in a part the commit pickles; an entry replaced
    since makes the commit pickle them all; a manifest with a damaged part is no manifest (every
    file is then compared)."""
    from pipeline.outputs.sitewriter import read_manifest
    _first_build(tmp_path)
    output, manifest = tmp_path / "output", tmp_path / "cache" / "manifest.pickle"
    kept = [relative for relative in FILES if relative != "pengaduan/c/index.html"]
    cases = {"nothing since": 1, "staged since": 1, "kept since": 2, "kept, then a second part": 2,
             "replaced since": None}
    for number, (case, parts) in enumerate(cases.items(), start=1):
        writer = _writer(tmp_path, number)
        for relative in kept[:-1]:
            assert writer.keep_if_rendered_from(relative, f"key-{relative}")
        writer.write("pengaduan/c/index.html", f"c {number}".encode(), key="baru")
        if not case.startswith("kept"):
            assert writer.keep_if_rendered_from(kept[-1], f"key-{kept[-1]}")
        writer.prepare_manifest()
        if case.startswith("kept"):
            assert writer.keep_if_rendered_from(kept[-1], f"key-{kept[-1]}")
        if case == "kept, then a second part":
            writer.prepare_manifest()
        if case == "staged since":
            writer.write("pengaduan/e/index.html", b"e", key="baru")
        if case == "replaced since":
            writer.write("index.html", FILES["index.html"], key="kunci lain")   # (the same bytes: kept, entry anew)
        writer.adopt_staged_files()
        writer.commit(adopted=True)
        stored_parts = pickle.loads(manifest.read_bytes())["kept"]
        assert (None if stored_parts is None else len(stored_parts)) == parts, case
        stored = read_manifest(manifest, output)
        expected = sorted([*FILES, *(["pengaduan/e/index.html"] if case == "staged since" else [])])
        assert sorted(stored["files"]) == expected, case
        assert survey.differences(str(output), stored["files"], stored["folders"]) == (set(), {}, {})
        assert stored["files"]["pengaduan/c/index.html"]["key"] == "baru"
        assert stored["files"]["index.html"]["key"] == ("kunci lain" if case == "replaced since" else "key-index.html")
    raw = pickle.loads(manifest.read_bytes())
    raw["kept"] = [raw["kept"][0], b"rusak"] if raw["kept"] else [b"rusak"]
    manifest.write_bytes(pickle.dumps(raw))
    assert read_manifest(manifest, output) is None
