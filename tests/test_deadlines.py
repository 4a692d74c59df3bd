"""Deadline engine on real git repositories with controlled author and committer dates.

Every expected due time below is computed by hand from the rule "N hours that elapse only on
working days" (see pipeline/report/workcalendar.py) and the 2026 Indonesian holiday calendar.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gitrepo import RESPONSE, GitRepo, complaint_path, complaint_text

from pipeline.cli import main as cli_main


def deadlines(repo, now: str, *extra: str) -> dict:
    """Run the real CLI in a subprocess and parse its JSON contract."""
    done = subprocess.run([sys.executable, "-m", "pipeline", "deadlines", "--repo", str(repo.path),
                           "--now", now, "--format", "json", *extra], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def one(report: dict, complaint_id: str) -> dict:
    [found] = [item for item in report["complaints"] if item["id"] == complaint_id]
    return found


def stages(item: dict) -> dict:
    return {stage["stage"]: stage for stage in item["stages"]}


@pytest.fixture
def repo(tmp_path):
    return GitRepo(tmp_path / "repo")


def add(repo, complaint_id, diterima, date, committer_date=None, **fields):
    return repo.commit(f"Record {complaint_id}", date, committer_date,
                       {complaint_path(complaint_id): complaint_text(complaint_id, diterima, **fields)})


def respond(repo, complaint_id, diterima, date, committer_date=None, **fields):
    return repo.commit(f"Respond to {complaint_id}", date, committer_date,
                       {complaint_path(complaint_id): complaint_text(complaint_id, diterima,
                                                                     tanggapan=RESPONSE, **fields)})


def test_weekend_does_not_count(repo):
    # Friday 15:00 + 24 working hours: 9 h on Friday, weekend skipped, 15 h on Monday.
    add(repo, "ADU-20260109-AAAA", "2026-01-09 15:00", "2026-01-12T14:59:00+07:00")
    add(repo, "ADU-20260109-BBBB", "2026-01-09 15:00", "2026-01-12T15:01:00+07:00")
    report = deadlines(repo, "2026-02-01T00:00:00+07:00")
    on_time = stages(one(report, "ADU-20260109-AAAA"))["lapor_tim"]
    late = stages(one(report, "ADU-20260109-BBBB"))["lapor_tim"]
    assert on_time["due_at"] == late["due_at"] == "2026-01-12T15:00:00+07:00"
    assert (on_time["status"], late["status"]) == ("met", "breached")


def test_received_on_saturday_starts_monday(repo):
    add(repo, "ADU-20260110-AAAA", "2026-01-10 10:00", "2026-01-12T23:00:00+07:00")
    item = one(deadlines(repo, "2026-02-01T00:00:00+07:00"), "ADU-20260110-AAAA")
    assert stages(item)["lapor_tim"] == {"stage": "lapor_tim", "due_at": "2026-01-13T00:00:00+07:00",
                                         "done_at": "2026-01-12T23:00:00+07:00", "status": "met",
                                         "claimed_at": "2026-01-12T23:00:00+07:00", "proven_at": None,
                                         "flags": []}
    # 72 h from Monday 00:00: Monday, Tuesday, Wednesday.
    assert stages(item)["umpan_balik"]["due_at"] == "2026-01-15T00:00:00+07:00"


def test_nyepi_and_idul_fitri_block(repo):
    # Tuesday 17 March 10:00: 14 h that day; 18-24 March are Nyepi, Idul Fitri and cuti bersama.
    add(repo, "ADU-20260317-AAAA", "2026-03-17 10:00", "2026-03-24T12:00:00+07:00")
    respond(repo, "ADU-20260317-AAAA", "2026-03-17 10:00", "2026-03-27T10:30:00+07:00")
    item = stages(one(deadlines(repo, "2026-04-30T00:00:00+07:00"), "ADU-20260317-AAAA"))
    assert item["lapor_tim"]["due_at"] == "2026-03-25T10:00:00+07:00"
    assert item["lapor_tim"]["status"] == "met"          # recorded during the holidays
    # 14 (17th) + 24 (25th) + 24 (26th) + 10 (27th) = 72
    assert item["umpan_balik"]["due_at"] == "2026-03-27T10:00:00+07:00"
    assert item["umpan_balik"]["status"] == "breached"   # answered 30 minutes late


def test_year_boundary(repo):
    # Thursday 31 Dec 20:00: 4 h; 1 Jan is a holiday, then the weekend; 20 h on Monday 4 Jan.
    add(repo, "ADU-20261231-AAAA", "2026-12-31 20:00", "2027-01-04T19:00:00+07:00")
    item = stages(one(deadlines(repo, "2027-01-04T21:00:00+07:00"), "ADU-20261231-AAAA"))
    assert item["lapor_tim"] == {"stage": "lapor_tim", "due_at": "2027-01-04T20:00:00+07:00",
                                 "done_at": "2027-01-04T19:00:00+07:00", "status": "met",
                                 "claimed_at": "2027-01-04T19:00:00+07:00", "proven_at": None, "flags": []}


def test_mixed_offsets_file_in_wita_commit_in_utc(repo):
    # 16:00 WITA = 15:00 WIB on Friday; the commit says 07:30 UTC Monday = 14:30 WIB.
    add(repo, "ADU-20260109-CCCC", "2026-01-09T16:00:00+08:00", "2026-01-12T07:30:00+00:00")
    report = deadlines(repo, "2026-02-01T00:00:00Z")
    item = one(report, "ADU-20260109-CCCC")
    assert report["now"] == "2026-02-01T07:00:00+07:00"
    assert item["received_at"] == "2026-01-09T15:00:00+07:00"
    assert item["recorded_at"] == "2026-01-12T14:30:00+07:00"
    assert stages(item)["lapor_tim"]["status"] == "met"


def test_merge_commit_evidence(repo):
    repo.branch("pengaduan-a")
    add(repo, "ADU-20260105-AAAA", "2026-01-05 08:00", "2026-01-05T09:00:00+07:00")
    respond(repo, "ADU-20260105-AAAA", "2026-01-05 08:00", "2026-01-07T10:00:00+07:00")
    repo.checkout("main")
    repo.commit("Unrelated work on main", "2026-01-06T09:00:00+07:00", files={"README.md": "x\n"})
    repo.merge("pengaduan-a", "2026-01-09T13:00:00+07:00")
    item = one(deadlines(repo, "2026-02-01T00:00:00+07:00", "--ref", "main"), "ADU-20260105-AAAA")
    assert item["recorded_at"] == "2026-01-05T09:00:00+07:00"
    assert item["responded_at"] == "2026-01-07T10:00:00+07:00"
    assert item["published_at"] == "2026-01-09T13:00:00+07:00"   # the merge, not the branch commit
    assert [s["status"] for s in item["stages"]] == ["met", "met"]


def test_unmerged_branch_is_not_evidence_on_main(repo):
    add(repo, "ADU-20260105-AAAA", "2026-01-05 08:00", "2026-01-05T09:00:00+07:00")
    repo.branch("jawaban")
    respond(repo, "ADU-20260105-AAAA", "2026-01-05 08:00", "2026-01-06T10:00:00+07:00")
    on_branch = one(deadlines(repo, "2026-01-06T12:00:00+07:00", "--ref", "jawaban"), "ADU-20260105-AAAA")
    on_main = one(deadlines(repo, "2026-01-06T12:00:00+07:00", "--ref", "main"), "ADU-20260105-AAAA")
    assert on_branch["responded_at"] == "2026-01-06T10:00:00+07:00"
    assert on_main["responded_at"] is None and on_main["published_at"] is None


def test_rebase_merge_keeps_author_dates(repo):
    repo.branch("pengaduan-b")
    add(repo, "ADU-20260105-BBBB", "2026-01-05 08:00", "2026-01-05T09:00:00+07:00")
    respond(repo, "ADU-20260105-BBBB", "2026-01-05 08:00", "2026-01-07T10:00:00+07:00")
    repo.checkout("main")
    repo.commit("Unrelated work on main", "2026-01-06T09:00:00+07:00", files={"README.md": "x\n"})
    repo.rebase_merge("pengaduan-b", "2026-01-12T11:00:00+07:00")
    item = one(deadlines(repo, "2026-02-01T00:00:00+07:00", "--ref", "main"), "ADU-20260105-BBBB")
    assert item["recorded_at"] == "2026-01-05T09:00:00+07:00"     # author date survives the rebase
    assert item["responded_at"] == "2026-01-07T10:00:00+07:00"
    assert item["published_at"] == "2026-01-12T11:00:00+07:00"    # committer date of the rebased commit
    # The rebase rewrote the commit times: git alone cannot tell this from a backdated author date.
    assert all("author_before_committer" in stage["flags"] for stage in item["stages"])


def test_squash_merge_collapses_steps_into_the_merge(repo):
    repo.branch("pengaduan-c")
    add(repo, "ADU-20260105-CCCC", "2026-01-05 08:00", "2026-01-05T09:00:00+07:00")
    respond(repo, "ADU-20260105-CCCC", "2026-01-05 08:00", "2026-01-07T10:00:00+07:00")
    repo.checkout("main")
    repo.squash_merge("pengaduan-c", "2026-01-12T11:00:00+07:00")
    item = one(deadlines(repo, "2026-02-01T00:00:00+07:00"), "ADU-20260105-CCCC")
    # The branch's commits are gone from main: the squash commit is the only evidence left.
    assert item["recorded_at"] == item["responded_at"] == item["published_at"] == "2026-01-12T11:00:00+07:00"
    assert [s["status"] for s in item["stages"]] == ["breached", "breached"]


def test_renamed_file_keeps_its_first_record(repo):
    wrong = "ADU-20260105-DDDD"
    add(repo, wrong, "2026-01-05 08:00", "2026-01-05T09:00:00+07:00")
    # The id is corrected (the file renamed with it) two days later.
    repo.git("mv", complaint_path(wrong), complaint_path("ADU-20260105-EEEE"))
    repo.commit("Fix id", "2026-01-07T09:00:00+07:00",
                files={complaint_path("ADU-20260105-EEEE"): complaint_text("ADU-20260105-EEEE", "2026-01-05 08:00")})
    report = deadlines(repo, "2026-01-07T12:00:00+07:00")
    assert [item["id"] for item in report["complaints"]] == ["ADU-20260105-EEEE"]
    assert report["complaints"][0]["recorded_at"] == "2026-01-05T09:00:00+07:00"


def test_moved_to_another_folder_keeps_its_first_record(repo):
    complaint_id = "ADU-20260105-FFFF"
    repo.commit("Record in the wrong folder", "2026-01-05T09:00:00+07:00",
                files={f"content/complaints/2025/{complaint_id}.md": complaint_text(complaint_id, "2026-01-05 08:00")})
    (repo.path / "content/complaints/2026").mkdir()
    repo.git("mv", f"content/complaints/2025/{complaint_id}.md", complaint_path(complaint_id))
    repo.commit("Move to 2026", "2026-01-08T09:00:00+07:00")
    item = one(deadlines(repo, "2026-01-08T12:00:00+07:00"), complaint_id)
    assert item["recorded_at"] == "2026-01-05T09:00:00+07:00"


def test_uncommitted_file_is_not_recorded(repo):
    repo.write(complaint_path("ADU-20260105-GGGG"), complaint_text("ADU-20260105-GGGG", "2026-01-05 08:00"))
    item = one(deadlines(repo, "2026-01-07T12:00:00+07:00"), "ADU-20260105-GGGG")
    assert item["recorded_at"] is None
    assert stages(item)["lapor_tim"]["status"] == "overdue"
    assert any("belum tercatat di git" in warning for warning in item["warnings"])


def test_open_complaint_before_and_after_due(repo):
    add(repo, "ADU-20260105-HHHH", "2026-01-05 08:00", "2026-01-05T09:00:00+07:00")
    before = one(deadlines(repo, "2026-01-08T07:59:59+07:00"), "ADU-20260105-HHHH")
    at_due = one(deadlines(repo, "2026-01-08T08:00:00+07:00"), "ADU-20260105-HHHH")
    after = one(deadlines(repo, "2026-01-08T08:00:01+07:00"), "ADU-20260105-HHHH")
    assert stages(before)["umpan_balik"]["due_at"] == "2026-01-08T08:00:00+07:00"
    assert stages(before)["umpan_balik"]["status"] == "pending"
    assert before["due_soon"] == ["umpan_balik"]
    assert stages(at_due)["umpan_balik"]["status"] == "pending"     # due means "by", inclusive
    assert stages(after)["umpan_balik"]["status"] == "overdue"
    assert after["due_soon"] == []


def test_due_soon_means_by_the_end_of_the_next_working_day(repo):
    # Received Friday 9 Jan 10:00; feedback due Wednesday 14 Jan 10:00.
    add(repo, "ADU-20260109-JJJJ", "2026-01-09 10:00", "2026-01-09T11:00:00+07:00")
    on_friday = one(deadlines(repo, "2026-01-09T12:00:00+07:00"), "ADU-20260109-JJJJ")
    on_tuesday = one(deadlines(repo, "2026-01-13T09:00:00+07:00"), "ADU-20260109-JJJJ")
    assert on_friday["due_soon"] == []               # next working day is Monday; due Wednesday
    assert on_tuesday["due_soon"] == ["umpan_balik"]  # next working day is Wednesday


def test_response_on_main_directly_is_published_by_its_own_commit(repo):
    add(repo, "ADU-20260105-KKKK", "2026-01-05 08:00", "2026-01-05T09:00:00+07:00")
    respond(repo, "ADU-20260105-KKKK", "2026-01-05 08:00", "2026-01-06T10:00:00+07:00",
            committer_date="2026-01-06T10:05:00+07:00")
    item = one(deadlines(repo, "2026-01-07T00:00:00+07:00"), "ADU-20260105-KKKK")
    assert item["responded_at"] == "2026-01-06T10:00:00+07:00"
    assert item["published_at"] == "2026-01-06T10:05:00+07:00"


def test_declared_times_contradicting_git_are_flagged(repo):
    # Received "Monday 12:00" but git recorded it at 10:00: the claim cannot be true.
    add(repo, "ADU-20260105-MMMM", "2026-01-05 12:00", "2026-01-05T10:00:00+07:00")
    # Claims an on-time answer; git shows it came a week later.
    add(repo, "ADU-20260105-NNNN", "2026-01-05 08:00", "2026-01-05T09:00:00+07:00")
    respond(repo, "ADU-20260105-NNNN", "2026-01-05 08:00", "2026-01-12T10:00:00+07:00")
    repo.commit("Backdate", "2026-01-12T11:00:00+07:00", files={complaint_path("ADU-20260105-NNNN"): complaint_text(
        "ADU-20260105-NNNN", "2026-01-05 08:00", tanggapan={**RESPONSE, "waktu": "2026-01-06 09:00"})})
    report = deadlines(repo, "2026-02-01T00:00:00+07:00")
    early = one(report, "ADU-20260105-MMMM")["warnings"]
    backdated = one(report, "ADU-20260105-NNNN")
    assert len(early) == 1 and "lebih lambat daripada commit pertama" in early[0]
    # times as staff read them (they were ISO: 2026-01-05T12:00:00+07:00; found by hand)
    assert "`diterima` (5 Januari 2026, 12.00 WIB) lebih lambat daripada commit pertama pengaduan ini " \
        "(5 Januari 2026, 10.00 WIB)" in early[0], early
    assert stages(backdated)["umpan_balik"]["status"] == "breached"
    assert any("tanggapan.waktu" in warning and "dinilai dari bukti git" in warning
               for warning in backdated["warnings"])


def test_wita_policy_shows_times_in_wita(tmp_path):
    policy = (GitRepo.__init__.__globals__["ROOT"] / "puskesmas.yaml").read_text(encoding="utf-8")
    repo = GitRepo(tmp_path / "wita", policy=policy.replace("zona_waktu: Asia/Jakarta", "zona_waktu: Asia/Makassar"))
    # 2026-01-09 16:00 WITA Friday; recorded Monday 15:30 WITA; due Monday 16:00 WITA.
    add(repo, "ADU-20260109-PPPP", "2026-01-09 16:00", "2026-01-12T15:30:00+08:00")
    report = deadlines(repo, "2026-02-01T00:00:00+08:00")
    item = one(report, "ADU-20260109-PPPP")
    assert report["timezone"] == "Asia/Makassar"
    assert item["received_at"] == "2026-01-09T16:00:00+08:00"
    assert stages(item)["lapor_tim"]["due_at"] == "2026-01-12T16:00:00+08:00"
    assert stages(item)["lapor_tim"]["status"] == "met"


def test_summary_and_fail_on(repo, capsys):
    add(repo, "ADU-20260105-QQQQ", "2026-01-05 08:00", "2026-01-07T09:00:00+07:00")  # lapor_tim late
    report = deadlines(repo, "2026-01-07T10:00:00+07:00")
    assert report["summary"] == {"met": 0, "breached": 1, "overdue": 0, "pending": 1}
    args = ["deadlines", "--repo", str(repo.path), "--now", "2026-01-07T10:00:00+07:00"]
    assert cli_main(args + ["--fail-on", "breached"]) == 1
    assert cli_main(args + ["--fail-on", "overdue"]) == 0
    assert cli_main(args + ["--fail-on", "overdue", "--now", "2026-01-09T10:00:00+07:00"]) == 1
    assert cli_main(args) == 0
    capsys.readouterr()


def test_text_markdown_and_github_formats(repo, capsys):
    add(repo, "ADU-20260105-RRRR", "2026-01-05 08:00", "2026-01-07T09:00:00+07:00")
    args = ["deadlines", "--repo", str(repo.path), "--now", "2026-01-09T10:00:00+07:00"]
    assert cli_main(args) == 0
    text = capsys.readouterr().out
    assert "ADU-20260105-RRRR  diterima 5 Januari 2026, 08.00 WIB" in text
    assert "✖ lapor_tim" in text and "SELESAI TERLAMBAT" in text and "TERLAMBAT, BELUM SELESAI" in text
    assert cli_main(args + ["--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "| `ADU-20260105-RRRR` | 5 Jan 2026 08.00 |" in markdown and "**SELESAI TERLAMBAT**" in markdown
    assert cli_main(args + ["--format", "github"]) == 0
    github = capsys.readouterr().out.splitlines()
    assert github[0].startswith("::warning file=content/complaints/2026/ADU-20260105-RRRR.md,line=")
    assert github[1].startswith("::error file=content/complaints/2026/ADU-20260105-RRRR.md,line=")
    assert "TERLAMBAT, BELUM SELESAI" in github[1]


def test_not_a_repository_and_unknown_ref(tmp_path, capsys):
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "puskesmas.yaml").write_text((GitRepo.__init__.__globals__["ROOT"] / "puskesmas.yaml").read_text())
    assert cli_main(["deadlines", "--repo", str(plain)]) == 2
    assert "bukan repositori git" in capsys.readouterr().err
    repo = GitRepo(tmp_path / "repo")
    assert cli_main(["deadlines", "--repo", str(repo.path), "--ref", "tidak-ada"]) == 2
    assert "ref `tidak-ada` tidak ditemukan" in capsys.readouterr().err


def test_ref_judges_the_files_committed_there(repo):
    # --ref names what is judged: the files of that commit, not the checked-out working tree.
    add(repo, "ADU-20260105-SSSA", "2026-01-05 08:00", "2026-01-05T09:00:00+07:00")
    repo.branch("pengaduan/ADU-20260106-SSSB")
    add(repo, "ADU-20260106-SSSB", "2026-01-06 08:00", "2026-01-06T09:00:00+07:00")
    repo.checkout("main")
    add(repo, "ADU-20260107-SSSC", "2026-01-07 08:00", "2026-01-07T09:00:00+07:00")
    now = "2026-01-08T10:00:00+07:00"
    earlier = deadlines(repo, now, "--ref", "HEAD~1")
    assert [item["id"] for item in earlier["complaints"]] == ["ADU-20260105-SSSA"]
    assert one(earlier, "ADU-20260105-SSSA")["warnings"] == []
    branch = deadlines(repo, now, "--ref", "pengaduan/ADU-20260106-SSSB")
    assert [item["id"] for item in branch["complaints"]] == ["ADU-20260106-SSSB", "ADU-20260105-SSSA"]
    item = one(branch, "ADU-20260106-SSSB")
    assert item["recorded_at"] == "2026-01-06T09:00:00+07:00"
    assert item["path"] == "content/complaints/2026/ADU-20260106-SSSB.md"
    assert [item["id"] for item in deadlines(repo, now)["complaints"]] == ["ADU-20260107-SSSC", "ADU-20260105-SSSA"]


def test_an_invalid_file_is_named_and_fails_fail_on(repo, capsys):
    # A typo must not hide an overdue complaint: it is listed as not judged, and --fail-on fails.
    add(repo, "ADU-20260105-TTTA", "2026-01-05 08:00", "2026-01-05T09:00:00+07:00")
    broken = complaint_text("ADU-20260106-TTTB", "2026-01-06 08:00").replace("kanal: whatsapp", "kanal: whatsap")
    assert "kanal: whatsap\n" in broken
    repo.commit("Record ADU-20260106-TTTB", "2026-01-06T09:00:00+07:00",
                files={complaint_path("ADU-20260106-TTTB"): broken})
    args = ["deadlines", "--repo", str(repo.path), "--now", "2026-01-06T10:00:00+07:00"]
    assert cli_main(args + ["--format", "json"]) == 0     # --fail-on never: a report, exit 0
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert report["skipped"] == ["content/complaints/2026/ADU-20260106-TTTB.md"]
    assert "kanal" in out.err and "dilewati" in out.err
    assert cli_main(args + ["--fail-on", "breached"]) == 1  # nothing breached among the valid ones
    text = capsys.readouterr().out
    assert "TIDAK DINILAI" in text and "ADU-20260106-TTTB.md" in text


def test_one_second_late_is_shown_to_the_second(repo, capsys):
    add(repo, "ADU-20260109-VVVV", "2026-01-09 15:00", "2026-01-12T15:00:01+07:00")
    args = ["deadlines", "--repo", str(repo.path), "--now", "2026-01-13T10:00:00+07:00"]
    assert cli_main(args) == 0
    text = capsys.readouterr().out
    assert "batas 12 Januari 2026, 15.00 WIB" in text and "selesai 12 Januari 2026, 15.00.01 WIB" in text
    assert cli_main(args + ["--format", "markdown"]) == 0
    assert "(batas 12 Jan 2026 15.00; 12 Jan 2026 15.00.01)" in capsys.readouterr().out


def test_a_refs_files_read_from_git_are_judged_as_a_checkout_of_them(repo, monkeypatch):
    # deadlines --ref reads the committed blobs directly (history.committed_files); a copy of the
    # ref on disk (export_files, the way for a tree with links) must give the same report.
    from datetime import datetime

    from pipeline.evidence import history
    from pipeline.report import deadlines as engine
    add(repo, "ADU-20260105-RRRA", "2026-01-05 08:00", "2026-01-05T09:00:00+07:00")
    repo.commit("Odd files", "2026-01-05T10:00:00+07:00", files={
        "content/complaints/2026/ADU-20260105-RRRB.md": "---\nid: ADU-20260105-RRRB\njudul: [tidak ditutup\n---\n",
        "content/complaints/2026/_draf.md": "bukan pengaduan\n",
        "content/complaints/README.md": "panduan\n",
        "content/complaints/2025/lama/ADU-20251230-RRRC.md": complaint_text("ADU-20251230-RRRC", "2025-12-30 08:00")
        .replace("\n", "\r\n")})
    (repo.path / "content/complaints/2026/ADU-20260105-RRRD.md").write_bytes(b"---\nid: \xff\n---\n")
    repo.commit("Not UTF-8", "2026-01-05T11:00:00+07:00")
    (repo.path / "content/complaints/2026/ADU-20260105-RRRA.md").unlink()   # the folder is not judged
    now = datetime.fromisoformat("2026-01-08T10:00:00+07:00")

    def summary(result):
        report, problems = result
        return ([(item.complaint.id, str(item.complaint.path), item.complaint.shown,
                  [(stage.stage.id, stage.status, stage.done_at) for stage in item.stages]) for item in report.complaints],
                [(problem.path, problem.line, problem.message) for problem in problems], report.skipped)

    direct = summary(engine.build_report(repo.path, "main", now))
    monkeypatch.setattr(engine, "committed_files", lambda *args: None)
    assert summary(engine.build_report(repo.path, "main", now)) == direct
    ids = [entry[0] for entry in direct[0]]
    assert ids == ["ADU-20260105-RRRA"]
    assert {path for path, _, _ in direct[1]} >= {"content/complaints/2026/ADU-20260105-RRRB.md",
                                                   "content/complaints/2026/ADU-20260105-RRRD.md",
                                                   "content/complaints/2025/lama/ADU-20251230-RRRC.md"}
    assert history.committed_files(repo.path, "main", ["tidak-ada"]) == {}


def test_kept_due_times_are_reused_and_left_holding_this_builds_only(repo):
    """The site build keeps each complaint's due times by the moment it was received (and the
    stages' limits): a kept entry is used as it is, and the kept dict is left with this build's
    entries only (a deleted complaint's go)."""
    from datetime import datetime, timezone
    from pipeline.records.loader import load
    from pipeline.report.deadlines import due_times
    add(repo, "ADU-20260105-7K3M", "2026-01-05T09:00:00+07:00", "2026-01-05T09:10:00+07:00")
    add(repo, "ADU-20260106-8M4N", "2026-01-06T09:00:00+07:00", "2026-01-06T09:10:00+07:00")
    loaded = load(repo.path, personal_data=False)
    fresh = due_times(loaded)
    kept: dict = {("gone", (24,)): ["deleted complaint"]}
    assert due_times(loaded, kept=kept) == fresh and len(kept) == 2 and ("gone", (24,)) not in kept
    planted = datetime(2030, 1, 1, tzinfo=timezone.utc)
    key = next(key for key in kept if key[0] == loaded.complaints[0].received_at)
    kept[key] = [planted] * len(kept[key])
    assert due_times(loaded, kept=kept)[loaded.complaints[0].shown][0] == planted   # used as kept
    from pipeline.report.deadlines import KeptDueTimes
    same = KeptDueTimes(kept)
    due_times(loaded, kept=same)
    assert not same.changed and same == kept   # nothing made, nothing dropped: not saved again
    same[("gone", (24,))] = ["deleted complaint"]
    due_times(loaded, kept=same)
    assert same.changed and ("gone", (24,)) not in same and len(same) == 2
    emptied = KeptDueTimes()
    due_times(loaded, kept=emptied)
    assert emptied.changed and len(emptied) == 2
