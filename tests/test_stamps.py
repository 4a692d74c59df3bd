"""Trusted timestamps (RFC 3161) end to end, with a TSA made here (tests/tsa_server.py): never the
network. Commit dates are set minutes before the real clock, since a TSA signs with its own time."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from gitrepo import RESPONSE, ROOT, GitRepo, complaint_path, complaint_text
from tsa_server import Authority, TsaServer

from pipeline.evidence.stamping import store
from pipeline.evidence.stamps import REFS

WIB = timezone(timedelta(hours=7))
START = datetime.now(WIB).replace(microsecond=0) - timedelta(hours=2)
ID = f"ADU-{START:%Y%m%d}-AAAA"
OTHER = f"ADU-{START:%Y%m%d}-BBBB"
RECEIVED = f"{START:%Y-%m-%d %H:%M}"


def at(minutes: int) -> str:
    """A commit date `minutes` after the complaint was received."""
    return (START + timedelta(minutes=minutes)).isoformat()


def now() -> str:
    return (datetime.now(WIB) + timedelta(minutes=1)).replace(microsecond=0).isoformat()


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    return Authority(tmp_path_factory.mktemp("tsa") / "ours", name="TSA Uji")


@pytest.fixture
def tsa(ours):
    with TsaServer(ours) as server:
        yield server


def policy_with(tsa_url: str) -> str:
    return ((ROOT / "puskesmas.yaml").read_text(encoding="utf-8")
            + f"bukti:\n  tsa:\n    - nama: TSA Uji\n      url: {tsa_url}\n      ca: bukti/tsa/uji.pem\n")


@pytest.fixture
def repo(tmp_path, tsa, ours):
    repo = GitRepo(tmp_path / "repo", policy=policy_with(tsa.url))
    repo.commit("TSA CA", at(1), files={"bukti/tsa/uji.pem": ours.ca_pem.read_text()})
    # The test TSA's CA is no public TSA pinned by the program: the auditor gives it (--tsa-ca).
    repo.tsa_ca = ours.ca_pem
    return repo


def record(repo, complaint_id=ID, minutes=5, **fields):
    return repo.commit(f"Record {complaint_id}", at(minutes), files={
        complaint_path(complaint_id): complaint_text(complaint_id, RECEIVED, **fields)})


def respond(repo, complaint_id=ID, minutes=30):
    return record(repo, complaint_id, minutes, tanggapan=RESPONSE)


def pengaduan(*args):
    done = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True)
    assert "Traceback" not in done.stderr
    return done


def stempel(repo, *extra):
    return pengaduan("stempel", "--repo", repo.path, *extra)


def trusting(repo, extra: tuple) -> tuple:
    """`extra`, with the auditor's --tsa-ca of the test TSA unless the test gives its own."""
    given = getattr(repo, "tsa_ca", None)
    return extra if "--tsa-ca" in extra or given is None else (*extra, "--tsa-ca", given)


def report(repo, *extra) -> dict:
    done = pengaduan("deadlines", "--repo", repo.path, "--now", now(), "--format", "json", *trusting(repo, extra))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def stage(data: dict, name: str, complaint_id: str = ID) -> dict:
    [item] = [item for item in data["complaints"] if item["id"] == complaint_id]
    [found] = [entry for entry in item["stages"] if entry["stage"] == name]
    return found


def bukti(repo, *extra):
    return pengaduan("bukti", "--repo", repo.path, "--now", now(), *trusting(repo, extra))


def branch_files(repo) -> dict:
    listed = repo.git("ls-tree", "-r", "--name-only", REFS[0]).split()
    return {path: subprocess.run(["git", "-C", str(repo.path), "show", f"{REFS[0]}:{path}"],
                                 capture_output=True, check=True).stdout for path in listed}


