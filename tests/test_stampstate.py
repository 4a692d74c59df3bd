"""The read of the stamp branch kept in .git/pengaduan/ (evidence.stampstate): the same tokens as
a full read, only new stamp commits read, and a full read whenever the state cannot be trusted."""
from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tsa_server import Authority

from pipeline.evidence import stamps
from pipeline.evidence.stampstate import NAME, StampStats
from pipeline.evidence.stamping import listing, store

START = datetime(2026, 1, 5, 1, 0, tzinfo=timezone.utc)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    return Authority(tmp_path_factory.mktemp("ca") / "tsa", name="TSA Uji")


@pytest.fixture
def repo(tmp_path):
    path = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    return path


def stamp(repo: Path, authority: Authority, index: int) -> str:
    """One stamping run (one list, one token) as its own commit on the stamp branch."""
    message = listing([f"{index:040x}"])
    folder = f"stempel/{START + timedelta(minutes=index):%Y%m%dT%H%M%SZ}-{index:016d}"
    return store(repo, {f"{folder}/daftar.txt": message,
                        f"{folder}/01-tsa.tsr": authority.forge(message, START + timedelta(minutes=index))},
                 "Stempel")


def remove(repo: Path, path: str) -> str:
    """An ordinary commit on the stamp branch that deletes `path`."""
    env = {"GIT_INDEX_FILE": str(repo / ".git" / "hapus-index")}
    import os
    run = lambda *args: subprocess.run(["git", "-C", str(repo), *args], env={**os.environ, **env},  # noqa: E731
                                       capture_output=True, text=True, check=True).stdout.strip()
    run("read-tree", stamps.REFS[0])
    run("rm", "--cached", "-q", path)
    commit = run("-c", "user.name=X", "-c", "user.email=x@example", "commit-tree", run("write-tree"),
                 "-p", stamps.REFS[0], "-m", "Rapikan")
    run("update-ref", stamps.REFS[0], commit)
    return commit


def read(repo: Path, authority: Authority, keep: bool = True) -> tuple[list, StampStats]:
    stats = StampStats()
    tokens = stamps.read_tokens(repo, stamps.authorities(repo, None, [authority.ca_pem]), cache=keep, stats=stats)
    return [(token.path, token.valid, token.removed, token.gen_time, tuple(token.blobs)) for token in tokens], stats


def test_the_kept_read_equals_the_full_read(repo, authority):
    for index in range(3):
        stamp(repo, authority, index)
    first, stats = read(repo, authority)
    assert stats.path == "full" and (repo / ".git" / NAME).exists()
    assert first == read(repo, authority, keep=False)[0]
    again, stats = read(repo, authority)
    assert again == first and stats.path == "same"
    for index in range(3, 5):
        stamp(repo, authority, index)
    removed = [path for path in git(repo, "ls-tree", "-r", "--name-only", stamps.REFS[0]).split("\n")
               if path.endswith(".tsr")][1]
    remove(repo, removed)
    found, stats = read(repo, authority)
    assert stats.path == "incremental" and stats.written == 4   # only the two new runs' files
    assert found == read(repo, authority, keep=False)[0]
    assert len(found) == 5 and all(valid for _, valid, _, _, _ in found)
    assert [path for path, _, gone, _, _ in found if gone] == [f"{removed}@{path_sha(repo, removed)}"]


def path_sha(repo: Path, path: str) -> str:
    return git(repo, "log", "--all", "--format=", "--raw", "--no-abbrev", "--diff-filter=A", "--", path).split()[3][:10]


def test_a_rewritten_stamp_branch_is_read_in_full_and_the_removal_still_reported(repo, authority):
    for index in range(3):
        stamp(repo, authority, index)
    assert read(repo, authority)[1].path == "full"
    # Rewrite: the branch back to its first run, the second run's token deleted in the same
    # history, the third run again as a new commit.
    tips = git(repo, "rev-list", stamps.REFS[0]).split("\n")
    git(repo, "update-ref", stamps.REFS[0], tips[1])
    token = [path for path in git(repo, "ls-tree", "-r", "--name-only", tips[1]).split("\n") if path.endswith(".tsr")][0]
    remove(repo, token)
    stamp(repo, authority, 7)
    found, stats = read(repo, authority)
    assert stats.path == "full" and stats.reason == "tip lama bukan leluhur tip baru"
    assert found == read(repo, authority, keep=False)[0]
    assert [path.split("@")[0] for path, _, gone, _, _ in found if gone] == [token]


@pytest.mark.parametrize("damage", ["flipped", "truncated", "foreign", "entries"])
def test_a_damaged_state_is_ignored(repo, authority, damage):
    for index in range(2):
        stamp(repo, authority, index)
    expected, _ = read(repo, authority)
    state = repo / ".git" / NAME
    stored = state.read_bytes()
    if damage == "flipped":
        state.write_bytes(stored.replace(b'"stempel/', b'"stempeX/', 1))
    elif damage == "truncated":
        state.write_bytes(stored[:len(stored) // 2])
    elif damage == "foreign":
        state.write_bytes(b"not a state at all")
    else:   # a checksum that matches, over content that is not a state
        import hashlib
        payload = b'{"format":1,"refs":["refs/heads/pengaduan-stempel"],"tips":["' + b"0" * 40 + b'"],' \
                  b'"entries":[[1,2]],"lists":{}}'
        state.write_bytes(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    found, stats = read(repo, authority)
    assert stats.path == "full" and stats.reason == "tidak ada keadaan yang sah"
    assert found == expected
    assert read(repo, authority)[1].path == "same"   # saved again, good this time


def test_a_remote_tracking_branch_is_read_beside_the_local_one(repo, authority, tmp_path):
    stamp(repo, authority, 0)
    read(repo, authority)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(repo), str(clone)], check=True)
    stamp(repo, authority, 1)
    git(clone, "fetch", "-q", "origin", f"+{stamps.REFS[0]}:{stamps.REFS[1]}")
    first, stats = read(clone, authority)
    assert stats.path == "full" and len(first) == 2
    stamp(clone, authority, 2)     # the local branch of the clone, on top of the remote's
    found, stats = read(clone, authority)
    assert stats.path == "incremental" and found == read(clone, authority, keep=False)[0] and len(found) == 3
