"""`pengaduan build`: build the public site with Pelican and the complaints plugin.

New and changed files are written to a staging folder beside the output and moved in (one
atomic rename each) only when the whole build succeeded; files no longer built are then deleted
(a complaint that became confidential loses its page at once). A failed build leaves the previous
site as it was; files whose bytes did not change are never rewritten (`pipeline.outputs.sitewriter`).

The build cache (`--cache`, default `.cache/pengaduan/` in the repository; `pipeline.plugin.cache`)
lets a rebuild parse, validate and render only what changed; deleting it changes no output.
"""
from __future__ import annotations

import logging
import os
import sys
import tempfile
from functools import partial
from pathlib import Path

from pipeline.commands.common import add_now, add_repo, no_automatic_collections
from pipeline.outputs.gatestate import PEOPLE as GATE_PEOPLE, PUBLISHED as GATE_PUBLISHED, STATE_FILE as GATE_STATE, \
    VALUES as GATE_VALUES

# What Pelican reads and copies from content/ is not left to the settings file: staff pages
# through the checked reader only (READERS, added below), no article, no static folder, Pelican's
# own link syntax.
FORCED = {"ARTICLE_PATHS": [], "PAGE_PATHS": ["pages"], "STATIC_PATHS": [],
          "INTRASITE_LINK_REGEX": "[{|](?P<what>.*?)[|}]"}
# and these plugins, besides any the file adds: the complaints, and images published as pixels only
PLUGINS = ["pipeline.plugin.publishing", "pipeline.plugin.staticimages"]


def add_arguments(parser):
    add_repo(parser)
    parser.epilog = ("Situs dibangun dari berkas di folder --repo, termasuk yang belum di-commit; bukti "
                     "tenggat dari riwayat git PENGADUAN_REF (default HEAD).")
    parser.add_argument("--output", type=Path, default=None, metavar="DIR",
                        help="folder hasil (default: output/ di dalam repositori)")
    parser.add_argument("--production", action="store_true",
                        help="pakai publishconf.py: URL absolut (SITEURL dari lingkungan atau "
                             "puskesmas.yaml)")
    parser.add_argument("--settings", type=Path, default=None, metavar="FILE",
                        help="berkas pengaturan Pelican (default: pelicanconf.py repositori, atau "
                             "bawaan proyek)")
    parser.add_argument("--cache", type=Path, default=None, metavar="DIR",
                        help="folder cache build, di luar output; aman dihapus (default: "
                             ".cache/pengaduan/ di dalam repositori)")
    parser.add_argument("--no-cache", action="store_true",
                        help="bangun tanpa cache (hasilnya sama, hanya lebih lambat)")
    add_now(parser)
    # the command alone ends its process when the build is done (`outputs.ending`); `serve`, which
    # builds with these options, serves on
    parser.set_defaults(process_ends_with_it=True)