def test_valid_token_proves_the_steps(repo, tsa):
    record(repo)
    respond(repo)
    before = datetime.now(timezone.utc).replace(microsecond=0)
    done = stempel(repo)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2 versi pengaduan distempel oleh TSA Uji")
    assert "belum di-push" in done.stdout
    files = branch_files(repo)
    [listing] = [path for path in files if path.endswith("daftar.txt")]
    assert len(files[listing].split()) == 2
    data = report(repo)
    recorded, answered = stage(data, "lapor_tim"), stage(data, "umpan_balik")
    proven = datetime.fromisoformat(answered["proven_at"])
    assert before - timedelta(seconds=2) <= proven <= datetime.now(timezone.utc) + timedelta(seconds=2)
    assert answered["claimed_at"] == at(30)
    assert answered["done_at"] == answered["proven_at"]           # the proof, not the claim
    assert recorded["done_at"] == recorded["proven_at"]
    assert answered["status"] == "met"
    assert "claimed_before_proven" in answered["flags"]            # claimed 1.5 h before its stamp
    # Nothing new: a second run stamps nothing and asks no TSA.
    queries = tsa.authority.queries
    again = stempel(repo)
    assert again.returncode == 0 and "sudah distempel" in again.stdout
    assert tsa.authority.queries == queries


def test_stamped_minutes_after_the_claim_vouches_for_it(repo):
    record(repo, minutes=115)   # five minutes before "now"
    assert stempel(repo).returncode == 0
    recorded = stage(report(repo), "lapor_tim")
    assert recorded["flags"] == [] and recorded["proven_at"] is not None


def tamper(repo, change) -> None:
    files = branch_files(repo)
    store(repo.path, change(files), "Tamper")


def test_tampered_token_proves_nothing(repo):
    record(repo)
    assert stempel(repo).returncode == 0

    def flip(files):
        [path] = [path for path in files if path.endswith(".tsr")]
        raw = bytearray(files[path])
        raw[-10] ^= 0xFF   # inside the signature
        return {path: bytes(raw)}
    tamper(repo, flip)
    recorded = stage(report(repo), "lapor_tim")
    # The tampered token proves nothing; the one it replaced is still in the branch's history and
    # still proves its time, but was taken away.
    assert {"invalid_proof", "removed_proof"} <= set(recorded["flags"])
    audit = bukti(repo)
    assert audit.returncode == 1
    assert "TIDAK SAH" in audit.stdout and "DIHAPUS" in audit.stdout
    # each stage's state in the auditor's words, not the engine's codes
    assert re.search(r"\[(tepat waktu|selesai terlambat|terlambat, belum selesai|belum jatuh tempo)\]", audit.stdout)
    assert not re.search(r"\[(met|breached|overdue|pending)\]", audit.stdout)
    tokens = json.loads(bukti(repo, "--format", "json").stdout)["tokens"]
    assert sorted((token["valid"], token["removed"]) for token in tokens) == [(False, False), (True, True)]


def test_token_over_another_blob_proves_nothing(repo):
    record(repo)
    record(repo, OTHER)
    assert stempel(repo).returncode == 0
    other_blob = repo.git("rev-parse", f"HEAD:{complaint_path(OTHER)}").strip()

    def swap(files):
        [listing] = [path for path in files if path.endswith("daftar.txt")]
        [token] = [path for path in files if path.endswith(".tsr")]
        folder = "stempel/20990101T000000Z-0000000000000000"
        return {f"{folder}/daftar.txt": f"{other_blob}\n".encode(), f"{folder}/01-tsa-uji.tsr": files[token]}
    tamper(repo, swap)
    data = report(repo)
    # The honest token still proves both; the copied one, over another list, proves nothing.
    assert "invalid_proof" in stage(data, "lapor_tim", OTHER)["flags"]
    assert "invalid_proof" not in stage(data, "lapor_tim", ID)["flags"]
    audit = json.loads(bukti(repo, "--format", "json").stdout)
    [bad] = [token for token in audit["tokens"] if not token["valid"]]
    assert "imprint" in bad["reason"]


def test_token_of_a_foreign_ca_proves_nothing(repo, tmp_path):
    foreign = Authority(tmp_path / "asing", name="TSA Asing")
    record(repo)
    with TsaServer(foreign) as other:
        done = stempel(repo, "--tsa", other.url, "--tsa-ca", foreign.ca_pem)
    assert done.returncode == 0, done.stderr
    recorded = stage(report(repo), "lapor_tim")   # judged with the repository's CA only
    assert recorded["proven_at"] is None and "invalid_proof" in recorded["flags"]
    audit = bukti(repo)
    assert audit.returncode == 1 and "CA lain" in audit.stdout
    # An auditor who trusts that CA too can verify it.
    trusted = report(repo, "--tsa-ca", foreign.ca_pem)
    assert stage(trusted, "lapor_tim")["proven_at"] is not None


