"""Judgments kept between site builds: a rebuild judges again only the complaints whose judgment
could be different.

What `deadlines.evaluate` makes of one complaint (its judged stages and its warnings) is a
function of its file, the policy, its evidence, what the trusted timestamps say of its versions,
and "now". A kept judgment is reused only when each is what it was, checked by something cheaper
than itself:
- the file by its record key (path and git blob id, as the build cache keys the records);
- the policy (and the calendar, and this program) by the build cache's environment key: the
  caller keeps these entries in files valid for that key only;
- the evidence by the sha256 of the kept-evidence file that holds it (`evidence.keptevidence`:
  the same bytes hold the same evidence of each of its complaints);
- the timestamps by all the judgment reads of them (`deadlines.proof_facts`);
- "now" by a window: "now" decides only, per stage, whether it is past due (an open stage's
  status), due by the horizon (`due_soon`; the horizon is worked out from "now") and shown by a
  commit dated after "now" (the flag `future`). Each is a comparison with a moment the rest
  fixes, so the judgment holds for every "now" (and horizon) between the nearest such moments,
  to the microsecond.
A test judges random histories at random times (at and beside every such moment) with random
timestamps, both ways, and compares every result.

Each entry also holds the three moments of its evidence that the report's readers use (the
pages' marks, the recap, the board, the open data: `KeptMoments`), so a reused judgment needs no
evidence read (`evidence.keptevidence.ShardedEvidence` reads only the files of the others), the
blob ids of its versions (what the timestamps are checked against), and a `memo`: what a
consumer makes from a complaint's judgment and file alone (the site's view key), so that it is not
made again either.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from pipeline.evidence.keptevidence import SHARDS, shard_of
from pipeline.report.plausibility import latest_date

NAME = "judged"   # the build cache's files: judged-00.pickle ... judged-15.pickle
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)
_ALWAYS = (-(1 << 62), 1 << 62)


def microseconds(moment: datetime) -> int:
    """An aware moment as whole microseconds since 1970 (compared exactly, as datetimes are)."""
    return (moment - _EPOCH) // _MICROSECOND


@dataclass(frozen=True)
class KeptMoments:
    """The evidence of a complaint whose judgment was reused: its three moments, all that the
    report's readers take of it (anything else they asked for would fail loudly, not be empty)."""
    recorded_at: datetime | None
    responded_at: datetime | None
    published_at: datetime | None


class KeptJudgments:
    """The kept entries, {complaint id: entry}, in groups by kept-evidence file, read and left
    holding this build's. `sources`: {complaint path (str): record key}; `digests` (set by
    `deadlines.build_report` when the evidence was read from the kept files): each file's
    sha256, by number. An entry: (file number, its sha256, record key, window of "now", window
    of the horizon, proof facts, moments, blob ids of its versions and of those holding the
    response, plain stage rows, warnings, memo)."""

    def __init__(self, stored: dict | None, sources: dict):
        self.stored = stored if isinstance(stored, dict) else {}
        self.sources = sources
        self.digests: list | None = None
        self.used: dict = {}     # complaint id -> entry, this build's
        self.made: set = set()   # group numbers with an entry made in this build
        self._memo_sizes = [0] * SHARDS   # by group: the reused memos' sizes as they were read
        self.now = self.horizon = self.tolerance = 0

    def start(self, now: datetime, horizon: datetime, tolerance: timedelta) -> None:
        self.now, self.horizon, self.tolerance = microseconds(now), microseconds(horizon), tolerance // _MICROSECOND

    def find(self, complaint_id: str, path: str, facts_of) -> tuple | None:
        """The kept (rows, warnings, memo, moments) of a complaint, when nothing it depends on
        changed. `facts_of(moments, versions, responses)`: what the timestamps say of them now."""
        entry = self.stored.get(complaint_id)
        if entry is None or self.digests is None:
            return None
        number, digest, source, (low, high), (soon_low, soon_high), facts, moments, blobs, *kept = entry
        if digest != self.digests[number] or source != self.sources.get(path) \
                or not low <= self.now <= high or not soon_low <= self.horizon <= soon_high \
                or facts != facts_of(moments, *blobs):
            return None
        self.used[complaint_id] = entry
        self._memo_sizes[number] += len(kept[2])
        return (*kept, moments)

    def keep(self, complaint_id: str, path: str, facts, found, due: list, latest: list, rows: tuple,
             warnings: list) -> dict | None:
        """Keep a judgment made in this build from the evidence `found` (`due`: its stages' due
        times, `latest`: the latest date of the commit showing each, or None); its memo (None:
        not kept)."""
        source = self.sources.get(path)
        if source is None or self.digests is None:
            return None
        number = shard_of(complaint_id)
        memo: dict = {}
        moments = KeptMoments(found.recorded_at, found.responded_at, found.published_at)
        self.used[complaint_id] = (number, self.digests[number], source, self._window(due, latest),
                                   self._horizon_window(due), facts, moments,
                                   (tuple(found.versions), tuple(found.responses)), rows, warnings, memo)
        self.made.add(number)
        return memo

    def _window(self, due: list, latest: list) -> tuple[int, int]:
        """The "now"s for which each stage's past due (now > due) and `future` (latest > now +
        tolerance) are what they are now."""
        low, high = _ALWAYS
        for due_at, shown in zip(due, latest):
            moment = microseconds(due_at)
            if self.now > moment:
                low = max(low, moment + 1)
            else:
                high = min(high, moment)
            if shown is not None:
                edge = microseconds(shown) - self.tolerance   # future: now < edge
                if self.now < edge:
                    high = min(high, edge - 1)
                else:
                    low = max(low, edge)
        return low, high

    def _horizon_window(self, due: list) -> tuple[int, int]:
        """The horizons for which each stage's due <= horizon is what it is now."""
        low, high = _ALWAYS
        for due_at in due:
            moment = microseconds(due_at)
            if moment <= self.horizon:
                low = max(low, moment)
            else:
                high = min(high, moment - 1)
        return low, high

    def changed(self) -> dict:
        """{number: entries} of the groups to save: those with an entry made, one no longer used,
        or a memo that grew (every other group's file holds what it held)."""
        if self.digests is None:
            return {}
        groups: list = [{} for _ in range(SHARDS)]
        memo_sizes, before = [0] * SHARDS, [0] * SHARDS
        for complaint_id, entry in self.used.items():
            groups[entry[0]][complaint_id] = entry
            memo_sizes[entry[0]] += len(entry[-1])
        for entry in self.stored.values():
            before[entry[0]] += 1
        return {number: entries for number, entries in enumerate(groups) if number in self.made
                or len(entries) != before[number] or memo_sizes[number] != self._memo_sizes[number]}

    def save(self, cache) -> None:
        """Write the groups `changed` into the build cache (`plugin.cache.BuildCache`)."""
        for number, entries in self.changed().items():
            cache.save(f"{NAME}-{number:02d}", entries)


def load_kept(cache, sources: dict) -> KeptJudgments:
    """The judgments kept in the build cache (`plugin.cache.BuildCache`, valid for its
    environment only); `sources` as `KeptJudgments` takes it."""
    stored: dict = {}
    for number in range(SHARDS):
        stored.update(cache.load(f"{NAME}-{number:02d}"))
    return KeptJudgments(stored, sources)
