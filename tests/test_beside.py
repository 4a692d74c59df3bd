"""The second process of a big build (`plugin.beside`): a real fork; what it logs reaches the
build's own handlers once, as if the build had logged it (the build collects the warnings it
shows and stops on an error), and its errors stop the build."""
import logging
import os

import pytest

from pipeline.plugin.beside import Beside

pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the work is done in-process")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def _work():
    logging.getLogger("pipeline.plugin.test").warning("halaman %s: %s", 3, {"kunci": object()})
    return os.getpid()


def test_what_the_second_process_logs_reaches_the_builds_handlers_once():
    collect = _Collect()
    logger = logging.getLogger("pipeline")
    logger.addHandler(collect)
    try:
        beside = Beside(_work)
        try:
            child = beside.result()
        finally:
            beside.close()
    finally:
        logger.removeHandler(collect)
    assert child != os.getpid()   # (done in a second process, not here)
    assert [record.getMessage()[:30] for record in collect.records] == ["halaman 3: {'kunci': <object o"]
    assert collect.records[0].name == "pipeline.plugin.test" and collect.records[0].levelno == logging.WARNING


def _fails():
    raise ValueError("rusak")


def test_an_error_in_the_second_process_stops_the_build():
    beside = Beside(_fails)
    try:
        with pytest.raises(ValueError, match="rusak"):
            beside.result()
    finally:
        beside.close()


def _writes_late(folder):
    import time
    time.sleep(1.0)
    (folder / "data").mkdir()   # as the open data would, into a staging folder
    return True


def test_a_build_that_fails_stops_its_children_before_the_staging_folder_goes(tmp_path):
    """`build_site` calls `close_all` whatever happened: a child still running must not write into
    a staging folder after the build deleted it (it would leave a stray folder beside the site)."""
    from functools import partial

    from pipeline.plugin.beside import close_all
    started = Beside(partial(_writes_late, tmp_path))
    close_all()
    import time
    time.sleep(1.5)
    assert not (tmp_path / "data").exists()
    started.close()   # (closing twice is harmless)


def _killed_in_a_child(parent: int):
    if os.getpid() != parent:
        os.kill(os.getpid(), 9)   # as the system's out-of-memory killer would
    return "dibuat"


def test_a_child_killed_by_the_system_neither_hangs_nor_changes_the_build():
    """A multiprocessing pool waited forever for a killed child's result: the build hung until
    the CI's time ran out. Now the build does that part itself (the same code: the same bytes)
    and says so."""
    import signal
    from functools import partial
    collect = _Collect()
    logger = logging.getLogger("pipeline")
    logger.addHandler(collect)
    def hung(*_):
        raise TimeoutError("the build hung")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)   # (a hang fails the test instead of the whole run)
    try:
        beside = Beside(partial(_killed_in_a_child, os.getpid()))
        try:
            assert beside.result() == "dibuat"
        finally:
            beside.close()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        logger.removeHandler(collect)
    assert [record.getMessage() for record in collect.records] == [
        "Proses kedua build berhenti tanpa hasil (dihentikan sinyal 9); bagiannya dikerjakan di proses utama, "
        "hasilnya sama."]


class _Unpicklable(Exception):
    def __init__(self, message, handle):
        super().__init__(message)
        self.handle = handle

    def __reduce__(self):
        raise TypeError("cannot pickle")


def _fails_unpicklably():
    raise _Unpicklable("berkas rusak", object())


def test_an_error_that_cannot_be_pickled_still_stops_the_build_with_its_message():
    beside = Beside(_fails_unpicklably)
    try:
        with pytest.raises(RuntimeError, match="_Unpicklable: berkas rusak"):
            beside.result()
    finally:
        beside.close()