class _Collect(logging.Handler):
    """Pelican and the plugin log problems; errors stop the build, warnings are shown."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def settings_file(repo: Path, production: bool, explicit: Path | None) -> Path:
    from pipeline.outputs.site import project_root
    if explicit is not None:
        return explicit
    name = "publishconf.py" if production else "pelicanconf.py"
    own = repo / name
    return own if own.is_file() else project_root() / name


def pelican_settings(repo: Path, output: Path, production: bool = False, explicit: Path | None = None,
                     now=None, writer=None, cache: Path | None = None) -> dict:
    """Pelican settings for building `repo` into `output` (used by the command and the tests)."""
    from pelican.settings import read_settings

    from pipeline.plugin.pagereader import READERS
    path = settings_file(repo, production, explicit)
    # THEME: the theme the privacy gate reads as the site's own text (`gate_theme`), whatever the file says
    override = {"PATH": str(repo / "content"), "OUTPUT_PATH": str(output),
                "PENGADUAN_REPO": str(repo), "PENGADUAN_NOW": now, "DELETE_OUTPUT_DIRECTORY": False,
                "PENGADUAN_WRITER": writer, "PENGADUAN_CACHE": str(cache) if cache else None,
                "PENGADUAN_SETTINGS_FILE": str(path), "THEME": str(gate_theme(repo)),
                **FORCED, "READERS": READERS}
    if production and path.parent.resolve() != repo.resolve() and not os.environ.get("SITEURL"):
        from pipeline.records.policy import load_policy
        policy, _ = load_policy(repo)
        if policy is not None:
            from pipeline.outputs.site import policy_base_url
            override["SITEURL"] = override["PENGADUAN_BASE_URL"] = policy_base_url(policy) or "http://localhost:8000"
    if production and os.environ.get("SITEURL"):
        override["SITEURL"] = override["PENGADUAN_BASE_URL"] = os.environ["SITEURL"].rstrip("/")
    settings = read_settings(str(path), override=override)
    settings["PLUGINS"] = PLUGINS + [name for name in settings.get("PLUGINS") or [] if str(name) not in PLUGINS]
    return settings


def build_site(repo: Path, output: Path, production: bool = False, explicit: Path | None = None,
               now=None, writer=None, cache: Path | None = None, seen: dict | None = None) -> list[logging.LogRecord]:
    """Build into `output` (which must be new or empty). Raises BuildStopped for invalid content.

    Returns the warnings logged. Any error logged by Pelican or the plugin raises RuntimeError.
    """
    from pelican import Pelican, signals
    from pelican.log import console

    from pipeline.plugin import search
    from pipeline.plugin.beside import close_all
    settings = pelican_settings(repo, output, production, explicit, now, writer, cache)
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in ("pelican", "pipeline")]
    for each in loggers:
        each.addHandler(handler)
    quiet = console.quiet
    console.quiet = True  # Pelican's own "Done: Processed 0 articles" line
    cwd = os.getcwd()

    def remember(generators):  # the plugin's records and their cache keys, for the privacy gate
        for generator in generators:
            if getattr(generator, "loaded", None) is not None:
                seen["loaded"] = generator.loaded
                seen["cache"] = generator.cache, generator.records_memo.keys_by_path

    if seen is not None:
        signals.all_generators_finalized.connect(remember)
    try:
        Pelican(settings).run()
    finally:
        close_all()
        search.close_all()
        if seen is not None:
            signals.all_generators_finalized.disconnect(remember)
        console.quiet = quiet
        os.chdir(cwd)
        for each in loggers:
            each.removeHandler(handler)
    errors = [record for record in handler.records if record.levelno >= logging.ERROR]
    if errors:
        raise RuntimeError("\n".join(record.getMessage() for record in errors))
    return handler.records


def privacy_gate(repo: Path, built, loaded=None, known: dict | None = None, cache=None, workers=None,
                 staff=None, staff_kept: dict | None = None) -> list:
    """The final check of the built site for every private value of the records (outputs/gate.py).

    `built`: the site's folder, or (relative path, file[, sha256]) of every file the site will hold
    (new and changed files from the staging folder, the others from the output). `loaded`: the
    plugin's records of this build (read once; or {shown path: (front matter, body)} of some of
    them); the gate reads any complaint file they lack. `known`: what the previous build's gate
    found clean (`gatestate.load_state`), updated in place. `cache`: `gate_cache(...)`: each file's
    values kept by its blob id. `workers`: `gateworkers.GateWorkers` forked before the build.
    `staff`: `history.people_later(repo, staff_kept)`, started before the build (the build cache
    keeps `staff_kept`, so that the next build reads only the commits new since)."""
    from pipeline.evidence.history import people_later
    from pipeline.outputs.gate import collect, scan, site_files

    theme = gate_theme(repo)
    records = loaded if isinstance(loaded, dict) else gate_records(loaded)
    files = site_files(built) if isinstance(built, Path) else built
    memo, keys, build_cache = cache or (None, None, None)
    kept = build_cache.load(GATE_PUBLISHED) if build_cache is not None else None
    if staff is None:
        staff_kept = {}
        staff = people_later(repo, staff_kept)
    secrets = collect(repo, theme, records, memo, keys, staff, kept)
    if memo is not None:
        memo.save_and_release(build_cache, GATE_VALUES)
        build_cache.save(GATE_PUBLISHED, kept)
        if staff_kept:
            build_cache.save(GATE_PEOPLE, staff_kept)
    return scan(files, secrets, known, workers)


def gate_theme(repo: Path) -> Path:
    """The theme whose text the gate counts as published by design (the repository's own, else ours)."""
    from pipeline.outputs.site import project_root
    return repo / "theme" if (repo / "theme" / "templates").is_dir() else project_root() / "theme"


def gate_cache(plugin_cache) -> tuple | None:
    """(Memo of each file's private values, {path: (path, blob id)}, BuildCache) from the plugin's
    (BuildCache, keys); None without a cache."""
    from pipeline.plugin.cache import Memo
    if plugin_cache is None or not plugin_cache[0].environment:
        return None
    build_cache, keys = plugin_cache
    return Memo(build_cache.load(GATE_VALUES), packed=False), keys, build_cache   # (all read every build)


def gate_records(loaded, cache: tuple | None = None) -> dict:
    """{shown path: (front matter, body)} of the records the gate's cache has no values for (all
    without a cache): the others need not be held while the gate runs."""
    if loaded is None:
        return {}
    memo, keys, _ = cache or (None, None, None)
    return {record.shown: (record.data, record.body) for record in loaded.complaints
            if memo is None or keys.get(str(record.path)) not in memo.entries}


def run(args) -> int:
    cache = None if args.no_cache else (args.cache if args.cache is not None else args.repo / ".cache" / "pengaduan")
    with no_automatic_collections():
        return build(args.repo, args.output, args.production, args.settings, args.now, cache=cache)


def _untrack_advice(repo: Path, cache: Path, tracked: list[str]) -> str:
    """How to take a committed cache out of git; never that advice for a folder of the
    repository's own files (`--cache content/complaints` would have untracked every complaint)."""
    relative = Path(os.path.relpath(cache.absolute(), repo.absolute())).as_posix()
    inside = [name[len(relative) + 1:] for name in tracked if name.startswith(relative + "/")]
    if all(_a_cache_file(name) for name in inside):   # (or a link in the cache's place: `inside` empty)
        return f"Keluarkan dari git: `git rm -r --cached {tracked[0] if not inside else relative}`, lalu commit."
    return ("Folder itu berisi berkas repositori, bukan cache: pilih folder lain untuk --cache, mis. "
            "`--cache .cache/pengaduan` (bawaan), yang tidak dilacak git.")


def _a_cache_file(name: str) -> bool:
    """A file a build cache holds (`plugin.cache`): pickles and JSON at its top, views, templates."""
    return name.startswith(("views/", "jinja/")) or ("/" not in name and name.endswith((".pickle", ".json")))


def build(repo: Path, output: Path | None = None, production: bool = False, settings: Path | None = None,
          now=None, cache: Path | None = None) -> int:
    """Build `repo`'s site into `output` (default repo/output); the exit code of the command."""
    from pipeline.evidence.git import GitError
    from pipeline.outputs import ending, gatestate
    from pipeline.outputs.gateworkers import GateWorkers
    from pipeline.outputs.site import BuildStopped, output_is_replaceable
    from pipeline.outputs.sitewriter import SiteWriter

    shown_repo, repo = repo, repo.resolve()
    if not repo.is_dir():
        print(f"pengaduan build: '{shown_repo}' tidak ditemukan.", file=sys.stderr)
        return 2
    if not (repo / "content").is_dir():
        print(f"pengaduan build: folder content/ tidak ada di '{shown_repo}': ini bukan repositori pengaduan. "
              "Jalankan dari folder repositori (atau tulis --repo FOLDER), atau buat repositori baru dengan "
              "`pengaduan init`.", file=sys.stderr)
        return 2
    if settings is not None and not settings.is_file():
        print(f"pengaduan build: berkas pengaturan '{settings}' tidak ditemukan (--settings).", file=sys.stderr)
        return 2
    output = (output if output is not None else repo / "output").resolve()
    refusal = output_is_replaceable(output, repo)
    if refusal:
        print(f"pengaduan build: {refusal}", file=sys.stderr)
        return 2
    if cache is not None:
        from pipeline.plugin.cache import tracked_files
        tracked = tracked_files(Path(shown_repo).absolute(), cache.absolute())   # (links not followed)
        if tracked:
            print(f"pengaduan build: cache build {cache} TIDAK dipakai: git melacak berkas di dalamnya "
                  f"({tracked[0]}{' dan lainnya' if len(tracked) > 1 else ''}). Cache hanya milik mesin yang "
                  f"membangun, tidak ikut repositori. {_untrack_advice(Path(shown_repo), cache, tracked)} "
                  "Situs tetap dibangun, tanpa cache (hasilnya sama).", file=sys.stderr)
            cache = None
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.baru-", dir=output.parent))
    cache = cache.resolve() if cache is not None else None
    manifest = _manifest_file(cache, output)
    # forked now, while this process is small (see its module)
    workers = GateWorkers(early=partial(_early_gate, repo, gate_theme(repo), cache, output, manifest)
                          if cache is not None else None)
    early_gate = workers.prepare()   # (the gate's values collected from now on)
    writer = SiteWriter(output, staging, manifest)
    if early_gate and writer.previous:   # (a rebuild: its gate in the worker, nothing after the pages
        ending.hold()                    # needs what they were made from; `outputs.ending`)
    writer.on_final = workers.ready if early_gate else None   # (the open data, searched while the pages are made)
    if cache is not None:
        from pipeline.outputs.site import project_root
        from pipeline.plugin.fingerprint import fingerprint
        writer.fingerprint = fingerprint(repo, settings_file(repo, production, settings),
                                         repo / "theme", project_root(), now, production)
        if writer.up_to_date(writer.fingerprint):
            workers.close()
            writer.discard()
            for message in writer.previous_meta["messages"]:
                print(message, file=sys.stderr)
            _done(output, writer.previous)
            ending.let_go(writer)
            return 0
    from pipeline.evidence.history import people_later
    # the gate's names of the staff: git reads them while the site is built (or the worker does)
    staff_kept: dict = {}
    staff = None if early_gate else people_later(repo, staff_kept)
    new_state = None   # the early gate's state of this build, moved in when it is committed
    try:
        seen: dict = {}
        warnings = build_site(repo, staging, production, settings, now, writer, cache, seen)
        writer.adopt_staged_files()
        from pipeline.outputs.builtfiles import BuiltFiles
        built = BuiltFiles((str(staging), str(output)), writer.entries, writer.staged, writer.flat_staged())
        # always: no option or setting skips it (the state only spares re-reading clean bytes)
        plugin_cache, loaded, gate_state = seen.pop("cache", None), seen.pop("loaded", None), None
        # (while the worker searches, the commit's manifest is begun)
        early = workers.early_answer(("scan", plugin_cache[0].environment, plugin_cache[1], built),
                                     meanwhile=writer.prepare_manifest) if plugin_cache is not None else None
        if early is not None:   # (the worker saves the new state while the site is committed)
            hits, new_state = early
        else:   # (the gate runs here: what was held is freed for it)
            ending.release()
            gate_state = gatestate.load_state(cache / GATE_STATE) if cache is not None else None
            cached_values = gate_cache(plugin_cache)
            # only the records the gate's cache lacks: the others (60 MB at 10,000) are let go first
            records = gate_records(loaded, cached_values)
            loaded = None
            hits = privacy_gate(repo, built, records, gate_state, cached_values, workers, staff, staff_kept)
    except GitError as err:  # a shallow clone: the marks would be wrong
        _stop(workers, new_state, writer)
        print(f"pengaduan build: {err}\nSitus TIDAK dibangun.", file=sys.stderr)
        return 2
    except BuildStopped as stop:
        _stop(workers, new_state, writer)
        print(stop.report(), file=sys.stderr)
        print("Situs TIDAK dibangun: perbaiki galat di atas (sama dengan `pengaduan check`).",
              file=sys.stderr)
        return 1
    except RuntimeError as err:
        _stop(workers, new_state, writer)
        print(f"galat saat membangun situs:\n{err}\nSitus TIDAK dibangun.", file=sys.stderr)
        return 1
    except BaseException:
        _stop(workers, new_state, writer)
        raise
    writer.messages = [record.getMessage() for record in warnings]
    for message in writer.messages:
        print(message, file=sys.stderr)
    if hits:
        from pipeline.outputs.gate import report
        _stop(workers, new_state, writer)
        print(report(hits, _shown(output)), file=sys.stderr)
        return 1
    writer.commit(adopted=True)   # (after the build, before the gate: nothing has written since)
    workers.close()   # (waits for the early gate's saves, made while the site was committed)
    if new_state is not None:
        try:   # (a cache that cannot take it: the next build searches every file again)
            if os.path.exists(new_state):
                os.replace(new_state, cache / GATE_STATE)
        except OSError:
            if os.path.isfile(new_state):
                os.unlink(new_state)
    elif gate_state is not None:
        gatestate.save_state(cache / GATE_STATE, gate_state)
    _done(output, writer.entries)
    ending.let_go(writer, built, plugin_cache, loaded, seen)
    return 0


def _early_gate(*arguments):
    """`earlygate.prepare`, imported by the worker that runs it: the gate's modules are then
    imported on the second core, not by the build's process (7 ms of its start)."""
    from pipeline.commands import earlygate
    return earlygate.prepare(*arguments)


def _done(output: Path, files) -> None:
    """Say where the site is and how many complaint pages it has (`files`: its relative paths)."""
    pages = sum(1 for name in files if name.startswith("pengaduan/") and name.endswith("/index.html")
                and name.count("/") == 2)
    print(f"Situs dibangun di {_shown(output)}: {pages} halaman pengaduan.")


def _stop(workers, new_state: Path | None, writer) -> None:
    """A build that is not committed: the gate's workers ended, the early gate's state and the
    staged files removed."""
    workers.close()
    if new_state is not None:
        try:
            os.unlink(new_state)
        except OSError:
            pass
    writer.discard()


def _manifest_file(cache: Path | None, output: Path) -> Path | None:
    """Where the build cache keeps what it knows of this output folder (one file per folder)."""
    if cache is None:
        return None
    import hashlib
    return cache / f"output-{hashlib.sha256(str(output).encode()).hexdigest()[:16]}.pickle"


def _shown(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative
