"""Kept judgments (pipeline/report/keptjudgment.py): a judgment reused from the build cache must be
the judgment made afresh, at every "now" and with every set of trusted timestamps.

Real repositories with controlled dates: complaints received at random moments, recorded, edited
and answered by commits whose author dates are skewed at random (backdated, or in the future),
some answered on a branch and merged (publication), some answers taken back. After each round of
commits the evidence is read as the site build reads it (the kept walk's files), then judged at
random "now"s, most of them a microsecond before, at or after a moment that decides a result (a
due time, a commit's date less the tolerance, a local midnight, where the horizon moves), with
random trusted timestamps (valid, invalid, under an unknown CA, removed, or no stamp branch at
all): once with the judgments kept by the evaluations before (saved into and read back from a
real build cache), once afresh. Every stage, warning and mark must be the same, and so must what
a consumer remembered in an entry's memo.
"""
from __future__ import annotations

import random
from concurrent.futures import Future
from datetime import datetime, timedelta, timezone

import pytest

from gitrepo import RESPONSE, ROOT, GitRepo, complaint_path, complaint_text

from pipeline.evidence.history import collect_evidence
from pipeline.evidence.keptevidence import KeptEvidence, shard_of
from pipeline.evidence.stamps import Proofs, Token
from pipeline.plugin.cache import BuildCache
from pipeline.records.loader import load, memo_key
from pipeline.report.deadlines import build_report, complaint_marks, evaluate, read_history, to_json
from pipeline.report.keptjudgment import load_kept
from pipeline.report.plausibility import latest_date

WIB = timezone(timedelta(hours=7))
MICROSECOND = timedelta(microseconds=1)
STRICT = "\nbukti:\n  toleransi_menit: 30\n  wajib_stempel: true\n"


class Puskesmas:
    """A repository whose complaints are recorded and answered at random, with skewed dates."""

    def __init__(self, root, seed: int, policy: str = ""):
        self.repo = GitRepo(root / "repo", (ROOT / "puskesmas.yaml").read_text(encoding="utf-8") + policy)
        self.rng = random.Random(seed)
        self.clock = datetime(2026, 3, 2, 8, 0, tzinfo=WIB)
        self.files: dict[str, dict] = {}   # id -> fields besides the defaults
        self.count = 0

    def dates(self) -> tuple[str, str]:
        """(author date, committer date) of the next commit: now and then backdated or ahead."""
        self.clock += timedelta(minutes=self.rng.randint(5, 900))
        author, chance = self.clock, self.rng.random()
        if chance < 0.15:
            author -= timedelta(hours=self.rng.uniform(2, 80))
        elif chance < 0.22:
            author += timedelta(days=self.rng.uniform(0.01, 40))
        return author.isoformat(), self.clock.isoformat()

    def text(self, cid: str) -> str:
        return complaint_text(cid, self.files[cid]["diterima"],
                              **{k: v for k, v in self.files[cid].items() if k != "diterima"})

    def add(self) -> str:
        self.count += 1
        received = self.clock - timedelta(hours=self.rng.uniform(0, 40))
        cid = f"ADU-{received:%Y%m%d}-" + f"{self.count:04d}".replace("0", "Q")   # a letter for each 0
        self.files[cid] = {"diterima": received.strftime("%Y-%m-%d %H:%M")}
        self.repo.commit(f"Record {cid}", *self.dates(), files={complaint_path(cid): self.text(cid)})
        return cid

    def edit(self) -> None:
        cid = self.rng.choice(sorted(self.files))
        self.files[cid]["ringkasan"] = f"Antrean panjang di loket, catatan {self.rng.randrange(999)}."
        self.repo.commit(f"Edit {cid}", *self.dates(), files={complaint_path(cid): self.text(cid)})

    def answer(self) -> None:
        """Answer (or take back the answer of) a complaint, on main or through a merged branch."""
        cid = self.rng.choice(sorted(self.files))
        if "tanggapan" in self.files[cid]:
            del self.files[cid]["tanggapan"]
        else:
            self.files[cid]["tanggapan"] = {**RESPONSE, "isi": f"{RESPONSE['isi']} ({self.rng.randrange(99)})"}
        if self.rng.random() < 0.5:
            self.repo.commit(f"Answer {cid}", *self.dates(), files={complaint_path(cid): self.text(cid)})
            return
        name = f"answer-{self.count}-{self.rng.randrange(10**6)}"
        self.repo.branch(name)
        self.repo.commit(f"Answer {cid}", *self.dates(), files={complaint_path(cid): self.text(cid)})
        self.repo.checkout("main")
        self.repo.merge(name, self.dates()[1])

    def rewrite(self) -> None:
        """main's last commit made again with the same files and other dates (a force-push):
        every file's bytes as they were, the evidence not."""
        self.repo.git("reset", "-q", "--soft", "HEAD~1")
        self.repo.commit("Rewritten", *self.dates())

    def draft(self) -> None:
        """A complaint's receipt time corrected in the folder, not committed yet: its bytes
        change, its evidence does not."""
        cid = self.rng.choice(sorted(self.files))
        received = datetime.strptime(self.files[cid]["diterima"], "%Y-%m-%d %H:%M")
        moved = received + timedelta(minutes=self.rng.choice([-1, 1]) * self.rng.randint(1, 300))
        if moved.date() == received.date():
            self.files[cid]["diterima"] = moved.strftime("%Y-%m-%d %H:%M")
            self.repo.write(complaint_path(cid), self.text(cid))

    def round(self) -> None:
        for _ in range(self.rng.randint(1, 4)):
            action = self.rng.choice([self.add, self.add, self.edit, self.answer, self.answer, self.answer,
                                      self.rewrite, self.draft])
            (self.add if not self.files else action)()


