"""A value made by a forked child on the second core while the caller goes on (`start`, then
`finish`): the child inherits what the caller holds, so nothing is sent to it, and pickles back
only its value through a pipe. It leaves with `os._exit`, so no handler or buffer of the caller's
runs twice.
"""
from __future__ import annotations

import os
import pickle


class ChildFailed(Exception):
    """The child did not hand back its value (it failed, or was killed)."""


def start(work) -> tuple[int, int] | None:
    """Fork a child that hands back `work()`: (its pid, the end of the pipe to read), or None when
    there is no fork."""
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
                pickle.dump(work(), stream, pickle.HIGHEST_PROTOCOL)
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
    try:
        return pickle.loads(data)
    except Exception as err:
        raise ChildFailed(str(err)) from err


def stop(started: tuple[int, int]) -> None:
    """End a child whose value is not wanted (killed, its pipe closed, waited for)."""
    child, read = started
    for step in (lambda: os.close(read), lambda: os.kill(child, 9), lambda: os.waitpid(child, 0)):
        try:
            step()
        except OSError:
            pass
