"""The kept evidence walk (pipeline/evidence/walkstate.py): reading only the new commits must give
exactly the evidence of a full walk, on real repositories with controlled dates.

The random histories hold what the walk's result depends on: files recorded, answered, answered
again after a removal, renamed (another id, another folder, from outside the complaint folder),
equal author dates, branches whose commits are older than the tip they are merged into (they fall
among the old commits in git log's order), a merge of main into a branch that main then takes
(main's first-parent line no longer holds the old tip: publication moves), and rewrites of main.
"""
from __future__ import annotations

import pickle
import random
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from gitrepo import RESPONSE, GitRepo, complaint_path, complaint_text

from pipeline.evidence.history import IncompleteHistory, collect_evidence
from pipeline.evidence.walkstate import WalkStats
from pipeline.records.timeutil import git_time

WIB = timezone(timedelta(hours=7))


class History:
    """A repository changed at random, with a clock for its commits."""

    def __init__(self, root, seed: int):
        self.repo = GitRepo(root / "repo")
        self.rng = random.Random(seed)
        self.clock = datetime(2026, 1, 5, 8, 0, tzinfo=WIB)
        self.files: dict[str, tuple[str, bool]] = {}   # id -> (path on main, answered)
        self.count = 0
        self.last_date: str | None = None

    # -- helpers ------------------------------------------------------------------------------

    def new_id(self) -> str:
        self.count += 1
        return "ADU-20260105-" + f"{self.count:04d}".replace("0", "Q")   # a letter for each 0

    def tick(self, hours: float | None = None) -> str:
        if self.last_date and self.rng.random() < 0.15:
            return self.last_date   # the same author date as the commit before
        self.clock += timedelta(hours=hours if hours is not None else self.rng.uniform(0.5, 9))
        self.last_date = self.clock.isoformat()
        return self.last_date

    def write(self, cid: str, path: str, answered: bool, date: str, committer: str | None = None) -> None:
        fields = {"tanggapan": {**RESPONSE, "isi": f"{RESPONSE['isi']} ({self.rng.randrange(99)})"}} if answered else {}
        self.repo.commit(f"Edit {cid}", date, committer,
                         {path: complaint_text(cid, "2026-01-05 08:00", **fields)})

    def main_tip(self) -> str:
        return self.repo.git("rev-parse", "main").strip()

    # -- edits on main ------------------------------------------------------------------------

    def add(self) -> None:
        cid = self.new_id()
        self.files[cid] = (complaint_path(cid), False)
        self.write(cid, complaint_path(cid), False, self.tick())

    def toggle(self) -> None:
        """Answer a complaint, take its response out again, or answer it again."""
        cid = self.rng.choice(sorted(self.files))
        path, answered = self.files[cid]
        self.files[cid] = (path, not answered)
        self.write(cid, path, not answered, self.tick())

    def rename(self) -> None:
        cid = self.rng.choice(sorted(self.files))
        path, answered = self.files.pop(cid)
        if self.rng.random() < 0.5:   # another folder, the same id
            target, new = f"content/complaints/arsip{self.rng.randrange(3)}/{cid}.md", cid
        else:                          # the id corrected
            new = self.new_id()
            target = complaint_path(new)
        (self.repo.path / target).parent.mkdir(parents=True, exist_ok=True)
        self.repo.git("mv", path, target)
        self.files[new] = (target, answered)
        self.repo.commit(f"Move {cid}", self.tick())

    def bring_in(self) -> None:
        """A draft outside the complaint folder moved in (its old name is no complaint id)."""
        cid = self.new_id()
        draft = f"draf/Catatan Ibu Siti {cid[-4:]}.md"
        self.repo.commit("Draft", self.tick(), files={draft: complaint_text(cid, "2026-01-05 08:00")})
        (self.repo.path / complaint_path(cid)).parent.mkdir(parents=True, exist_ok=True)
        self.repo.git("mv", draft, complaint_path(cid))
        self.files[cid] = (complaint_path(cid), False)
        self.repo.commit(f"Record {cid}", self.tick())

    # -- branches -----------------------------------------------------------------------------

    def old_branch(self) -> None:
        """A pull request started from an older commit, whose commits are older than main's
        tip, merged now with a merge commit."""
        start = self.rng.choice(self.repo.git("rev-list", "--first-parent", "main").split()[:6])
        name = f"pr-{self.count}"
        self.repo.git("checkout", "-q", "-b", name, start)
        past = self.clock - timedelta(hours=self.rng.uniform(1, 30))
        added = []
        for _ in range(self.rng.randint(1, 3)):
            cid = self.new_id()
            answered = self.rng.random() < 0.6
            past += timedelta(minutes=self.rng.randint(1, 40))
            skew = (past - timedelta(hours=2)).isoformat() if self.rng.random() < 0.3 else None
            self.write(cid, complaint_path(cid), answered, past.isoformat(), skew)
            added.append((cid, answered))
        self.repo.checkout("main")
        self.repo.merge(name, self.tick())
        self.files.update({cid: (complaint_path(cid), answered) for cid, answered in added})

    def main_merged_into_branch(self) -> None:
        """A branch takes main in (`git merge main` on the branch) and main fast-forwards to it:
        the old tip is an ancestor of the new one, but not on its first-parent line."""
        start = self.repo.git("rev-list", "--first-parent", "main").split()[min(2, self.count)]
        name = f"back-{self.count}"
        self.repo.git("checkout", "-q", "-b", name, start)
        cid = self.new_id()
        self.write(cid, complaint_path(cid), True, self.tick())
        date = self.tick()
        self.repo.git("merge", "-q", "--no-ff", "main", "-m", "Merge main", author_date=date, committer_date=date)
        self.repo.checkout("main")
        self.repo.git("merge", "-q", "--ff-only", name)
        self.files[cid] = (complaint_path(cid), True)

    def rewrite(self) -> None:
        """main rewritten (a force-push): the last commit replaced by another."""
        self.repo.git("reset", "-q", "--hard", "main~1")
        self.files = {}   # forget what main holds: read it back from the tree
        listed = self.repo.git("ls-files", "content/complaints").split()
        for path in listed:
            text = (self.repo.path / path).read_text(encoding="utf-8")
            self.files[path.rsplit("/", 1)[1][:-3]] = (path, "tanggapan" in text)
        self.add()

    def step(self) -> str:
        actions = ["add", "toggle", "toggle", "toggle", "rename", "bring_in", "old_branch", "old_branch",
                   "main_merged_into_branch", "rewrite"]
        if not self.files:
            actions = ["add"]
        action = self.rng.choice(actions)
        getattr(self, action)()
        return action


def walks(repo_path, state, ref: str = "main") -> tuple[dict, dict, WalkStats]:
    stats = WalkStats()
    kept = collect_evidence(repo_path, ref, state=state, stats=stats)
    return kept, collect_evidence(repo_path, ref), stats


def same(kept: dict, full: dict) -> bool:
    """The whole evidence, and the order of its complaints too."""
    return list(kept.items()) == list(full.items())


@pytest.mark.parametrize("seed", [1, 2])
def test_the_kept_walk_equals_a_full_walk_after_every_random_commit(tmp_path, seed):
    history = History(tmp_path, seed)
    state = tmp_path / "cache" / "evidence-walk.json"
    for _ in range(3):
        history.add()
    kept, full, stats = walks(history.repo.path, state)
    assert stats.path == "full" and same(kept, full)
    paths = {}
    for number in range(30):
        before = history.main_tip()
        action = history.step()
        kept, full, stats = walks(history.repo.path, state)
        assert same(kept, full), (number, action)
        expected = "full" if action == "rewrite" else "incremental"
        assert stats.path == expected, (number, action, stats)
        if stats.path == "incremental":
            new = history.repo.git("rev-list", "--count", f"{before}..main").strip()
            assert stats.commits_read == int(new), (number, action)
        if action in ("add", "toggle"):   # one complaint's file: only it judged again
            assert stats.judged == 1, (number, action, stats)
        paths[action] = paths.get(action, 0) + 1
    assert {"old_branch", "toggle", "rename"} <= set(paths), paths   # the seeds exercise the hard cases
    assert any(found.responded_at for found in full.values())


def test_the_incremental_walk_reads_only_the_new_commits(tmp_path):
    history = History(tmp_path, 7)
    state = tmp_path / "evidence-walk.json"
    for _ in range(12):
        history.add()
    history.toggle()
    first = WalkStats()
    collect_evidence(history.repo.path, "main", state=state, stats=first)
    assert first.path == "full" and first.commits_read == 14 and first.blobs_read >= 13
    history.toggle()
    kept, full, stats = walks(history.repo.path, state)
    assert same(kept, full)
    assert (stats.path, stats.commits_read, stats.blobs_read) == ("incremental", 1, 1)
    again = WalkStats()   # nothing new: nothing read
    assert same(collect_evidence(history.repo.path, "main", state=state, stats=again), full)
    assert (again.path, again.commits_read, again.blobs_read) == ("incremental", 0, 0)


def test_a_rewritten_history_falls_back_to_the_full_walk(tmp_path):
    history = History(tmp_path, 3)
    state = tmp_path / "evidence-walk.json"
    for _ in range(4):
        history.add()
    cid = sorted(history.files)[0]
    path, _ = history.files[cid]
    history.write(cid, path, True, history.tick())   # answered ...
    kept, full, stats = walks(history.repo.path, state)
    assert full[cid].responded_at is not None
    # ... and the answer force-pushed away: the old tip is in no history of main any more
    history.repo.git("reset", "-q", "--hard", "main~1")
    history.repo.git("reflog", "expire", "--expire=now", "--all")
    history.repo.git("gc", "-q", "--prune=now")
    history.write(cid, path, False, history.tick())
    kept, full, stats = walks(history.repo.path, state)
    assert stats.path == "full" and stats.reason and same(kept, full)
    assert kept[cid].responded_at is None
    # an amended commit (the old tip still in the object store, not an ancestor)
    history.repo.git("commit", "-q", "--amend", "--allow-empty", "-m", "Amended", author_date=history.tick())
    kept, full, stats = walks(history.repo.path, state)
    assert stats.path == "full" and same(kept, full)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "one byte", "foreign"])
def test_a_damaged_or_foreign_state_means_a_full_walk(tmp_path, damage):
    history = History(tmp_path, 4)
    state = tmp_path / "evidence-walk.json"
    for _ in range(5):
        history.add()
    history.toggle()
    collect_evidence(history.repo.path, "main", state=state)
    data = state.read_bytes()
    if damage == "foreign":   # the state of another repository, with another tip
        other = History(tmp_path / "other", 5)
        other.add()
        collect_evidence(other.repo.path, "main", state=state)
    else:
        state.write_bytes({"garbage": b"\x80\x04garbage", "truncated": data[:len(data) // 2], "empty": b"",
                           "one byte": data[:-30] + bytes([data[-30] ^ 1]) + data[-29:]}[damage])
    history.toggle()
    kept, full, stats = walks(history.repo.path, state)
    assert stats.path == "full" and same(kept, full)
    again = WalkStats()   # and the state is whole again
    history.toggle()
    assert same(collect_evidence(history.repo.path, "main", state=state, stats=again),
                collect_evidence(history.repo.path, "main"))
    assert again.path == "incremental"


def test_the_state_holds_no_content_and_no_name_outside_the_complaint_folder(tmp_path):
    history = History(tmp_path, 6)
    state = tmp_path / "evidence-walk.json"
    history.add()
    history.bring_in()
    history.toggle()
    collect_evidence(history.repo.path, "main", state=state)
    text = state.read_bytes()
    assert b"Ibu Siti" not in text and b"draf/" not in text
    assert RESPONSE["isi"].encode() not in text and b"Antrean" not in text
    # the draft's rename is still followed on the incremental path
    history.toggle()
    kept, full, stats = walks(history.repo.path, state)
    assert stats.path == "incremental" and same(kept, full)


def test_a_shallow_clone_is_refused_with_a_state(tmp_path):
    history = History(tmp_path, 8)
    state = tmp_path / "evidence-walk.json"
    for _ in range(3):
        history.add()
    collect_evidence(history.repo.path, "main", state=state)
    history.add()
    target = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{history.repo.path}", str(target)],
                   check=True, capture_output=True)
    shutil.copy(state, tmp_path / "copy.json")
    with pytest.raises(IncompleteHistory):
        collect_evidence(target, "HEAD", state=tmp_path / "copy.json")