def random_proofs(rng: random.Random, evidence: dict) -> Proofs | None:
    """Tokens over random versions of the complaints: valid (at a random time near the
    version's), invalid, under an unknown CA, removed; or no stamp branch (None)."""
    if rng.random() < 0.3:
        return None
    tokens = []
    for found in evidence.values():
        for blob in found.versions:
            if rng.random() < 0.45:
                continue
            base = found.recorded_at or datetime(2026, 3, 2, tzinfo=WIB)
            kind = rng.choice(["valid", "valid", "valid", "invalid", "unknown", "removed"])
            tokens.append(Token(stamp="run", path=f"stempel/{blob}.tsr", blobs=[blob],
                                gen_time=base + timedelta(minutes=rng.randint(-90, 600)),
                                tsa=rng.choice(["TSA A", "TSA B"]), valid=kind in ("valid", "removed"),
                                unknown_ca=kind == "unknown", removed=kind == "removed"))
    return Proofs(tokens)


def deciding_moments(report, tolerance: timedelta) -> list[datetime]:
    """The moments where a "now" changes a result: due times, commit dates less the tolerance,
    and the local midnights around each due time (the horizon moves at midnight)."""
    moments = []
    for item in report.complaints:
        for result in item.stages:
            moments.append(result.due_at)
            day = result.due_at.astimezone(WIB).replace(hour=0, minute=0, second=0, microsecond=0)
            moments += [day - timedelta(days=offset) for offset in range(4)]
        moments += [latest_date(times) - tolerance for times in item.evidence.times.values()]
    return moments


def judged(report) -> dict:
    return {item.complaint.id: (repr(item.stages), item.warnings, repr(complaint_marks(item, report.policy)))
            for item in report.complaints}


