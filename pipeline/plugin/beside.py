"""One part of a build done beside the rest: a forked child process renders it on the second core
while the build goes on, and hands back only what the build needs of it.

Forked, the child starts with everything the build has made so far (records, views, compiled
templates): nothing is sent to it, and its result comes back pickled. It runs the same code the
build would run itself, so the files are the same bytes. Without fork or a second core, or for
small sites, the work is done in the build's own process when its result is asked for.
"""
from __future__ import annotations

import logging
import multiprocessing
import os

logger = logging.getLogger(__name__)
PARALLEL_FROM = 300   # fewer views to make: a second process would cost more than it saves
_WORK: list = []   # the work of the child about to be forked (inherited, never pickled)


def _run():
    return _WORK[0]()


class Beside:
    """`work()` started beside the caller (`parallel`), its result taken by `result()`; `close()`
    always (it stops a child whose result was never asked for)."""

    def __init__(self, work, parallel: bool = True):
        self._work = work
        self._pool = None
        if parallel and (os.cpu_count() or 1) >= 2 and "fork" in multiprocessing.get_all_start_methods():
            _WORK[:] = [work]
            try:
                self._pool = multiprocessing.get_context("fork").Pool(1)
            finally:
                _WORK.clear()
            self._pending = self._pool.apply_async(_run)

    def result(self):
        if self._pool is None:
            return self._work()
        return self._pending.get()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def parallel_from(value) -> int:
    """PENGADUAN_PARALLEL_FROM as a whole number; anything else is said (and stops the build)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    logger.error("PENGADUAN_PARALLEL_FROM di berkas pengaturan harus bilangan bulat 0 atau lebih (mis. 300), "
                 "bukan %r. Perbaiki berkas pengaturan Pelican, lalu bangun lagi.", value)
    return PARALLEL_FROM
