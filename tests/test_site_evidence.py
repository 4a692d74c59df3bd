"""The site shows the deadline engine's marks, judged by git history, reproducibly per commit."""
from __future__ import annotations

import filecmp
import re
import subprocess
import sys

from gitrepo import RESPONSE, GitRepo, complaint_path, complaint_text


def build(repo_path, output, *extra):
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "--repo", str(repo_path),
                           "--output", str(output), *extra], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return output


def marks(output, complaint_id) -> list[str]:
    html = (output / "pengaduan" / complaint_id / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<span class="tanda tanda-(\w+)">', html)


def answered_repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.branch("pengaduan")
    answers = (("ADU-20260105-AAAA", "2026-01-07T09:00:00+07:00"),   # due 01-08 08:00: on time
               ("ADU-20260105-BBBB", "2026-01-09T09:00:00+07:00"))   # a day late
    for cid, _ in answers:  # dates only move forward along the branch (else: history_backwards)
        repo.commit(f"Record {cid}", "2026-01-05T09:00:00+07:00",
                    files={complaint_path(cid): complaint_text(cid, "2026-01-05 08:00")})
    for cid, answered in answers:
        repo.commit(f"Respond {cid}", answered,
                    files={complaint_path(cid): complaint_text(cid, "2026-01-05 08:00", tanggapan=RESPONSE)})
    repo.checkout("main")
    repo.merge("pengaduan", "2026-01-09T10:00:00+07:00")
    return repo


def test_pages_carry_on_time_and_late_marks_from_git(tmp_path):
    repo = answered_repo(tmp_path)
    output = build(repo.path, tmp_path / "site")
    assert marks(output, "ADU-20260105-AAAA") == ["tepat_waktu", "tepat_waktu"]
    assert marks(output, "ADU-20260105-BBBB") == ["tepat_waktu", "terlambat"]


def test_open_complaint_is_judged_at_the_built_commit_or_at_now(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    cid = "ADU-20260105-CCCC"
    repo.commit("Record", "2026-01-05T09:00:00+07:00", files={complaint_path(cid): complaint_text(cid, "2026-01-05 08:00")})
    # Without --now, "now" is the commit's own date: still within the 3x24 hours.
    assert marks(build(repo.path, tmp_path / "a"), cid) == ["tepat_waktu", "berjalan"]
    late = build(repo.path, tmp_path / "b", "--now", "2026-01-09T08:00:00+07:00")
    assert marks(late, cid) == ["tepat_waktu", "lewat_batas"]


def test_two_builds_of_the_same_commit_are_identical_without_now(tmp_path):
    repo = answered_repo(tmp_path)
    first, second = build(repo.path, tmp_path / "one"), build(repo.path, tmp_path / "two")
    comparison = filecmp.dircmp(first, second)
    assert not comparison.diff_files and not comparison.left_only and not comparison.right_only
    files = [path.relative_to(first) for path in first.rglob("*") if path.is_file()]
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_a_folder_without_git_builds_without_marks(tmp_path):
    repo = answered_repo(tmp_path)
    plain = tmp_path / "plain"
    subprocess.run(["cp", "-r", str(repo.path), str(plain)], check=True)
    subprocess.run(["rm", "-rf", str(plain / ".git")], check=True)
    output = build(plain, tmp_path / "site")
    assert marks(output, "ADU-20260105-BBBB") == []


def stage_section(html: str, stage_id: str) -> str:
    match = re.search(rf'<section class="tahap" aria-labelledby="t-{stage_id}">(.*?)</section>', html, re.S)
    assert match, stage_id
    return match.group(1)


def legend(section: str) -> dict:
    return {key: int(n) for key, n in re.findall(r'<li class="k-(\w+)">[^<]*: <strong>(\d+)</strong>', section)}


def test_recap_never_counts_a_flagged_stage_as_on_time(tmp_path):
    """A response backdated two days (author date 7 Jan, committed 9 Jan): flagged, so /rekap/
    counts it as "waktu belum terverifikasi", not as on time, and leaves it out of the median."""
    repo = GitRepo(tmp_path / "repo")
    cid = "ADU-20260105-DDDD"
    repo.commit("Record", "2026-01-05T09:00:00+07:00", files={complaint_path(cid): complaint_text(cid, "2026-01-05 08:00")})
    repo.commit("Respond", "2026-01-07T09:00:00+07:00", "2026-01-09T09:00:00+07:00",
                files={complaint_path(cid): complaint_text(cid, "2026-01-05 08:00", tanggapan=RESPONSE)})
    output = build(repo.path, tmp_path / "site")
    html = (output / "rekap" / "index.html").read_text(encoding="utf-8")
    answered = stage_section(html, "umpan_balik")
    assert legend(answered)["tepat_waktu"] == 0 and legend(answered)["belum_terverifikasi"] == 1
    assert "Tepat waktu: <strong>0% (0 dari 1)</strong>" in answered
    assert "belum ada pengaduan yang sampai langkah ini" in answered     # no median from a doubted time
    assert legend(stage_section(html, "lapor_tim"))["tepat_waktu"] == 1   # the honest step still counts


def test_a_head_dated_in_the_future_does_not_make_the_site_say_late(tmp_path):
    """The site's "now" is HEAD's committer date, which whoever commits sets: a HEAD dated June
    2027 would judge an open stage "Selesai terlambat". Only that implausible case uses the clock."""
    from datetime import datetime, timedelta, timezone
    repo = GitRepo(tmp_path / "repo")
    received = datetime.now(timezone(timedelta(hours=7))).replace(microsecond=0) - timedelta(hours=1)
    cid = f"ADU-{received:%Y%m%d}-EEEE"
    repo.commit("Record", (received + timedelta(minutes=10)).isoformat(),
                files={complaint_path(cid): complaint_text(cid, f"{received:%Y-%m-%d %H:%M}")})
    repo.commit("Respond", "2027-06-01T09:00:00+07:00",
                files={complaint_path(cid): complaint_text(cid, f"{received:%Y-%m-%d %H:%M}", tanggapan=RESPONSE)})
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "--repo", str(repo.path),
                           "--output", str(tmp_path / "site")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "masa depan" in done.stderr
    found = marks(tmp_path / "site", cid)
    assert "terlambat" not in found and found[0] == "tepat_waktu"
    assert found[1] == "belum_terverifikasi"          # the response's commit is dated in the future