def test_an_old_name_outside_the_folder_that_is_a_complaint_id_is_still_followed(tmp_path):
    """A file outside the complaint folder, named like complaint A, moved in as complaint B: the
    full walk folds A into B (renames are followed by name). The state keeps that old name only
    as a hash, and the walk from the state must still fold it."""
    history = History(tmp_path, 9)
    state = tmp_path / "evidence-walk.json"
    history.add()
    history.add()
    first = sorted(history.files)[0]
    collect_evidence(history.repo.path, "main", state=state)
    moved = history.new_id()
    history.repo.commit("Outside", history.tick(),
                        files={f"luar/{first}.md": complaint_text(moved, "2026-01-05 08:00")})
    history.repo.git("mv", f"luar/{first}.md", complaint_path(moved))
    history.repo.commit("Move in", history.tick())
    history.files[moved] = (complaint_path(moved), False)
    kept, full, stats = walks(history.repo.path, state)
    assert stats.path == "incremental" and same(kept, full)
    assert first not in full and moved in full   # what the full walk does with it
    history.toggle()   # the rename now comes from the state, its old name hashed
    assert b"luar/" not in state.read_bytes()
    kept, full, stats = walks(history.repo.path, state)
    assert stats.path == "incremental" and same(kept, full)


def test_git_dates_are_the_dates_git_wrote_with_their_offsets_shared():
    """A history names each commit's date many times: every date with one offset shares one offset
    object, so the evidence holds less and pickles small. The dates are the
    ones `datetime.fromisoformat` reads, offset included."""
    texts = ["2026-04-09T11:56:00+07:00", "2026-04-10T14:56:07+07:00", "2026-04-10T07:56:00+00:00",
             "2026-04-10T16:56:00+09:00", "2026-04-10T15:56:00+08:00", "2026-04-10T02:56:00-05:00"]
    for text in texts:
        assert git_time(text) == datetime.fromisoformat(text)
        assert git_time(text).utcoffset() == datetime.fromisoformat(text).utcoffset()
    assert git_time(texts[0]).tzinfo is git_time(texts[1]).tzinfo
    assert git_time(texts[3]).tzinfo is not git_time(texts[4]).tzinfo
    days = [f"2026-04-{day:02d}T10:00:00+07:00" for day in range(1, 29)]
    shared = len(pickle.dumps([git_time(text) for text in days]))
    own = len(pickle.dumps([datetime.fromisoformat(text) for text in days]))
    assert shared < own * 0.7, (shared, own)


def test_kept_evidence_follows_a_name_renamed_again_and_mends_a_lost_shard(tmp_path):
    """The evidence kept beside the walk (pipeline/evidence/keptevidence.py): after a walk that
    went on from it, only the complaints the new commits touch are judged again. A name renamed
    once and then used and renamed again takes its changes elsewhere (both ids judged again); a
    kept file that is gone or changed is judged again, never trusted."""
    from pipeline.evidence.keptevidence import INDEX
    history = History(tmp_path, 11)
    state = tmp_path / "cache" / "evidence-walk.json"
    for _ in range(6):
        history.add()
    first = sorted(history.files)[0]
    history.toggle()
    moved, again = history.new_id(), history.new_id()
    history.repo.git("mv", complaint_path(first), complaint_path(moved))
    history.repo.commit("Correct the id", history.tick())
    kept, full, stats = walks(history.repo.path, state)
    assert same(kept, full) and moved in full and first not in full
    # the old name used again, then corrected to a third id: its new changes go there
    history.repo.commit("Record again", history.tick(), files={complaint_path(first): complaint_text(first, "2026-01-05 08:00")})
    history.repo.git("mv", complaint_path(first), complaint_path(again))
    history.repo.commit("Correct again", history.tick())
    kept, full, stats = walks(history.repo.path, state)
    assert stats.path == "incremental" and same(kept, full) and again in full
    assert stats.judged < len(full)
    # a kept shard lost, another changed: judged again, the same evidence
    shards = sorted(state.parent.glob("evidence-kept.*.pickle"))
    assert len(shards) == 16 and (state.parent / INDEX).exists()
    shards[0].unlink()
    shards[1].write_bytes(shards[1].read_bytes() + b"x")
    for _ in range(2):
        history.toggle()
        kept, full, stats = walks(history.repo.path, state)
        assert same(kept, full)
    assert len(list(state.parent.glob("evidence-kept.*.pickle"))) == 16   # mended, no file left over
