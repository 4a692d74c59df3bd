"""The privacy gate of a build, begun in the first gate worker while the site is built.

`pengaduan build` forks its gate workers first (`outputs.gateworkers`). The first of them
collects the gate's values at once (`prepare`). On a rebuild they come from the build cache and
the files the cache lacks, while the build's own process is still importing Pelican and reading
the records: the second core has little else to do then. After one change at 10,000 complaints
the build took 0.6 s for the values and the scan's plan itself. On a first build (or when the
cache lost the values) the worker reads every complaint file itself (`fresh`), at low priority
while the build reads them too: at 10,000 the build's own process took 1.4 s to collect them
after its pages, with the second core idle. Then, while the site is built, it searches the
last build's files for the values added since (`EarlyGate.meanwhile`; a new complaint's reporter
is looked for in every file). When the open data is written (by another process, while the
pages are still made), the build tells the worker its files are final (before it waits for its
second process's pages), and the worker searches them at once (`EarlyGate.search_ready`: 34 MB
at 10,000, 0.13 s of the answer after one change), known by the sha256 of the bytes it read.
When the site is built, the build sends the worker its files and the keys of the records it read;
the worker searches the files it has not searched yet and answers with the hits, then saves its
part of the build cache while the build moves the site in.

The worker's values are only used when the build read exactly what the worker did: the same key
(path, git blob id) for every complaint file and, for values taken from the cache, the same
build-cache environment (program, schema, theme, policy, settings). Values the worker read from
the files themselves are this program's for those bytes: they are kept for the build's
environment. Otherwise, and whenever the worker fails, the answer is None and the build runs the
gate itself (`build.privacy_gate`): no scan is ever skipped.
"""
from __future__ import annotations

import os
from itertools import chain
from pathlib import Path
from stat import S_ISREG

from pipeline.commands.common import no_automatic_collections
from pipeline.evidence.git import clean_blob_ids
from pipeline.evidence.history import people_later
from pipeline.outputs import forked, gatepieces, gatestate
from pipeline.outputs.gate import collect, scan, scan_plan
from pipeline.outputs.gatesearch import search_bytes, search_data, search_job
from pipeline.outputs.gateworkers import shares
from pipeline.outputs.sitewriter import digest, read_manifest
from pipeline.plugin.cache import BuildCache, Memo, saved_environment
from pipeline.records.complaint import COMPLAINT_DIR, discover_names
from pipeline.records.loader import memo_key

SAVED_WITH = "template-names"   # a small entry every successful build saves: its environment


def prepare(repo: Path, theme: Path, cache: Path, output: Path | None = None,
            manifest: Path | None = None) -> EarlyGate:
    """Run by the first gate worker: the gate's values and its scan's plan. The values the cache
    keeps are taken from it; without them (a first build, a cache deleted) every complaint file is
    read here (`fresh`), while the build reads them too. `output` and its site writer's
    `manifest`: the site the last build left, searched meanwhile."""
    try:   # it has until the site is built: git's history, which the build waits for, goes first
        os.nice(10)
    except OSError:
        pass
    environment = saved_environment(cache, SAVED_WITH)   # the last build's; compared at the end
    build_cache = BuildCache(cache, environment)
    memo = Memo(build_cache.load(gatestate.VALUES) if environment else {}, packed=False)
    with no_automatic_collections():   # (100,000 values made at once: collections walked them, 0.13 s)
        return EarlyGate(repo, theme, cache, build_cache, memo, (output, manifest), fresh=not memo.entries)


