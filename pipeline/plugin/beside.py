"""One part of a build done beside the rest: a forked child process makes it on the second core
while the build goes on, and hands back only what the build needs of it.

Forked (`outputs.forked`), the child starts with everything the build has made so far (records,
views, compiled templates): nothing is sent to it, and its result comes back pickled. It runs the
same code the build would run itself, so the files are the same bytes. Without fork or a second
core, or for small sites, the work is done in the build's own process when its result is asked
for; and so it is when the child ends without a result (killed, say, by the system when memory
ran out): the build neither hangs nor differs. A multiprocessing pool, used before, waited
forever for the result of a killed child, and cost 10 ms more per child.
"""
from __future__ import annotations

import logging
import os
import pickle

from pipeline.outputs import forked

logger = logging.getLogger(__name__)

PARALLEL_FROM = 300   # fewer views to make or complaints: a second process would cost more than it saves
LOGGERS = ("pelican", "pipeline")   # the build's loggers (commands.build collects what they log)
_RUNNING: list = []   # children not yet closed (`close_all`)


def _run(work):
    """The work, in the child: (whether it raised, its value or error, what it logged). What it
    logs comes back with its result, to be logged by the build (whose handlers collect the
    warnings and stop on errors), not printed here."""
    kept: list = []
    handler = _Keep(kept)
    for name in LOGGERS:
        each = logging.getLogger(name)
        each.handlers, each.propagate = [handler], False
    try:
        return False, work(), kept
    except BaseException as err:   # raised again by the build, as if it had done the work itself
        return True, _picklable(err), kept


def _picklable(err: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(err))
        return err
    except Exception:
        return RuntimeError(f"{type(err).__name__}: {err}")


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
        self._started = None
        if parallel and (os.cpu_count() or 1) >= 2:
            self._started = forked.start(lambda: _run(work))
            if self._started is not None:
                _RUNNING.append(self)

    def result(self):
        if self._started is None:
            return self._work()
        started, self._started = self._started, None
        _RUNNING.remove(self)
        try:
            raised, value, logged = forked.finish(started)
        except (forked.ChildFailed, OSError) as err:
            logger.warning("Proses kedua build berhenti tanpa hasil (%s); bagiannya dikerjakan di proses "
                           "utama, hasilnya sama.", err)
            return self._work()
        for record in logged:
            logging.getLogger(record.name).handle(record)
        if raised:
            raise value
        return value

    def close(self) -> None:
        if self._started is not None:
            forked.stop(self._started)
            self._started = None
            _RUNNING.remove(self)


def close_all() -> None:
    """Stop every child still running: a build that failed before asking for a result must not
    leave one writing into a staging folder that is being deleted."""
    for beside in list(_RUNNING):
        beside.close()
