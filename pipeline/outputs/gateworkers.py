"""The privacy gate's second and third processes, forked while the build is still small.

The gate searches the built files on both cores. A process forked when the gate runs counts every
page of the build's process as its own: at 10,000 complaints it held 300 MB before it read a
byte, and 450 MB at its peak, the build's largest process. So `pengaduan build` forks these
workers first, when its process holds little more than Python, and sends them the values to look
for only when the site is built. They share nothing with the build afterwards: each gets the
values and its share of the files through a pipe, makes its own automata, and answers with what
it found. If a worker fails in any way, the gate searches in its own process (`gate.scan`), so no
search is ever skipped.

The first worker also gets work from the start (`early`, `prepare`, `early_answer`): collecting
the gate's values while the site is built, from the build cache on a rebuild (while the build
starts, when the second core has little to do), from the complaint files on a first build (at low
priority: the build then need not collect them after its pages; `commands.earlygate`).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys


class GateWorkers:
    """Two searching processes (none on one core or without fork); `close()` ends them."""

    def __init__(self, count: int = 2, early=None):
        """`early`: a function the first worker calls when `prepare()` asks; what it returns (None,
        or an object with `answer(question)` and `later()`, called after each answer is sent, and
        maybe `meanwhile(waiting)`, called until a question waits) answers `early_answer`'s
        questions."""
        self._workers: list = []   # (process, connection)
        self._early = early
        self._prepared = False     # the first worker was asked to prepare
        self._answered = False     # and has answered since
        if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):   # nothing buffered is written twice
            stream.flush()
        try:
            for index in range(count):
                here, there = context.Pipe()
                process = context.Process(target=_serve, args=(there, early if index == 0 else None), daemon=True)
                process.start()
                there.close()
                self._workers.append((process, here))
        except OSError:
            self.close()

    def __bool__(self) -> bool:
        return bool(self._workers)

    def prepare(self) -> bool:
        """Let the first worker start `early` now (it answers nothing until asked). False when
        there is no such work or no worker."""
        if not self._workers or self._early is None:
            return False
        try:
            self._workers[0][1].send(("prepare",))
        except OSError:
            self.close()
            return False
        self._prepared = True
        return True

    def early_answer(self, question, meanwhile=None):
        """The answer of `early`'s result to `question` (waiting for the worker to be done
        preparing), or None: no early work, it found nothing to do, or it failed. `meanwhile()`,
        if given, is called once the question is sent (not when there is no one to ask)."""
        if not self._prepared or not self._workers:
            return None
        connection = self._workers[0][1]
        try:
            connection.send(("answer", question))
        except (OSError, ValueError, TypeError):
            self.close()
            return None
        if meanwhile is not None:   # (its own errors are not the worker's)
            meanwhile()
        try:
            reply = connection.recv()
        except (OSError, EOFError, ValueError, TypeError):
            self.close()
            return None
        self._answered = True
        return reply

    def ready(self, files: list) -> None:
        """Files of the build whose bytes are final, for the first worker's early work to search
        before it is asked (`early`'s `search_ready`; no answer). Nothing when there is none."""
        if not self._prepared or self._answered or not self._workers:
            return
        try:
            self._workers[0][1].send(("ready", [str(path) for path in files]))
        except OSError:
            self.close()

    def search(self, jobs: list, words: dict, pieces: set) -> list[tuple[set, set]] | None:
        """`gatesearch.search_job`'s answer for each job's file (`jobs`: (file, which automaton); `words`:
        the values of each automaton; `pieces`: the digests of pieces found clean before), or None
        when a worker failed: the caller then searches."""
        if not self._workers:
            return None
        found: list = [None] * len(jobs)
        try:
            for (_, connection), share in zip(self._workers, shares(jobs, len(self._workers))):
                connection.send(("search", words, pieces, [(index, jobs[index][0], jobs[index][1]) for index in share]))
            for _, connection in self._workers:
                reply = connection.recv()
                for index, answer in reply:   # (a failed worker's None raises TypeError)
                    found[index] = answer
        except (OSError, EOFError, ValueError, TypeError):
            found = None
        if found is None or any(item is None for item in found):
            self.close()   # never used again: a reply still in a pipe must not answer the next search
            return None
        return found

    def close(self) -> None:
        if self._workers and self._prepared and not self._answered:
            self._workers[0][0].terminate()   # still preparing what no one will ask for: not waited for
        self._prepared = False
        for _, connection in self._workers:
            try:
                connection.send(None)
                connection.close()
            except OSError:
                pass
        for process, _ in self._workers:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
        self._workers = []


def shares(jobs: list, count: int) -> list[list[int]]:
    """The jobs' indexes split by size, largest first, each to the least-loaded worker (after one
    change the work is a few big open-data files and many small pages)."""
    from pipeline.outputs.gatesearch import file_size   # (the gate's modules: imported where it searches)
    shares: list[list[int]] = [[] for _ in range(count)]
    loads, sizes = [0] * count, [file_size(path) or 1 for path, _ in jobs]
    for index in sorted(range(len(jobs)), key=lambda index: -sizes[index]):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += sizes[index]
    return shares


def _serve(connection, early=None) -> None:
    """A worker: for each ("search", values, pieces, share) received, the values found in each file
    of its share; ("prepare",): calls `early` (no reply); ("ready", files): its result searches
    them (no reply); ("answer", question): what its result answers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the build's to handle; it ends us
    prepared = None
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:   # closed: gone at once, not after freeing what it holds (the
            os._exit(0)       # early gate's values: 0.06 s the build waited for)
        try:
            if message[0] == "prepare":
                try:
                    prepared = early() if early is not None else None
                    if hasattr(prepared, "meanwhile"):
                        prepared.meanwhile(connection.poll)   # (until the build sends its question)
                except Exception:   # the build then does the work itself
                    prepared = None
                continue
            if message[0] == "ready":
                try:
                    if hasattr(prepared, "search_ready"):
                        prepared.search_ready(message[1])
                        prepared.meanwhile(connection.poll)   # (where it stopped)
                except Exception:
                    prepared = None
                continue
            if message[0] == "answer":
                reply = prepared.answer(message[1]) if prepared is not None else None
            else:
                from pipeline.outputs.gatesearch import search_job
                from pipeline.outputs.gatetext import finders as finders_of
                _, words, pieces, share = message
                finders = finders_of(words)
                reply = [(index, search_job(path, which, finders, pieces)) for index, path, which in share]
        except Exception:   # any failure: the gate searches these files itself
            reply = None
        try:
            connection.send(reply)
        except OSError:
            return
        if prepared is not None and message[0] == "answer":
            try:
                prepared.later()
            except Exception:   # (what it saves is a cache: the next build is only slower)
                prepared = None
