"""The privacy gate begun in the first gate worker while the site is built (`commands.earlygate`),
from the values the cache keeps or, on a first build, from the files themselves: it answers only
for exactly the files the build read, finds what the build's own gate finds, and leaves no state
behind for a build that is not committed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading

from site_helpers import NOW, ROOT, synthetic_complaint, write_repo

SECRET = "Dian Puspitasari"


def _repo(tmp_path):
    public = synthetic_complaint(2)
    public["pelapor"] = {"nama": SECRET, "kontak": "0815-5380-2916"}
    repo = write_repo(tmp_path / "repo", [public, synthetic_complaint(5)])
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=Petugas", "-c", "user.email=petugas@example.go.id", "commit", "-q", "-m", "Isi"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return repo.resolve(), public


def _searched_files(monkeypatch) -> list:
    """The files the gate reads from now on (in this process), in a list kept up to date."""
    from pipeline.outputs import gate
    searched: list = []
    real = gate._search_all

    def spy(jobs, *rest):
        searched.extend(job[1] for job in jobs)
        return real(jobs, *rest)
    monkeypatch.setattr(gate, "_search_all", spy)
    return searched


def _build(repo, output, cache, answers: list, monkeypatch) -> int:
    """`pengaduan build --cache` in this process, with what the early gate answered recorded."""
    from datetime import datetime

    from pipeline.commands.build import build
    from pipeline.outputs.gateworkers import GateWorkers
    real = GateWorkers.early_answer

    def spy(self, question, meanwhile=None):
        answer = real(self, question, meanwhile)
        answers.append(answer)
        return answer
    monkeypatch.setattr(GateWorkers, "early_answer", spy)
    return build(repo, output, now=datetime.fromisoformat(NOW), cache=cache)


def test_a_rebuild_is_gated_early_and_a_hit_leaves_no_state_behind(tmp_path, monkeypatch, capsys):
    repo, public = _repo(tmp_path)
    output, cache, answers = tmp_path / "output", tmp_path / "cache", []
    assert _build(repo, output, cache, answers, monkeypatch) == 0
    assert answers[0] is not None and answers[0][0] == [], "a first build: the worker read every file itself"
    state = (cache / "gate.json").read_bytes()

    page = repo / "content" / "pages" / "kabar.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"Title: Kabar\nSlug: kabar\n\nTerima kasih bu {SECRET}.\n", encoding="utf-8")
    answers.clear()
    assert _build(repo, output, cache, answers, monkeypatch) == 1
    hits, _ = answers[0]
    assert [(hit.output, hit.field) for hit in hits] == [("kabar/index.html", "pelapor.nama")]
    assert "kabar/index.html: pelapor.nama dari " + public["id"] in capsys.readouterr().err
    assert not (output / "kabar").exists()
    assert (cache / "gate.json").read_bytes() == state and not list(cache.glob(".gate.json.*"))

    page.write_text("Title: Kabar\nSlug: kabar\n\nTerima kasih atas sarannya.\n", encoding="utf-8")
    answers.clear()
    assert _build(repo, output, cache, answers, monkeypatch) == 0
    assert answers[0] is not None and answers[0][0] == [], "the early gate's answer was used"
    assert not list(cache.glob(".gate.json.*")), "its state was moved in"
    from pipeline.outputs.gatestate import load_state
    assert load_state(cache / "gate.json")["clean"]


def test_a_first_build_is_gated_early_from_the_files_and_keeps_their_values(tmp_path, monkeypatch, capsys):
    """No cache yet: the worker reads every complaint file itself while the site is built, and a
    private value on a staff page stops the first build. The values it read are kept for the
    build's environment, so that the next build's worker takes them from the cache."""
    from pipeline.commands import earlygate
    repo, public = _repo(tmp_path)
    page = repo / "content" / "pages" / "kabar.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"Title: Kabar\nSlug: kabar\n\nTerima kasih bu {SECRET}.\n", encoding="utf-8")
    output, cache, answers = tmp_path / "output", tmp_path / "cache", []
    assert _build(repo, output, cache, answers, monkeypatch) == 1
    assert answers[0] is not None, "the early gate answered a first build"
    assert [(hit.output, hit.field) for hit in answers[0][0]] == [("kabar/index.html", "pelapor.nama")]
    assert "kabar/index.html: pelapor.nama dari " + public["id"] in capsys.readouterr().err
    assert not output.exists() and not list(cache.glob(".gate.json.*"))

    page.write_text("Title: Kabar\nSlug: kabar\n\nTerima kasih atas sarannya.\n", encoding="utf-8")
    answers.clear()
    assert _build(repo, output, cache, answers, monkeypatch) == 0
    assert answers[0] is not None and answers[0][0] == []
    again = earlygate.prepare(repo, ROOT / "theme", cache)
    assert not again.fresh and len(again.memo.entries) == 2, "the values were kept for the next build"


def test_the_worker_reads_each_front_matter_the_loader_accepts(tmp_path, monkeypatch, capsys):
    """The worker reads the complaint files as the build's loader reads them. Its own reading
    skipped a file whose first line was `--- ` (a trailing space) or whose front matter closed
    with `...` before a Markdown rule (`---`) in its notes: the build published that complaint,
    and a staff page naming its reporter passed the gate, first build or rebuild."""
    for layout in ("trailing space", "closed by ..."):
        root = tmp_path / layout.replace(" ", "-")
        repo, public = _repo(root)
        path = next(path for path in (repo / "content" / "complaints").rglob("*.md") if public["id"] in path.name)
        text = path.read_text(encoding="utf-8")
        head, notes = text[4:].split("\n---\n", 1)
        text = (f"--- \n{head}\n---\n{notes}" if layout == "trailing space" else
                f"---\n{head}\n...\nCatatan pertama.\n\n---\n\nCatatan kedua.\n{notes}")
        path.write_text(text, encoding="utf-8")
        page = repo / "content" / "pages" / "kabar.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        for first_build, thanks in ((True, f"Terima kasih bu {SECRET}."), (False, "Terima kasih."),
                                    (False, f"Terima kasih sekali lagi, bu {SECRET}.")):
            page.write_text(f"Title: Kabar\nSlug: kabar\n\n{thanks}\n", encoding="utf-8")
            for args in (["add", "-A"], ["-c", "user.name=Petugas", "-c", "user.email=petugas@example.go.id",
                                         "commit", "-q", "-m", "Kabar"]):
                subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
            answers: list = []
            code = _build(repo, root / "output", root / "cache", answers, monkeypatch)
            err = capsys.readouterr().err
            if SECRET not in thanks:
                assert code == 0, (layout, err)
                continue
            assert answers[0] is not None, (layout, "the early gate answered")
            assert code == 1 and "kabar/index.html: pelapor.nama dari " + public["id"] in err, (layout, first_build, err)


def test_a_new_committers_name_is_searched_by_the_early_gate_from_the_kept_staff(tmp_path, monkeypatch, capsys):
    """The build keeps the history's staff names with the commits they were read to
    (`gate-people`); the next build's early gate reads only the commits since, and a name that
    comes with them is still looked for in the site."""
    repo, _ = _repo(tmp_path)
    output, cache, answers = tmp_path / "output", tmp_path / "cache", []
    assert _build(repo, output, cache, answers, monkeypatch) == 0
    from pipeline.outputs.gatestate import PEOPLE
    from pipeline.plugin.cache import BuildCache, saved_environment
    from pipeline.commands.earlygate import SAVED_WITH
    kept = BuildCache(cache, saved_environment(cache, SAVED_WITH)).load(PEOPLE)
    assert kept["people"] == [("Petugas", "petugas@example.go.id")] and len(kept["tips"]) == 1

    page = repo / "content" / "pages" / "kabar.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("Title: Kabar\nSlug: kabar\n\nTerima kasih kepada Rina Marlina.\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Rina Marlina", "-c", "user.email=rina@pkm.example",
                    "commit", "-q", "-m", "Kabar"], check=True)
    answers.clear()
    assert _build(repo, output, cache, answers, monkeypatch) == 1
    assert answers[0] is not None, "the early gate answered"
    assert [(hit.output, hit.field) for hit in answers[0][0]] == [("kabar/index.html", "nama petugas")]
    assert "kabar/index.html: nama petugas" in capsys.readouterr().err


def test_the_early_gate_answers_only_for_the_files_and_cache_it_read(tmp_path):
    """Another blob id for one file, a file more or less, another environment: no answer (the
    build's own gate decides). Same files: the hits a planted value makes, found."""
    from pipeline.commands import earlygate
    from pipeline.commands.build import build as build_command
    from pipeline.outputs.gate import site_files
    from datetime import datetime
    repo, public = _repo(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    fresh = earlygate.prepare(repo, ROOT / "theme", cache)
    assert fresh.fresh and len(fresh.keys) == 2, "no cache yet: every file read by the worker"
    assert build_command(repo, output, now=datetime.fromisoformat(NOW), cache=cache) == 0
    early = earlygate.prepare(repo, ROOT / "theme", cache)
    assert not early.fresh and len(early.keys) == 2
    environment, keys = early.build_cache.environment, dict(early.keys)
    site = tmp_path / "salinan"
    shutil.copytree(output, site)
    built = site_files(site)
    some = next(iter(keys))
    for other_environment, other_keys in ((environment, {**keys, some: (some, "0" * 40)}),
                                          (environment, {name: key for name, key in keys.items() if name != some}),
                                          (environment, {**keys, some + ".baru": (some + ".baru", "1" * 40)}),
                                          ("lain", keys), (None, keys)):
        assert early.answer(("scan", other_environment, other_keys, built)) is None
    # values read from the files by this program: an answer for any environment of the build,
    # but never for other files, nor for a build with no cache to keep them in
    assert fresh.answer(("scan", environment, {**keys, some: (some, "0" * 40)}, built)) is None
    assert fresh.answer(("scan", None, keys, built)) is None
    assert fresh.answer(("scan", "lain", keys, built)) == ([], fresh.state_file)
    assert fresh.build_cache.environment == "lain"
    (site / "index.html").write_text(f"<p>Bu {SECRET}</p>", encoding="utf-8")
    hits, state_file = early.answer(("scan", environment, keys, site_files(site)))
    assert [(hit.output, hit.complaint, hit.field) for hit in hits] == [("index.html", public["id"], "pelapor.nama")]
    early.later()
    assert state_file.is_file() and state_file.parent == cache


def test_while_the_site_is_built_the_last_sites_clean_files_are_searched_for_the_new_values(tmp_path, monkeypatch):
    """A new reporter's name must be looked for in every file of the site. The early gate searches
    the last build's files (those found clean before, by the bytes it reads) while the build runs;
    the answer reads only the others, and finds the same hits."""
    import yaml
    from datetime import datetime

    from pipeline.commands import earlygate
    from pipeline.commands.build import _manifest_file, build as build_command
    from pipeline.outputs.gate import site_files
    from pipeline.outputs.sitewriter import digest
    newcomer = "Sri Rahayuningsih"
    repo, _ = _repo(tmp_path)
    page = repo / "content" / "pages" / "kabar.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"Title: Kabar\nSlug: kabar\n\nTerima kasih kepada {newcomer}.\n", encoding="utf-8")
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert build_command(repo, output, now=datetime.fromisoformat(NOW), cache=cache) == 0
    late = synthetic_complaint(9)
    late["pelapor"] = {"nama": newcomer, "kontak": "0812-7777-1234"}
    path = repo / "content" / "complaints" / late["id"][4:8] / f"{late['id']}.md"
    path.write_text("---\n" + yaml.safe_dump(late, allow_unicode=True, sort_keys=False) + "---\nCatatan.\n",
                    encoding="utf-8")
    (output / "statistik" / "index.html").write_bytes(b"<p>diubah tangan</p>")   # not what the last build left
    fifo = output / "cari" / "index.html"   # nor a FIFO in a file's place: never opened (it would block)
    fifo.unlink()
    os.mkfifo(fifo)

    def early():
        return earlygate.prepare(repo, ROOT / "theme", cache, output, _manifest_file(cache, output))
    asked = early()
    asked.meanwhile(lambda: True)   # the build asks at once: nothing searched ahead
    assert asked.ahead == {}
    ahead = early()
    searching = threading.Thread(target=ahead.meanwhile, args=(lambda: False,), daemon=True)
    searching.start()
    searching.join(timeout=30)
    assert not searching.is_alive()
    fifo.unlink()
    fifo.write_text("<p>sebuah halaman</p>", encoding="utf-8")
    kabar = digest((output / "kabar" / "index.html").read_bytes())
    assert ahead.ahead[kabar] == {newcomer.lower()}
    assert digest((output / "statistik" / "index.html").read_bytes()) not in ahead.ahead
    assert all(found == set() for sha, found in ahead.ahead.items() if sha != kabar)
    searched = _searched_files(monkeypatch)
    built = [(shown, path, digest(open(path, "rb").read())) for shown, path in site_files(output)]   # as the build sends them
    environment, keys = ahead.build_cache.environment, ahead.keys
    hits, _ = ahead.answer(("scan", environment, keys, built))
    assert ("kabar/index.html", late["id"], "pelapor.nama") in [(hit.output, hit.complaint, hit.field) for hit in hits]
    assert str(output / "kabar" / "index.html") not in searched and str(output / "statistik" / "index.html") in searched
    searched.clear()
    again = early()   # the same files, nothing searched ahead: the same hits, every file read
    assert again.answer(("scan", environment, keys, built))[0] == hits and len(searched) > len(built) // 2


class _Doubler:
    def __init__(self, mark):
        self.mark = mark

    def answer(self, question):
        return question * 2

    def later(self):
        self.mark.write_text("later", encoding="utf-8")


def test_the_first_gate_worker_prepares_when_asked_and_saves_after_it_answers(tmp_path):
    from pipeline.outputs.gateworkers import GateWorkers
    mark = tmp_path / "mark"
    workers = GateWorkers(early=lambda: _Doubler(mark))
    assert workers and workers.early_answer(21) is None, "not asked to prepare: no answer"
    assert workers.prepare() and workers.early_answer(21) == 42
    workers.close()   # (waits for `later`)
    assert mark.read_text(encoding="utf-8") == "later"

    def broken():
        raise ValueError("rusak")
    failing = GateWorkers(early=broken)
    assert failing.prepare() and failing.early_answer(21) is None   # the build then gates itself
    assert failing.search([], {"all": [], "added": []}, set()) == [], "the worker still searches"
    failing.close()

    import time
    slow = GateWorkers(early=lambda: time.sleep(60))
    assert slow.prepare()
    first = slow._workers[0][0]
    slow.close()   # never answered: ended, not waited for
    assert not first.is_alive()
    assert not GateWorkers(early=None).prepare()


def test_files_final_before_the_site_is_built_are_searched_early_and_only_for_those_bytes(tmp_path, monkeypatch):
    """The open data is written by another process while the pages are still made: the early gate
    searches such files when the build says they are final (`search_ready`, a big one piece by
    piece), and the answer does not read them again, unless their bytes changed since. The hits
    are those of a gate that read every file."""
    from datetime import datetime

    from pipeline.commands import earlygate
    from pipeline.commands.build import _manifest_file, build as build_command
    from pipeline.outputs import gatepieces
    from pipeline.outputs.gate import site_files
    from pipeline.outputs.sitewriter import digest
    repo, public = _repo(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert build_command(repo, output, now=datetime.fromisoformat(NOW), cache=cache) == 0
    staged = tmp_path / "staging" / "data"
    staged.mkdir(parents=True)
    rows = [f'{{"id": "ADU-{number:04d}", "ringkasan": "baris biasa nomor {number}"}}' for number in range(40_000)]
    rows[23_456] = f'{{"id": "ADU-23456", "ringkasan": "disampaikan oleh {SECRET}"}}'
    big, small, changed, linked = (staged / name for name in ("complaints.json", "bersih.html", "berubah.html", "tautan.html"))
    big.write_text("\n".join(rows), encoding="utf-8")
    assert big.stat().st_size >= gatepieces.PIECES_FROM
    small.write_text("<p>tidak ada apa-apa</p>", encoding="utf-8")
    changed.write_text("<p>belum ada</p>", encoding="utf-8")
    linked.symlink_to(small)

    def early():
        return earlygate.prepare(repo, ROOT / "theme", cache, output, _manifest_file(cache, output))
    ahead = early()
    ahead.search_ready([big, small, changed, linked, staged / "tidak-ada.json"])
    assert set(ahead.ready) == {digest(path.read_bytes()) for path in (big, small, changed)}
    changed.write_text(f"<p>{SECRET}</p>", encoding="utf-8")   # written again after it was said final
    searched = _searched_files(monkeypatch)
    built = [(shown, path, digest(open(path, "rb").read())) for shown, path in site_files(output)] + \
        [(f"data/{path.name}", str(path), digest(path.read_bytes())) for path in (big, small, changed)]
    environment, keys = ahead.build_cache.environment, ahead.keys
    hits, _ = ahead.answer(("scan", environment, keys, built))
    found = {(hit.output, hit.complaint, hit.field) for hit in hits}
    assert {("data/complaints.json", public["id"], "pelapor.nama"), ("data/berubah.html", public["id"], "pelapor.nama")} <= found
    assert str(big) not in searched and str(small) not in searched and str(changed) in searched
    searched.clear()
    again = early()   # nothing searched early: the same hits, every new file read
    assert again.answer(("scan", environment, keys, built))[0] == hits and str(big) in searched


def test_a_private_value_in_the_open_data_stops_a_rebuild_gated_early(tmp_path, monkeypatch, capsys):
    """The open data, said final to the early gate while the pages are made (`search_ready`), is
    searched there: a reporter's name copied into a public summary stops the rebuild. (Into
    another complaint's: in their own, `check` stops the build before the gate,
    `records.reportertext`.)"""
    import yaml

    repo, public = _repo(tmp_path)
    output, cache, answers = tmp_path / "output", tmp_path / "cache", []
    assert _build(repo, output, cache, answers, monkeypatch) == 0
    path = next(found for found in (repo / "content" / "complaints").rglob("*.md") if found.stem != public["id"])
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    data["ringkasan"] = f"{data['ringkasan']} Disampaikan langsung oleh {SECRET}."
    path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" +
                    text.split("---\n", 2)[2], encoding="utf-8")
    answers.clear()
    assert _build(repo, output, cache, answers, monkeypatch) == 1
    assert answers[0] is not None, "the early gate answered"
    shown = {hit.output for hit in answers[0][0]}
    assert {"data/complaints.json", "data/complaints.csv", "data/requests.json"} <= shown
    assert SECRET not in (output / "data" / "complaints.json").read_text(encoding="utf-8")


def test_the_built_files_sent_to_the_worker_are_the_files_the_gate_scans():
    import pickle

    from pipeline.outputs.builtfiles import BuiltFiles
    entries = {"index.html": {"sha": "a" * 64}, "pengaduan/ADU-1/index.html": {"sha": "b" * 64},
               "data/complaints.json": {"sha": None}, "halaman/2/index.html": {"sha": "c" * 64}}
    staged = {"pengaduan/ADU-1/index.html", "data/complaints.json"}
    built = pickle.loads(pickle.dumps(BuiltFiles(("/tmp/baru", "/tmp/situs"), entries, staged)))
    assert list(built) == [
        ("index.html", "/tmp/situs/index.html", "a" * 64),
        ("pengaduan/ADU-1/index.html", "/tmp/baru/pengaduan/ADU-1/index.html", "b" * 64),
        ("data/complaints.json", "/tmp/baru/data/complaints.json", None),
        ("halaman/2/index.html", "/tmp/situs/halaman/2/index.html", "c" * 64)]
    assert list(built) == list(built)   # (iterated again: the same files)
    assert list(BuiltFiles(("/tmp/baru", "/tmp/situs"), {}, set())) == []
    # those whose bytes the gate knows, apart from the others (which it looks at one by one)
    assert built.unknown({"a" * 64, "c" * 64, "d" * 64}) == (
        {"a" * 64, "c" * 64}, [("pengaduan/ADU-1/index.html", "/tmp/baru/pengaduan/ADU-1/index.html", "b" * 64),
                               ("data/complaints.json", "/tmp/baru/data/complaints.json", None)])
    assert BuiltFiles(("/tmp/baru", "/tmp/situs"), {}, set()).unknown({"a" * 64}) == (set(), [])


def test_the_build_process_leaves_the_gate_s_search_to_its_worker_until_it_is_needed():
    """What `pengaduan build` imports to start its gate workers and name the gate's cache files:
    not the search itself (the automata, the early gate), which the worker imports after the
    fork, on the other core; the build imports it only when it runs the gate itself."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, pipeline.commands.build, pipeline.outputs.gateworkers, "
         "pipeline.outputs.gatestate; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    for module in ("pipeline.outputs.gate", "pipeline.outputs.gatetext", "pipeline.commands.earlygate",
                   "ahocorasick"):
        assert module not in loaded, module


def test_the_open_data_is_final_before_the_build_waits_for_its_second_process(tmp_path, monkeypatch):
    """After one change the gate's worker searches the new open data (34 MB at 10,000) while the
    build waits for its second process (the recap, the board, half the listing pages): the build
    takes the open data's result first and says its files are final before it asks for the pages'.
    Both parts run in forked processes (PENGADUAN_PARALLEL_FROM 1)."""
    from datetime import datetime

    from pipeline.commands.build import build as build_command
    from pipeline.outputs.sitewriter import SiteWriter
    from pipeline.plugin.beside import Beside
    repo, public = _repo(tmp_path)
    settings = tmp_path / "paralel.py"
    settings.write_text(f"from pathlib import Path\nexec(Path({str(ROOT / 'pelicanconf.py')!r}).read_text())\n"
                        "PENGADUAN_PARALLEL_FROM = 1\n", encoding="utf-8")
    output, cache, now = tmp_path / "output", tmp_path / "cache", datetime.fromisoformat(NOW)
    assert build_command(repo, output, settings=settings, now=now, cache=cache) == 0
    path = next((repo / "content" / "complaints").rglob(f"{public['id']}.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("antrean", "antrean pagi", 1), encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Petugas", "-c", "user.email=petugas@example.go.id",
                    "commit", "-q", "-am", "Ubah"], check=True, capture_output=True)
    events: list = []
    result, final = Beside.result, SiteWriter.final

    def asked(self):
        events.append(("result", getattr(self._work, "__name__", "")))
        return result(self)

    def said_final(self, relatives, shas=None):
        events.append(("final", sorted(relatives)))
        return final(self, relatives, shas)
    monkeypatch.setattr(Beside, "result", asked)
    monkeypatch.setattr(SiteWriter, "final", said_final)
    assert build_command(repo, output, settings=settings, now=now, cache=cache) == 0
    kinds = [event[0] if event[0] == "final" else event[1] for event in events]
    assert "open_data" in kinds and "run" in kinds, events   # (the pages' part: `PageWriter.made_here`)
    assert kinds.index("open_data") < kinds.index("final") < kinds.index("run"), events
    assert any(name.endswith("complaints.json") for name in events[kinds.index("final")][1]), events


def test_a_file_with_yaml_aliases_is_not_walked_by_the_gates_worker(tmp_path):
    """The worker reads the complaint files before the build's loader has refused any. A "billion
    laughs" of a few lines (aliases nine deep: 9^9 names) is skipped at once, not walked for its
    values; the build stops on it with the loader's message, and the other files' values are
    collected as before."""
    from pipeline.outputs import gate
    repo, public = _repo(tmp_path)
    path = next(path for path in (repo / "content" / "complaints").rglob("*.md") if public["id"] in path.name)
    lines = ['bom_a: &a ["Dian Lestari Wulandari", "Dian Lestari Wulandari", "Dian Lestari Wulandari"]']
    lines += [f"bom_{chr(98 + level)}: &{chr(98 + level)} [" + ", ".join([f"*{chr(97 + level)}"] * 9) + "]"
              for level in range(8)]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "---\n" + "\n".join(lines) + "\n", 1)
                    .replace(f"nama: {SECRET}", "nama: *i"), encoding="utf-8")
    assert "nama: *i" in path.read_text(encoding="utf-8")
    assert gate._read(path, repo) is None
    small = path.with_name("ADU-20260101-ZZZZ.md")   # aliases three deep: skipped all the same
    small.write_text(text.replace("---\n", "---\nbom: &a [x, y]\nlagi: *a\n", 1).replace(public["id"], "ADU-20260101-ZZZZ"),
                     encoding="utf-8")
    assert gate._read(small, repo) is None
    plain = path.with_name("ADU-20260102-YYYY.md")   # a file without aliases: its values collected
    plain.write_text(text.replace(public["id"], "ADU-20260102-YYYY").replace(SECRET, "Rina Kusumawati"),
                     encoding="utf-8")
    secrets = gate.collect(repo)
    collected = {source.complaint for sources in secrets.sources.values() for source in sources}
    assert "ADU-20260102-YYYY" in collected and "rina kusumawati" in secrets.sources
    assert public["id"] not in collected and "ADU-20260101-ZZZZ" not in collected
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--repo", str(repo), "--output",
                             str(tmp_path / "output"), "--now", NOW], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "anchor YAML `&a` tidak diizinkan" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "output").exists()
