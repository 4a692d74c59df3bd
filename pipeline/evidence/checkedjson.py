"""A kept state file that says whether it is whole: the first line is the sha256 of the JSON that
follows. It is written to a temporary file and moved in, and read back only when the sum matches,
so a damaged, truncated or half-written file is no state at all (the caller then reads in full).
The evidence's kept walks of the history (`walkstate`) and of the stamp branch (`stampstate`)."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path


def save(path: Path, data, prefix: str) -> None:
    """Write `data` as a checked file; a folder that cannot be written to is left as it is (the
    next run only reads more)."""
    payload = json.dumps(data, separators=(",", ":")).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def load(path: Path):
    """The data of a checked file; None when it is missing, damaged or not JSON."""
    try:
        check, _, payload = path.read_bytes().partition(b"\n")
        if check.decode("ascii") != hashlib.sha256(payload).hexdigest():
            return None
        return json.loads(payload)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
