"""The build cache's sharded entries (`plugin.cache.BuildCache`): a build writes only the shards
whose keys changed, and the next build reads exactly the entries saved."""
from __future__ import annotations

import pickle

from pipeline.plugin.cache import BuildCache, shard_of

NAME = "records"


def _entries(keys) -> dict:
    return {("content/complaints/x.md", f"{key:040x}"): {"id": f"ADU-{key}"} for key in keys}


def _stamps(folder) -> dict:
    return {path.name: path.stat().st_mtime_ns for path in folder.glob(f"{NAME}.*.pickle")}


def _saved(folder, entries: dict) -> None:
    cache = BuildCache(folder, "lingkungan")
    cache.load(NAME)
    cache.save(NAME, entries)


def test_only_the_shards_of_the_keys_that_came_and_went_are_written(tmp_path):
    first = _entries(range(200))
    _saved(tmp_path, first)
    assert len(_stamps(tmp_path)) == BuildCache.SHARDS
    before = _stamps(tmp_path)
    later = {key: value for key, value in first.items() if key != next(iter(first))}
    later.update(_entries([500, 501]))
    _saved(tmp_path, later)
    changed = {name for name, stamp in _stamps(tmp_path).items() if stamp != before[name]}
    expected = {f"{NAME}.{shard_of(key, BuildCache.SHARDS):02d}.pickle"
                for key in [next(iter(first)), *_entries([500, 501])]}
    assert changed == expected
    assert BuildCache(tmp_path, "lingkungan").load(NAME) == later
    before = _stamps(tmp_path)
    _saved(tmp_path, later)   # nothing came or went: nothing written
    assert _stamps(tmp_path) == before


def test_a_damaged_shard_or_a_key_in_two_shards_is_put_right_by_the_next_save(tmp_path):
    entries = _entries(range(100))
    _saved(tmp_path, entries)
    (tmp_path / f"{NAME}.03.pickle").write_bytes(b"rusak")
    key = next(iter(entries))
    other = (shard_of(key, BuildCache.SHARDS) + 1) % BuildCache.SHARDS
    stored = pickle.loads((tmp_path / f"{NAME}.{other:02d}.pickle").read_bytes())
    stored["entries"][key] = entries[key]   # (also in a shard it does not belong to)
    (tmp_path / f"{NAME}.{other:02d}.pickle").write_bytes(pickle.dumps(stored))
    _saved(tmp_path, entries)
    shards = {path.name: pickle.loads(path.read_bytes())["entries"] for path in tmp_path.glob(f"{NAME}.*.pickle")}
    assert sum(len(part) for part in shards.values()) == len(entries)
    assert BuildCache(tmp_path, "lingkungan").load(NAME) == entries