@pytest.mark.parametrize("seed,policy", [(1, ""), (2, STRICT), (3, "")])
def test_a_kept_judgment_is_the_judgment_made_afresh_at_every_now(tmp_path, seed, policy):
    site = Puskesmas(tmp_path, seed, policy)
    rng = random.Random(seed * 7919)
    cache = BuildCache(tmp_path / "cache", "one environment")
    state = tmp_path / "cache" / "evidence-walk.json"
    reused = evaluations = 0
    for number in range(8):
        site.round()
        walked = collect_evidence(site.repo.path, "main", state=state, files=True)
        evidence = walked.load() if isinstance(walked, KeptEvidence) else walked
        loaded = load(site.repo.path, personal_data=False)
        assert loaded.ok, [problem.as_text() for problem in loaded.problems]
        sources = {str(complaint.path): memo_key(complaint.path) for complaint in loaded.complaints}
        tolerance = loaded.policy.tolerance
        moments = deciding_moments(evaluate(loaded, evidence, site.clock, "main"), tolerance)
        nows = [moment + step for moment in rng.sample(moments, min(len(moments), 12))
                for step in (-MICROSECOND, timedelta(0), MICROSECOND)]
        nows += [site.clock + timedelta(hours=rng.uniform(-200, 200)) for _ in range(4)]
        nows.sort()   # as builds go: forward, then back again over some of the same moments
        nows += sorted(rng.sample(nows, len(nows) // 2), reverse=True)
        stamp_branches = [random_proofs(rng, evidence) for _ in range(3)]
        proofs = stamp_branches[0]
        for now in nows:
            proofs = rng.choice(stamp_branches) if rng.random() < 0.2 else proofs
            judgments = load_kept(cache, sources)
            by_file = evidence
            if isinstance(walked, KeptEvidence):   # as the site build reads it: a file when needed
                judgments.digests, by_file = [digest for _, digest in walked.shards], walked.by_shard()
            kept = evaluate(loaded, by_file, now, "main", proofs=proofs, kept=judgments)
            fresh = evaluate(loaded, evidence, now, "main", proofs=proofs)
            assert judged(kept) == judged(fresh), (number, now)
            assert to_json(kept) == to_json(fresh)
            expected = judged(fresh)
            for item in kept.complaints:   # a memo is only ever seen again beside the same judgment
                if item.memo is not None:
                    assert item.memo.setdefault("check", expected[item.complaint.id]) == expected[item.complaint.id]
            reused += sum(1 for cid, entry in judgments.used.items() if judgments.stored.get(cid) is entry)
            evaluations += len(kept.complaints)
            judgments.save(cache)
    # the judgments were reused often, and judged again often (the test can tell them apart)
    assert evaluations * 0.2 < reused < evaluations * 0.95, (reused, evaluations)


def test_a_kept_judgment_is_judged_again_when_its_file_or_its_evidence_changed(tmp_path):
    """At the same "now", a complaint is judged again when its bytes changed (its record key:
    also a change not committed yet), when its evidence changed though its bytes did not (its
    recording made again with other dates), and only then."""
    site = Puskesmas(tmp_path, 9)
    for _ in range(3):
        site.add()
    cache = BuildCache(tmp_path / "cache", "one environment")
    state = tmp_path / "cache" / "evidence-walk.json"
    now = datetime(2026, 12, 1, tzinfo=WIB)

    def judge() -> set:
        walked = collect_evidence(site.repo.path, "main", state=state, files=True)
        loaded = load(site.repo.path, personal_data=False)
        judgments = load_kept(cache, {str(c.path): memo_key(c.path) for c in loaded.complaints})
        judgments.digests, by_file = [digest for _, digest in walked.shards], walked.by_shard()
        kept = evaluate(loaded, by_file, now, "main", kept=judgments)
        assert judged(kept) == judged(evaluate(loaded, walked.load(), now, "main"))
        judgments.save(cache)
        again = {cid for cid, entry in judgments.used.items() if judgments.stored.get(cid) is not entry}
        # only the evidence files of the complaints judged again were read
        assert {shard_of(cid) for cid in again} == {number for number, part in by_file.parts.items() if part}
        return again

    assert judge() == set(site.files)          # judged once
    assert judge() == set()                    # then reused
    site.edit()
    edited = next(cid for cid in site.files if "ringkasan" in site.files[cid])
    assert judge() == {edited}                 # its bytes and its evidence changed
    added = site.add()
    assert judge() == {added}
    site.rewrite()                             # its recording made again with other dates
    assert judge() == {added}                  # its evidence only: the same bytes
    site.repo.commit("Nothing", *site.dates())   # a commit that touches no complaint
    assert judge() == set()
    received = datetime.strptime(site.files[edited]["diterima"], "%Y-%m-%d %H:%M")
    site.files[edited]["diterima"] = (received.replace(hour=1) if received.hour > 1 else received.replace(hour=5)
                                      ).strftime("%Y-%m-%d %H:%M")
    site.repo.write(complaint_path(edited), site.text(edited))   # not committed: its evidence is the same
    assert judge() == {edited}


def test_an_evidence_file_lost_while_the_build_reads_it_means_the_history_is_read_again(tmp_path):
    """The build reads a kept evidence file only when a complaint in it is judged again; one that
    went missing or changed since its index was read (another build sharing the cache, a damaged
    disk) is no evidence: the report is made from the history again, as a clean build's."""
    site = Puskesmas(tmp_path, 11)
    for _ in range(6):
        site.add()
    cache, state = tmp_path / "cache", tmp_path / "cache" / "evidence-walk.json"
    now = datetime(2026, 12, 1, tzinfo=WIB)

    def report(lose: bool = False):
        loaded = load(site.repo.path, personal_data=False)
        history = Future()
        history.set_result(read_history(site.repo.path, "main", now, True, state))
        if lose:
            for path in cache.glob("evidence-kept.*.pickle"):
                path.write_bytes(b"damaged")
        judgments = load_kept(BuildCache(cache, "one environment"),
                              {str(c.path): memo_key(c.path) for c in loaded.complaints})
        found, _ = build_report(site.repo.path, "main", now, loaded=loaded, unproven=True, walk_state=state,
                                history=history, judgments=judgments)
        judgments.save(BuildCache(cache, "one environment"))
        return found

    first = report()
    site.answer()   # (its file must be read: it is judged again)
    again = report(lose=True)
    clean = build_report(site.repo.path, "main", now, unproven=True)[0]
    assert judged(again) == judged(clean) != judged(first)
    assert to_json(again) == to_json(clean)