def test_expired_tsa_certificate(repo, tmp_path):
    expired = Authority(tmp_path / "lama", name="TSA Lama", expired=True)
    record(repo)
    with TsaServer(expired) as old:
        done = stempel(repo, "--tsa", old.url, "--tsa-ca", expired.ca_pem)
    assert done.returncode == 1
    assert "kedaluwarsa" in done.stderr
    assert not repo.git("for-each-ref", REFS[0]).strip()   # nothing kept
    # Stored anyway (by hand): it proves nothing.
    from pipeline.evidence.stamping import listing, run_files, run_name
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder
    message = listing([repo.git("rev-parse", f"HEAD:{complaint_path(ID)}").strip()])
    query = TimestampRequestBuilder().data(message).hash_algorithm(HashAlgorithm.SHA256).build()
    from pipeline.evidence.stamps import load_authority
    store(repo.path, run_files(run_name(message), message,
                               [(load_authority(repo.path, str(expired.ca_pem)), 0, expired.reply(query.as_bytes()))]),
          "Expired")
    recorded = stage(report(repo, "--tsa-ca", expired.ca_pem), "lapor_tim")
    assert recorded["proven_at"] is None and "invalid_proof" in recorded["flags"]


def test_squash_and_rebase_keep_their_proofs(repo):
    repo.branch("pengaduan")
    record(repo, minutes=5)
    respond(repo, minutes=100)
    assert stempel(repo).returncode == 0      # the workflow stamps the branch when it is pushed
    proven = stage(report(repo), "umpan_balik")["proven_at"]
    repo.checkout("main")
    repo.squash_merge("pengaduan", at(110))
    squashed = stage(report(repo), "umpan_balik")
    assert squashed["proven_at"] == proven
    assert squashed["claimed_at"] == at(110)
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.rebase_merge("pengaduan", at(112))
    rebased = stage(report(repo), "umpan_balik")
    assert rebased["proven_at"] == proven
    assert "author_before_committer" not in rebased["flags"]   # the stamp vouches for the author date


def test_policy_requiring_stamps_does_not_count_unstamped_steps(tmp_path, tsa, ours):
    policy = policy_with(tsa.url).replace("\nbukti:\n", "\nbukti:\n  wajib_stempel: true\n")
    repo = GitRepo(tmp_path / "repo", policy=policy)
    repo.commit("TSA CA", at(1), files={"bukti/tsa/uji.pem": ours.ca_pem.read_text()})
    repo.tsa_ca = ours.ca_pem
    record(repo)
    recorded = stage(report(repo), "lapor_tim")
    assert recorded["claimed_at"] == at(5)
    assert recorded["done_at"] is None and recorded["status"] in ("pending", "overdue")
    assert recorded["flags"] == ["not_proven"]
    assert stempel(repo).returncode == 0
    assert stage(report(repo), "lapor_tim")["done_at"] is not None


def test_push_only_when_asked(repo, tmp_path):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    repo.git("remote", "add", "origin", str(remote))
    record(repo)
    assert stempel(repo).returncode == 0
    assert not subprocess.run(["git", "-C", str(remote), "for-each-ref"], capture_output=True,
                              text=True).stdout.strip()
    respond(repo)
    done = stempel(repo, "--push")
    assert done.returncode == 0, done.stderr
    assert "di-push ke origin" in done.stdout
    pushed = subprocess.run(["git", "-C", str(remote), "ls-tree", "-r", "--name-only", REFS[0]],
                            capture_output=True, text=True).stdout.split()
    assert len([path for path in pushed if path.endswith(".tsr")]) == 2


