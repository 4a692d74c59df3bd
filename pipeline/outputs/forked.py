"""A value made by a forked child on the second core while the caller goes on (`start`, then
`finish`), or a series of values, each taken when the caller needs it (`start_series`, `take`):
the child inherits what the caller holds, so nothing is sent to it, and pickles back only its
values through a pipe. It leaves with `os._exit`, so no handler or buffer of the caller's runs
twice.
"""
from __future__ import annotations

import os
import pickle
import struct

_LENGTH = struct.Struct(">Q")   # before each value of a series: its pickle's length


class ChildFailed(Exception):
    """The child did not hand back its value (it failed, or was killed)."""


def start(work) -> tuple[int, int] | None:
    """Fork a child that hands back `work()`: (its pid, the end of the pipe to read), or None when
    there is no fork."""
    return _fork(lambda stream: pickle.dump(work(), stream, pickle.HIGHEST_PROTOCOL))


def start_series(work) -> tuple[int, int] | None:
    """Fork a child that hands back each value `work()` yields, as soon as it is made (`take`
    them in turn, then `stop`)."""
    def send(stream):
        for value in work():
            data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            stream.write(_LENGTH.pack(len(data)) + data)
            stream.flush()
    return _fork(send)


def _fork(send) -> tuple[int, int] | None:
    if not hasattr(os, "fork"):
        return None
    read, write = os.pipe()
    try:
        child = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if child == 0:   # (never returns)
        status = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as stream:
                send(stream)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return child, read


def finish(started: tuple[int, int]):
    """The value of the child `start` forked, once it is done; raises ChildFailed."""
    child, read = started
    try:
        with os.fdopen(read, "rb") as stream:
            data = stream.read()
    finally:
        _, status = os.waitpid(child, 0)
    if status != 0:
        code = os.waitstatus_to_exitcode(status)
        raise ChildFailed(f"dihentikan sinyal {-code}" if code < 0 else f"kode keluar {code}")
    return _loads(data)


def take(started: tuple[int, int]):
    """The next value of the child `start_series` forked, once it is made; raises ChildFailed
    (the child then ended: `stop` it all the same)."""
    header = _read_exactly(started[1], _LENGTH.size)
    return _loads(_read_exactly(started[1], _LENGTH.unpack(header)[0]))


def _read_exactly(descriptor: int, size: int) -> bytes:
    parts, left = [], size
    while left:
        part = os.read(descriptor, min(left, 1 << 20))
        if not part:
            raise ChildFailed("berhenti sebelum nilainya lengkap")
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _loads(data: bytes):
    try:
        return pickle.loads(data)
    except Exception as err:
        raise ChildFailed(str(err)) from err


def stop(started: tuple[int, int]) -> None:
    """End a child whose value is not wanted, or no longer (killed, its pipe closed, waited for)."""
    child, read = started
    for step in (lambda: os.close(read), lambda: os.kill(child, 9), lambda: os.waitpid(child, 0)):
        try:
            step()
        except OSError:
            pass
