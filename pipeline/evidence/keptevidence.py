"""The evidence of the last walk kept beside it (`walkstate`), so that a walk that went on from
it judges only the complaints the new commits touch, and its caller reads the rest from files.

A complaint's evidence is a function of its own changes in the history (in git log's order), its
file at the tip, the parents and dates of the commits that show them (which no later commit
changes), and the first-parent line of the tip that brought them (`history._add_publication`).
So after a walk that went on from the kept tip, a complaint's kept evidence is still its evidence
when none of its changes is new, its changes are in the same order (`Continued.order_kept`), the
renames followed lead its file's names to the same id, and the kept tip is on the new tip's
first-parent line (the line before it, and what each of its commits brought, are then the same).
`history.collect_evidence` works out which complaints that leaves stale; the tests compare the
result with a full walk after every random commit.

Kept as 16 pickles (a complaint's by a crc32 of its id) named by their sha256, and an index
(`checkedjson`) that names them with the state's key, the tip and the complaints' order: a
rebuild after one change writes one small file, and the site build's second process hands back
the index, not the evidence of every complaint (4 MB pickled at 10,000). A file that is missing
or does not match its sha256 is no evidence: the walk judges again (`stale` all).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.evidence import checkedjson

SHARDS = 16
INDEX = "evidence-kept.json"
_PREFIX = "evidence-kept."


def shard_of(complaint_id: str) -> int:
    return zlib.crc32(complaint_id.encode("utf-8", "surrogateescape")) % SHARDS


@dataclass
class KeptEvidence:
    """The evidence of every complaint at `tip`, in files of `folder` (`load()`)."""
    folder: Path
    tip: str
    order: list     # the complaint ids, in the evidence's order
    shards: list    # [file name, sha256] of each shard, by number

    def load(self) -> dict | None:
        """{complaint id: Evidence} in the kept order; None when a file is missing or changed."""
        found: dict = {}
        for number in range(SHARDS):
            part = self.shard(number)
            if part is None:
                return None
            found.update(part)
        try:
            return {complaint_id: found[complaint_id] for complaint_id in self.order}
        except KeyError:
            return None

    def by_shard(self) -> "ShardedEvidence":
        """The evidence read a file at a time, as the complaints asked for need it."""
        return ShardedEvidence(self)

    def intact(self, number: int) -> bool:
        """The shard's file holds the bytes the index names (4 MB hashed in 0.01 s at 10,000)."""
        return self._bytes(number) is not None

    def _bytes(self, number: int) -> bytes | None:
        name, digest = self.shards[number]
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == digest else None

    def shard(self, number: int) -> dict | None:
        data = self._bytes(number)
        if data is None:
            return None
        try:
            part = pickle.loads(data)
        except Exception:   # (a pickle whose sum matches was written by us: only a bug gets here)
            return None
        return part if isinstance(part, dict) else None


class LostEvidence(Exception):
    """A kept file went missing or changed after its index was read: read the history again."""


class ShardedEvidence:
    """{complaint id: Evidence} of a `KeptEvidence`, each file unpickled when a complaint in it is
    first asked for (a site build that reuses its kept judgments reads only the files that changed:
    unpickling all 16 took 0.08 s at 10,000). `get` raises LostEvidence for a file no longer
    intact."""

    def __init__(self, kept: KeptEvidence):
        self.kept = kept
        self.parts: dict = {}

    def get(self, complaint_id: str, default=None):
        number = shard_of(complaint_id)
        part = self.parts.get(number)
        if part is None:
            part = self.parts[number] = self.kept.shard(number)
            if part is None:
                raise LostEvidence(self.kept.shards[number][0])
        return part.get(complaint_id, default)


def read_index(folder: Path, key: str, tip: str) -> KeptEvidence | None:
    """The evidence kept for the walk of `tip` with the state's `key`, or None (also when a shard
    is lost or changed: the walk then judges every complaint and writes every shard again)."""
    data = checkedjson.load(folder / INDEX)
    try:
        if data["key"] != key or data["tip"] != tip or len(data["shards"]) != SHARDS:
            return None
        if not all(isinstance(name, str) and name.startswith(_PREFIX) and "/" not in name
                   for name, _ in data["shards"]):
            return None
        kept = KeptEvidence(folder, tip, list(data["order"]), [list(pair) for pair in data["shards"]])
    except (TypeError, KeyError, ValueError):
        return None
    return kept if all(kept.intact(number) for number in range(SHARDS)) else None


def keep(folder: Path, key: str, tip: str, order: list, judged: dict,
         old: KeptEvidence | None) -> KeptEvidence | None:
    """Keep the evidence of the complaints `order` for `tip`: the shards holding a complaint of
    `judged` (its new evidence) or one no longer there are written again, with the others' read
    from `old`; the other shards are `old`'s. None when the folder cannot be written, or a
    shard of `old` to read is lost (then judge them all, and keep with no `old`)."""
    ids = set(order)
    gone = [complaint_id for complaint_id in old.order if complaint_id not in ids] if old else []
    changed = {shard_of(complaint_id) for complaint_id in [*judged, *gone]} if old else set(range(SHARDS))
    parts: dict[int, dict] = {number: {} for number in changed}
    for number in changed if old else ():
        before = old.shard(number)
        if before is None:
            return None
        parts[number] = {complaint_id: found for complaint_id, found in before.items() if complaint_id in ids}
    for complaint_id in order:
        number = shard_of(complaint_id)
        if complaint_id in judged:
            parts[number][complaint_id] = judged[complaint_id]
        elif number in parts and complaint_id not in parts[number]:
            return None   # neither judged nor kept: not ours
    shards = [list(old.shards[number]) if old and number not in changed else None for number in range(SHARDS)]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for number, part in parts.items():
            shards[number] = _write(folder, number, pickle.dumps(part, pickle.HIGHEST_PROTOCOL))
    except OSError:
        return None
    checkedjson.save(folder / INDEX, {"key": key, "tip": tip, "order": order, "shards": shards}, ".evidence-kept-")
    _remove_others(folder, {name for name, _ in shards})
    return KeptEvidence(folder, tip, order, shards)


def _write(folder: Path, number: int, data: bytes) -> list:
    digest = hashlib.sha256(data).hexdigest()
    name = f"{_PREFIX}{number:02d}.{digest[:20]}.pickle"
    handle, temporary = tempfile.mkstemp(prefix=".evidence-kept-", dir=folder)
    try:   # (written again even when the name is there: a damaged file mends)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, folder / name)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
    return [name, digest]


def _remove_others(folder: Path, names: set) -> None:
    """Shards no index names any more (an older walk's)."""
    try:
        listed = os.listdir(folder)
    except OSError:
        return
    for name in listed:
        if name.startswith(_PREFIX) and name.endswith(".pickle") and name not in names:
            try:
                os.unlink(folder / name)
            except OSError:
                pass