def test_a_clone_reads_the_pushed_stamps_and_a_race_is_merged(repo, tmp_path):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    repo.git("remote", "add", "origin", str(remote))
    record(repo)
    repo.git("push", "-q", "origin", "main")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True)
    assert stempel(repo, "--push").returncode == 0          # one runner pushed first...
    subprocess.run(["git", "-C", str(clone), "config", "user.email", "x@example"], check=True)
    subprocess.run(["git", "-C", str(clone), "config", "user.name", "x"], check=True)
    (clone / complaint_path(OTHER)).parent.mkdir(parents=True, exist_ok=True)
    (clone / complaint_path(OTHER)).write_text(complaint_text(OTHER, RECEIVED))
    subprocess.run(["git", "-C", str(clone), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(clone), "commit", "-qm", "x"], check=True)
    done = pengaduan("stempel", "--repo", clone, "--push")    # ...the other did not know
    assert done.returncode == 0, done.stderr
    pushed = subprocess.run(["git", "-C", str(remote), "ls-tree", "-r", "--name-only", REFS[0]],
                            capture_output=True, text=True).stdout.split()
    assert len([path for path in pushed if path.endswith(".tsr")]) == 2


@pytest.mark.parametrize("url, expected", [
    ("ftp://tsa.example/tsr", "diawali http:// atau https://"),
    ("http://127.0.0.1:9/tsr", "tidak dapat dihubungi"),
])
def test_bad_tsa_urls_are_explained(repo, ours, url, expected):
    record(repo)
    done = stempel(repo, "--tsa", url, "--tsa-ca", ours.ca_pem)
    assert done.returncode == 1 and expected in done.stderr and done.stdout == ""


def test_a_tsa_answering_garbage_and_a_bad_ca_file(repo, tsa, tmp_path):
    record(repo)
    tsa.broken = True
    done = stempel(repo)
    assert done.returncode == 1 and "bukan token RFC 3161" in done.stderr
    bad = tmp_path / "bukan.pem"
    bad.write_text("bukan sertifikat\n")
    done = stempel(repo, "--tsa", tsa.url, "--tsa-ca", bad)
    assert done.returncode == 2 and "bukan sertifikat PEM" in done.stderr
    done = pengaduan("deadlines", "--repo", repo.path, "--tsa-ca", tmp_path / "tidak-ada.pem")
    assert done.returncode == 2 and done.stdout == ""


def test_a_tsa_answer_that_never_ends_is_refused(repo, tsa):
    """Read whole, a wrong URL streaming a download took 13 GB of memory in 12 s."""
    record(repo)
    tsa.endless = True
    done = stempel(repo)
    assert done.returncode == 1 and done.stdout == ""
    assert f"jawaban TSA {tsa.url} lebih dari 1 MB: bukan token RFC 3161." in done.stderr


