"""What the privacy gate's last scan found clean, kept in the build cache (`gate.json`): the sha256
of each file's bytes found clean, of each piece of a big file found clean (`gatepieces`), and of
each value searched for, never a value itself
(`gate.scan` reads and updates it). Made by another version of the gate's comparison, or damaged,
it is no state: every file is searched again."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

STATE_FORMAT = 3   # 2: values named by their sha256; 3: pieces of big files
# The gate's entries in the build cache:
STATE_FILE = "gate.json"         # the bytes it found clean, and against what (this module's)
VALUES = "gate-values"           # each complaint file's private values, by blob id
PUBLISHED = "gate-published"     # the values each file's public text holds
PEOPLE = "gate-people"           # the staff names of the history, and the commits it was read to


def load_state(path: Path) -> dict:
    """What a previous scan found clean (see `scan`); empty when missing, damaged or made by
    another version of the gate (then every file is searched again)."""
    try:
        stored = json.loads(Path(path).read_text(encoding="utf-8"))
        if stored.get("format") == STATE_FORMAT and stored.get("code") == _code_key():
            return {"needles": frozenset(map(str, stored["needles"])), "clean": set(map(str, stored["clean"])),
                    "pieces": set(map(str, stored["pieces"]))}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    return {}


def save_state(path: Path, state: dict) -> None:
    if not state:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".gate-", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            # (dumps, not dump: `dump` streams through the pure-Python encoder)
            stream.write(json.dumps({"format": STATE_FORMAT, "code": _code_key(), "needles": sorted(state["needles"]),
                                     "clean": sorted(state["clean"]), "pieces": sorted(state.get("pieces", ()))}))
        os.replace(temporary, path)
    except OSError:
        pass  # the next build searches every file again


def _code_key() -> str:
    """The gate's modules and the automaton's version: a change to how text is compared voids the state."""
    from importlib.metadata import version

    # (imported here: the build's process needs only the names above, its worker the gate)
    from pipeline.outputs import gate, gatechars, gatenumbers, gatepaths, gatepieces, gatesearch, gatetext
    modules = (gate, gatechars, gatenumbers, gatepaths, gatepieces, gatesearch, gatetext)
    return hashlib.sha256(b"".join(Path(module.__file__).read_bytes() for module in modules) +
                          version("pyahocorasick").encode()).hexdigest()