class EarlyGate:
    """The gate's values of one build, and the scan that uses them (see the module)."""

    def __init__(self, repo: Path, theme: Path, cache: Path, build_cache: BuildCache, memo: Memo,
                 previous: tuple = (None, None), fresh: bool = False):
        self.build_cache, self.memo, self.cache = build_cache, memo, cache
        self.fresh = fresh   # no value came from the cache: each was read here from its file
        blob_ids = clean_blob_ids(repo, COMPLAINT_DIR.as_posix())
        paths = discover_names(repo)
        self.keys: dict = {}   # as the loader keys its records: {path: (path, blob id)}
        for text in paths:
            key = (text, blob_ids[text]) if text in blob_ids else memo_key(text)
            if key is not None:
                self.keys[text] = key
        self.published = build_cache.load(gatestate.PUBLISHED)
        self.people = build_cache.load(gatestate.PEOPLE)   # (left holding this history's)
        self.secrets = collect(repo, theme, None, memo, self.keys, people_later(repo, self.people),
                               self.published, paths)
        self.known = gatestate.load_state(cache / gatestate.STATE_FILE)
        self.plan = scan_plan(self.secrets, self.known)
        self.shortlist = self.plan.finders["shortlists"]["added"]   # (the values added since: a few, mostly)
        self.scanned = False
        self.state_file = cache / f".{gatestate.STATE_FILE}.{os.getpid()}"
        self.previous = previous   # (output, its manifest) of the last build (`meanwhile`)
        self.ahead: dict = {}   # sha256 -> the added values found in those bytes (`meanwhile`)
        self.ready: dict = {}   # sha256 -> `search_job`'s answer for those new bytes (`search_ready`)
        self._looking = None    # `meanwhile`'s walk of the last site, where it stopped

    def meanwhile(self, waiting) -> None:
        """Until the build asks (`waiting()`): the last build's files that were found clean,
        searched for the values added since (a new complaint's reporter must be looked for in
        every file of the site: 2.2 to 3.4 s the build waited for at 10,000 complaints). Most of them
        are kept as they are, so the answer need not read them again. A file is known by the
        sha256 of the bytes read here, and only a regular file of the size that build left is read
        (its time and inode are new when the output was restored from a cache). Big files (the open
        data) are left out: a new complaint changes them."""
        if self._looking is None:
            output, manifest = self.previous
            finder = self.plan.finders["added"]
            data = read_manifest(manifest, output) if finder is not None and output is not None else None
            self._looking = iter((data or {}).get("files", {}).items())
        output, finder = self.previous[0], self.plan.finders["added"]
        for relative, entry in self._looking:   # (taken up again where it stopped: `search_ready`)
            if waiting():
                self._looking = chain([(relative, entry)], self._looking)
                return
            if not isinstance(entry, dict) or entry.get("sha") not in self.plan.clean or entry.get("sha") in self.ahead:
                continue
            path, recorded = os.path.join(output, relative), entry.get("stat")
            try:   # only a regular file (never a link or a FIFO) of the size that build left
                stat = os.lstat(path)
                if not S_ISREG(stat.st_mode) or stat.st_size >= gatepieces.PIECES_FROM or \
                        not isinstance(recorded, list) or recorded[:1] != [stat.st_size]:
                    continue
                with open(path, "rb") as handle:
                    box = [handle.read(gatepieces.PIECES_FROM)]
            except OSError:
                continue
            sha = digest(box[0])
            if sha in self.plan.clean:
                self.ahead[sha] = search_bytes(box, finder, self.shortlist)

    def search_ready(self, files: list) -> None:
        """New files of this build whose bytes are final (the open data, written by another
        process while the pages are still made: 34 MB at 10,000, which the answer searched after
        the site was built), searched now as the answer would search them, and known by the
        sha256 of the bytes read: the answer reuses what it finds only for the same bytes."""
        for path in files:
            try:   # only a regular file (never a link or a FIFO put in its place)
                if not S_ISREG(os.lstat(path).st_mode):
                    continue
                with open(path, "rb") as handle:
                    box = [handle.read()]
            except OSError:
                continue
            sha = digest(box[0])
            if sha not in self.plan.clean:
                if sha not in self.ready:
                    self.ready[sha] = search_data(box, "all", self.plan.finders, self.plan.pieces)
            elif self.plan.finders["added"] is not None and sha not in self.ahead:
                self.ahead[sha] = search_bytes(box, self.plan.finders["added"], self.shortlist)

    def answer(self, question: tuple):
        """("scan", environment, keys, built files): the hits and the file the new gate state will
        be in (`later` writes it; the build moves it in once the site is committed); None when the
        build read other files than this worker did, or (values taken from the cache) another
        cache, or has no cache to keep them in."""
        _, environment, keys, built = question
        if keys != self.keys or not environment:
            return None
        if environment != self.build_cache.environment:
            if not self.fresh:   # (values kept by another program, schema or theme: not this build's)
                return None
            # every value was read from the files the build read, by this program: kept for its environment
            self.build_cache = BuildCache(self.cache, environment)
        hits = scan(built, self.secrets, self.known, ForkedHalf(self.plan.finders), self.plan, self.ahead, self.ready)
        self.scanned = True
        return hits, self.state_file

    def later(self) -> None:
        """After the answer, while the build commits: the values and the state, saved."""
        if self.scanned:
            self.memo.save_and_release(self.build_cache, gatestate.VALUES)
            self.build_cache.save(gatestate.PUBLISHED, self.published)
            if self.people:
                self.build_cache.save(gatestate.PEOPLE, self.people)
            gatestate.save_state(self.state_file, self.known)
            self.scanned = False


class ForkedHalf:
    """The early gate's second searcher (`scan`'s `workers`): half the files, by size, searched by
    a child forked for the search, which inherits the automata (none is made again), the other
    half here. The open data alone, 45 MB at 10,000 complaints, took one process 0.33 s."""

    def __init__(self, finders: dict):
        self.finders = finders

    def __bool__(self) -> bool:
        return True

    def search(self, jobs: list, words: dict, pieces: set) -> list | None:
        """`GateWorkers.search`'s answer (`words` are in the automata already); None when the
        child failed: `scan` then searches every file itself."""
        here, there = shares(jobs, 2)
        started = forked.start(lambda: [(index, search_job(*jobs[index], self.finders, pieces)) for index in there])
        if started is None:
            return None
        found: list = [None] * len(jobs)
        try:
            for index in here:
                found[index] = search_job(*jobs[index], self.finders, pieces)
        except BaseException:
            forked.stop(started)
            raise
        try:
            answers = forked.finish(started)
        except (forked.ChildFailed, OSError):
            return None
        for index, answer in answers:
            found[index] = answer
        return found