def test_no_tsa_configured_stamps_nothing(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    record(repo)
    done = stempel(repo)
    assert done.returncode == 0 and "belum ada TSA" in done.stderr


def test_the_workbook_has_an_evidence_sheet(repo, tmp_path):
    from openpyxl import load_workbook
    record(repo)
    assert stempel(repo).returncode == 0
    target = tmp_path / "rekap.xlsx"
    done = pengaduan("recap", "--repo", repo.path, "--now", now(), "--format", "xlsx", "--output", target,
                     "--tsa-ca", repo.tsa_ca)
    assert done.returncode == 0, done.stderr
    rows = [row for row in load_workbook(target)["Bukti waktu"].iter_rows(values_only=True)]
    [recorded] = [row for row in rows if row[0] == ID and row[1].startswith("Dilaporkan")]
    assert recorded[3] is not None and recorded[4] is not None and recorded[5] == "TSA Uji"
    assert any(row[0] and str(row[0]).endswith(".tsr") and row[4] == "ya" for row in rows)


def store_forged(repo, insider: Authority, gen_time: datetime, complaint_id: str = ID) -> None:
    """What an insider with his own CA does: a token over the version's list with any genTime."""
    from pipeline.evidence.stamping import listing
    message = listing([repo.git("rev-parse", f"HEAD:{complaint_path(complaint_id)}").strip()])
    folder = f"stempel/{gen_time.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}-0000000000000000"
    store(repo.path, {f"{folder}/daftar.txt": message, f"{folder}/01-freetsa.tsr": insider.forge(message, gen_time)},
          "Stempel")


LATE_RECEIVED = START - timedelta(days=6)
LATE = f"ADU-{LATE_RECEIVED:%Y%m%d}-CCCC"


@pytest.fixture
def backdated(tmp_path):
    """The audit's case: a CA the insider made, named "FreeTSA", added to the policy and
    committed; a step recorded days late with backdated git dates and a forged genTime."""
    insider = Authority(tmp_path / "palsu", name="FreeTSA")
    policy = ((ROOT / "puskesmas.yaml").read_text(encoding="utf-8")
              + "bukti:\n  tsa:\n    - nama: FreeTSA\n      url: https://freetsa.org/tsr\n"
                "      ca: bukti/tsa/freetsa-cacert.pem\n")
    repo = GitRepo(tmp_path / "repo", policy=policy)
    repo.commit("FreeTSA CA", at(1), files={"bukti/tsa/freetsa-cacert.pem": insider.ca_pem.read_text()})
    repo.commit(f"Record {LATE}", (LATE_RECEIVED + timedelta(minutes=20)).isoformat(), files={
        complaint_path(LATE): complaint_text(LATE, f"{LATE_RECEIVED:%Y-%m-%d %H:%M}")})
    store_forged(repo, insider, LATE_RECEIVED + timedelta(minutes=25), LATE)
    return repo, insider


def test_a_ca_added_by_the_policy_proves_nothing(backdated):
    repo, _ = backdated
    done = pengaduan("deadlines", "--repo", repo.path, "--now", now(), "--format", "json")
    assert done.returncode == 0, done.stderr
    recorded = stage(json.loads(done.stdout), "lapor_tim", LATE)
    assert recorded["proven_at"] is None                     # the forged genTime is no proof
    assert "unknown_ca" in recorded["flags"]
    assert recorded["done_at"] == recorded["claimed_at"]     # judged by the (flagged) claim
    audit = pengaduan("bukti", "--repo", repo.path, "--now", now())
    assert audit.returncode == 1
    assert "tidak dikenal" in audit.stdout and "FreeTSA CA" in audit.stdout
    assert "SHA-256" in audit.stdout
    assert "bukti/tsa/freetsa-cacert.pem" in audit.stdout    # who changed the CA file, and when
    assert "Petugas Pengaduan" in audit.stdout
    assert "\0" not in audit.stdout, "a commit's subject shown with the NUL that ends it in git's output"


def test_a_policy_version_with_yaml_aliases_is_compared_as_its_text(tmp_path):
    """`pengaduan bukti` lists the commits that changed the policy's `bukti` block, each version
    compared with the one before. A version with YAML aliases, which the policy's loader refuses,
    is compared as its text: two "billion laughs" compared as values are walked 9^9 times."""
    from pipeline.evidence.trust_log import _bukti_at, trust_changes
    bomb = "bukti:\n  a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"  {chr(98 + level)}: &{chr(98 + level)} [{', '.join(['*' + chr(97 + level)] * 9)}]\n" for level in range(8))
    policy = (ROOT / "puskesmas.yaml").read_text(encoding="utf-8")
    assert "\nbukti:" not in policy
    repo = GitRepo(tmp_path / "repo", policy=policy)
    repo.commit("Bukti: aliases", at(1), files={"puskesmas.yaml": policy + bomb})
    repo.commit("Bukti: aliases again", at(2), files={"puskesmas.yaml": policy + bomb.replace("[x,", "[y,")})
    assert _bukti_at(repo.path, "HEAD") == (policy + bomb.replace("[x,", "[y,")).encode("utf-8")
    assert _bukti_at(repo.path, "HEAD~2") is None
    assert [change.subject for change in trust_changes(repo.path, "HEAD", [])] == \
        ["Bukti: aliases again", "Bukti: aliases"]


def test_the_same_ca_given_by_the_auditor_proves(backdated):
    repo, insider = backdated
    data = report(repo, "--tsa-ca", insider.ca_pem)
    recorded = stage(data, "lapor_tim", LATE)
    assert recorded["proven_at"] is not None and "unknown_ca" not in recorded["flags"]
    audit = json.loads(bukti(repo, "--format", "json", "--tsa-ca", insider.ca_pem).stdout)
    [token] = audit["tokens"]
    assert token["valid"] and token["tsa"] == "FreeTSA"      # the signing certificate's subject


def test_the_auditors_list_is_exclusive(repo, tmp_path):
    record(repo)
    assert stempel(repo).returncode == 0
    other = Authority(tmp_path / "lain", name="TSA Lain")
    recorded = stage(report(repo, "--tsa-ca", other.ca_pem), "lapor_tim")
    assert recorded["proven_at"] is None and recorded["flags"] == ["unknown_ca"]


def test_pinned_fingerprints_are_well_formed():
    from pipeline.evidence.known_tsas import KNOWN_TSA_CAS
    assert "a6379e7cecc05faa3cbf076013d745e327bbbaa38c0b9af22469d4701d18aabc" in KNOWN_TSA_CAS  # FreeTSA
    for digest, (name, source) in KNOWN_TSA_CAS.items():
        assert len(digest) == 64 and digest == digest.lower() and int(digest, 16) >= 0
        assert name and source


@pytest.mark.parametrize("eku", ["none", "plain"])
def test_a_tsa_certificate_without_the_critical_eku_proves_nothing(repo, tmp_path, eku):
    signer = Authority(tmp_path / "tanpa-eku", name="Bukan TSA", eku=eku)
    record(repo)
    store_forged(repo, signer, datetime.now(timezone.utc) - timedelta(minutes=1))
    recorded = stage(report(repo, "--tsa-ca", signer.ca_pem), "lapor_tim")
    assert recorded["proven_at"] is None and "invalid_proof" in recorded["flags"]
    assert "timeStamping" in bukti(repo, "--tsa-ca", signer.ca_pem).stdout


def test_verified_tokens_are_cached_per_ca_set(repo, tmp_path, monkeypatch):
    from pipeline.evidence import stamps
    record(repo)
    assert stempel(repo).returncode == 0
    trusted = stamps.authorities(repo.path, None, [repo.tsa_ca])
    calls = []
    real = stamps.check_token
    monkeypatch.setattr(stamps, "check_token", lambda *args: calls.append(args[1]) or real(*args))
    first = stamps.read_tokens(repo.path, trusted)
    assert len(calls) == 1 and first[0].valid
    again = stamps.read_tokens(repo.path, trusted)           # the same CA set: read from the cache
    assert len(calls) == 1 and again[0].valid and again[0].gen_time == first[0].gen_time
    assert again[0].tsa == first[0].tsa and again[0].ca == first[0].ca
    other = Authority(tmp_path / "lain", name="TSA Lain")
    changed = stamps.authorities(repo.path, None, [other.ca_pem])
    assert not stamps.read_tokens(repo.path, changed)[0].valid   # another CA set: verified again
    assert len(calls) == 2
    cache_file = repo.path / ".git" / "pengaduan" / "token-cache.json"
    assert cache_file.exists()


def test_a_token_removed_from_the_stamp_branch_is_still_read_and_reported(repo):
    record(repo)
    assert stempel(repo).returncode == 0
    [token] = [path for path in branch_files(repo) if path.endswith(".tsr")]
    # An ordinary commit on the stamp branch that deletes the token.
    work = repo.path / ".git" / "hapus-index"
    env = {"GIT_INDEX_FILE": str(work)}
    import os
    run = lambda *args: subprocess.run(["git", "-C", str(repo.path), *args], env={**os.environ, **env},  # noqa: E731
                                       capture_output=True, text=True, check=True).stdout.strip()
    run("read-tree", REFS[0])
    run("rm", "--cached", "-q", token)
    tree = run("write-tree")
    commit = run("commit-tree", tree, "-p", REFS[0], "-m", "Rapikan")
    run("update-ref", REFS[0], commit)
    assert not [path for path in branch_files(repo) if path.endswith(".tsr")]
    recorded = stage(report(repo), "lapor_tim")
    assert recorded["proven_at"] is not None            # the token in the history still proves its time...
    assert "removed_proof" in recorded["flags"]          # ...but someone took it away
    audit = bukti(repo)
    assert audit.returncode == 1 and "DIHAPUS" in audit.stdout
