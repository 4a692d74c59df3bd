"""One part of a build done beside the rest: a forked child process makes it on the second core
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

PARALLEL_FROM = 300   # fewer views to make or complaints: a second process would cost more than it saves
LOGGERS = ("pelican", "pipeline")   # the build's loggers (commands.build collects what they log)
_WORK: list = []   # the work of the child about to be forked (inherited, never pickled)
_RUNNING: list = []   # children not yet closed (`close_all`)


def _run():
    """The work, in the child: what it logs comes back with its result, to be logged by the build
    (whose handlers collect the warnings and stop on errors), not printed here."""
    kept: list = []
    handler = _Keep(kept)
    for name in LOGGERS:
        each = logging.getLogger(name)
        each.handlers, each.propagate = [handler], False
    return _WORK[0](), kept


class _Keep(logging.Handler):
    def __init__(self, kept: list):
        super().__init__(logging.NOTSET)
        self.kept = kept

    def emit(self, record):
        record.msg, record.args = record.getMessage(), None   # (its arguments need not pickle)
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
        self.kept.append(record)


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
            _RUNNING.append(self)

    def result(self):
        if self._pool is None:
            return self._work()
        try:
            value, logged = self._pending.get()
        finally:
            self.close()   # (its one result taken: the child is let go at once)
        for record in logged:
            logging.getLogger(record.name).handle(record)
        return value

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            _RUNNING.remove(self)


def close_all() -> None:
    """Stop every child still running: a build that failed before asking for a result must not
    leave one writing into a staging folder that is being deleted."""
    for beside in list(_RUNNING):
        beside.close()

